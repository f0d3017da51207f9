/** Terms of a student's sections, and the school-day order of a term's classes (pure). */
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';

export interface Term {
  id: string;
  name: string;
  start: string;
  end: string;
}

/** Today on this device as `YYYY-MM-DD`, the form terms are dated in. */
export function localIsoDate(now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The terms of these sections, the one running `today` first, then the latest started
 * (the term just ended, when between terms), then the coming ones.
 */
export function termsOf(sections: readonly SectionDocument[], today: string): Term[] {
  const terms = new Map<string, Term>();
  for (const section of sections) {
    if (!terms.has(section.termId)) terms.set(section.termId, { id: section.termId, name: section.termName, start: section.termStart, end: section.termEnd });
  }
  const rank = (term: Term) => (term.start <= today && term.end >= today ? 0 : term.start <= today ? 1 : 2);
  return [...terms.values()].sort(
    (a, b) => rank(a) - rank(b) || (rank(a) === 2 ? a.start.localeCompare(b.start) : b.start.localeCompare(a.start)) || a.name.localeCompare(b.name),
  );
}

/** A term's classes in the order of the school day; classes with no period come last. */
export function sectionsInTerm(sections: readonly SectionDocument[], termId: string): SectionDocument[] {
  return sections
    .filter((section) => section.termId === termId)
    .sort(
      (a, b) =>
        (a.periodSequence ?? Number.MAX_SAFE_INTEGER) - (b.periodSequence ?? Number.MAX_SAFE_INTEGER) ||
        (a.startTime ?? '').localeCompare(b.startTime ?? '') ||
        a.courseName.localeCompare(b.courseName) ||
        a.id.localeCompare(b.id),
    );
}

/** The sections a student attends. */
export function sectionsOfStudent(sections: readonly SectionDocument[], studentId: string): SectionDocument[] {
  return sections.filter((section) => section.studentIds.includes(studentId));
}
