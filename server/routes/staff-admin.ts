import { UUID } from '../domain/ids.ts';
/**
 * Principals and district administrators manage staff: roles at school locations, trainings,
 * tool rights (with approver and renewal date), rights that lapse soon, and school settings.
 * Every route needs the `staff_admin` right for the school concerned (district-wide work needs
 * it district-wide), and every change is written to the audit trail with old and new values.
 */
import { Hono, type Context } from 'hono';
import { audit } from '../access/access-log.ts';
import { requireAuth } from '../access/authenticate.ts';
import { canUseTool } from '../access/policy.ts';
import type { AppEnv } from '../app.ts';
import { STAFF_ROLES, TOOLS, type StaffRole, type Tool } from '../contract/roles.ts';
import type { Queryable } from '../db/store.ts';
import { addDays, isIsoDate } from '../domain/dates.ts';
import { ApiError } from '../errors.ts';
import { readJsonObject } from './validate.ts';

/** A right is renewed at least yearly. */
const MAX_RIGHT_DAYS = 366;
/** Every tool right needs this training, completed and current. */
const RIGHTS_TRAINING = 'FERPA';

type Body = Record<string, unknown>;

/** Collects every invalid field, so the form can mark them all at once. */
class Fields {
  readonly invalid: string[] = [];
  constructor(private readonly body: Body) {}

  uuid(name: string, nullable = false): string | null {
    const value = this.body[name];
    if (nullable && (value === null || value === undefined)) return null;
    if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
    this.invalid.push(name);
    return null;
  }
  date(name: string, nullable = false): string | null {
    const value = this.body[name];
    if (nullable && (value === null || value === undefined)) return null;
    if (typeof value === 'string' && isIsoDate(value)) return value;
    this.invalid.push(name);
    return null;
  }
  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.body[name];
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.invalid.push(name);
    return allowed[0]!;
  }
  integer(name: string, min: number, max: number, nullable = false): number | null {
    const value = this.body[name];
    if (nullable && (value === null || value === undefined)) return null;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.invalid.push(name);
    return null;
  }
  done(): void {
    if (this.invalid.length > 0) throw new ApiError(400, 'validation_failed', { fields: this.invalid });
  }
}

function today(c: Context<AppEnv>): string {
  return c.get('deps').clock().toISOString().slice(0, 10);
}

/** The staff_admin right for this school (null: the whole district). */
function requireStaffAdmin(c: Context<AppEnv>, schoolId: string | null): void {
  const principal = c.get('principal');
  if (canUseTool(principal, 'staff_admin', null)) return;
  if (schoolId === null || !canUseTool(principal, 'staff_admin', schoolId)) throw new ApiError(403, 'forbidden');
}

async function staffExists(db: Queryable, districtId: string, staffId: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM staff WHERE district_id = $1 AND id = $2 AND NOT deleted`, [districtId, staffId]);
  return rows.length > 0;
}

async function schoolExists(db: Queryable, districtId: string, schoolId: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM schools WHERE district_id = $1 AND id = $2 AND NOT deleted`, [districtId, schoolId]);
  return rows.length > 0;
}

interface RightRow {
  id: string;
  staff_id: string;
  staff_name: string;
  tool: Tool;
  school_id: string | null;
  approved_by_staff_id: string;
  approver_name: string;
  approved_on: string;
  expires_on: string;
  training_code: string | null;
  training_name: string | null;
  training_expires_on: string | null;
}

const RIGHT_COLUMNS = `r.id, r.staff_id, sp.first_name || ' ' || sp.last_name AS staff_name, r.tool, r.school_id, r.approved_by_staff_id,
  ap.first_name || ' ' || ap.last_name AS approver_name, to_char(r.approved_on, 'YYYY-MM-DD') AS approved_on, to_char(r.expires_on, 'YYYY-MM-DD') AS expires_on,
  t.code AS training_code, t.name AS training_name,
  (SELECT to_char(max(st.expires_on), 'YYYY-MM-DD') FROM staff_trainings st WHERE st.district_id = r.district_id AND st.staff_id = r.staff_id AND st.training_id = r.required_training_id AND NOT st.deleted) AS training_expires_on`;
const RIGHT_JOINS = `JOIN staff s ON s.district_id = r.district_id AND s.id = r.staff_id JOIN people sp ON sp.district_id = s.district_id AND sp.id = s.person_id
  JOIN staff a ON a.district_id = r.district_id AND a.id = r.approved_by_staff_id JOIN people ap ON ap.district_id = a.district_id AND ap.id = a.person_id
  LEFT JOIN trainings t ON t.district_id = r.district_id AND t.id = r.required_training_id`;

function toRight(r: RightRow) {
  return {
    id: r.id, staffId: r.staff_id, staffName: r.staff_name, tool: r.tool, schoolId: r.school_id,
    approvedBy: { staffId: r.approved_by_staff_id, name: r.approver_name }, approvedOn: r.approved_on, expiresOn: r.expires_on,
    training: r.training_code ? { code: r.training_code, name: r.training_name ?? r.training_code, expiresOn: r.training_expires_on } : null,
  };
}

async function loadRight(db: Queryable, districtId: string, id: string): Promise<RightRow | undefined> {
  const [row] = await db.query<RightRow>(`SELECT ${RIGHT_COLUMNS} FROM tool_rights r ${RIGHT_JOINS} WHERE r.district_id = $1 AND r.id = $2 AND NOT r.deleted`, [districtId, id]);
  return row;
}

export function staffAdminRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  /** Staff working at a school today or later: roles there, trainings, and rights in that school. */
  app.get('/staff', async (c) => {
    const schoolId = c.req.query('schoolId') ?? '';
    if (!UUID.test(schoolId)) throw new ApiError(400, 'validation_failed', { fields: ['schoolId'] });
    requireStaffAdmin(c, schoolId);
    const principal = c.get('principal');
    const db = c.get('deps').store;
    // Another district's school is not found, even for a district-wide administrator.
    if (!(await schoolExists(db, principal.districtId, schoolId))) throw new ApiError(404, 'not_found');
    const staff = await db.query<{ id: string; first_name: string; last_name: string; email: string | null; title: string; employee_number: string; locations: Array<{ id: string; role: StaffRole; start_date: string; end_date: string | null }> }>(
      `SELECT s.id, p.first_name, p.last_name, p.email, s.title, s.employee_number,
              json_agg(json_build_object('id', l.id, 'role', l.role, 'start_date', to_char(l.start_date, 'YYYY-MM-DD'), 'end_date', to_char(l.end_date, 'YYYY-MM-DD')) ORDER BY l.role) AS locations
         FROM staff_locations l
         JOIN staff s ON s.district_id = l.district_id AND s.id = l.staff_id AND NOT s.deleted
         JOIN people p ON p.district_id = s.district_id AND p.id = s.person_id
        WHERE l.district_id = $1 AND l.school_id = $2 AND NOT l.deleted AND (l.end_date IS NULL OR l.end_date >= $3)
        GROUP BY s.id, p.first_name, p.last_name, p.email, s.title, s.employee_number
        ORDER BY p.last_name, p.first_name`,
      [principal.districtId, schoolId, today(c)],
    );
    const ids = staff.map((s) => s.id);
    const [trainings, rights, accounts] = await Promise.all([
      db.query<{ staff_id: string; code: string; name: string; completed_on: string; expires_on: string }>(
        `SELECT st.staff_id, t.code, t.name, to_char(st.completed_on, 'YYYY-MM-DD') AS completed_on, to_char(st.expires_on, 'YYYY-MM-DD') AS expires_on
           FROM staff_trainings st JOIN trainings t ON t.district_id = st.district_id AND t.id = st.training_id
          WHERE st.district_id = $1 AND st.staff_id = ANY($2::uuid[]) AND NOT st.deleted ORDER BY t.code, st.completed_on DESC`,
        [principal.districtId, ids],
      ),
      db.query<RightRow>(
        `SELECT ${RIGHT_COLUMNS} FROM tool_rights r ${RIGHT_JOINS}
          WHERE r.district_id = $1 AND r.staff_id = ANY($2::uuid[]) AND NOT r.deleted AND (r.school_id = $3 OR r.school_id IS NULL) ORDER BY r.tool`,
        [principal.districtId, ids, schoolId],
      ),
      // Each one's account, and whether it signs in with a second factor (for a district administrator to reset).
      db.query<{ staff_id: string; account_id: string; second_factor: boolean }>(
        `SELECT t.id AS staff_id, a.id AS account_id, f.confirmed_at IS NOT NULL AS second_factor
           FROM staff t JOIN accounts a ON a.district_id = t.district_id AND a.person_id = t.person_id AND NOT a.deleted
           LEFT JOIN second_factors f ON f.district_id = a.district_id AND f.account_id = a.id
          WHERE t.district_id = $1 AND t.id = ANY($2::uuid[])`,
        [principal.districtId, ids],
      ),
    ]);
    const accountOf = new Map(accounts.map((a) => [a.staff_id, { id: a.account_id, secondFactor: a.second_factor }]));
    return c.json({
      staff: staff.map((s) => ({
        id: s.id, firstName: s.first_name, lastName: s.last_name, email: s.email, title: s.title, employeeNumber: s.employee_number,
        locations: s.locations.map((l) => ({ id: l.id, role: l.role, startDate: l.start_date, endDate: l.end_date })),
        trainings: trainings.filter((t) => t.staff_id === s.id).map((t) => ({ code: t.code, name: t.name, completedOn: t.completed_on, expiresOn: t.expires_on })),
        rights: rights.filter((r) => r.staff_id === s.id).map(toRight),
        account: accountOf.get(s.id) ?? null,
      })),
    });
  });

  /** The district's trainings, for recording one, and which one every tool right needs. */
  app.get('/trainings', async (c) => {
    const principal = c.get('principal');
    const administersStaff = principal.toolRights.some((right) => right.tool === 'staff_admin' && canUseTool(principal, 'staff_admin', right.schoolId));
    if (!administersStaff) throw new ApiError(403, 'forbidden');
    const rows = await c.get('deps').store.query<{ code: string; name: string; valid_months: number }>(
      `SELECT code, name, valid_months FROM trainings WHERE district_id = $1 AND NOT deleted ORDER BY name, code`,
      [principal.districtId],
    );
    return c.json({ trainings: rows.map((r) => ({ code: r.code, name: r.name, validMonths: r.valid_months })), requiredForRights: RIGHTS_TRAINING });
  });

  /** Rights in force that lapse within `days` (default 30): whom to ask to renew, and who approved them. */
  app.get('/tool-rights/expiring', async (c) => {
    const schoolId = c.req.query('schoolId') ?? null;
    const daysRaw = c.req.query('days') ?? '30';
    if ((schoolId !== null && !UUID.test(schoolId)) || !/^\d{1,3}$/.test(daysRaw) || Number(daysRaw) < 1 || Number(daysRaw) > 180) {
      throw new ApiError(400, 'validation_failed', { fields: ['schoolId', 'days'] });
    }
    requireStaffAdmin(c, schoolId);
    if (schoolId !== null && !(await schoolExists(c.get('deps').store, c.get('principal').districtId, schoolId))) throw new ApiError(404, 'not_found');
    const from = today(c);
    const rows = await c.get('deps').store.query<RightRow>(
      `SELECT ${RIGHT_COLUMNS} FROM tool_rights r ${RIGHT_JOINS}
        WHERE r.district_id = $1 AND NOT r.deleted AND r.expires_on >= $2 AND r.expires_on <= $3
          AND ($4::uuid IS NULL OR r.school_id = $4)
        ORDER BY r.expires_on, sp.last_name, r.tool`,
      [c.get('principal').districtId, from, addDays(from, Number(daysRaw)), schoolId],
    );
    return c.json({ rights: rows.map(toRight) });
  });

  /** Grants a right. The asker approves it and may not approve their own. */
  app.post('/tool-rights', async (c) => {
    const f = new Fields(await readJsonObject(c));
    const staffId = f.uuid('staffId');
    const tool = f.oneOf('tool', TOOLS);
    const schoolId = f.uuid('schoolId', true);
    const expiresOn = f.date('expiresOn');
    f.done();
    requireStaffAdmin(c, schoolId);
    const principal = c.get('principal');
    if (staffId === principal.staffId) throw new ApiError(403, 'self_approval');
    const now = c.get('deps').clock();
    const day = today(c);
    if (expiresOn! <= day || expiresOn! > addDays(day, MAX_RIGHT_DAYS)) throw new ApiError(400, 'validation_failed', { fields: ['expiresOn'] });
    const id = await c.get('deps').store.transaction(async (tx) => {
      if (!(await staffExists(tx, principal.districtId, staffId!))) throw new ApiError(404, 'not_found');
      if (schoolId && !(await schoolExists(tx, principal.districtId, schoolId))) throw new ApiError(404, 'not_found');
      // A right follows a role: the person must work at that school (or district-wide) now.
      const [location] = await tx.query(
        `SELECT 1 FROM staff_locations WHERE district_id = $1 AND staff_id = $2 AND NOT deleted AND start_date <= $4 AND (end_date IS NULL OR end_date >= $4)
            AND ($3::uuid IS NULL AND school_id IS NULL OR school_id = $3)`,
        [principal.districtId, staffId, schoolId, day],
      );
      if (!location) throw new ApiError(409, 'no_location');
      // Every right needs the district's privacy training, completed and current.
      const [training] = await tx.query<{ id: string; expires_on: string }>(
        `SELECT t.id, to_char(max(st.expires_on), 'YYYY-MM-DD') AS expires_on FROM trainings t
           LEFT JOIN staff_trainings st ON st.district_id = t.district_id AND st.training_id = t.id AND st.staff_id = $2 AND NOT st.deleted
          WHERE t.district_id = $1 AND t.code = $3 AND NOT t.deleted GROUP BY t.id`,
        [principal.districtId, staffId, RIGHTS_TRAINING],
      );
      if (!training || !training.expires_on || training.expires_on < day) throw new ApiError(409, 'training_required');
      const [existing] = await tx.query(
        `SELECT 1 FROM tool_rights WHERE district_id = $1 AND staff_id = $2 AND tool = $3 AND school_id IS NOT DISTINCT FROM $4::uuid AND NOT deleted AND expires_on >= $5`,
        [principal.districtId, staffId, tool, schoolId, day],
      );
      if (existing) throw new ApiError(409, 'already_granted');
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO tool_rights (district_id, id, staff_id, tool, school_id, required_training_id, approved_by_staff_id, approved_on, expires_on)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [principal.districtId, staffId, tool, schoolId, training.id, principal.staffId, day, expiresOn],
      );
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'tool_rights', rowId: row!.id, action: 'insert', oldValues: null, newValues: { staff_id: staffId, tool, school_id: schoolId, approved_on: day, expires_on: expiresOn, approved_by_staff_id: principal.staffId } }, now);
      return row!.id;
    });
    return c.json({ right: toRight((await loadRight(c.get('deps').store, principal.districtId, id))!) }, 201);
  });

  /** Renews a right: a new renewal date, approved again by the asker. */
  app.put('/tool-rights/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'not_found');
    const f = new Fields(await readJsonObject(c));
    const expiresOn = f.date('expiresOn');
    f.done();
    const principal = c.get('principal');
    const now = c.get('deps').clock();
    const day = today(c);
    if (expiresOn! <= day || expiresOn! > addDays(day, MAX_RIGHT_DAYS)) throw new ApiError(400, 'validation_failed', { fields: ['expiresOn'] });
    await c.get('deps').store.transaction(async (tx) => {
      const [old] = await tx.query<{ staff_id: string; school_id: string | null; expires_on: string; approved_on: string; approved_by_staff_id: string }>(
        `SELECT staff_id, school_id, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, to_char(approved_on, 'YYYY-MM-DD') AS approved_on, approved_by_staff_id
           FROM tool_rights WHERE district_id = $1 AND id = $2 AND NOT deleted FOR UPDATE`,
        [principal.districtId, id],
      );
      if (!old) throw new ApiError(404, 'not_found');
      requireStaffAdmin(c, old.school_id);
      if (old.staff_id === principal.staffId) throw new ApiError(403, 'self_approval');
      await tx.query(`UPDATE tool_rights SET expires_on = $3, approved_on = $4, approved_by_staff_id = $5 WHERE district_id = $1 AND id = $2`, [principal.districtId, id, expiresOn, day, principal.staffId]);
      await audit(tx, {
        districtId: principal.districtId, actorAccountId: principal.accountId, table: 'tool_rights', rowId: id, action: 'update',
        oldValues: { expires_on: old.expires_on, approved_on: old.approved_on, approved_by_staff_id: old.approved_by_staff_id },
        newValues: { expires_on: expiresOn, approved_on: day, approved_by_staff_id: principal.staffId },
      }, now);
    });
    return c.json({ right: toRight((await loadRight(c.get('deps').store, principal.districtId, id))!) });
  });

  /** Withdraws a right at once (it stops on the holder's next request). */
  app.delete('/tool-rights/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'not_found');
    const principal = c.get('principal');
    const now = c.get('deps').clock();
    await c.get('deps').store.transaction(async (tx) => {
      const [old] = await tx.query<{ staff_id: string; tool: string; school_id: string | null; expires_on: string }>(
        `SELECT staff_id, tool, school_id, to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM tool_rights WHERE district_id = $1 AND id = $2 AND NOT deleted FOR UPDATE`,
        [principal.districtId, id],
      );
      if (!old) throw new ApiError(404, 'not_found');
      requireStaffAdmin(c, old.school_id);
      await tx.query(`UPDATE tool_rights SET deleted = true WHERE district_id = $1 AND id = $2`, [principal.districtId, id]);
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'tool_rights', rowId: id, action: 'delete', oldValues: old, newValues: null }, now);
    });
    return c.body(null, 204);
  });

  /** Gives a staff member a role at a school from a date (district admins: district-wide). */
  app.post('/locations', async (c) => {
    const f = new Fields(await readJsonObject(c));
    const staffId = f.uuid('staffId');
    const role = f.oneOf('role', STAFF_ROLES);
    const schoolId = role === 'district_admin' ? null : f.uuid('schoolId');
    const startDate = f.date('startDate');
    const endDate = f.date('endDate', true);
    f.done();
    if (endDate && endDate < startDate!) throw new ApiError(400, 'validation_failed', { fields: ['endDate'] });
    requireStaffAdmin(c, schoolId);
    const principal = c.get('principal');
    // A role brings rights with it (office staff decide household changes): nobody gives themselves one.
    if (staffId === principal.staffId) throw new ApiError(403, 'self_approval');
    const now = c.get('deps').clock();
    const id = await c.get('deps').store.transaction(async (tx) => {
      if (!(await staffExists(tx, principal.districtId, staffId!))) throw new ApiError(404, 'not_found');
      if (schoolId && !(await schoolExists(tx, principal.districtId, schoolId))) throw new ApiError(404, 'not_found');
      const [existing] = await tx.query(
        `SELECT 1 FROM staff_locations WHERE district_id = $1 AND staff_id = $2 AND role = $3 AND school_id IS NOT DISTINCT FROM $4::uuid AND NOT deleted`,
        [principal.districtId, staffId, role, schoolId],
      );
      if (existing) throw new ApiError(409, 'already_granted');
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO staff_locations (district_id, id, staff_id, school_id, role, start_date, end_date) VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6) RETURNING id`,
        [principal.districtId, staffId, schoolId, role, startDate, endDate],
      );
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'staff_locations', rowId: row!.id, action: 'insert', oldValues: null, newValues: { staff_id: staffId, school_id: schoolId, role, start_date: startDate, end_date: endDate } }, now);
      return row!.id;
    });
    return c.json({ id }, 201);
  });

  /** Ends a role at a school on a date (today or later; the daily job sends the tombstones). */
  app.put('/locations/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'not_found');
    const f = new Fields(await readJsonObject(c));
    const endDate = f.date('endDate', true);
    f.done();
    const principal = c.get('principal');
    const now = c.get('deps').clock();
    await c.get('deps').store.transaction(async (tx) => {
      const [old] = await tx.query<{ school_id: string | null; staff_id: string; role: string; start_date: string; end_date: string | null }>(
        `SELECT school_id, staff_id, role, to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date FROM staff_locations
          WHERE district_id = $1 AND id = $2 AND NOT deleted FOR UPDATE`,
        [principal.districtId, id],
      );
      if (!old) throw new ApiError(404, 'not_found');
      requireStaffAdmin(c, old.school_id);
      if (old.staff_id === principal.staffId) throw new ApiError(403, 'self_approval');
      if (endDate && endDate < old.start_date) throw new ApiError(400, 'validation_failed', { fields: ['endDate'] });
      await tx.query(`UPDATE staff_locations SET end_date = $3 WHERE district_id = $1 AND id = $2`, [principal.districtId, id, endDate]);
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'staff_locations', rowId: id, action: 'update', oldValues: { end_date: old.end_date }, newValues: { end_date: endDate } }, now);
      // A teacher who no longer teaches at the school no longer teaches its sections: her section
      // assignments there end with the role, unless another teaching role there goes on longer.
      if (endDate && old.school_id && old.role === 'teacher') {
        const ended = await tx.query<{ id: string; end_date: string | null }>(
          `SELECT ss.id, to_char(ss.end_date, 'YYYY-MM-DD') AS end_date FROM section_staff ss JOIN sections x ON x.district_id = ss.district_id AND x.id = ss.section_id
            WHERE ss.district_id = $1 AND ss.staff_id = $2 AND x.school_id = $3 AND NOT ss.deleted AND (ss.end_date IS NULL OR ss.end_date > $4)
              AND NOT EXISTS (SELECT 1 FROM staff_locations l WHERE l.district_id = $1 AND l.staff_id = $2 AND l.school_id = $3 AND l.role = 'teacher' AND l.id <> $5
                                AND NOT l.deleted AND l.start_date <= $4 AND (l.end_date IS NULL OR l.end_date > $4))
            FOR UPDATE OF ss`,
          [principal.districtId, old.staff_id, old.school_id, endDate, id],
        );
        for (const assignment of ended) {
          await tx.query(`UPDATE section_staff SET end_date = $3 WHERE district_id = $1 AND id = $2`, [principal.districtId, assignment.id, endDate]);
          await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'section_staff', rowId: assignment.id, action: 'update', oldValues: { end_date: assignment.end_date }, newValues: { end_date: endDate } }, now);
        }
      }
    });
    return c.body(null, 204);
  });

  /** Records a completed training; it lapses after the training's validity. */
  app.post('/trainings', async (c) => {
    const body = await readJsonObject(c);
    const f = new Fields(body);
    const staffId = f.uuid('staffId');
    const completedOn = f.date('completedOn');
    const code = typeof body.code === 'string' && /^[A-Z0-9_-]{2,20}$/.test(body.code) ? body.code : (f.invalid.push('code'), '');
    f.done();
    const principal = c.get('principal');
    if (completedOn! > today(c)) throw new ApiError(400, 'validation_failed', { fields: ['completedOn'] });
    // A current training is what keeps tool rights in force: nobody vouches for their own.
    if (staffId === principal.staffId) throw new ApiError(403, 'self_approval');
    const now = c.get('deps').clock();
    const db = c.get('deps').store;
    if (!(await staffExists(db, principal.districtId, staffId!))) throw new ApiError(404, 'not_found');
    // Whoever administers staff at one of the person's schools may record it.
    const schools = await db.query<{ school_id: string | null }>(`SELECT school_id FROM staff_locations WHERE district_id = $1 AND staff_id = $2 AND NOT deleted`, [principal.districtId, staffId]);
    if (!canUseTool(principal, 'staff_admin', null) && !schools.some((s) => s.school_id && canUseTool(principal, 'staff_admin', s.school_id))) throw new ApiError(403, 'forbidden');
    const id = await db.transaction(async (tx) => {
      const [training] = await tx.query<{ id: string; valid_months: number }>(`SELECT id, valid_months FROM trainings WHERE district_id = $1 AND code = $2 AND NOT deleted`, [principal.districtId, code]);
      if (!training) throw new ApiError(404, 'not_found');
      const [row] = await tx.query<{ id: string; expires_on: string }>(
        `INSERT INTO staff_trainings (district_id, id, staff_id, training_id, completed_on, expires_on)
         VALUES ($1, gen_random_uuid(), $2, $3, $4::date, ($4::date + make_interval(months => $5::int))::date) RETURNING id, to_char(expires_on, 'YYYY-MM-DD') AS expires_on`,
        [principal.districtId, staffId, training.id, completedOn, training.valid_months],
      );
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'staff_trainings', rowId: row!.id, action: 'insert', oldValues: null, newValues: { staff_id: staffId, training: code, completed_on: completedOn, expires_on: row!.expires_on } }, now);
      return row!.id;
    });
    return c.json({ id }, 201);
  });

  /** A school's settings: grading scale, rounding, lockout threshold, which grades get student accounts. */
  app.get('/schools/:id/settings', async (c) => {
    const schoolId = c.req.param('id');
    if (!UUID.test(schoolId)) throw new ApiError(404, 'not_found');
    requireStaffAdmin(c, schoolId);
    const db = c.get('deps').store;
    const districtId = c.get('principal').districtId;
    const [school] = await db.query<SchoolSettingsRow>(`SELECT ${SETTINGS_COLUMNS} FROM schools WHERE district_id = $1 AND id = $2 AND NOT deleted`, [districtId, schoolId]);
    if (!school) throw new ApiError(404, 'not_found');
    const scales = await db.query<{ id: string; name: string; kind: string; bands: Array<{ mark: string; min_percent: string; passing: boolean }> }>(
      `SELECT g.id, g.name, g.kind, json_agg(json_build_object('mark', b.mark, 'min_percent', b.min_percent, 'passing', b.passing) ORDER BY b.min_percent DESC) AS bands
         FROM grading_scales g JOIN grading_scale_bands b ON b.district_id = g.district_id AND b.grading_scale_id = g.id AND NOT b.deleted
        WHERE g.district_id = $1 AND NOT g.deleted GROUP BY g.id, g.name, g.kind ORDER BY g.name`,
      [districtId],
    );
    return c.json({
      settings: toSettings(school),
      gradingScales: scales.map((s) => ({ id: s.id, name: s.name, kind: s.kind, bands: s.bands.map((b) => ({ mark: b.mark, minPercent: Number(b.min_percent), passing: b.passing })) })),
    });
  });

  app.put('/schools/:id/settings', async (c) => {
    const schoolId = c.req.param('id');
    if (!UUID.test(schoolId)) throw new ApiError(404, 'not_found');
    const f = new Fields(await readJsonObject(c));
    const gradingScaleId = f.uuid('gradingScaleId');
    const roundingDecimals = f.integer('roundingDecimals', 0, 2);
    const studentAccountsFromGrade = f.integer('studentAccountsFromGrade', -1, 12, true);
    const lockoutThreshold = f.integer('lockoutThreshold', 1, 20, true);
    f.done();
    requireStaffAdmin(c, schoolId);
    const principal = c.get('principal');
    const now = c.get('deps').clock();
    const settings = await c.get('deps').store.transaction(async (tx) => {
      const [old] = await tx.query<SchoolSettingsRow>(`SELECT ${SETTINGS_COLUMNS} FROM schools WHERE district_id = $1 AND id = $2 AND NOT deleted FOR UPDATE`, [principal.districtId, schoolId]);
      if (!old) throw new ApiError(404, 'not_found');
      const [scale] = await tx.query(`SELECT 1 FROM grading_scales WHERE district_id = $1 AND id = $2 AND NOT deleted`, [principal.districtId, gradingScaleId]);
      if (!scale) throw new ApiError(400, 'validation_failed', { fields: ['gradingScaleId'] });
      // A school may be stricter than the district for its own accounts, never looser.
      const [district] = await tx.query<{ lockout_threshold: number }>(`SELECT lockout_threshold FROM districts WHERE id = $1`, [principal.districtId]);
      if (lockoutThreshold !== null && lockoutThreshold > district!.lockout_threshold) throw new ApiError(400, 'validation_failed', { fields: ['lockoutThreshold'], max: district!.lockout_threshold });
      const [row] = await tx.query<SchoolSettingsRow>(
        `UPDATE schools SET grading_scale_id = $3, rounding_decimals = $4, student_accounts_from_grade = $5, lockout_threshold = $6
          WHERE district_id = $1 AND id = $2 RETURNING ${SETTINGS_COLUMNS}`,
        [principal.districtId, schoolId, gradingScaleId, roundingDecimals, studentAccountsFromGrade, lockoutThreshold],
      );
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'schools', rowId: schoolId, action: 'update', oldValues: toSettings(old), newValues: toSettings(row!) }, now);
      return toSettings(row!);
    });
    return c.json({ settings });
  });

  return app;
}

interface SchoolSettingsRow {
  id: string;
  name: string;
  grading_scale_id: string;
  rounding_decimals: number;
  student_accounts_from_grade: number | null;
  lockout_threshold: number | null;
}
const SETTINGS_COLUMNS = 'id, name, grading_scale_id, rounding_decimals, student_accounts_from_grade, lockout_threshold';

function toSettings(row: SchoolSettingsRow) {
  return {
    schoolId: row.id, name: row.name, gradingScaleId: row.grading_scale_id, roundingDecimals: row.rounding_decimals,
    studentAccountsFromGrade: row.student_accounts_from_grade, lockoutThreshold: row.lockout_threshold,
  };
}
