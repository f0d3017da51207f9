/**
 * How much of each record kind a staff device holds (issue 15): the job's window, said once.
 * The policy (policy.ts) decides who may read a record at all; this table decides which of
 * those records are copied onto the device by sync. Everything else the policy allows is read
 * online, on demand, through `GET /api/students/:id/...` (server/routes/student-records.ts).
 *
 * - `all`: every record the relation reaches (a teacher's current sections are this school
 *   year's, so her device holds this year's work of them and nothing older);
 * - `recent`: records dated on or after the first of the school's last RECENT_SCHOOL_DAYS school
 *   days (the school's calendar, table `school_days`), and later dates: attendance marks by their
 *   day; requests while open, and once decided until their decision leaves the window;
 * - `none`: not synced (no documents, and no tombstones on a first sync).
 *
 * Families and students hold everything about their children (`all` for every kind), as
 * before. A record that leaves a window is forgotten by the device like a revoked one: the daily
 * date job touches it (server/sync/date-windows.ts), and the pull sends its ids-only tombstone.
 * The pullers build their SQL from this table (`windowOf`, through server/access/grants.ts).
 */
import type { StaffRole } from '../contract/roles.ts';

export type SyncWindow = 'all' | 'recent' | 'none';

/** The record kinds whose staff windows differ from "everything the policy allows". */
export const WINDOWED_COLLECTIONS = ['attendance', 'assignments', 'scores', 'grades', 'requests'] as const;
export type WindowedCollection = (typeof WINDOWED_COLLECTIONS)[number];

/** A teacher through her sections, a counselor through the caseload, or a school role over a school. */
export type StaffRelation = 'section' | 'caseload' | Exclude<StaffRole, 'teacher'>;

export const RECENT_SCHOOL_DAYS = 30;

/** Only dated records can have a recent window: attendance marks carry their day, requests their decision's. */
type Windows = { readonly [C in WindowedCollection]: C extends 'attendance' | 'requests' ? SyncWindow : Exclude<SyncWindow, 'recent'> };

export const SYNC_WINDOWS: Readonly<Record<StaffRelation, Windows>> = {
  // Teachers: their current sections' roster, this year's assignments, scores, grades and attendance.
  section: { attendance: 'all', assignments: 'all', scores: 'all', grades: 'all', requests: 'none' },
  // Counselors: their caseload's and their school's term grades and recent attendance, no individual scores.
  caseload: { attendance: 'recent', assignments: 'none', scores: 'none', grades: 'all', requests: 'none' },
  counselor: { attendance: 'recent', assignments: 'none', scores: 'none', grades: 'all', requests: 'none' },
  // Principals: the school's term grades and recent attendance, no individual scores.
  principal: { attendance: 'recent', assignments: 'none', scores: 'none', grades: 'all', requests: 'recent' },
  // The office: today's and recent attendance (with open requests, students and sections), no grades or scores.
  office: { attendance: 'recent', assignments: 'none', scores: 'none', grades: 'none', requests: 'recent' },
  // Nurses hold health records only; district administrators the district directory.
  nurse: { attendance: 'none', assignments: 'none', scores: 'none', grades: 'none', requests: 'none' },
  district_admin: { attendance: 'none', assignments: 'none', scores: 'none', grades: 'none', requests: 'none' },
};

export function windowOf(relation: StaffRelation, collection: WindowedCollection): SyncWindow {
  return SYNC_WINDOWS[relation][collection];
}

/**
 * CTE body: each school of district `$1` with `since`, the first day of its recent window on day
 * `$3` (the parameters of pulls scoped by access_grants, server/sync/pager.ts). Used
 * MATERIALIZED, so the calendar is read once per school.
 */
export const SCHOOL_WINDOWS_SQL = `SELECT id AS school_id, recent_school_days_start($1, id, $3::date, ${RECENT_SCHOOL_DAYS}) AS since FROM schools WHERE district_id = $1`;
