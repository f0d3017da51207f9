/**
 * Rows that grant or show something for a range of dates (a teacher on a section until the
 * semester ends, an enrollment, an office assignment, an announcement's run) change what a
 * user may see when a date passes, yet nothing writes them: their seq stays, so pulls would
 * never send the new documents or the tombstones. Once a day this job touches every such row
 * whose window opened or closed since it last ran, which bumps its seq (the update trigger)
 * and tells the devices to pull (the change notification).
 *
 * Staff windows of recent school days (server/access/sync-windows.ts) move the same way: the
 * attendance marks that fell out of a school's last 30 school days are touched too, and the
 * decided requests whose decision did.
 *
 * A row is visible on day d when start <= d and (end is null or d <= end). Between the last
 * run's day L and today T, it became visible when L < start <= T, and stopped being visible
 * when L <= end < T.
 */
import type { Store } from '../db/store.ts';
import { addDays } from '../domain/dates.ts';
import { RECENT_SCHOOL_DAYS, SYNC_WINDOWS } from '../access/sync-windows.ts';

/** Whether any staff relation holds a recent window of attendance (then marks leave it each school day). */
const RECENT_WINDOWS = Object.values(SYNC_WINDOWS).some((windows) => windows.attendance === 'recent' || windows.requests === 'recent');

export const DATE_WINDOWS: ReadonlyArray<{ table: string; start: string; end: string }> = [
  { table: 'staff_locations', start: 'start_date', end: 'end_date' },
  { table: 'section_staff', start: 'start_date', end: 'end_date' },
  { table: 'enrollments', start: 'start_date', end: 'end_date' },
  { table: 'section_enrollments', start: 'start_date', end: 'end_date' },
  { table: 'announcements', start: 'starts_on', end: 'ends_on' },
  { table: 'tool_rights', start: 'approved_on', end: 'expires_on' },
  // A right is in force only while its training is current.
  { table: 'staff_trainings', start: 'completed_on', end: 'expires_on' },
  // The grants made of those rows (migration 0017): their window is the chain's, and readers check it by date.
  { table: 'access_grants', start: 'start_date', end: 'end_date' },
];

const JOB = 'date_windows';

export interface DateWindowRun {
  districtId: string;
  /** The day the job last covered, or null when it had never run (yesterday is assumed). */
  from: string;
  to: string;
  touched: number;
}

/**
 * Runs the job for every district whose last run is before `today` (a UTC date, the one pulls
 * use). Safe to call often and from several servers: each district's run holds its row's lock,
 * and a second caller finds it done.
 */
export async function runDateWindows(store: Store, today: string): Promise<DateWindowRun[]> {
  const districts = await store.query<{ id: string }>('SELECT id FROM districts ORDER BY id');
  const runs: DateWindowRun[] = [];
  for (const { id: districtId } of districts) {
    const run = await store.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO daily_jobs (district_id, job, last_date) VALUES ($1, $2, $3::date) ON CONFLICT (district_id, job) DO NOTHING`,
        [districtId, JOB, addDays(today, -1)],
      );
      const [row] = await tx.query<{ last_date: string }>(
        `SELECT to_char(last_date, 'YYYY-MM-DD') AS last_date FROM daily_jobs WHERE district_id = $1 AND job = $2 FOR UPDATE`,
        [districtId, JOB],
      );
      const from = row!.last_date;
      if (from >= today) return null;
      let touched = 0;
      for (const { table, start, end } of DATE_WINDOWS) {
        const changed = await tx.query<{ touched: boolean }>(
          `UPDATE ${table} SET seq = seq
            WHERE district_id = $1 AND NOT deleted
              AND ((${start} > $2::date AND ${start} <= $3::date) OR (${end} >= $2::date AND ${end} < $3::date))
            RETURNING true AS touched`,
          [districtId, from, today],
        );
        touched += changed.length;
      }
      // Attendance marks that left the staff window of recent school days (sync-windows.ts) since the last run.
      if (RECENT_WINDOWS) {
        const left = await tx.query<{ id: string }>(
          `UPDATE attendance a SET seq = a.seq
             FROM (SELECT id, recent_school_days_start($1, id, $2::date, ${RECENT_SCHOOL_DAYS}) AS old_since,
                          recent_school_days_start($1, id, $3::date, ${RECENT_SCHOOL_DAYS}) AS new_since
                     FROM schools WHERE district_id = $1) w
            WHERE a.district_id = $1 AND a.school_id = w.id AND a.date >= w.old_since AND a.date < w.new_since AND NOT a.deleted
            RETURNING a.id`,
          [districtId, from, today],
        );
        touched += left.length;
        // Decided requests whose decision fell out of the window (the schools of a district share a calendar
        // closely enough that the district's earliest and latest window bound it; an extra touch only re-sends).
        const decided = await tx.query<{ id: string }>(
          `UPDATE requests q SET seq = q.seq
             FROM (SELECT min(recent_school_days_start($1, id, $2::date, ${RECENT_SCHOOL_DAYS})) AS old_since,
                          max(recent_school_days_start($1, id, $3::date, ${RECENT_SCHOOL_DAYS})) AS new_since
                     FROM schools WHERE district_id = $1) w
            WHERE q.district_id = $1 AND q.status <> 'pending' AND NOT q.deleted
              AND (q.decided_at AT TIME ZONE 'UTC')::date >= w.old_since AND (q.decided_at AT TIME ZONE 'UTC')::date < w.new_since
            RETURNING q.id`,
          [districtId, from, today],
        );
        touched += decided.length;
      }
      await tx.query(`UPDATE daily_jobs SET last_date = $3::date, finished_at = now() WHERE district_id = $1 AND job = $2`, [districtId, JOB, today]);
      return { districtId, from, to: today, touched };
    });
    if (run) runs.push(run);
  }
  return runs;
}
