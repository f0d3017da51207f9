import type { Principal } from '../access/principal.ts';
import { accessPath, type StudentResource } from '../access/policy.ts';
import { schoolRolesSyncing, windowOf } from '../access/sync-windows.ts';
import { MAX_POINTS, scoreSchema, type ScoreDocument } from '../contract/sync/scores.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';
import { NO_ID } from '../domain/ids.ts';
import { recomputeTermGrade } from '../gradebook/in-progress-grade.ts';
import { loadStudentResource } from '../routes/students.ts';
import { nextCheckpoint, pageAfter, pullBase } from './pager.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import { pushedDocumentCheck } from './pushed-document.ts';
import { pushPipeline, type Pushed } from './push-pipeline.ts';

/** Rows are documents by the schema's field names; hidden and deleted ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<ScoreDocument>(scoreSchema);

export type PulledScore = Pulled<ScoreDocument>;

/** A score as its document, from `scores s` and its assignment `a`, and whether it is deleted (the audit trail's). */
const SCORE = `s.id, s.assignment_id AS "assignmentId", s.student_id AS "studentId", a.section_id AS "sectionId", s.points::float8 AS points,
  s.missing, s.late, s.exempt, s.incomplete, s.dropped, s.comment, to_char(s.graded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "gradedAt",
  NULL::text AS "syncError", s.deleted`;

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
              (coalesce(w.active, false) OR coalesce(p.active_all_work, false) OR (coalesce(p.active, false) AND a.published)) AND NOT a.deleted AND NOT s.deleted AS visible,
              ${SCORE}
         FROM assignments a
         JOIN scores s ON s.district_id = a.district_id AND s.assignment_id = a.id
         LEFT JOIN section_wide w ON w.section_id = a.section_id
         LEFT JOIN per_student p ON p.section_id = a.section_id AND p.student_id = s.student_id
        WHERE a.district_id = $1 AND a.section_id IN (SELECT section_id FROM grants)
          AND (w.section_id IS NOT NULL OR p.section_id IS NOT NULL)
          AND ($8::uuid IS NULL OR s.id = $8::uuid)
     )
     SELECT * FROM documents
      WHERE ${pageAfter('eff_seq', 'id', 'visible', { seq: 5, id: 6, base: 9 })}
      ORDER BY eff_seq, id
      LIMIT $7`;

async function scopedScores(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number, onlyId: string | null, base: number) {
  return db.query<PulledRow<ScoreDocument>>(SCOPED_SCORES, [
    principal.districtId, principal.personId, principal.staffId, today, checkpoint?.seq ?? 0, checkpoint?.id ?? NO_ID, limit, onlyId, base,
  ]);
}

/** Scores changed for this user since the checkpoint; the order key includes the grant rows and the assignment (publishing). */
export async function pullScores(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledScore[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await scopedScores(db, principal, today, checkpoint, limit, null, base);
  return { documents: rows.map(toDocument), checkpoint: nextCheckpoint(rows, checkpoint, base) };
}

/** At most two decimals, as numeric(6, 2) stores them (tolerating binary fractions like 0.1 + 0.2). */
function hundredths(value: number): boolean {
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

/** The fields a push may change, compared to decide "same as stored" and "stale assumption" (never `gradedAt`: the server's, migration 0015). */
function sameContent(a: Pushed<ScoreDocument>, b: Pushed<ScoreDocument>): boolean {
  return a._deleted === b._deleted && a.points === b.points && a.missing === b.missing && a.late === b.late && a.exempt === b.exempt
    && a.incomplete === b.incomplete && a.dropped === b.dropped && a.comment === b.comment;
}

type StoredScore = PulledScore & { deleted: boolean };

interface LoadedScore {
  /** The score under the pushed id (a tombstone when removed). */
  master: PulledScore | null;
  /** The score stored for this student and assignment under another id: another device's, or a removed one whose place a new score takes. */
  other: StoredScore | null;
  assignment: { section_id: string; grading_period_id: string; points_possible: number; deleted: boolean } | null;
  student: StudentResource | null;
  /** Whether she teaches the assignment's section today, and whether the student is on its roster; null when she may not write grades at all. */
  teaching: { on_roster: boolean } | null;
}

/** Audit values of a score's content. */
const content = (s: Pick<ScoreDocument, 'points' | 'missing' | 'late' | 'exempt' | 'incomplete' | 'dropped' | 'comment'>, deleted: boolean) => ({
  points: s.points, missing: s.missing, late: s.late, exempt: s.exempt, incomplete: s.incomplete, dropped: s.dropped, comment: s.comment, deleted,
});

/**
 * Pushed scores. A teacher writes scores of students on the current roster of a section she
 * teaches, within the rules (0 to twice the points possible, two decimals, no posted term grade
 * for that grading period). Each changed student's in-progress term grade is recomputed before
 * the commit, and every score written lands in the audit trail. A pushed `gradedAt` is never
 * taken: the database times a new result by this request's clock (`now`).
 */
export const pushScores = pushPipeline({
  schema: scoreSchema,
  // Its schema, with points as numeric(6, 2) stores them. How many points is the rules' to answer
  // (points_out_of_range, which the teacher reads as such), not the shape's: the range is left out here.
  check: pushedDocumentCheck<ScoreDocument>(
    { ...scoreSchema, properties: { ...scoreSchema.properties, points: { type: ['number', 'null'] } } },
    (d) => d.points === null || (Number.isFinite(d.points) && hundredths(d.points)),
  ),
  // The device keeps nothing it could not pull.
  unseen: 'blank',
  async begin({ tx, principal, now }) {
    // Every writer of the district takes this lock at its first write and holds it to commit; taking
    // it before the row locks keeps one lock order (no deadlock with a concurrent score or posting).
    // Only staff can write scores: a family's refused push takes no lock.
    if (principal.staffId) await tx.query('SELECT lock_district_seq($1)', [principal.districtId]);
    // The clock of scores' graded_at (migration 0015), for this transaction only.
    await tx.query(`SELECT set_config('homeroom.now', $1, true)`, [now.toISOString()]);
  },
  async load({ tx, principal, today }, next): Promise<LoadedScore> {
    const [stored] = await tx.query<StoredScore & { visible: boolean; eff_seq: number }>(
      `SELECT NOT s.deleted AS visible, 0 AS eff_seq, ${SCORE} FROM scores s JOIN assignments a ON a.district_id = s.district_id AND a.id = s.assignment_id
        WHERE s.district_id = $1 AND (s.id = $2 OR (s.assignment_id = $3 AND s.student_id = $4))
        ORDER BY s.id = $2 DESC
        FOR UPDATE OF s`,
      [principal.districtId, next.id, next.assignmentId, next.studentId],
    );
    const [assignment] = await tx.query<NonNullable<LoadedScore['assignment']>>(
      `SELECT section_id, grading_period_id, points_possible::float8 AS points_possible, deleted FROM assignments WHERE district_id = $1 AND id = $2`,
      [principal.districtId, next.assignmentId],
    );
    const student = await loadStudentResource(tx, principal.districtId, next.studentId);
    // Writing a score is a teacher's act on a section she teaches today, whatever else her roles allow.
    const [teaching] = student && accessPath(principal, 'write', 'grades', student) && assignment && principal.staffId
      ? await tx.query<{ on_roster: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM section_enrollments r WHERE r.district_id = ss.district_id AND r.section_id = ss.section_id AND r.student_id = $4
                   AND NOT r.deleted AND r.start_date <= $5 AND (r.end_date IS NULL OR r.end_date >= $5)) AS on_roster
             FROM section_staff ss WHERE ss.district_id = $1 AND ss.section_id = $2 AND ss.staff_id = $3 AND NOT ss.deleted
              AND ss.start_date <= $5 AND (ss.end_date IS NULL OR ss.end_date >= $5)`,
          [principal.districtId, assignment.section_id, principal.staffId, next.studentId, today],
        )
      : [];
    const mine = stored?.id === next.id;
    return { master: stored && mine ? toDocument(stored) : null, other: stored && !mine ? stored : null, assignment: assignment ?? null, student, teaching: teaching ?? null };
  },
  // As the user's own pull shows it: a tombstone when she lost it, nothing when she never reached it.
  async shown({ tx, principal, today }, _stored, next) {
    const [row] = await scopedScores(tx, principal, today, null, 1, next.id, 0);
    return row ? toDocument(row) : null;
  },
  sameAsStored: (a, b) => sameContent(a, b) && a.gradedAt === b.gradedAt && a.assignmentId === b.assignmentId && a.studentId === b.studentId && a.sectionId === b.sectionId,
  same: sameContent,
  authorize(_context, { master, other, assignment, student, teaching }, next) {
    if (!student || !assignment || !teaching) return 'not_allowed';
    if (!teaching.on_roster) return 'not_enrolled';
    // Another device created this student's score on this assignment first, under its own id:
    // the device drops its copy (a tombstone) and pulls the stored one. A removed score's place is free.
    if (other && !other.deleted) return 'changed_elsewhere';
    if (next.sectionId !== assignment.section_id || (master && (master.assignmentId !== next.assignmentId || master.studentId !== next.studentId))) return 'invalid';
    return null;
  },
  async rules({ tx, principal }, { assignment }, next) {
    if (assignment!.deleted) return 'changed_elsewhere';
    const possible = assignment!.points_possible;
    if (next.points !== null && (next.points < 0 || next.points > 2 * possible || next.points > MAX_POINTS)) return 'points_out_of_range';
    // After posting, the term grade is the record: changes to its grading period go through the office.
    // FOR SHARE: a posting of this grade waits for this score's commit, or this push sees it posted.
    const key = [principal.districtId, assignment!.section_id, next.studentId, assignment!.grading_period_id];
    const posted = [
      ...(await tx.query<{ status: string }>(`SELECT status FROM term_grades WHERE district_id = $1 AND section_id = $2 AND student_id = $3 AND grading_period_id = $4 AND NOT deleted FOR SHARE`, key)),
      ...(await tx.query<{ status: string }>(`SELECT status FROM standard_marks WHERE district_id = $1 AND section_id = $2 AND student_id = $3 AND grading_period_id = $4 AND NOT deleted FOR SHARE`, key)),
    ].some((grade) => grade.status === 'posted');
    return posted ? 'grades_posted' : {};
  },
  async write({ tx, principal }, { master, other }, next) {
    const values = [principal.districtId, next.id, next.points, next.missing, next.late, next.exempt, next.incomplete, next.dropped, next.comment, next._deleted, principal.staffId];
    // Devices that held the removed score's id already have its tombstone: a new score takes its place under the device's id.
    if (other) await tx.query(`UPDATE scores SET id = $3 WHERE district_id = $1 AND id = $2`, [principal.districtId, other.id, next.id]);
    const trail = { table: 'scores', rowId: next.id };
    const before = master ? { ...master, deleted: master._deleted } : other;
    if (before) {
      await tx.query(
        `UPDATE scores SET points = $3, missing = $4, late = $5, exempt = $6, incomplete = $7, dropped = $8, comment = $9, deleted = $10, entered_by_staff_id = $11
          WHERE district_id = $1 AND id = $2`,
        values,
      );
      const action = next._deleted && !before.deleted ? 'delete' : 'update';
      return [{ ...trail, action, oldValues: { ...content(before, before.deleted), ...(other ? { id: other.id } : {}) }, newValues: content(next, next._deleted) }];
    }
    await tx.query(
      `INSERT INTO scores (district_id, id, points, missing, late, exempt, incomplete, dropped, comment, deleted, entered_by_staff_id, assignment_id, student_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [...values, next.assignmentId, next.studentId],
    );
    return [{ ...trail, action: 'insert', oldValues: null, newValues: { assignment_id: next.assignmentId, student_id: next.studentId, ...content(next, next._deleted) } }];
  },
  // Families see the in-progress grade move with the scores that move it, in the same commit.
  async finish({ tx, principal }, written) {
    const touched = new Map(written.map(({ stored, next }) => {
      const grade = { sectionId: stored.assignment!.section_id, studentId: next.studentId, gradingPeriodId: stored.assignment!.grading_period_id };
      return [`${grade.sectionId}|${grade.studentId}|${grade.gradingPeriodId}`, grade];
    }));
    for (const grade of touched.values()) await recomputeTermGrade(tx, principal.districtId, grade);
  },
});
