/**
 * Pure arithmetic for the attendance tab: which term a mark falls in, and each term's totals
 * as schools report them (days absent, excused or not, tardies, early releases).
 */
import type { AttendanceDocument } from '../../../server/contract/sync/attendance.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';

export type TermOf = Pick<SectionDocument, 'termId' | 'termName' | 'termStart' | 'termEnd' | 'schoolId'>;
export type MarkOf = Pick<AttendanceDocument, 'date' | 'sectionId' | 'schoolId' | 'status' | 'excuse'>;

export interface TermTotals {
  termId: string | null;
  termName: string | null;
  termStart: string | null;
  /** Days with an absence, by how the day's absences stand. */
  excusedDays: number;
  unexcusedDays: number;
  undecidedDays: number;
  tardies: number;
  earlyReleases: number;
}

/** The terms of the student's sections, newest first, one entry per term. */
export function termsOf(sections: readonly TermOf[]): TermOf[] {
  const byId = new Map<string, TermOf>();
  for (const section of sections) if (!byId.has(section.termId)) byId.set(section.termId, section);
  return [...byId.values()].sort((a, b) => b.termStart.localeCompare(a.termStart));
}

/** The mark's term: its section's, or for a whole-day mark the school's term running that day. */
export function termOfMark(mark: MarkOf, sectionTerms: ReadonlyMap<string, TermOf>, terms: readonly TermOf[]): TermOf | undefined {
  if (mark.sectionId) {
    const term = sectionTerms.get(mark.sectionId);
    if (term) return term;
  }
  return terms.find((term) => term.schoolId === mark.schoolId && term.termStart <= mark.date && mark.date <= term.termEnd) ?? terms.find((term) => term.termStart <= mark.date && mark.date <= term.termEnd);
}

/**
 * Totals per term, newest term first. A day counts once however many periods it was missed:
 * excused when every absence that day is excused, unexcused when any is, else undecided.
 */
export function termTotals(marks: readonly MarkOf[], sections: readonly (TermOf & { id: string })[]): TermTotals[] {
  const terms = termsOf(sections);
  const sectionTerms = new Map(sections.map((section) => [section.id, section as TermOf]));
  const totals = new Map<string | null, TermTotals>();
  const absentDays = new Map<string | null, Map<string, Set<AttendanceDocument['excuse']>>>();
  for (const term of terms) {
    totals.set(term.termId, { termId: term.termId, termName: term.termName, termStart: term.termStart, excusedDays: 0, unexcusedDays: 0, undecidedDays: 0, tardies: 0, earlyReleases: 0 });
  }
  for (const mark of marks) {
    const term = termOfMark(mark, sectionTerms, terms);
    const key = term?.termId ?? null;
    let entry = totals.get(key);
    if (!entry) {
      entry = { termId: null, termName: null, termStart: null, excusedDays: 0, unexcusedDays: 0, undecidedDays: 0, tardies: 0, earlyReleases: 0 };
      totals.set(key, entry);
    }
    if (mark.status === 'tardy') entry.tardies += 1;
    else if (mark.status === 'early_release') entry.earlyReleases += 1;
    else if (mark.status === 'absent') {
      const days = absentDays.get(key) ?? new Map<string, Set<AttendanceDocument['excuse']>>();
      absentDays.set(key, days);
      days.set(mark.date, (days.get(mark.date) ?? new Set()).add(mark.excuse));
    }
  }
  for (const [key, days] of absentDays) {
    const entry = totals.get(key)!;
    for (const excuses of days.values()) {
      if (excuses.has('unexcused')) entry.unexcusedDays += 1;
      else if (excuses.has('unknown')) entry.undecidedDays += 1;
      else entry.excusedDays += 1;
    }
  }
  return [...totals.values()];
}
