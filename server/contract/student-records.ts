/**
 * Records read online, on demand (`GET /api/students/:id/attendance|scores|grades`): what a
 * staff device does not hold (server/access/sync-windows.ts), such as a student's whole
 * attendance history, every score across classes, or last year's grades. Each row names its
 * class, so a screen can show it without the synced sections of that year.
 */
import type { AttendanceDocument } from './sync/attendance.ts';
import type { ScoreDocument } from './sync/scores.ts';

export interface AttendanceHistoryRow {
  id: string;
  date: string;
  status: AttendanceDocument['status'];
  excuse: AttendanceDocument['excuse'];
  reasonCode: string | null;
  minutes: number | null;
  comment: string;
  /** Null for the whole day's mark. */
  sectionId: string | null;
  courseName: string | null;
  periodName: string | null;
  schoolName: string;
}

/** A score as the scores collection has it (without the device's refusal), with its assignment and class named. */
export interface ScoreHistoryRow extends Omit<ScoreDocument, 'studentId' | 'syncError'> {
  assignmentName: string;
  dueOn: string;
  pointsPossible: number;
  courseName: string;
  gradingPeriodName: string;
}

export interface GradeHistoryRow {
  id: string;
  sectionId: string;
  courseName: string;
  periodName: string | null;
  schoolYearName: string;
  termName: string;
  gradingPeriodId: string;
  gradingPeriodName: string;
  gradingTaskName: string;
  percent: number | null;
  mark: string | null;
  status: 'in_progress' | 'posted';
  postedAt: string | null;
  comment: string;
}

export interface StudentRecordsResponse<Row> {
  studentId: string;
  rows: Row[];
}
