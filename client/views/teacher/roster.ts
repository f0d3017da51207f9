/**
 * A teacher's classes and rosters from the device's documents (pure). A teacher's section
 * documents list today's roster (`studentIds`); a student who left the class is not on it,
 * even with marks and scores from before.
 */
import type { Me } from '../../../server/contract/auth.ts';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { AttendanceDocument } from '../../../server/contract/sync/attendance.ts';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { ScoreDocument } from '../../../server/contract/sync/scores.ts';
import type { GradingPeriod, SectionDocument } from '../../../server/contract/sync/sections.ts';
import type { StudentDocument } from '../../../server/contract/sync/students.ts';

/** The date on this device, YYYY-MM-DD (the school day the teacher is in). */
export function localToday(now = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Sections this person teaches: their name among the section's teachers (all, when none names them). */
export function sectionsTaughtBy(sections: readonly SectionDocument[], me: Pick<Me, 'person'> | undefined): SectionDocument[] {
  if (!me) return [...sections];
  const name = `${me.person.firstName} ${me.person.lastName}`;
  const taught = sections.filter((section) => section.teachers.some((teacher) => teacher.name === name || (me.person.email !== null && teacher.email === me.person.email)));
  return taught.length > 0 ? taught : [...sections];
}

/** Sections whose term runs on `date`, in the order of the school day. */
export function sectionsMeetingOn(sections: readonly SectionDocument[], date: string): SectionDocument[] {
  return sections
    .filter((section) => section.termStart <= date && section.termEnd >= date)
    .sort((a, b) => (a.periodSequence ?? 99) - (b.periodSequence ?? 99) || a.courseName.localeCompare(b.courseName) || a.id.localeCompare(b.id));
}

export interface RosterSources {
  students: readonly StudentDocument[];
  grades?: readonly GradeDocument[];
  scores?: readonly ScoreDocument[];
  attendance?: readonly AttendanceDocument[];
  assignments?: readonly AssignmentDocument[];
}

export interface RosterEntry {
  student: StudentDocument;
  /** Absences (class periods or whole days) in the section's term. */
  absences: number;
  /** Scores in the section marked missing. */
  missing: number;
}

export function studentName(student: Pick<StudentDocument, 'firstName' | 'lastName' | 'preferredName'>): string {
  return `${student.preferredName || student.firstName} ${student.lastName}`;
}

/** The section's students, by last name, with their flags. */
export function rosterOf(section: SectionDocument, sources: RosterSources): RosterEntry[] {
  const ids = new Set(section.studentIds);
  const students = sources.students.filter((student) => ids.has(student.id));
  return students
    .map((student) => ({
      student,
      absences: (sources.attendance ?? []).filter(
        (mark) => mark.studentId === student.id && mark.status === 'absent' && mark.date >= section.termStart && mark.date <= section.termEnd && !mark.syncError,
      ).length,
      missing: (sources.scores ?? []).filter((score) => score.studentId === student.id && score.sectionId === section.id && score.missing).length,
    }))
    .sort((a, b) => a.student.lastName.localeCompare(b.student.lastName) || a.student.firstName.localeCompare(b.student.firstName) || a.student.id.localeCompare(b.student.id));
}

/**
 * The grading period the gradebook opens on: from the term's grading periods (the section
 * document's), the one running on `date`, else the last one begun, else the first. A device
 * without them (an older document) reads it from the work: the period whose work is due
 * around `date` (first due on or before, latest first), else the latest with any work.
 */
export function currentGradingPeriod(assignments: readonly AssignmentDocument[], date: string, periods: readonly GradingPeriod[] = []): string | undefined {
  if (periods.length > 0) {
    const ordered = [...periods].sort((a, b) => a.start.localeCompare(b.start));
    return (ordered.find((period) => period.start <= date && date <= period.end) ?? ordered.filter((period) => period.start <= date).pop() ?? ordered[0])!.id;
  }
  const spans = new Map<string, { first: string; last: string }>();
  for (const assignment of assignments) {
    const span = spans.get(assignment.gradingPeriodId);
    if (!span) spans.set(assignment.gradingPeriodId, { first: assignment.dueOn, last: assignment.dueOn });
    else {
      if (assignment.dueOn < span.first) span.first = assignment.dueOn;
      if (assignment.dueOn > span.last) span.last = assignment.dueOn;
    }
  }
  const ordered = [...spans.entries()].sort((a, b) => b[1].first.localeCompare(a[1].first));
  return (ordered.find(([, span]) => span.first <= date) ?? ordered[ordered.length - 1])?.[0];
}
