import { audit } from '../access/access-log.ts';
import type { Principal } from '../access/principal.ts';
import { accessPath } from '../access/policy.ts';
import { MAX_POINTS, scoreSchema, type PushRow, type ScoreDocument, type SyncRefusal } from '../contract/sync/scores.ts';
import { refusedTombstone, tombstones } from './tombstone.ts';
import { pushedDocumentCheck } from './pushed-document.ts';
import { nextCheckpoint, pageAfter, pullBase } from './pager.ts';
import { schoolRolesSyncing, windowOf } from '../access/sync-windows.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable, Store } from '../db/store.ts';
import { loadStudentResource } from '../routes/students.ts';
import { recomputeTermGrade } from '../gradebook/in-progress-grade.ts';
import { NO_ID } from '../domain/ids.ts';

/** Tombstones keep ids only (server/sync/tombstone.ts). */
const tombstone = tombstones<ScoreDocument>(scoreSchema);

export type PulledScore = ScoreDocument & { _deleted: boolean };

interface Row {
  id: string;
  assignment_id: string;
  student_id: string;
  section_id: string;
  points: string | null;
  missing: boolean;
  late: boolean;
  exempt: boolean;
  incomplete: boolean;
  dropped: boolean;
  comment: string;
  graded_at: string | null;
  deleted: boolean;
}

const COLUMNS = `s.id, s.assignment_id, s.student_id, a.section_id, s.points::text AS points, s.missing, s.late, s.exempt, s.incomplete, s.dropped, s.comment,
  to_char(s.graded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS graded_at, s.deleted`;

function toDocument(row: Row, visible: boolean): PulledScore {
  const identity = { id: row.id, assignmentId: row.assignment_id, studentId: row.student_id, sectionId: row.section_id };
  if (!visible || row.deleted) return tombstone(row.id);
  return {
    ...identity, points: row.points === null ? null : Number(row.points), missing: row.missing, late: row.late, exempt: row.exempt,
    incomplete: row.incomplete, dropped: row.dropped, comment: row.comment, gradedAt: row.graded_at, syncError: null, _deleted: false,
  };
}

/**
 * Every path by which a device holds a score, one statement: families and the student the
 * published work of the sections on the current roster; teachers their sections' current
 * rosters. Other staff read scores online (server/access/sync-windows.ts says who syncs what).
 * `$8` narrows it to one score (a refusal's answer); `$9` is the pull's base (pager.ts).
 */
const SCHOOL_ROLES = schoolRolesSyncing('scores', 'all');
const SCOPED_SCORES = `WITH family AS (
       SELECT g.student_id, g.seq, (g.portal_access AND NOT g.deleted) AS active
         FROM guardianships g WHERE g.district_id = $1 AND g.guardian_person_id = $2
       UNION ALL
       SELECT s.id, s.seq, NOT s.deleted FROM students s WHERE s.district_id = $1 AND s.person_id = $2
     ),
     grants AS (
       ${[
         `SELECT r.student_id, r.section_id, greatest(f.seq, r.seq) AS seq,
                f.active AND NOT r.deleted AND r.start_date <= $4 AND (r.end_date IS NULL OR r.end_date >= $4) AS active, false AS all_work
           FROM family f JOIN section_enrollments r ON r.district_id = $1 AND r.student_id = f.student_id`,
         ...(windowOf('section', 'scores') === 'all' ? [
           `SELECT r.student_id, ss.section_id, greatest(ss.seq, r.seq),
                  NOT ss.deleted AND ss.start_date <= $4 AND (ss.end_date IS NULL OR ss.end_date >= $4)
                  AND NOT r.deleted AND r.start_date <= $4 AND (r.end_date IS NULL OR r.end_date >= $4), true
             FROM section_staff ss JOIN section_enrollments r ON r.district_id = ss.district_id AND r.section_id = ss.section_id
            WHERE ss.district_id = $1 AND ss.staff_id = $3`] : []),
         ...(windowOf('caseload', 'scores') === 'all' ? [
           `SELECT r.student_id, r.section_id, greatest(c.seq, r.seq),
                  NOT c.deleted AND NOT r.deleted AND r.start_date <= $4 AND (r.end_date IS NULL OR r.end_date >= $4), true
             FROM counselor_caseloads c JOIN section_enrollments r ON r.district_id = c.district_id AND r.student_id = c.student_id
            WHERE c.district_id = $1 AND c.staff_id = $3`] : []),
         ...(SCHOOL_ROLES ? [
           `SELECT NULL::uuid, x.id, l.seq, NOT l.deleted AND l.start_date <= $4 AND (l.end_date IS NULL OR l.end_date >= $4), true
             FROM staff_locations l JOIN sections x ON x.district_id = l.district_id AND x.school_id = l.school_id
            WHERE l.district_id = $1 AND l.staff_id = $3 AND l.role IN (${SCHOOL_ROLES})`] : []),
       ].join('\n       UNION ALL\n       ')}
     ),
     -- Grants folded per section (school staff) and per student in a section, so scores join them
     -- by hash instead of being grouped one by one: a school's office reaches every score of it.
     section_wide AS (
       SELECT section_id, max(seq) AS seq, bool_or(active) AS active FROM grants WHERE student_id IS NULL GROUP BY section_id
     ),
     per_student AS (
       SELECT section_id, student_id, max(seq) AS seq, bool_or(active) AS active, bool_or(active AND all_work) AS active_all_work
         FROM grants WHERE student_id IS NOT NULL GROUP BY section_id, student_id
     ),
     documents AS (
       SELECT greatest(s.seq, a.seq, coalesce(w.seq, 0), coalesce(p.seq, 0)) AS eff_seq,
              (coalesce(w.active, false) OR coalesce(p.active_all_work, false) OR (coalesce(p.active, false) AND a.published)) AND NOT a.deleted AS visible,
              ${COLUMNS}
         FROM assignments a
         JOIN scores s ON s.district_id = a.district_id AND s.assignment_id = a.id
         LEFT JOIN section_wide w ON w.section_id = a.section_id
         LEFT JOIN per_student p ON p.section_id = a.section_id AND p.student_id = s.student_id
        WHERE a.district_id = $1 AND a.section_id IN (SELECT section_id FROM grants)
          AND (w.section_id IS NOT NULL OR p.section_id IS NOT NULL)
          AND ($8::uuid IS NULL OR s.id = $8::uuid)
     )
     SELECT * FROM documents
      WHERE ${pageAfter('eff_seq', 'id', '(visible AND NOT deleted)', { seq: 5, id: 6, base: 9 })}
      ORDER BY eff_seq, id
      LIMIT $7`;

async function scopedScores(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number, onlyId: string | null, base: number) {
  return db.query<Row & { visible: boolean; eff_seq: number }>(SCOPED_SCORES, [
    principal.districtId, principal.personId, principal.staffId, today, checkpoint?.seq ?? 0, checkpoint?.id ?? NO_ID, limit, onlyId, base,
  ]);
}

/** Scores changed for this user since the checkpoint; the order key includes the grant rows and the assignment (publishing). */
export async function pullScores(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledScore[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await scopedScores(db, principal, today, checkpoint, limit, null, base);
  return { documents: rows.map((row) => toDocument(row, row.visible)), checkpoint: nextCheckpoint(rows, checkpoint, base) };
}

/** The score as this user's pull would deliver it (a tombstone when they lost it), or null when they never reached it. */
async function scoreAsSeenBy(db: Queryable, principal: Principal, today: string, id: string): Promise<PulledScore | null> {
  const [row] = await scopedScores(db, principal, today, null, 1, id, 0);
  return row ? toDocument(row, row.visible) : null;
}

/** At most two decimals, as numeric(6, 2) stores them (tolerating binary fractions like 0.1 + 0.2). */
function hundredths(value: number): boolean {
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

/**
 * Its schema, with points as numeric(6, 2) stores them. How many points is the rules' to answer
 * (points_out_of_range, which the teacher reads as such), not the shape's: the range is left out here.
 */
const wellFormed = pushedDocumentCheck<ScoreDocument>(
  { ...scoreSchema, properties: { ...scoreSchema.properties, points: { type: ['number', 'null'] } } },
  (d) => d.points === null || (Number.isFinite(d.points) && hundredths(d.points)),
);


/** The fields a push may change, compared to decide "same as stored" and "stale assumption" (never `gradedAt`: the server's, migration 0015). */
function sameContent(a: PulledScore, b: PulledScore): boolean {
  return a._deleted === b._deleted && a.points === b.points && a.missing === b.missing && a.late === b.late && a.exempt === b.exempt
    && a.incomplete === b.incomplete && a.dropped === b.dropped && a.comment === b.comment;
}

interface Assignment {
  section_id: string;
  grading_period_id: string;
  points_possible: string;
  deleted: boolean;
}

export interface PushResult {
  /** RxDB conflicts: the server's state of each row it did not take (refusals carry syncError). */
  conflicts: PulledScore[];
  written: number;
}

/**
 * Applies pushed scores in one transaction. A teacher writes scores of students on the current
 * roster of a section they teach, within the rules (0 to twice the points possible, two
 * decimals, no posted term grade for that grading period); every row not taken comes back as
 * the server's state with a reason, never dropped and never thrown (RxDB would retry forever).
 * Each changed student's in-progress term grade is recomputed before the commit, and every score
 * written lands in the audit trail with who, when, and the old and new values. A pushed
 * `gradedAt` is never taken: the database times a new result by this request's clock (`now`).
 */
export async function pushScores(store: Store, principal: Principal, today: string, rows: unknown[], now: Date = new Date()): Promise<PushResult> {
  return store.transaction(async (tx) => {
    // Every writer of the district takes this lock at its first write and holds it to commit; taking
    // it before the row locks below keeps one lock order (no deadlock with a concurrent score or posting).
    // Only staff can write scores: a family's refused push takes no lock.
    if (principal.staffId) await tx.query('SELECT lock_district_seq($1)', [principal.districtId]);
    // The clock of scores' graded_at (migration 0015), for this transaction only.
    await tx.query(`SELECT set_config('homeroom.now', $1, true)`, [now.toISOString()]);
    const conflicts: PulledScore[] = [];
    const touched = new Map<string, { sectionId: string; studentId: string; gradingPeriodId: string }>();
    let written = 0;
    for (const raw of rows) {
      const row = raw as PushRow<ScoreDocument>;
      const next = row?.newDocumentState;
      // A refused row comes back as the user's own pull shows it (a blank tombstone when they may not
      // read it, or when it does not exist), so the device keeps nothing it could not pull.
      const refuse = async (reason: SyncRefusal) => {
        const base = (wellFormed(next) ? await scoreAsSeenBy(tx, principal, today, next.id) : null) ?? refusedTombstone(tombstone, next);
        if (base) conflicts.push({ ...base, syncError: reason });
      };
      if (!wellFormed(next)) {
        await refuse('invalid');
        continue;
      }
      let [stored] = await tx.query<Row>(
        `SELECT ${COLUMNS} FROM scores s JOIN assignments a ON a.district_id = s.district_id AND a.id = s.assignment_id
          WHERE s.district_id = $1 AND (s.id = $2 OR (s.assignment_id = $3 AND s.student_id = $4))
          ORDER BY s.id = $2 DESC
          FOR UPDATE OF s`,
        [principal.districtId, next.id, next.assignmentId, next.studentId],
      );
      // A score the user may read, pushed as stored (RxDB pushes a resolved conflict once more), or
      // pushed with no assumed state (the device's first push of what it held, as after a schema
      // upgrade): nothing to write, or the stored score back to merge. Never a refusal, which would
      // mark a family's every score refused once its device takes a new version of the collection.
      if (stored && stored.id === next.id && !stored.deleted) {
        const held = toDocument(stored, true);
        const same = sameContent(held, next) && held.gradedAt === next.gradedAt
          && held.assignmentId === next.assignmentId && held.studentId === next.studentId && held.sectionId === next.sectionId;
        const seen = same || !row.assumedMasterState ? await scoreAsSeenBy(tx, principal, today, next.id) : null;
        if (seen && !seen._deleted) {
          if (!same) conflicts.push(seen);
          continue;
        }
      }
      const [assignment] = await tx.query<Assignment>(
        `SELECT section_id, grading_period_id, points_possible::text AS points_possible, deleted FROM assignments WHERE district_id = $1 AND id = $2`,
        [principal.districtId, next.assignmentId],
      );
      const student = await loadStudentResource(tx, principal.districtId, next.studentId);
      const path = student ? accessPath(principal, 'write', 'grades', student) : null;
      // Writing a score is a teacher's act on a section she teaches today, whatever else her roles allow.
      const [teaching] = path && assignment && principal.staffId
        ? await tx.query<{ on_roster: boolean }>(
            `SELECT EXISTS (SELECT 1 FROM section_enrollments r WHERE r.district_id = ss.district_id AND r.section_id = ss.section_id AND r.student_id = $4
                     AND NOT r.deleted AND r.start_date <= $5 AND (r.end_date IS NULL OR r.end_date >= $5)) AS on_roster
               FROM section_staff ss WHERE ss.district_id = $1 AND ss.section_id = $2 AND ss.staff_id = $3 AND NOT ss.deleted
                AND ss.start_date <= $5 AND (ss.end_date IS NULL OR ss.end_date >= $5)`,
            [principal.districtId, assignment.section_id, principal.staffId, next.studentId, today],
          )
        : [];
      if (!student || !assignment || !teaching) {
        await refuse('not_allowed');
        continue;
      }
      if (!teaching.on_roster) {
        await refuse('not_enrolled');
        continue;
      }
      // A removed score still holds the slot (one row per student and assignment): a new score takes
      // the row over under the device's id once every other check has passed (below).
      const removed = stored && stored.id !== next.id && stored.deleted ? stored : undefined;
      if (removed) stored = undefined;
      if (stored && stored.id !== next.id) {
        // Another device created this student's score on this assignment first, under its own id:
        // the device drops its copy (a tombstone) and pulls the stored one.
        await refuse('changed_elsewhere');
        continue;
      }
      const master = stored ? toDocument(stored, true) : null;
      if (next.sectionId !== assignment.section_id || (master && (master.assignmentId !== next.assignmentId || master.studentId !== next.studentId))) {
        await refuse('invalid');
        continue;
      }
      // A retry of a write that already landed: success, nothing to write (seq stays).
      if (master && sameContent(master, next)) continue;
      const assumed = row.assumedMasterState ?? null;
      if (master && (!assumed || !sameContent(master, { ...assumed, _deleted: assumed._deleted ?? false }))) {
        conflicts.push(master);
        continue;
      }
      if (assignment.deleted) {
        await refuse('changed_elsewhere');
        continue;
      }
      const possible = Number(assignment.points_possible);
      if (next.points !== null && (next.points < 0 || next.points > 2 * possible || next.points > MAX_POINTS)) {
        await refuse('points_out_of_range');
        continue;
      }
      // After posting, the term grade is the record: changes to its grading period go through the office.
      // FOR SHARE: a posting of this grade waits for this score's commit, or this push sees it posted.
      const key = [principal.districtId, assignment.section_id, next.studentId, assignment.grading_period_id];
      const posted = [
        ...(await tx.query<{ status: string }>(`SELECT status FROM term_grades WHERE district_id = $1 AND section_id = $2 AND student_id = $3 AND grading_period_id = $4 AND NOT deleted FOR SHARE`, key)),
        ...(await tx.query<{ status: string }>(`SELECT status FROM standard_marks WHERE district_id = $1 AND section_id = $2 AND student_id = $3 AND grading_period_id = $4 AND NOT deleted FOR SHARE`, key)),
      ].some((grade) => grade.status === 'posted');
      if (posted) {
        await refuse('grades_posted');
        continue;
      }
      const values = [principal.districtId, next.id, next.points, next.missing, next.late, next.exempt, next.incomplete, next.dropped, next.comment, next._deleted, principal.staffId];
      // Devices that held the removed score's id already have its tombstone.
      if (removed) await tx.query(`UPDATE scores SET id = $3 WHERE district_id = $1 AND id = $2`, [principal.districtId, removed.id, next.id]);
      const content = (s: { points: number | string | null; missing: boolean; late: boolean; exempt: boolean; incomplete: boolean; dropped: boolean; comment: string }, deleted: boolean) => ({
        points: s.points === null ? null : Number(s.points), missing: s.missing, late: s.late, exempt: s.exempt, incomplete: s.incomplete, dropped: s.dropped, comment: s.comment, deleted,
      });
      const trail = { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'scores', rowId: next.id };
      const before = stored ?? removed;
      if (before) {
        await tx.query(
          `UPDATE scores SET points = $3, missing = $4, late = $5, exempt = $6, incomplete = $7, dropped = $8, comment = $9, deleted = $10, entered_by_staff_id = $11
            WHERE district_id = $1 AND id = $2`,
          values,
        );
        const action = next._deleted && !before.deleted ? 'delete' : 'update';
        await audit(tx, { ...trail, action, oldValues: { ...content(before, before.deleted), ...(removed ? { id: removed.id } : {}) }, newValues: content(next, next._deleted) }, now);
      } else {
        await tx.query(
          `INSERT INTO scores (district_id, id, points, missing, late, exempt, incomplete, dropped, comment, deleted, entered_by_staff_id, assignment_id, student_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [...values, next.assignmentId, next.studentId],
        );
        await audit(tx, { ...trail, action: 'insert', oldValues: null, newValues: { assignment_id: next.assignmentId, student_id: next.studentId, ...content(next, next._deleted) } }, now);
      }
      written += 1;
      touched.set(key.join('|'), { sectionId: assignment.section_id, studentId: next.studentId, gradingPeriodId: assignment.grading_period_id });
    }
    // Families see the in-progress grade move with the scores that move it, in the same commit.
    for (const grade of touched.values()) await recomputeTermGrade(tx, principal.districtId, grade);
    return { conflicts, written };
  });
}
