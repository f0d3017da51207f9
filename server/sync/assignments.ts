import type { Principal } from '../access/principal.ts';
import { nextCheckpoint, pullBase } from './pager.ts';
import { sectionsReached } from '../access/grants.ts';
import { assignmentSchema, type AssignmentDocument } from '../contract/sync/assignments.ts';
import { documentsFrom, type Pulled } from './pulled-document.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';
import { NO_ID } from '../domain/ids.ts';

/** Rows are documents by the schema's field names; hidden ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<AssignmentDocument>(assignmentSchema);

export type PulledAssignment = Pulled<AssignmentDocument>;

/** A section in the user's scope: its grants' seq and reach, and the version of its work (count:greatest seq:categories head). */
interface Scoped { id: string; grant_seq: number; active: boolean; all_work: boolean; version: string }
/** One assignment of a section as every user's page is made of it, with its category's. */
type Work = AssignmentDocument & { seq: number; deleted: boolean; k_seq: number; k_deleted: boolean };

/** Sections' work and its version, kept by store and `district:section`; beyond this many assignments (tens of MB), the first kept go first. */
const KEPT_ASSIGNMENTS = 100_000;
const kept = new WeakMap<Queryable, Map<string, { version: string; rows: Work[] }>>();
/** Each kept assignment's document, made once and frozen: every page that sends it shares it, and its compact form (wire.ts). */
const made = new WeakMap<Work, PulledAssignment>();

/**
 * $1 district, $2 person, $3 today, $4 the sections whose work to read (NULL: all in scope). Staff
 * other than teachers reach none (server/access/sync-windows.ts: they read coursework online).
 */
const SCOPE_AND_WORK = `WITH ${sectionsReached('assignments')},
     -- Tens of sections, each probed by its index (OFFSET 0 keeps the planner from hashing the district's assignments).
     scoped AS MATERIALIZED (
       SELECT s.*, v.version
         FROM (SELECT section_id AS id, max(seq) AS grant_seq, bool_or(active) AS active, bool_or(active AND all_work) AS all_work FROM placed GROUP BY section_id) s
        CROSS JOIN LATERAL (SELECT count(*) || ':' || coalesce(max(a.seq), 0) || ':' || (SELECT coalesce(max(seq), 0) FROM assignment_categories WHERE district_id = $1) AS version
                              FROM assignments a WHERE a.district_id = $1 AND a.section_id = s.id OFFSET 0) v
     )
SELECT (SELECT json_agg(s) FROM scoped s) AS sections,
       (SELECT json_agg(w) FROM (
          SELECT a.id, a.seq, a.deleted, k.seq AS k_seq, k.deleted AS k_deleted,
                 a.section_id AS "sectionId", a.category_id AS "categoryId", left(k.name, 200) AS "categoryName", k.weight::float8 AS "categoryWeight",
                 k.drop_lowest AS "categoryDropLowest", a.grading_period_id AS "gradingPeriodId", a.name, left(a.description, 4000) AS description,
                 a.points_possible::float8 AS "pointsPossible", to_char(a.assigned_on, 'YYYY-MM-DD') AS "assignedOn", to_char(a.due_on, 'YYYY-MM-DD') AS "dueOn", a.published
            FROM scoped s CROSS JOIN LATERAL (SELECT * FROM assignments a WHERE a.district_id = $1 AND a.section_id = s.id AND ($4::uuid[] IS NULL OR a.section_id = ANY($4)) OFFSET 0) a
            JOIN assignment_categories k ON k.district_id = a.district_id AND k.id = a.category_id) w) AS work`;

/**
 * Assignments changed for this user since the checkpoint, of the sections where an access_grants
 * row lets the user read a student's grades. A document's order key is the greatest seq of the
 * assignment, its category and the grants that reach its section, so a new weight or name
 * reaches every device and a lost grant sends tombstones.
 *
 * A section's work is the same for every family on its roster, so the server keeps it: each pull
 * reads the user's scope with each section's version (its assignments' count and greatest seq,
 * the district's categories head) and, in one snapshot with the scope, only the work whose kept
 * version differs. Seqs are handed out under the district's lock until commit (migration 0012),
 * so any later change to a section's work changes its version: kept work equals the snapshot's,
 * and the page is the pager's (pager.ts): after the checkpoint, hidden ones above the base, by (seq, id).
 */
export async function pullAssignments(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledAssignment[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const store = kept.get(db) ?? kept.set(db, new Map()).get(db)!;
  const key = (section: Scoped) => `${principal.districtId}:${section.id}`;
  // Nothing kept: all at once. Else the versions first, then what changed; if more changed meanwhile, all.
  for (let asking: string[] | null = store.size === 0 ? null : []; ;) {
    const [answer] = await db.query<{ sections: Scoped[] | null; work: Work[] | null }>(SCOPE_AND_WORK, [principal.districtId, principal.personId, today, asking]);
    const [sections, read] = [answer?.sections ?? [], new Map<string, Work[]>()];
    for (const work of answer?.work ?? []) (read.get(work.sectionId) ?? read.set(work.sectionId, []).get(work.sectionId)!).push(work);
    const fresh = (s: Scoped) => asking === null || asking.includes(s.id);
    for (const section of sections.filter(fresh)) store.set(key(section), { version: section.version, rows: read.get(section.id) ?? [] });
    let held = 0;
    if (asking?.length !== 0) for (const [old, { rows }] of [...store].reverse()) if ((held += rows.length) > KEPT_ASSIGNMENTS) store.delete(old);
    // What this statement read is used as read, whether or not it is still kept.
    const work = (s: Scoped) => (fresh(s) ? (read.get(s.id) ?? []) : store.get(key(s))?.version === s.version ? store.get(key(s))!.rows : null);
    const stale = sections.filter((s) => work(s) === null);
    if (stale.length === 0) return page(sections.map((section) => [section, work(section)!]), checkpoint, limit, base);
    asking = asking === null || asking.length > 0 ? null : stale.map((s) => s.id);
  }
}

/** The page of the kept work in these sections after the checkpoint, as the pager's SQL would answer it. */
function page(sections: Array<[Scoped, Work[]]>, checkpoint: SyncCheckpoint | null, limit: number, base: number): { documents: PulledAssignment[]; checkpoint: SyncCheckpoint | null } {
  const after = { seq: checkpoint?.seq ?? 0, id: (checkpoint?.id ?? NO_ID).toLowerCase() };
  const rows = sections.flatMap(([section, all]) => all.map((work) => ({
    work, id: work.id, visible: section.active && (section.all_work || work.published) && !work.deleted && !work.k_deleted, eff_seq: Math.max(section.grant_seq, work.seq, work.k_seq),
  }))).filter((row) => (row.eff_seq > after.seq || (row.eff_seq === after.seq && row.id > after.id)) && (row.visible || row.eff_seq > base));
  rows.sort((a, b) => a.eff_seq - b.eff_seq || compare(a.id, b.id)).splice(limit);
  const document = ({ work, visible }: (typeof rows)[number]) => (visible ? made.get(work) ?? made.set(work, Object.freeze(toDocument({ ...work, visible, eff_seq: 0 }))).get(work)! : toDocument({ ...work, visible, eff_seq: 0 }));
  return { documents: rows.map(document).sort(bySectionAndDueDate), checkpoint: nextCheckpoint(rows, checkpoint, base) };
}

/**
 * The order of a page's documents: by section, then due date. Neighbours alike compress better
 * (about a fifth of a family's assignments page under brotli); the checkpoint is the page's
 * last row in seq order, taken before.
 */
function bySectionAndDueDate(a: PulledAssignment, b: PulledAssignment): number {
  return compare(a.sectionId, b.sectionId) || compare(a.dueOn, b.dueOn) || compare(a.id, b.id);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
