import { UUID } from '../domain/ids.ts';
/**
 * What staff send to families: teachers' messages to the guardians of a section or of one
 * student, and announcements for a section, a school or the district, in several languages,
 * shown from a start date to an end date. Families receive both through the `messages` sync
 * collection; these routes only write. Every write is audited.
 */
import { Hono, type Context } from 'hono';
import { audit } from '../access/access-log.ts';
import { requireAuth } from '../access/authenticate.ts';
import { canAccessStudent, canUseTool } from '../access/policy.ts';
import type { AppEnv } from '../app.ts';
import { LANGUAGES, type Language } from '../contract/roles.ts';
import { GRADE_HIGHEST, GRADE_LOWEST } from '../contract/sync/messages.ts';
import type { Queryable } from '../db/store.ts';
import { addDays, isIsoDate } from '../domain/dates.ts';
import { ApiError } from '../errors.ts';
import { readJsonObject } from './validate.ts';
import { loadStudentResource } from './students.ts';

/** Announcements run at most a school year. */
const MAX_ANNOUNCEMENT_DAYS = 366;

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string' || value.includes('\u0000')) return null;
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= max ? trimmed : null;
}

/** `{ en: "...", es: "..." }`: English required (the fallback), other languages optional. */
function translations(value: unknown, max: number): Partial<Record<Language, string>> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const out: Partial<Record<Language, string>> = {};
  for (const [language, raw] of Object.entries(value)) {
    if (!(LANGUAGES as readonly string[]).includes(language)) return null;
    if (raw === null || raw === '') continue;
    const t = text(raw, max);
    if (t === null) return null;
    out[language as Language] = t;
  }
  return out.en ? out : null;
}

function today(c: Context<AppEnv>): string {
  return c.get('deps').clock().toISOString().slice(0, 10);
}

/** Guardians with portal access of the given students: the people a message goes to. */
async function guardiansOf(db: Queryable, districtId: string, studentIds: string[]): Promise<string[]> {
  const rows = await db.query<{ person_id: string }>(
    `SELECT DISTINCT g.guardian_person_id AS person_id FROM guardianships g
      WHERE g.district_id = $1 AND g.student_id = ANY($2::uuid[]) AND g.portal_access AND NOT g.deleted`,
    [districtId, studentIds],
  );
  return rows.map((r) => r.person_id);
}

export function staffMessageRoutes() {
  const app = new Hono<AppEnv>();
  // Mounted beside /api/staff/accounts, which authenticates for itself.
  for (const path of ['/messages', '/announcements', '/announcements/*']) app.use(path, requireAuth);

  /**
   * A message to the guardians of a section a teacher teaches, or of one student the sender may
   * reach (as teacher, counselor or school staff). `{ sectionId | studentId, subject, body }`.
   */
  app.post('/messages', async (c) => {
    const body = await readJsonObject(c);
    const sectionId = typeof body.sectionId === 'string' && UUID.test(body.sectionId) ? body.sectionId.toLowerCase() : null;
    const studentId = typeof body.studentId === 'string' && UUID.test(body.studentId) ? body.studentId.toLowerCase() : null;
    const subject = text(body.subject, 200);
    const message = text(body.body, 20_000);
    const invalid = [
      ...((sectionId === null) === (studentId === null) ? ['sectionId', 'studentId'] : []),
      ...(subject === null ? ['subject'] : []),
      ...(message === null ? ['body'] : []),
    ];
    if (invalid.length > 0) throw new ApiError(400, 'validation_failed', { fields: invalid });
    const principal = c.get('principal');
    if (!principal.staffId) throw new ApiError(403, 'forbidden');
    const { store, clock } = c.get('deps');
    const now = clock();
    const result = await store.transaction(async (tx) => {
      let students: string[];
      if (sectionId) {
        // Only the section's own teachers write to its families.
        if (!principal.sectionIds.has(sectionId)) throw new ApiError(403, 'forbidden');
        const rows = await tx.query<{ student_id: string }>(
          `SELECT student_id FROM section_enrollments WHERE district_id = $1 AND section_id = $2 AND NOT deleted AND start_date <= $3 AND (end_date IS NULL OR end_date >= $3)`,
          [principal.districtId, sectionId, today(c)],
        );
        students = rows.map((r) => r.student_id);
      } else {
        const student = await loadStudentResource(tx, principal.districtId, studentId!);
        if (!student || !canAccessStudent(principal, 'read', 'profile', student) || principal.guardianOf.has(studentId!) || principal.selfStudentId === studentId) {
          throw new ApiError(403, 'forbidden');
        }
        students = [studentId!];
      }
      const recipients = await guardiansOf(tx, principal.districtId, students);
      if (recipients.length === 0) throw new ApiError(409, 'no_recipients');
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO messages (district_id, id, sender_person_id, section_id, about_student_id, subject, body, sent_at)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7) RETURNING id`,
        [principal.districtId, principal.personId, sectionId, studentId, subject, message, now],
      );
      await tx.query(
        `INSERT INTO message_recipients (district_id, id, message_id, person_id)
         SELECT $1, gen_random_uuid(), $2, person_id FROM unnest($3::uuid[]) AS person_id`,
        [principal.districtId, row!.id, recipients],
      );
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'messages', rowId: row!.id, action: 'insert', oldValues: null, newValues: { section_id: sectionId, about_student_id: studentId, subject, recipients: recipients.length } }, now);
      return { id: row!.id, recipients: recipients.length };
    });
    return c.json(result, 201);
  });

  /** Announcements a staff member manages: those of the schools (or district) they hold the right for, and their sections'. */
  app.get('/announcements', async (c) => {
    const principal = c.get('principal');
    if (!principal.staffId) throw new ApiError(403, 'forbidden');
    const rows = await c.get('deps').store.query<AnnouncementRow>(
      `SELECT ${ANNOUNCEMENT_COLUMNS} FROM announcements WHERE district_id = $1 AND NOT deleted AND ends_on >= $2 ORDER BY starts_on DESC, id LIMIT 500`,
      [principal.districtId, addDays(today(c), -30)],
    );
    return c.json({ announcements: rows.filter((r) => mayManage(c, r)).map(toAnnouncement) });
  });

  app.post('/announcements', async (c) => {
    const input = readAnnouncement(await readJsonObject(c), today(c));
    const principal = c.get('principal');
    requireManage(c, input);
    const { store, clock } = c.get('deps');
    const now = clock();
    const created = await store.transaction(async (tx) => {
      if (input.schoolId && !(await tx.query(`SELECT 1 FROM schools WHERE district_id = $1 AND id = $2 AND NOT deleted`, [principal.districtId, input.schoolId])).length) throw new ApiError(404, 'not_found');
      await requireGradesTaught(tx, principal.districtId, input);
      const [row] = await tx.query<AnnouncementRow>(
        `INSERT INTO announcements (district_id, id, scope, school_id, section_id, title, body, starts_on, ends_on, author_staff_id, grades)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, $9, $10::smallint[]) RETURNING ${ANNOUNCEMENT_COLUMNS}`,
        [principal.districtId, input.scope, input.schoolId, input.sectionId, input.title, input.body, input.startsOn, input.endsOn, principal.staffId, gradesParam(input.grades)],
      );
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'announcements', rowId: row!.id, action: 'insert', oldValues: null, newValues: toAnnouncement(row!) }, now);
      return toAnnouncement(row!);
    });
    return c.json({ announcement: created }, 201);
  });

  app.put('/announcements/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'not_found');
    const input = readAnnouncement(await readJsonObject(c), today(c));
    const principal = c.get('principal');
    const { store, clock } = c.get('deps');
    const now = clock();
    const updated = await store.transaction(async (tx) => {
      const [old] = await tx.query<AnnouncementRow>(`SELECT ${ANNOUNCEMENT_COLUMNS} FROM announcements WHERE district_id = $1 AND id = $2 AND NOT deleted FOR UPDATE`, [principal.districtId, id]);
      if (!old) throw new ApiError(404, 'not_found');
      // Both the announcement as it is and as it would become must be the asker's to manage.
      requireManage(c, old);
      requireManage(c, input);
      await requireGradesTaught(tx, principal.districtId, input);
      const [row] = await tx.query<AnnouncementRow>(
        `UPDATE announcements SET scope = $3, school_id = $4, section_id = $5, title = $6, body = $7, starts_on = $8, ends_on = $9, grades = $10::smallint[]
          WHERE district_id = $1 AND id = $2 RETURNING ${ANNOUNCEMENT_COLUMNS}`,
        [principal.districtId, id, input.scope, input.schoolId, input.sectionId, input.title, input.body, input.startsOn, input.endsOn, gradesParam(input.grades)],
      );
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'announcements', rowId: id, action: 'update', oldValues: toAnnouncement(old), newValues: toAnnouncement(row!) }, now);
      return toAnnouncement(row!);
    });
    return c.json({ announcement: updated });
  });

  app.delete('/announcements/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'not_found');
    const principal = c.get('principal');
    const { store, clock } = c.get('deps');
    const now = clock();
    await store.transaction(async (tx) => {
      const [old] = await tx.query<AnnouncementRow>(`SELECT ${ANNOUNCEMENT_COLUMNS} FROM announcements WHERE district_id = $1 AND id = $2 AND NOT deleted FOR UPDATE`, [principal.districtId, id]);
      if (!old) throw new ApiError(404, 'not_found');
      requireManage(c, old);
      await tx.query(`UPDATE announcements SET deleted = true WHERE district_id = $1 AND id = $2`, [principal.districtId, id]);
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'announcements', rowId: id, action: 'delete', oldValues: toAnnouncement(old), newValues: null }, now);
    });
    return c.body(null, 204);
  });

  return app;
}

type Scope = 'district' | 'school' | 'section';

interface AnnouncementInput {
  scope: Scope;
  schoolId: string | null;
  sectionId: string | null;
  title: Partial<Record<Language, string>>;
  body: Partial<Record<Language, string>>;
  startsOn: string;
  endsOn: string;
  /** The grade levels it is meant for, lowest first; empty: every grade. */
  grades: number[];
}

interface AnnouncementRow {
  id: string;
  scope: Scope;
  school_id: string | null;
  section_id: string | null;
  title: Partial<Record<Language, string>>;
  body: Partial<Record<Language, string>>;
  starts_on: string;
  ends_on: string;
  author_staff_id: string | null;
  grades: number[] | null;
}

const ANNOUNCEMENT_COLUMNS = `id, scope, school_id, section_id, title, body, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on, author_staff_id, grades`;

function toAnnouncement(r: AnnouncementRow) {
  return { id: r.id, scope: r.scope, schoolId: r.school_id, sectionId: r.section_id, title: r.title, body: r.body, startsOn: r.starts_on, endsOn: r.ends_on, grades: r.grades ?? [] };
}

/** Stored as NULL when it names none (every grade). */
function gradesParam(grades: number[]): string | null {
  return grades.length === 0 ? null : `{${grades.join(',')}}`;
}

/**
 * Grades are absent (every grade) or a list of grade levels; a class's announcement names none,
 * since it is for the class's roster whatever their grades. Sorted, each once.
 */
function readGrades(value: unknown, scope: Scope): number[] | null {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > GRADE_HIGHEST - GRADE_LOWEST + 1) return null;
  if (!value.every((grade) => Number.isInteger(grade) && grade >= GRADE_LOWEST && grade <= GRADE_HIGHEST)) return null;
  if (scope === 'section' && value.length > 0) return null;
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

/**
 * A school's announcement names grades the school teaches (grade_low to grade_high); the district's,
 * grades some school of the district teaches. 422 `grade_not_taught` names the others.
 */
async function requireGradesTaught(db: Queryable, districtId: string, input: AnnouncementInput): Promise<void> {
  if (input.grades.length === 0) return;
  const [row] = await db.query<{ untaught: number[] | null }>(
    `SELECT array_agg(g ORDER BY g) AS untaught FROM unnest($2::smallint[]) g
      WHERE NOT EXISTS (SELECT 1 FROM schools k WHERE k.district_id = $1 AND NOT k.deleted AND ($3::uuid IS NULL OR k.id = $3) AND g BETWEEN k.grade_low AND k.grade_high)`,
    [districtId, gradesParam(input.grades), input.scope === 'school' ? input.schoolId : null],
  );
  if (row?.untaught && row.untaught.length > 0) throw new ApiError(422, 'grade_not_taught', { fields: ['grades'], grades: row.untaught });
}

function readAnnouncement(body: Record<string, unknown>, day: string): AnnouncementInput {
  const invalid: string[] = [];
  const scope = ['district', 'school', 'section'].includes(body.scope as string) ? (body.scope as Scope) : (invalid.push('scope'), 'district');
  const id = (name: string) => {
    const v = body[name];
    if (typeof v === 'string' && UUID.test(v)) return v.toLowerCase();
    invalid.push(name);
    return null;
  };
  const schoolId = scope === 'school' ? id('schoolId') : null;
  const sectionId = scope === 'section' ? id('sectionId') : null;
  const title = translations(body.title, 200) ?? (invalid.push('title'), {});
  const text = translations(body.body, 5000) ?? (invalid.push('body'), {});
  const startsOn = typeof body.startsOn === 'string' && isIsoDate(body.startsOn) ? body.startsOn : (invalid.push('startsOn'), day);
  const endsOn = typeof body.endsOn === 'string' && isIsoDate(body.endsOn) ? body.endsOn : (invalid.push('endsOn'), day);
  if (!invalid.includes('endsOn') && (endsOn < startsOn || endsOn < day || endsOn > addDays(startsOn, MAX_ANNOUNCEMENT_DAYS))) invalid.push('endsOn');
  const grades = readGrades(body.grades, scope) ?? (invalid.push('grades'), []);
  if (invalid.length > 0) throw new ApiError(400, 'validation_failed', { fields: invalid });
  return { scope, schoolId, sectionId, title, body: text, startsOn, endsOn, grades };
}

/** District: the district-wide right; school: the right there; section: its teacher. */
function mayManage(c: Context<AppEnv>, a: { scope: Scope; school_id?: string | null; schoolId?: string | null; section_id?: string | null; sectionId?: string | null }): boolean {
  const principal = c.get('principal');
  const schoolId = a.schoolId ?? a.school_id ?? null;
  const sectionId = a.sectionId ?? a.section_id ?? null;
  if (a.scope === 'district') return canUseTool(principal, 'announcements', null);
  if (a.scope === 'school') return canUseTool(principal, 'announcements', schoolId);
  return sectionId !== null && principal.sectionIds.has(sectionId);
}

function requireManage(c: Context<AppEnv>, a: Parameters<typeof mayManage>[1]): void {
  if (!mayManage(c, a)) throw new ApiError(403, 'forbidden');
}
