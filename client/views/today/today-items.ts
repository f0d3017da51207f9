/**
 * What the Today tab picks out of the device's records for one student, as pure functions
 * (no DOM, no database) so the rules read in one place and test without a browser.
 */
import type { AttendanceDocument } from '../../../server/contract/sync/attendance.ts';
import type { FeeDocument } from '../../../server/contract/sync/fees.ts';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { HealthDocument, ImmunizationCompliance } from '../../../server/contract/sync/health.ts';
import type { MessageDocument, Translated } from '../../../server/contract/sync/messages.ts';
import type { RequestDocument } from '../../../server/contract/sync/requests.ts';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { ScoreDocument } from '../../../server/contract/sync/scores.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';

/** How far back "recent" grades and attendance events reach. */
export const RECENT_DAYS = 14;

/** The calendar date on this device, as the records write dates (`2026-11-24`). */
export function localIsoDate(now: Date = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** An announcement's or message's text in the reader's language, else as written (English). */
export function inLanguage(text: Translated, language: string): string {
  const translated = (text as unknown as Record<string, string | null | undefined>)[language];
  return translated || text.en;
}

/**
 * Running announcements meant for this student: the district's, her school's and her classes'
 * (a family with children at three schools receives all three schools' posts; each child shows
 * her own), and of those naming grades only the ones naming hers (a family receives a post for
 * grade 3 once, and only its third grader shows it). A post sent alike to several places shows once.
 */
export function announcementsFor(messages: readonly MessageDocument[], student: { schoolId: string | null; gradeLevel: number }, sectionIds: ReadonlySet<string>, today: string): MessageDocument[] {
  const shown = new Set<string>();
  return messages
    .filter((m) => m.kind === 'announcement' && m.folder === 'inbox')
    .filter((m) => (m.startsOn ?? today) <= today && today <= (m.endsOn ?? today))
    .filter((m) => (m.sectionId !== null ? sectionIds.has(m.sectionId) : m.schoolId === null || m.schoolId === student.schoolId))
    .filter((m) => m.grades.length === 0 || m.grades.includes(student.gradeLevel))
    .sort((a, b) => (b.startsOn ?? '').localeCompare(a.startsOn ?? '') || (a.schoolId === null ? 0 : 1) - (b.schoolId === null ? 0 : 1) || a.id.localeCompare(b.id))
    .filter((m) => {
      const text = JSON.stringify([m.title, m.body, m.startsOn, m.endsOn]);
      if (shown.has(text)) return false;
      shown.add(text);
      return true;
    });
}

/** The student's classes meeting today: in a running term, on a school day, by period. */
export function scheduleFor(sections: readonly SectionDocument[], studentId: string, today: string): SectionDocument[] {
  const weekday = new Date(`${today}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return [];
  return sections
    .filter((s) => s.studentIds.includes(studentId) && s.termStart <= today && today <= s.termEnd)
    .sort((a, b) => (a.periodSequence ?? 99) - (b.periodSequence ?? 99) || (a.startTime ?? '').localeCompare(b.startTime ?? '') || a.courseName.localeCompare(b.courseName));
}

/**
 * Messages received in the last RECENT_DAYS days that concern this student: about her, or sent
 * to a class of hers or to the family as a whole (about no one child), newest first.
 */
export function recentMessagesFor(messages: readonly MessageDocument[], studentId: string, sectionIds: ReadonlySet<string>, today: string): MessageDocument[] {
  const since = addDays(today, -RECENT_DAYS);
  return messages
    .filter((m) => m.kind === 'message' && m.folder === 'inbox' && m.sentAt !== null && m.sentAt.slice(0, 10) >= since)
    .filter((m) => (m.aboutStudentId !== null ? m.aboutStudentId === studentId : m.sectionId === null || sectionIds.has(m.sectionId)))
    .sort((a, b) => b.sentAt!.localeCompare(a.sentAt!) || a.id.localeCompare(b.id));
}

/** Grades posted in the last RECENT_DAYS days, newest first. */
export function recentGradesFor(grades: readonly GradeDocument[], studentId: string, today: string): GradeDocument[] {
  const since = addDays(today, -RECENT_DAYS);
  return grades
    .filter((g) => g.studentId === studentId && g.status === 'posted' && g.postedAt !== null && g.postedAt.slice(0, 10) >= since)
    .sort((a, b) => b.postedAt!.localeCompare(a.postedAt!) || a.id.localeCompare(b.id));
}

/** A score graded lately, with the assignment it is on. */
export interface GradedWork {
  score: ScoreDocument & { gradedAt: string };
  assignment: AssignmentDocument;
}

/**
 * The student's work graded (scored, or marked missing, exempt or incomplete) in the last
 * RECENT_DAYS days on this device's calendar, newest first. A score whose assignment the
 * device does not hold is left out: there would be nothing to name it by.
 */
export function recentlyGradedFor(scores: readonly ScoreDocument[], assignments: readonly AssignmentDocument[], studentId: string, today: string): GradedWork[] {
  const since = addDays(today, -RECENT_DAYS);
  const assignmentOf = new Map(assignments.map((a) => [a.id, a]));
  return scores
    .filter((s): s is GradedWork['score'] => s.studentId === studentId && s.gradedAt !== null && localIsoDate(new Date(s.gradedAt)) >= since)
    .flatMap((score) => {
      const assignment = assignmentOf.get(score.assignmentId);
      return assignment ? [{ score, assignment }] : [];
    })
    .sort((a, b) => b.score.gradedAt.localeCompare(a.score.gradedAt) || a.score.id.localeCompare(b.score.id));
}

/** Absences, tardies and early releases of the last RECENT_DAYS days, newest first. */
export function recentAttendanceFor(marks: readonly AttendanceDocument[], studentId: string, today: string): AttendanceDocument[] {
  const since = addDays(today, -RECENT_DAYS);
  return marks
    .filter((m) => m.studentId === studentId && m.status !== 'present' && m.date >= since && m.date <= today)
    .sort((a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id));
}

/** What the student's family still owes (overpaid fees do not offset others). */
export function unpaidCentsFor(fees: readonly FeeDocument[], studentId: string): number {
  return fees.filter((f) => f.studentId === studentId && !f.waived && f.balanceCents > 0).reduce((total, f) => total + f.balanceCents, 0);
}

/** The vaccines the student still needs doses of (none when exempt or compliant). */
export function missingImmunizationsFor(health: readonly HealthDocument[], studentId: string): ImmunizationCompliance[] {
  const record = health.find((h) => h.studentId === studentId);
  return record ? record.requirements.filter((r) => !r.compliant && !r.exempt) : [];
}

/** Requests still waiting for the office: the student's absence notes and the household's changes. */
export function pendingRequestsFor(requests: readonly RequestDocument[], studentId: string): RequestDocument[] {
  return requests.filter((r) => r.status === 'pending' && (r.studentId === studentId || r.kind === 'household_change'));
}
