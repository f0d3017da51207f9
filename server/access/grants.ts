/**
 * The access_grants rows (migration 0017) a pull reads its scope from, as SQL. Pullers bind
 * `$1` district, `$2` person and `$3` today (server/sync/pager.ts `grantedPullParams`).
 */
import type { RecordKind } from './policy.ts';
import type { GrantVia } from './principal.ts';
import { SYNC_WINDOWS, windowOf, type StaffRelation, type WindowedCollection } from './sync-windows.ts';

const inList = (vias: readonly GrantVia[]) => vias.map((via) => `'${via}'`).join(', ');

/**
 * CTE body: the person's grants that read `kind` (from `vias` only, when given; `kind` null: every
 * grant of `vias`), in force on `$3` or not (`upcoming`: starting later), with their student,
 * section, school, relation and seq: a document is visible when one of its grants is in force, and
 * a lost grant's seq sends its tombstone. Built from constants only.
 */
export function grantsReading(kind: RecordKind | null, vias?: readonly GrantVia[]): string {
  return `SELECT g.student_id, g.section_id, g.school_id, g.via, g.seq,
                 g.active AND (g.start_date IS NULL OR g.start_date <= $3::date) AND (g.end_date IS NULL OR g.end_date >= $3::date) AS in_force,
                 g.active AND g.start_date > $3::date AS upcoming
            FROM access_grants g
           WHERE g.district_id = $1 AND g.person_id = $2${kind ? ` AND '${kind}' = ANY(g.reads)` : ''}${vias ? ` AND g.via IN (${inList(vias)})` : ''}`;
}

const STAFF_RELATIONS = Object.keys(SYNC_WINDOWS) as StaffRelation[];

/**
 * The relations whose devices hold every record of `collection` their grants reach: families
 * always, staff where server/access/sync-windows.ts says `all`.
 */
export function viasHolding(collection: WindowedCollection): GrantVia[] {
  return ['guardian', 'self', ...STAFF_RELATIONS.filter((relation) => windowOf(relation, collection) === 'all')];
}

/**
 * CTE body: the grants through which the person's device holds `collection` (records of `kind`),
 * as `grantsReading`, with `windowed`: the relation holds only recent records (sync-windows.ts).
 * Relations whose window is `none` are left out.
 */
export function grantsSyncing(kind: RecordKind, collection: WindowedCollection): string {
  const recent = STAFF_RELATIONS.filter((relation) => windowOf(relation, collection) === 'recent');
  const vias = [...viasHolding(collection), ...recent];
  return `SELECT r.*, ${recent.length > 0 ? `r.via IN (${inList(recent)})` : 'false'} AS windowed FROM (${grantsReading(kind, vias)}) r`;
}

/**
 * CTEs `grants` (reading grades, by the relations holding `collection`) and `placed (section_id, student_id, seq, active, all_work)`:
 * a teacher's grants name her section; any other reaches the sections on the student's roster today, families' the published work only.
 */
export function sectionsReached(collection: 'assignments' | 'scores'): string {
  return `grants AS (${grantsReading('grades', viasHolding(collection))}),
     placed (section_id, student_id, seq, active, all_work) AS (
       SELECT g.section_id, g.student_id, g.seq, g.in_force, true FROM grants g WHERE g.via = 'section'
       UNION ALL
       SELECT r.section_id, g.student_id, greatest(g.seq, r.seq), g.in_force AND NOT r.deleted AND r.start_date <= $3 AND (r.end_date IS NULL OR r.end_date >= $3), g.via NOT IN ('guardian', 'self')
         FROM grants g JOIN section_enrollments r ON r.district_id = $1 AND r.student_id = g.student_id
        WHERE g.via <> 'section'
     )`;
}
