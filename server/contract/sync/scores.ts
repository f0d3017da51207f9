/**
 * The `scores` collection: one document per score the user may see (a student's result on one
 * assignment). Teachers push scores for the students on their sections' current rosters;
 * families and students only read. Shared with the client, with the conflict handler below.
 */
import type { RxConflictHandler } from 'rxdb';
import type { SyncRefusal } from './refusals.ts';
import type { DocumentOf, FromSchema } from './document.ts';

export { type PushRow, SYNC_REFUSALS, type SyncRefusal } from './refusals.ts';

/**
 * Version 1 added `gradedAt`. Version 2 keys a score by its assignment and student (the server
 * holds one score per pair): its `id` is `assignmentId|studentId`, which the pull leaves out and
 * the device composes (RxDB's composite primary key), so no UUID of the score's own travels.
 */
export const SCORES_SCHEMA_VERSION = 2;

/** A score's key on the device and in pushes: the two ids it is unique by. */
export const SCORE_KEY = { key: 'id', fields: ['assignmentId', 'studentId'], separator: '|' } as const;

/** The `id` of the score of `studentId` on `assignmentId`. */
export function scoreId(assignmentId: string, studentId: string): string {
  return `${assignmentId}${SCORE_KEY.separator}${studentId}`;
}

/** Largest score the database holds (numeric(6, 2)); the rule "at most twice the points possible" usually binds first. */
export const MAX_POINTS = 9999.99;
export const MAX_SCORE_COMMENT = 2000;

export const scoreSchema = {
  title: 'scores',
  version: SCORES_SCHEMA_VERSION,
  primaryKey: SCORE_KEY,
  type: 'object',
  properties: {
    /** `assignmentId|studentId` (SCORE_KEY); RxDB composes it, the pull does not send it. */
    id: { type: 'string', maxLength: 73 },
    assignmentId: { type: 'string', maxLength: 36 },
    studentId: { type: 'string', maxLength: 36 },
    sectionId: { type: 'string', maxLength: 36 },
    /** Null until graded (a missing or exempt score usually has none). */
    points: { type: ['number', 'null'], minimum: 0, maximum: MAX_POINTS },
    missing: { type: 'boolean' },
    late: { type: 'boolean' },
    exempt: { type: 'boolean' },
    incomplete: { type: 'boolean' },
    /** Left out of the grade by the teacher (not the category's automatic "drop lowest"). */
    dropped: { type: 'boolean' },
    comment: { type: 'string', maxLength: MAX_SCORE_COMMENT },
    /**
     * When the score got its present result (points, or a mark of missing, exempt or incomplete),
     * as a UTC instant; null while it has none. The server sets it (server/db/migrations/0015); a push cannot.
     */
    gradedAt: { type: ['string', 'null'], maxLength: 30 },
    /** Set only on documents the server sends back to refuse a write. */
    syncError: { type: ['string', 'null'], maxLength: 40 },
  },
  required: ['id', 'assignmentId', 'studentId', 'sectionId', 'points', 'missing', 'late', 'exempt', 'incomplete', 'dropped', 'comment', 'gradedAt', 'syncError'],
  additionalProperties: false,
} as const;

export type ScoreDocument = DocumentOf<FromSchema<typeof scoreSchema>>;

/** What a teacher can change on a score; the rest says which score it is, or is the server's answer. */
export const SCORE_EDITABLE_FIELDS = ['points', 'missing', 'late', 'exempt', 'incomplete', 'dropped', 'comment', '_deleted'] as const;
type Editable = (typeof SCORE_EDITABLE_FIELDS)[number];
type ScoreState = ScoreDocument & { _deleted: boolean };

/** What only the server fills in: compared, so a pulled value replaces the device's, and never merged from the device. */
export const SCORE_SERVER_FIELDS = ['gradedAt'] as const;

function sameScore(a: ScoreState, b: ScoreState): boolean {
  return a.id === b.id && a.assignmentId === b.assignmentId && a.studentId === b.studentId
    && SCORE_EDITABLE_FIELDS.every((field) => a[field] === b[field]) && SCORE_SERVER_FIELDS.every((field) => a[field] === b[field]);
}

/**
 * Never loses a teacher's offline edit. `isEqual` compares what a user can edit and what the
 * server fills in (`gradedAt`: a device never changes it, so it never makes a push, but a pulled
 * time replaces a stale one), never `syncError` (comparing it would push a refused row again).
 * `resolve` keeps the server's state when it is a refusal; otherwise it merges field by
 * field against the state the device started from: fields the device changed win, fields
 * only the server changed are kept. RxDB 17 passes `assumedMasterState` whenever the device
 * had pulled the score; a score the device created has none, and then every field the device
 * set that differs from the server wins (the later edit wins). `gradedAt` is always the server's.
 */
export const scoreConflictHandler: RxConflictHandler<ScoreDocument> = {
  isEqual(a, b) {
    return sameScore(a as ScoreState, b as ScoreState);
  },
  async resolve({ assumedMasterState, realMasterState, newDocumentState }) {
    const server = realMasterState as ScoreState;
    if (server.syncError) return realMasterState;
    const device = newDocumentState as ScoreState;
    const base = (assumedMasterState as ScoreState | undefined) ?? server;
    const merged: ScoreState = { ...server, syncError: null };
    const take = <F extends Editable>(field: F) => {
      if (device[field] !== base[field]) merged[field] = device[field];
    };
    for (const field of SCORE_EDITABLE_FIELDS) take(field);
    return merged;
  },
};
