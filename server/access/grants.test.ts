import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../db/store.ts';
import { addDays } from '../domain/dates.ts';
import { loadStudentResource } from '../routes/students.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { Random } from '../seed/random.ts';
import { runDateWindows } from '../sync/date-windows.ts';
import { freshPostgres, migratedPglite, postgresReachable, type TestDatabase } from '../test/stores.ts';
import { canAccessStudent, RECORD_KINDS, type Action } from './policy.ts';
import { loadPrincipal } from './principal.ts';

/**
 * The grants table (migration 0017) stays what its sources make it: for every account of a seeded
 * district, every student, every record kind and action, a stored grant in force today exists
 * exactly when the chains recomputed from scratch give one, on the day of the seed and after a run
 * of random changes to the grants' sources (and days passing); `canAccessStudent`, which decides
 * from the principal's grants, allows exactly that; and a change of what someone may see raises
 * the seq of the grants between them, while a write that changes nothing leaves every grant's seq.
 * What each relation may do is policy.test.ts's matrix.
 */

const TODAY = '2026-11-24';
const ACTIONS: readonly Action[] = ['read', 'write'];
const STEPS = 24;

type Access = Set<string>;

/**
 * `person|student|action|kind` for everything the policy allows each account: what canAccessStudent
 * decides from the principal's grants (loaded from the table), for the kinds the table names.
 */
async function policyAccess(store: Store, districtId: string, today: string): Promise<Access> {
  const accounts = await store.query<{ id: string }>('SELECT id FROM accounts WHERE district_id = $1 ORDER BY id', [districtId]);
  const studentIds = await store.query<{ id: string }>('SELECT id FROM students WHERE district_id = $1 ORDER BY id', [districtId]);
  const resources = [];
  for (const { id } of studentIds) {
    const resource = await loadStudentResource(store, districtId, id);
    if (resource) resources.push(resource);
  }
  const access: Access = new Set();
  for (const account of accounts) {
    const principal = await loadPrincipal(store, districtId, account.id, today);
    if (!principal) continue;
    for (const student of resources) {
      for (const kind of RECORD_KINDS) {
        for (const action of ACTIONS) {
          if (canAccessStudent(principal, action, kind, student)) access.add(`${principal.personId}|${student.studentId}|${action}|${kind}`);
        }
      }
    }
  }
  return access;
}

/** The same, from the chains the sources make now (`access_grant_chains`), recomputed from scratch: what the triggers must keep. */
async function sourceAccess(store: Store, districtId: string, today: string): Promise<Access> {
  const rows = await store.query<{ person_id: string; student_id: string; reads: string[]; writes: string[] }>(
    `SELECT c.person_id, c.student_id, c.reads, c.writes FROM access_grant_chains($1) c
      WHERE (c.start_date IS NULL OR c.start_date <= $2::date) AND (c.end_date IS NULL OR c.end_date >= $2::date)
        AND EXISTS (SELECT 1 FROM accounts a WHERE a.district_id = $1 AND a.person_id = c.person_id)`,
    [districtId, today],
  );
  return accessOf(rows);
}

function accessOf(rows: ReadonlyArray<{ person_id: string; student_id: string; reads: string[]; writes: string[] }>): Access {
  const access: Access = new Set();
  for (const row of rows) {
    for (const kind of row.reads) access.add(`${row.person_id}|${row.student_id}|read|${kind}`);
    for (const kind of row.writes) access.add(`${row.person_id}|${row.student_id}|write|${kind}`);
  }
  return access;
}

/** The same, from the grants in force on `today`, for the people who have an account. */
async function grantedAccess(store: Store, districtId: string, today: string): Promise<Access> {
  const rows = await store.query<{ person_id: string; student_id: string; reads: string[]; writes: string[] }>(
    `SELECT g.person_id, g.student_id, g.reads, g.writes FROM access_grants g
      WHERE g.district_id = $1 AND g.active AND (g.start_date IS NULL OR g.start_date <= $2::date) AND (g.end_date IS NULL OR g.end_date >= $2::date)
        AND EXISTS (SELECT 1 FROM accounts a WHERE a.district_id = g.district_id AND a.person_id = g.person_id)`,
    [districtId, today],
  );
  return accessOf(rows);
}

function difference(a: Access, b: Access): string[] {
  return [...a].filter((key) => !b.has(key)).slice(0, 10);
}

async function expectAgreement(store: Store, districtId: string, today: string, step: string, withPolicy = false): Promise<Access> {
  const [allowed, granted] = await Promise.all([sourceAccess(store, districtId, today), grantedAccess(store, districtId, today)]);
  expect({ step, allowedButNotGranted: difference(allowed, granted), grantedButNotAllowed: difference(granted, allowed) }).toEqual({
    step,
    allowedButNotGranted: [],
    grantedButNotAllowed: [],
  });
  if (withPolicy) {
    const policy = await policyAccess(store, districtId, today);
    expect({ step, grantedButNotAllowed: difference(granted, policy), allowedButNotGranted: difference(policy, granted) }).toEqual({ step, grantedButNotAllowed: [], allowedButNotGranted: [] });
  }
  expect(allowed.size).toBeGreaterThan(1000);
  return allowed;
}

async function maxGrantSeqs(store: Store, districtId: string): Promise<Map<string, number>> {
  const rows = await store.query<{ person_id: string; student_id: string; seq: string }>(
    'SELECT person_id, student_id, max(seq)::text AS seq FROM access_grants WHERE district_id = $1 GROUP BY person_id, student_id',
    [districtId],
  );
  return new Map(rows.map((r) => [`${r.person_id}|${r.student_id}`, Number(r.seq)]));
}

function uuidFrom(random: Random): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

interface Change {
  name: string;
  apply(store: Store, districtId: string, random: Random, today: string): Promise<string>;
}

async function pickId(store: Store, sql: string, params: unknown[], random: Random): Promise<string | null> {
  const rows = await store.query<{ id: string }>(sql, params as never[]);
  return rows.length > 0 ? random.pick(rows).id : null;
}

/** Random changes to the rows grants are made of, each described for the failure message. */
const CHANGES: Change[] = [
  {
    name: 'end a guardianship',
    async apply(store, d, random) {
      const id = await pickId(store, 'SELECT id FROM guardianships WHERE district_id = $1 AND NOT deleted ORDER BY id', [d], random);
      await store.query('UPDATE guardianships SET deleted = true WHERE district_id = $1 AND id = $2', [d, id]);
      return `guardianship ${id} deleted`;
    },
  },
  {
    name: 'switch portal access',
    async apply(store, d, random) {
      const id = await pickId(store, 'SELECT id FROM guardianships WHERE district_id = $1 ORDER BY id', [d], random);
      await store.query('UPDATE guardianships SET portal_access = NOT portal_access WHERE district_id = $1 AND id = $2', [d, id]);
      return `guardianship ${id} portal access switched`;
    },
  },
  {
    name: "move a section enrollment's dates",
    async apply(store, d, random, today) {
      const id = await pickId(store, 'SELECT id FROM section_enrollments WHERE district_id = $1 ORDER BY id', [d], random);
      const start = addDays(today, random.int(-40, 3));
      const end = random.chance(0.5) ? null : addDays(start, random.int(0, 45));
      await store.query(
        `UPDATE section_enrollments SET start_date = $3, end_date = $4 WHERE district_id = $1 AND id = $2
            AND NOT EXISTS (SELECT 1 FROM section_enrollments o JOIN section_enrollments r ON r.district_id = o.district_id AND r.id = $2
                             WHERE o.district_id = $1 AND o.section_id = r.section_id AND o.student_id = r.student_id AND o.start_date = $3 AND o.id <> $2)`,
        [d, id, start, end],
      );
      return `section enrollment ${id} from ${start} to ${end}`;
    },
  },
  {
    name: "move a teacher's section dates",
    async apply(store, d, random, today) {
      const id = await pickId(store, 'SELECT id FROM section_staff WHERE district_id = $1 ORDER BY id', [d], random);
      const start = addDays(today, random.int(-60, 2));
      const end = random.chance(0.3) ? null : addDays(today, random.int(-1, 3));
      await store.query('UPDATE section_staff SET start_date = $3, end_date = $4, deleted = $5 WHERE district_id = $1 AND id = $2', [d, id, start, end, random.chance(0.2)]);
      return `section staff ${id} from ${start} to ${end}`;
    },
  },
  {
    name: 'add a staff location',
    async apply(store, d, random, today) {
      const staffId = await pickId(store, 'SELECT id FROM staff WHERE district_id = $1 ORDER BY id', [d], random);
      const schoolId = await pickId(store, 'SELECT id FROM schools WHERE district_id = $1 ORDER BY id', [d], random);
      const role = random.pick(['teacher', 'counselor', 'nurse', 'office', 'principal', 'district_admin'] as const);
      const start = addDays(today, random.int(-5, 2));
      const end = random.chance(0.5) ? null : addDays(start, random.int(0, 4));
      await store.query(
        `INSERT INTO staff_locations (district_id, id, staff_id, school_id, role, start_date, end_date) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [d, uuidFrom(random), staffId, role === 'district_admin' ? null : schoolId, role, start, end],
      );
      return `staff ${staffId} ${role} at ${schoolId} from ${start} to ${end}`;
    },
  },
  {
    name: 'remove a staff location',
    async apply(store, d, random, today) {
      const id = await pickId(store, 'SELECT id FROM staff_locations WHERE district_id = $1 AND NOT deleted ORDER BY id', [d], random);
      if (random.chance(0.5)) await store.query('UPDATE staff_locations SET deleted = true WHERE district_id = $1 AND id = $2', [d, id]);
      else await store.query('UPDATE staff_locations SET end_date = greatest(start_date, $3::date) WHERE district_id = $1 AND id = $2', [d, id, addDays(today, -1)]);
      return `staff location ${id} removed`;
    },
  },
  {
    name: 'lapse or renew a training',
    async apply(store, d, random, today) {
      const id = await pickId(store, 'SELECT id FROM staff_trainings WHERE district_id = $1 ORDER BY id', [d], random);
      const lapse = random.chance(0.6);
      const [completed, expires] = lapse ? [addDays(today, -400), addDays(today, random.int(-2, 0))] : [addDays(today, random.int(-10, 1)), addDays(today, 300)];
      await store.query('UPDATE staff_trainings SET completed_on = $3, expires_on = $4 WHERE district_id = $1 AND id = $2', [d, id, completed, expires]);
      return `training ${id} ${completed}..${expires}`;
    },
  },
  {
    name: 'withdraw or restore a tool right',
    async apply(store, d, random) {
      const id = await pickId(store, 'SELECT id FROM tool_rights WHERE district_id = $1 ORDER BY id', [d], random);
      await store.query('UPDATE tool_rights SET deleted = NOT deleted WHERE district_id = $1 AND id = $2', [d, id]);
      return `tool right ${id} switched`;
    },
  },
  {
    name: 'end or reopen a school enrollment',
    async apply(store, d, random, today) {
      const id = await pickId(store, 'SELECT id FROM enrollments WHERE district_id = $1 ORDER BY id', [d], random);
      await store.query(`UPDATE enrollments SET end_date = CASE WHEN end_date IS NULL THEN greatest(start_date, $3::date) END WHERE district_id = $1 AND id = $2`, [d, id, today]);
      return `enrollment ${id} ended or reopened`;
    },
  },
  {
    name: 'change a caseload',
    async apply(store, d, random) {
      const id = await pickId(store, 'SELECT id FROM counselor_caseloads WHERE district_id = $1 ORDER BY id', [d], random);
      await store.query('UPDATE counselor_caseloads SET deleted = NOT deleted WHERE district_id = $1 AND id = $2', [d, id]);
      return `caseload ${id} switched`;
    },
  },
  {
    name: 'a staff member leaves or returns',
    async apply(store, d, random) {
      const id = await pickId(store, 'SELECT id FROM staff WHERE district_id = $1 ORDER BY id', [d], random);
      await store.query('UPDATE staff SET active = NOT active WHERE district_id = $1 AND id = $2', [d, id]);
      return `staff ${id} switched`;
    },
  },
  {
    name: 'a student record is removed or restored',
    async apply(store, d, random) {
      const id = await pickId(store, 'SELECT id FROM students WHERE district_id = $1 ORDER BY id', [d], random);
      await store.query('UPDATE students SET deleted = NOT deleted WHERE district_id = $1 AND id = $2', [d, id]);
      return `student ${id} switched`;
    },
  },
];

function grantsAgreeWithPolicy(open: () => Promise<{ store: Store; close(): Promise<void> }>) {
  let store: Store;
  let close: () => Promise<void>;
  let districtId: string;

  beforeAll(async () => {
    ({ store, close } = await open());
    ({ districtId } = await seedDistrict(store, { ...defaultSeedOptions(TODAY), students: 100 }));
    // Every account signs in (an unclaimed or disabled one has no principal), so every grant is compared.
    await store.query(
      `UPDATE accounts SET status = 'active', disabled_reason = NULL, username = coalesce(username, 'u' || replace(id::text, '-', '')) WHERE district_id = $1`,
      [districtId],
    );
  }, 180_000);
  afterAll(async () => {
    await close();
  });

  it('gives every account exactly what the policy allows on the seeded day', { timeout: 120_000 }, async () => {
    await expectAgreement(store, districtId, TODAY, 'seeded', true);
  });

  it('keeps seq when a write changes no grant', { timeout: 60_000 }, async () => {
    const [before] = await store.query<{ seq: string; n: string }>('SELECT max(seq)::text AS seq, count(*)::text AS n FROM access_grants WHERE district_id = $1', [districtId]);
    for (const table of ['guardianships', 'students', 'staff', 'staff_locations', 'section_staff', 'section_enrollments', 'counselor_caseloads', 'enrollments', 'tool_rights', 'staff_trainings', 'sections']) {
      await store.query(`UPDATE ${table} SET seq = seq WHERE district_id = $1`, [districtId]);
    }
    const [after] = await store.query<{ seq: string; n: string }>('SELECT max(seq)::text AS seq, count(*)::text AS n FROM access_grants WHERE district_id = $1', [districtId]);
    expect(after).toEqual(before);
  });

  it('agrees after random changes to its sources and days passing, and raises the seq of every grant that changed', { timeout: 600_000 }, async () => {
    const random = new Random(20261124, 'grants');
    let today = TODAY;
    let allowed = await expectAgreement(store, districtId, today, 'start');
    for (let step = 0; step < STEPS; step++) {
      const seqs = await maxGrantSeqs(store, districtId);
      const watermark = Math.max(0, ...seqs.values());
      let what: string;
      if (step % 6 === 5) {
        today = addDays(today, 1);
        await runDateWindows(store, today);
        what = `the date job for ${today}`;
      } else {
        const change = random.pick(CHANGES);
        what = `${change.name}: ${await change.apply(store, districtId, random, today)}`;
      }
      const now = await expectAgreement(store, districtId, today, `step ${step}, ${what}`);
      // Whoever gained or lost something of a student: the grants between them carry a seq after the step's start.
      const moved = new Set([...difference2(allowed, now), ...difference2(now, allowed)].map((key) => key.split('|').slice(0, 2).join('|')));
      const after = await maxGrantSeqs(store, districtId);
      const stale = [...moved].filter((pair) => (after.get(pair) ?? 0) <= watermark);
      expect({ step: what, stale }).toEqual({ step: what, stale: [] });
      allowed = now;
    }
    await expectAgreement(store, districtId, today, 'after the changes', true);
  });
}

function difference2(a: Access, b: Access): string[] {
  return [...a].filter((key) => !b.has(key));
}

describe('access grants on PGlite', () => {
  grantsAgreeWithPolicy(async () => {
    const store = await migratedPglite();
    return { store, close: () => store.close() };
  });
});

describe.runIf(await postgresReachable())('access grants on PostgreSQL', () => {
  grantsAgreeWithPolicy(async () => {
    const db: TestDatabase = await freshPostgres({ migrated: true });
    return { store: db.store, close: () => db.drop() };
  });
});
