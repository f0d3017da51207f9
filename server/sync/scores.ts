import { sectionsReached } from '../access/grants.ts';
import type { Principal } from '../access/principal.ts';
import { accessPath, type StudentResource } from '../access/policy.ts';
import { MAX_POINTS, SCORE_KEY, scoreId, scoreSchema, type ScoreDocument } from '../contract/sync/scores.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';
import { recomputeTermGrade } from '../gradebook/in-progress-grade.ts';
import { loadStudentResource } from '../routes/students.ts';
import { GRANTED_PAGE, grantedPullParams, nextCheckpoint, pageAfter, pullBase } from './pager.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import { pushedDocumentCheck } from './pushed-document.ts';
import { pushPipeline, type Pushed } from './push-pipeline.ts';
import { ApiError } from '../errors.ts';
import { tombstones } from './tombstone.ts';

/** Rows are documents by the schema's field names; hidden and deleted ones become tombstones, ids only (pulled-document.ts). */
const toDocument = documentsFrom<ScoreDocument>(scoreSchema);
const tombstone = tombstones<ScoreDocument>(scoreSchema);

export type PulledScore = Pulled<ScoreDocument>;

/** A pulled row: the document, and the stored row's own id, the order key of the pull (never sent in a document). */
type ScoreRow = PulledRow<ScoreDocument> & { row_id: string };

/**
 * What a pull sends of a score: everything but its `id`, which the device composes from
 * `assignmentId` and `studentId` (RxDB's composite primary key; client/data/replication.ts).
 */
export function scoreOnTheWire({ id: _composed, ...document }: PulledScore): Omit<PulledScore, 'id'> {
  return document;
}

/** A score as its document, from `scores s` and its assignment `a`, keyed by the pair it is unique by. */
const SCORE = `s.assignment_id::text || '${SCORE_KEY.separator}' || s.student_id::text AS id, s.assignment_id AS "assignmentId", s.student_id AS "studentId",
  a.section_id AS "sectionId", s.points::float8 AS points, s.missing, s.late, s.exempt, s.incomplete, s.dropped, s.comment,
  to_char(s.graded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "gradedAt", NULL::text AS "syncError"`;

/**
 * The scores an access_grants row lets the user read (record kind grades), one statement:
 * families and the student the published work of the sections on the current roster; teachers
 * every score of their sections' current rosters; other staff as server/access/sync-windows.ts
 * says (today: none, they read scores online). The order key includes the grant rows and the
 * assignment (publishing), so a lost grant or an unpublished assignment sends tombstones.
 * `$8`, `$9` narrow it to one score, by assignment and student (a refusal's answer).
 */
const SCOPED_SCORES = `WITH ${sectionsReached('scores')},
     scoped AS (
       SELECT section_id, student_id, max(seq) AS grant_seq, bool_or(active) AS active, bool_or(active AND all_work) AS all_work
         FROM placed GROUP BY section_id, student_id
     ),
     documents AS (
       SELECT s.id AS row_id, greatest(sc.grant_seq, a.seq, s.seq) AS eff_seq,
              sc.active AND (sc.all_work OR a.published) AND NOT a.deleted AND NOT s.deleted AS visible,
              ${SCORE}
         FROM scoped sc
         -- The section's assignments by its index (OFFSET 0 keeps it unflattened): joined flat, the
         -- district's assignments were read whole and hashed (11,760 rows for a family's 740).
         CROSS JOIN LATERAL (SELECT * FROM assignments a WHERE a.district_id = $1 AND a.section_id = sc.section_id OFFSET 0) a
         -- One probe per assignment and student (OFFSET 0 keeps it unflattened): flat, the index was searched by assignment and classmates filtered away.
         JOIN LATERAL (SELECT * FROM scores s WHERE s.district_id = $1 AND s.assignment_id = a.id AND s.student_id = sc.student_id OFFSET 0) s ON true
        WHERE $8::uuid IS NULL OR (s.assignment_id = $8::uuid AND s.student_id = $9::uuid)
     )
     SELECT * FROM documents
      WHERE ${pageAfter('eff_seq', 'row_id', 'visible', GRANTED_PAGE)}
      ORDER BY eff_seq, row_id
      LIMIT $6`;

async function scopedScores(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number, only: { assignmentId: string; studentId: string } | null, base: number) {
  return db.query<ScoreRow>(SCOPED_SCORES, [...grantedPullParams(principal, today, checkpoint, limit, base), only?.assignmentId ?? null, only?.studentId ?? null]);
}

/** Scores changed for this user since the checkpoint; the checkpoint's id is the stored row's, the documents' the pair's. */
export async function pullScores(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledScore[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await scopedScores(db, principal, today, checkpoint, limit, null, base);
  const documents = rows.map(toDocument).sort(byStudentSectionAndTime);
  return { documents, checkpoint: nextCheckpoint(rows.map((row) => ({ eff_seq: row.eff_seq, id: row.row_id })), checkpoint, base) };
}

/**
 * The order of a page's documents: by student, section, then when graded. Neighbours alike
 * compress better; the checkpoint is the page's last row in seq order, taken before.
 */
function byStudentSectionAndTime(a: PulledScore, b: PulledScore): number {
  return compare(a.studentId, b.studentId) || compare(a.sectionId, b.sectionId) || compare(a.gradedAt ?? '', b.gradedAt ?? '') || compare(a.assignmentId, b.assignmentId);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** At most two decimals, as numeric(6, 2) stores them (tolerating binary fractions like 0.1 + 0.2). */
function hundredths(value: number): boolean {
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

/** The fields a push may change, compared to decide "same as stored" and "stale assumption" (never `gradedAt`: the server's, migration 0015). */
function sameContent(a: Pushed<ScoreDocument>, b: Pushed<ScoreDocument>): boolean {
  return a._deleted === b._deleted && a.points === b.points && a.missing === b.missing && a.late === b.late && a.exempt === b.exempt
    && a.incomplete === b.incomplete && a.dropped === b.dropped && a.comment === b.comment;
}

interface LoadedScore {
  /** The score stored for this assignment and student (a tombstone when removed): one row per pair. */
  master: PulledScore | null;
  /** That row's own id, which the audit trail names. */
  rowId: string | null;
  assignment: { section_id: string; grading_period_id: string; points_possible: number; deleted: boolean } | null;
  student: StudentResource | null;
  /** Whether she teaches the assignment's section today, and whether the student is on its roster; null when she may not write grades at all. */
  teaching: { on_roster: boolean } | null;
}

/** Lower-case UUIDs, as the server sends them, so a pushed `id` is the one its answer names. */
const LOWER_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `id` is the key a score of these two ids has (SCORE_KEY). */
function keyed(id: unknown, assignmentId: unknown, studentId: unknown): boolean {
  return typeof assignmentId === 'string' && typeof studentId === 'string' && LOWER_UUID.test(assignmentId) && LOWER_UUID.test(studentId) && id === scoreId(assignmentId, studentId);
}

// Its schema less the composed `id` (checked against the pair instead), with points as numeric(6, 2)
// stores them. How many points is the rules' to answer (points_out_of_range, which the teacher reads
// as such), not the shape's: the range is left out here.
const { id: _composed, ...pushedFields } = scoreSchema.properties;
const pushedShape = pushedDocumentCheck<Omit<ScoreDocument, 'id'>>(
  { ...scoreSchema, primaryKey: 'assignmentId', properties: { ...pushedFields, points: { type: ['number', 'null'] } }, required: scoreSchema.required.filter((field) => field !== 'id') },
  (d) => d.points === null || (Number.isFinite(d.points) && hundredths(d.points)),
);

function isPushedScore(doc: unknown): doc is Pushed<ScoreDocument> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const { id, ...fields } = doc as Record<string, unknown>;
  return keyed(id, fields.assignmentId, fields.studentId) && pushedShape(fields);
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
const pushKeyedScores = pushPipeline({
  schema: scoreSchema,
  check: isPushedScore,
  // The device keeps nothing it could not pull.
  unseen: 'blank',
  // A malformed row named by a well-formed key comes back as that key's blank tombstone, so the device drops it.
  malformed: async (_context, doc) => {
    const { id, assignmentId, studentId } = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
    return keyed(id, assignmentId, studentId) ? tombstone(id as string) : null;
  },
  async begin({ tx, principal, now }) {
    // Every writer of the district takes this lock at its first write and holds it to commit; taking
    // it before the row locks keeps one lock order (no deadlock with a concurrent score or posting).
    // Only staff can write scores: a family's refused push takes no lock.
    if (principal.staffId) await tx.query('SELECT lock_district_seq($1)', [principal.districtId]);
    // The clock of scores' graded_at (migration 0015), for this transaction only.
    await tx.query(`SELECT set_config('homeroom.now', $1, true)`, [now.toISOString()]);
  },
  async load({ tx, principal, today }, next): Promise<LoadedScore> {
    const [stored] = await tx.query<ScoreRow>(
      `SELECT s.id AS row_id, NOT s.deleted AS visible, 0 AS eff_seq, ${SCORE} FROM scores s JOIN assignments a ON a.district_id = s.district_id AND a.id = s.assignment_id
        WHERE s.district_id = $1 AND s.assignment_id = $2 AND s.student_id = $3
        FOR UPDATE OF s`,
      [principal.districtId, next.assignmentId, next.studentId],
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
    // A removed score answers as its tombstone with its section, which a device that never pulled it merges into a new score.
    const master = stored ? (stored.visible ? toDocument(stored) : { ...toDocument(stored), sectionId: stored.sectionId }) : null;
    return { master, rowId: stored?.row_id ?? null, assignment: assignment ?? null, student, teaching: teaching ?? null };
  },
  // As the user's own pull shows it: a tombstone when she lost it, nothing when she never reached it.
  async shown({ tx, principal, today }, _stored, next) {
    const [row] = await scopedScores(tx, principal, today, null, 1, next, 0);
    return row ? toDocument(row) : null;
  },
  sameAsStored: (a, b) => sameContent(a, b) && a.gradedAt === b.gradedAt && a.sectionId === b.sectionId,
  same: sameContent,
  authorize(_context, { assignment, student, teaching }, next) {
    if (!student || !assignment || !teaching) return 'not_allowed';
    if (!teaching.on_roster) return 'not_enrolled';
    if (next.sectionId !== assignment.section_id) return 'invalid';
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
  async write({ tx, principal }, { master, rowId }, next) {
    const content_ = [next.points, next.missing, next.late, next.exempt, next.incomplete, next.dropped, next.comment, next._deleted, principal.staffId];
    // A removed score's row takes the new result: the pair is the score, whatever was there before.
    if (master && rowId) {
      await tx.query(
        `UPDATE scores SET points = $3, missing = $4, late = $5, exempt = $6, incomplete = $7, dropped = $8, comment = $9, deleted = $10, entered_by_staff_id = $11
          WHERE district_id = $1 AND id = $2`,
        [principal.districtId, rowId, ...content_],
      );
      const action = next._deleted && !master._deleted ? 'delete' : 'update';
      return [{ table: 'scores', rowId, action, oldValues: content(master, master._deleted), newValues: content(next, next._deleted) }];
    }
    const [inserted] = await tx.query<{ id: string }>(
      `INSERT INTO scores (district_id, id, points, missing, late, exempt, incomplete, dropped, comment, deleted, entered_by_staff_id, assignment_id, student_id)
       VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [principal.districtId, ...content_, next.assignmentId, next.studentId],
    );
    return [{ table: 'scores', rowId: inserted!.id, action: 'insert', oldValues: null, newValues: { assignment_id: next.assignmentId, student_id: next.studentId, ...content(next, next._deleted) } }];
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

/** Whether a pushed row names its score by the key (`assignmentId|studentId`), whatever else is wrong with it. */
function keyedRow(row: unknown): boolean {
  const next = (row as { newDocumentState?: unknown } | null)?.newDocumentState;
  if (typeof next !== 'object' || next === null) return false;
  const { id, assignmentId, studentId } = next as Record<string, unknown>;
  return keyed(id, assignmentId, studentId);
}

/**
 * Pushed scores (above). A batch in which no row names its score by the key (a staff API caller
 * sending the stored row's UUID) is answered 400 score_key_required, never `[]`: nothing was saved
 * and the caller must know. A batch with at least one keyed row is a device's (its ids are composed
 * from the pair, RxDB's primary key) and stays as it was, its unkeyed rows dropped: a 400 would
 * refuse its good rows too, and RxDB would retry the whole batch forever.
 */
export function pushScores(...args: Parameters<typeof pushKeyedScores>): ReturnType<typeof pushKeyedScores> {
  const rows = args[3];
  if (rows.length > 0 && !rows.some(keyedRow)) throw new ApiError(400, 'score_key_required', { fields: ['id'] });
  return pushKeyedScores(...args);
}
