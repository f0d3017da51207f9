/**
 * Every staff action, one row each, tried four ways on one seeded district (plus a second
 * district for the cross-district cases):
 *   (a) the right role in scope: it succeeds and the audit trail names who, when, what, and the
 *       old and new values, checked against the rows as they were before and after;
 *   (b) out of scope (another school's record, another district's staff): refused with a code,
 *       nothing written, no audit row;
 *   (c) the same user after the thing that allowed it lapsed (right expired or withdrawn, training
 *       lapsed, role or section assignment ended): refused the same way;
 *   (d) a guardian and a student: refused.
 * Refusals run first, on the very target the in-scope case then changes, so a refusal is about
 * who asks, not about the record.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENDANCE_SCHEMA_VERSION } from '../contract/sync/attendance.ts';
import { REQUESTS_SCHEMA_VERSION } from '../contract/sync/requests.ts';
import { SCORES_SCHEMA_VERSION, scoreId } from '../contract/sync/scores.ts';
import type { SqlParam } from '../db/store.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { appFixture, freshAddress, signIn, type AppFixture } from '../test/app-fixture.ts';

const TODAY = '2026-11-24';
const YESTERDAY = '2026-11-23';

type Role = 'teacher' | 'office' | 'principal';
type Target = Record<string, any>;
type State = any;
interface Reply {
  status: number;
  body: any;
}
interface AuditEntry {
  table: string;
  rowId: string;
  action: 'insert' | 'update' | 'delete';
  old: Record<string, unknown> | null;
  new: Record<string, unknown> | null;
}
/** Takes away what allowed the action; returns how to give it back. */
interface Lapse {
  label: string;
  apply(staffId: string, target: Target): Promise<() => Promise<void>>;
}
interface StaffAction {
  name: string;
  role: Role;
  /** The in-scope target, and targets outside the actor's scope by label. */
  prepare(): Promise<{ own: Target; outside: Record<string, Target> }>;
  perform(token: string, target: Target): Promise<Reply>;
  /** What the action would change, read from the store: a refusal must leave it equal. */
  state(target: Target): Promise<State>;
  succeeds: number;
  /** The audit entries the in-scope action must have written, from the rows before and after. */
  audit(target: Target, before: State, after: State, reply: Reply): AuditEntry[];
  lapses: Lapse[];
}

let f: AppFixture;
const ids = {} as {
  district: string; high: string; middle: string;
  teacher: string; office: string; principal: string;
  section: string; period: string; category: string; student: string; studentPerson: string;
  otherSection: string; otherPeriod: string; otherCategory: string; otherStudent: string;
  middleTeacher: string; ferpa: string; ill: string;
};
/** What one row creates and a later row works on. */
const made = {} as { assignment: string; announcement: string; right: string; location: string; mark: Target };

const q = <T = any>(sql: string, params: SqlParam[] = []) => f.store.query<T>(sql, params);
async function one<T = any>(sql: string, params: SqlParam[] = []): Promise<T> {
  const [row] = await q<T>(sql, params);
  if (!row) throw new Error(`test data missing: ${sql.slice(0, 120)}`);
  return row;
}

const tokens = new Map<string, string>();
async function tokenOf(username: string): Promise<string> {
  if (!tokens.has(username)) tokens.set(username, (await signIn(f.app, username)).token);
  return tokens.get(username)!;
}

async function send(method: string, path: string, token: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-forwarded-for': freshAddress(), 'user-agent': 'vitest' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await f.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('application/json');
  return { status: response.status, body: json && text ? JSON.parse(text) : text };
}

const push = (collection: string, version: number) => (token: string, target: Target) => send('POST', `/api/sync/${collection}/push?v=${version}`, token, target.rows);

async function staffIdOf(username: string): Promise<string> {
  return (await one<{ id: string }>(`SELECT s.id FROM staff s JOIN accounts a ON a.district_id = s.district_id AND a.person_id = s.person_id WHERE a.username = $1`, [username])).id;
}
async function accountIdOf(username: string): Promise<string> {
  return (await one<{ id: string }>(`SELECT id FROM accounts WHERE username = $1`, [username])).id;
}

/** Runs an update that must touch at least one row, and returns its undo. */
async function change(sql: string, params: SqlParam[], undo: (row: any) => [string, SqlParam[]]): Promise<() => Promise<void>> {
  const rows = await q(sql, params);
  if (rows.length === 0) throw new Error(`lapse changed nothing: ${sql.slice(0, 120)}`);
  return async () => {
    for (const row of rows) await q(...undo(row));
  };
}

const expiredRight = (tool: string): Lapse => ({
  label: `her ${tool} right expired yesterday`,
  apply: async (staffId) => {
    const rows = await q<{ id: string; was: string }>(`SELECT id, to_char(expires_on, 'YYYY-MM-DD') AS was FROM tool_rights WHERE staff_id = $1 AND tool = $2 AND NOT deleted`, [staffId, tool]);
    return change(`UPDATE tool_rights SET expires_on = $2 WHERE id = ANY($1::uuid[]) RETURNING id`, [rows.map((r) => r.id), YESTERDAY], (r) => [`UPDATE tool_rights SET expires_on = $2 WHERE id = $1`, [r.id, rows.find((x) => x.id === r.id)!.was]]);
  },
});
const withdrawnRight = (tool: string): Lapse => ({
  label: `her ${tool} right was withdrawn`,
  apply: (staffId) => change(`UPDATE tool_rights SET deleted = true WHERE staff_id = $1 AND tool = $2 AND NOT deleted RETURNING id`, [staffId, tool], (r) => [`UPDATE tool_rights SET deleted = false WHERE id = $1`, [r.id]]),
});
const lapsedTraining: Lapse = {
  label: 'her trainings lapsed yesterday',
  apply: async (staffId) => {
    const rows = await q<{ id: string; was: string }>(`SELECT id, to_char(expires_on, 'YYYY-MM-DD') AS was FROM staff_trainings WHERE staff_id = $1 AND NOT deleted AND expires_on >= $2`, [staffId, TODAY]);
    return change(`UPDATE staff_trainings SET expires_on = $2 WHERE id = ANY($1::uuid[]) RETURNING id`, [rows.map((r) => r.id), YESTERDAY], (r) => [`UPDATE staff_trainings SET expires_on = $2 WHERE id = $1`, [r.id, rows.find((x) => x.id === r.id)!.was]]);
  },
};
const endedRole: Lapse = {
  label: 'her role at the school ended yesterday',
  apply: async (staffId) => {
    const rows = await q<{ id: string; was: string | null }>(`SELECT id, to_char(end_date, 'YYYY-MM-DD') AS was FROM staff_locations WHERE staff_id = $1 AND NOT deleted AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)`, [staffId, TODAY]);
    return change(`UPDATE staff_locations SET end_date = $2 WHERE id = ANY($1::uuid[]) RETURNING id`, [rows.map((r) => r.id), YESTERDAY], (r) => [`UPDATE staff_locations SET end_date = $2 WHERE id = $1`, [r.id, rows.find((x) => x.id === r.id)!.was]]);
  },
};
const endedSection: Lapse = {
  label: 'her assignment to the section ended yesterday',
  apply: (staffId, target) => change(
    `UPDATE section_staff x SET end_date = $3 FROM section_staff was WHERE was.id = x.id AND x.staff_id = $1 AND x.section_id = $2 AND NOT x.deleted
        AND x.start_date <= $4 AND (x.end_date IS NULL OR x.end_date >= $4) RETURNING x.id, to_char(was.end_date, 'YYYY-MM-DD') AS was`,
    [staffId, target.sectionId, YESTERDAY, TODAY],
    (r) => [`UPDATE section_staff SET end_date = $2 WHERE id = $1`, [r.id, r.was]],
  ),
};
/** Every way a tool right stops counting. */
const toolLapses = (tool: string): Lapse[] => [expiredRight(tool), withdrawnRight(tool), lapsedTraining, endedRole];

const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : (v as string | null));
const num = (v: unknown) => (v === null ? null : Number(v));
/** The rows of `after` that are not in `before`, by id. */
const added = (before: Array<{ id: string }>, after: Array<{ id: string }>) => after.filter((r) => !before.some((b) => b.id === r.id));

const assignmentBody = (categoryId: string, gradingPeriodId: string, over: Record<string, unknown> = {}) => ({
  categoryId, gradingPeriodId, name: 'Titration lab report', description: 'Write up the titration lab.', pointsPossible: 25, assignedOn: YESTERDAY, dueOn: '2026-11-30', published: true, ...over,
});
const assignmentRow = (id: string) => q(
  `SELECT id, section_id, category_id, grading_period_id, name, description, points_possible::text AS points_possible, to_char(due_on, 'YYYY-MM-DD') AS due_on, published, deleted, seq::text AS seq FROM assignments WHERE id = $1`,
  [id],
);
const announcement = (over: Record<string, unknown> = {}) => ({
  scope: 'school', schoolId: ids.high, title: { en: 'Picture day', es: 'Día de fotos', so: 'Maalinta sawirrada', vi: 'Ngày chụp ảnh' },
  body: { en: 'Wednesday in the gym.' }, startsOn: TODAY, endsOn: '2026-12-05', ...over,
});
const announcementRow = (id: string) => q(`SELECT id, scope, school_id, title, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on, deleted, seq::text AS seq FROM announcements WHERE id = $1`, [id]);
const rightRow = (id: string) => q(`SELECT id, staff_id, tool, school_id, to_char(approved_on, 'YYYY-MM-DD') AS approved_on, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, approved_by_staff_id, deleted, seq::text AS seq FROM tool_rights WHERE id = $1`, [id]);
const locationRow = (id: string) => q(`SELECT id, staff_id, school_id, role, to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date, deleted, seq::text AS seq FROM staff_locations WHERE id = $1`, [id]);
const accountRow = (id: string) => q(`SELECT id, status, disabled_reason, failed_logins, password_hash FROM accounts WHERE id = $1`, [id]);
const counts = async () => (await one(`SELECT (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM message_recipients)::int AS recipients, (SELECT count(*) FROM announcements)::int AS announcements`));
const attendanceRows = (studentId: string, from: string, to: string) => q(
  `SELECT id, student_id, to_char(date, 'YYYY-MM-DD') AS date, section_id, status, excuse, reason_id, minutes, comment, deleted, seq::text AS seq FROM attendance
    WHERE student_id = $1 AND date BETWEEN $2 AND $3 ORDER BY id`,
  [studentId, from, to],
);
const requestRow = (id: string) => q(`SELECT id, status, decision_note, decided_by_staff_id, seq::text AS seq FROM requests WHERE id = $1`, [id]);

/** A school day this term on which the student has no mark in the section (new marks need a school day). */
async function freeDay(studentId: string, sectionId: string): Promise<string> {
  const row = await one<{ d: string }>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS d FROM generate_series($3::date - 20, $3::date, interval '1 day') AS d JOIN sections x ON x.id = $2
      WHERE is_school_day(x.district_id, x.school_id, d::date)
        AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.student_id = $1 AND a.section_id = $2 AND a.date = d::date) ORDER BY d DESC LIMIT 1`,
    [studentId, sectionId, TODAY],
  );
  return row.d;
}

function attendanceDoc(studentId: string, schoolId: string, sectionId: string, date: string, over: Record<string, unknown> = {}) {
  return { id: randomUUID(), studentId, schoolId, date, sectionId, periodId: null, status: 'absent', excuse: 'unknown', reasonCode: null, minutes: null, comment: '', syncError: null, _deleted: false, ...over };
}

/** A stored attendance mark as the office's device holds it. */
async function storedMark(id: string) {
  const m = await one(
    `SELECT a.id, a.student_id, a.school_id, to_char(a.date, 'YYYY-MM-DD') AS date, a.section_id, a.period_id, a.status, a.excuse, r.code, a.minutes, a.comment
       FROM attendance a LEFT JOIN attendance_reasons r ON r.id = a.reason_id WHERE a.id = $1`,
    [id],
  );
  return { id: m.id, studentId: m.student_id, schoolId: m.school_id, date: m.date, sectionId: m.section_id, periodId: m.period_id, status: m.status, excuse: m.excuse, reasonCode: m.code, minutes: m.minutes, comment: m.comment, syncError: null, _deleted: false };
}

/** A stored score as the teacher's device holds it (keyed by assignment and student, schema v2). */
async function storedScore(id: string) {
  const s = await one(
    `SELECT s.id, s.assignment_id, s.student_id, a.section_id, s.points::text AS points, s.missing, s.late, s.exempt, s.incomplete, s.dropped, s.comment,
            to_char(s.graded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS graded_at
       FROM scores s JOIN assignments a ON a.id = s.assignment_id WHERE s.id = $1`,
    [id],
  );
  return { id: scoreId(s.assignment_id, s.student_id), assignmentId: s.assignment_id, studentId: s.student_id, sectionId: s.section_id, points: num(s.points), missing: s.missing, late: s.late, exempt: s.exempt, incomplete: s.incomplete, dropped: s.dropped, comment: s.comment, gradedAt: s.graded_at, syncError: null, _deleted: false };
}
const scoreRow = (id: string) => q(`SELECT id, points::text AS points, missing, late, exempt, incomplete, dropped, comment, deleted, seq::text AS seq FROM scores WHERE id = $1`, [id]);

/** A stored request as the office's device holds it. */
async function storedRequest(id: string) {
  const r = await one(`SELECT id, kind, household_id, student_id, school_id, payload, status, decision_note FROM requests WHERE id = $1`, [id]);
  // Older stored notes lack the fields added later; the device holds them with their defaults.
  const payload = r.kind === 'absence_note' ? { endDate: null, note: '', sectionIds: null, ...r.payload } : r.payload;
  return {
    id: r.id, kind: r.kind, householdId: r.household_id, studentId: r.student_id, schoolId: r.school_id, payload, status: r.status,
    submittedAt: null, decidedAt: null, decisionNote: r.decision_note, requestedByName: '', syncError: null, _deleted: false,
  };
}
const decision = (doc: Target, note: string) => ({ rows: [{ assumedMasterState: doc, newDocumentState: { ...doc, status: 'approved', decisionNote: note } }], requestId: doc.id });

const ACTIONS: StaffAction[] = [
  {
    name: 'gradebook: create an assignment',
    role: 'teacher',
    prepare: async () => ({
      own: { sectionId: ids.section, body: assignmentBody(ids.category, ids.period) },
      outside: { 'a section at another school': { sectionId: ids.otherSection, body: assignmentBody(ids.otherCategory, ids.otherPeriod) } },
    }),
    perform: (token, t) => send('POST', `/api/gradebook/sections/${t.sectionId}/assignments`, token, t.body),
    state: (t) => q(`SELECT id, name, seq::text AS seq FROM assignments WHERE section_id = $1 ORDER BY id`, [t.sectionId]),
    succeeds: 201,
    audit: (t, before, after, reply) => {
      made.assignment = reply.body.id;
      expect(added(before, after).map((r) => r.id)).toEqual([reply.body.id]);
      return [{ table: 'assignments', rowId: reply.body.id, action: 'insert', old: null, new: { section_id: t.sectionId, name: 'Titration lab report', pointsPossible: 25, categoryId: ids.category, gradingPeriodId: ids.period, dueOn: '2026-11-30' } }];
    },
    lapses: [endedSection],
  },
  {
    name: 'gradebook: edit an assignment',
    role: 'teacher',
    prepare: async () => {
      const other = await one<{ id: string }>(`SELECT id FROM assignments WHERE section_id = $1 AND grading_period_id = $2 AND NOT deleted ORDER BY id LIMIT 1`, [ids.otherSection, ids.otherPeriod]);
      return {
        own: { id: made.assignment, sectionId: ids.section, body: assignmentBody(ids.category, ids.period, { name: 'Titration lab report (revised)', pointsPossible: 30 }) },
        outside: { 'an assignment at another school': { id: other.id, sectionId: ids.otherSection, body: assignmentBody(ids.otherCategory, ids.otherPeriod) } },
      };
    },
    perform: (token, t) => send('PUT', `/api/gradebook/assignments/${t.id}`, token, t.body),
    state: (t) => assignmentRow(t.id),
    succeeds: 204,
    audit: (t, [before], [after]) => [{
      table: 'assignments', rowId: t.id, action: 'update',
      old: { name: before.name, points_possible: num(before.points_possible), due_on: before.due_on },
      new: { name: after.name, pointsPossible: num(after.points_possible), dueOn: after.due_on },
    }],
    lapses: [endedSection],
  },
  {
    name: 'gradebook: remove an assignment',
    role: 'teacher',
    prepare: async () => {
      const other = await one<{ id: string }>(`SELECT id FROM assignments WHERE section_id = $1 AND grading_period_id = $2 AND NOT deleted ORDER BY id LIMIT 1`, [ids.otherSection, ids.otherPeriod]);
      return { own: { id: made.assignment, sectionId: ids.section }, outside: { 'an assignment at another school': { id: other.id, sectionId: ids.otherSection } } };
    },
    perform: (token, t) => send('DELETE', `/api/gradebook/assignments/${t.id}`, token),
    state: (t) => assignmentRow(t.id),
    succeeds: 204,
    audit: (t, [before], [after]) => {
      expect(after.deleted).toBe(true);
      return [{ table: 'assignments', rowId: t.id, action: 'delete', old: { name: before.name, section_id: before.section_id }, new: null }];
    },
    lapses: [endedSection],
  },
  {
    name: 'gradebook: set section categories',
    role: 'teacher',
    prepare: async () => {
      const body = async (sectionId: string) => {
        const rows = await q(`SELECT id, name, weight::text AS weight, drop_lowest FROM assignment_categories WHERE section_id = $1 AND NOT deleted ORDER BY name`, [sectionId]);
        return { categories: [...rows.map((k, i) => ({ id: k.id, name: k.name, weight: i === 0 ? (Number(k.weight) >= 50 ? 10 : 60) : Number(k.weight), dropLowest: k.drop_lowest })), { name: 'Participation', weight: 5, dropLowest: 0 }] };
      };
      return { own: { sectionId: ids.section, body: await body(ids.section) }, outside: { 'a section at another school': { sectionId: ids.otherSection, body: await body(ids.otherSection) } } };
    },
    perform: (token, t) => send('PUT', `/api/gradebook/sections/${t.sectionId}/categories`, token, t.body),
    state: (t) => q(`SELECT id, name, weight::text AS weight, drop_lowest, deleted, seq::text AS seq FROM assignment_categories WHERE section_id = $1 ORDER BY id`, [t.sectionId]),
    succeeds: 200,
    audit: (t, before, after) => {
      const changed = after.find((k: any) => k.id === t.body.categories[0].id);
      const was = before.find((k: any) => k.id === changed.id);
      const [participation] = added(before, after) as any[];
      expect(participation.name).toBe('Participation');
      return [
        { table: 'assignment_categories', rowId: changed.id, action: 'update', old: { name: was.name, weight: num(was.weight) }, new: { name: changed.name, weight: num(changed.weight) } },
        { table: 'assignment_categories', rowId: participation.id, action: 'insert', old: null, new: { section_id: t.sectionId, name: 'Participation', weight: 5, drop_lowest: 0 } },
      ];
    },
    lapses: [endedSection],
  },
  {
    name: 'messages: write to the guardians of a section',
    role: 'teacher',
    prepare: async () => ({
      own: { sectionId: ids.section, body: { sectionId: ids.section, subject: 'Field trip Friday', body: 'Please sign the permission slip.' } },
      outside: { 'a section at another school': { sectionId: ids.otherSection, body: { sectionId: ids.otherSection, subject: 'Hello', body: 'Hello' } } },
    }),
    perform: (token, t) => send('POST', '/api/staff/messages', token, t.body),
    state: () => counts(),
    succeeds: 201,
    audit: (t, before, after, reply) => {
      expect(after.messages).toBe(before.messages + 1);
      return [{ table: 'messages', rowId: reply.body.id, action: 'insert', old: null, new: { section_id: t.sectionId, about_student_id: null, subject: 'Field trip Friday', recipients: after.recipients - before.recipients } }];
    },
    lapses: [endedSection],
  },
  {
    name: 'messages: write to the guardians of one student',
    role: 'teacher',
    prepare: async () => ({
      own: { sectionId: ids.section, body: { studentId: ids.student, subject: 'A wonderful essay', body: 'Your child wrote a wonderful essay this week.' } },
      outside: { 'a student at another school': { body: { studentId: ids.otherStudent, subject: 'Hello', body: 'Hello' } } },
    }),
    perform: (token, t) => send('POST', '/api/staff/messages', token, t.body),
    state: () => counts(),
    succeeds: 201,
    audit: (t, before, after, reply) => [{ table: 'messages', rowId: reply.body.id, action: 'insert', old: null, new: { section_id: null, about_student_id: ids.student, subject: 'A wonderful essay', recipients: after.recipients - before.recipients } }],
    lapses: [endedSection],
  },
  {
    name: 'announcements: publish one for the school',
    role: 'office',
    prepare: async () => ({
      own: { body: announcement() },
      outside: { 'another school': { body: announcement({ schoolId: ids.middle }) }, 'the whole district': { body: announcement({ scope: 'district', schoolId: undefined }) } },
    }),
    perform: (token, t) => send('POST', '/api/staff/announcements', token, t.body),
    state: () => counts(),
    succeeds: 201,
    audit: (t, before, after, reply) => {
      made.announcement = reply.body.announcement.id;
      expect(after.announcements).toBe(before.announcements + 1);
      return [{ table: 'announcements', rowId: made.announcement, action: 'insert', old: null, new: { scope: 'school', schoolId: ids.high, title: t.body.title, startsOn: TODAY, endsOn: '2026-12-05' } }];
    },
    lapses: toolLapses('announcements'),
  },
  {
    name: 'announcements: edit one',
    role: 'office',
    prepare: async () => {
      const other = await one<{ id: string }>(
        `INSERT INTO announcements (district_id, id, scope, school_id, title, body, starts_on, ends_on) VALUES ($1, gen_random_uuid(), 'school', $2, '{"en":"Book fair"}', '{"en":"In the library."}', $3, '2026-12-10') RETURNING id`,
        [ids.district, ids.middle, TODAY],
      );
      return {
        own: { id: made.announcement, body: announcement({ endsOn: '2026-12-12' }) },
        outside: {
          'another school’s announcement': { id: other.id, body: announcement({ schoolId: ids.middle }) },
          'her announcement moved to another school': { id: made.announcement, body: announcement({ schoolId: ids.middle }) },
          'her announcement moved to the whole district': { id: made.announcement, body: announcement({ scope: 'district', schoolId: undefined }) },
        },
      };
    },
    perform: (token, t) => send('PUT', `/api/staff/announcements/${t.id}`, token, t.body),
    state: (t) => announcementRow(t.id),
    succeeds: 200,
    audit: (t, [before], [after]) => [{ table: 'announcements', rowId: t.id, action: 'update', old: { endsOn: before.ends_on, schoolId: before.school_id }, new: { endsOn: after.ends_on, schoolId: after.school_id } }],
    lapses: toolLapses('announcements'),
  },
  {
    name: 'announcements: withdraw one',
    role: 'office',
    prepare: async () => {
      const other = await one<{ id: string }>(`SELECT id FROM announcements WHERE school_id = $1 AND NOT deleted ORDER BY id LIMIT 1`, [ids.middle]);
      return { own: { id: made.announcement }, outside: { 'another school’s announcement': { id: other.id } } };
    },
    perform: (token, t) => send('DELETE', `/api/staff/announcements/${t.id}`, token),
    state: (t) => announcementRow(t.id),
    succeeds: 204,
    audit: (t, [before], [after]) => {
      expect(after.deleted).toBe(true);
      return [{ table: 'announcements', rowId: t.id, action: 'delete', old: { endsOn: before.ends_on, schoolId: before.school_id }, new: null }];
    },
    lapses: toolLapses('announcements'),
  },
  {
    name: 'announcements: publish one for a section she teaches',
    role: 'teacher',
    prepare: async () => ({
      own: { sectionId: ids.section, body: announcement({ scope: 'section', schoolId: undefined, sectionId: ids.section }) },
      outside: { 'a section at another school': { body: announcement({ scope: 'section', schoolId: undefined, sectionId: ids.otherSection }) }, 'her school': { body: announcement() } },
    }),
    perform: (token, t) => send('POST', '/api/staff/announcements', token, t.body),
    state: () => counts(),
    succeeds: 201,
    audit: (t, before, after, reply) => {
      expect(after.announcements).toBe(before.announcements + 1);
      return [{ table: 'announcements', rowId: reply.body.announcement.id, action: 'insert', old: null, new: { scope: 'section', sectionId: ids.section, title: t.body.title, endsOn: '2026-12-05' } }];
    },
    lapses: [endedSection],
  },
  {
    name: 'administration: list a school’s staff',
    role: 'principal',
    prepare: async () => ({ own: { schoolId: ids.high }, outside: { 'another school': { schoolId: ids.middle } } }),
    perform: (token, t) => send('GET', `/api/admin/staff?schoolId=${t.schoolId}`, token),
    state: async () => null,
    succeeds: 200,
    audit: () => [],
    lapses: toolLapses('staff_admin'),
  },
  {
    name: 'administration: rights that expire in 30 days',
    role: 'principal',
    prepare: async () => ({ own: { schoolId: ids.high }, outside: { 'another school': { schoolId: ids.middle }, 'the whole district': { schoolId: null } } }),
    perform: (token, t) => send('GET', `/api/admin/tool-rights/expiring?days=30${t.schoolId ? `&schoolId=${t.schoolId}` : ''}`, token),
    state: async () => null,
    succeeds: 200,
    audit: () => [],
    lapses: toolLapses('staff_admin'),
  },
  {
    name: 'administration: grant a tool right',
    role: 'principal',
    prepare: async () => {
      // Both candidates hold a current privacy training, so only scope decides.
      for (const staffId of [ids.teacher, ids.middleTeacher]) {
        await q(`INSERT INTO staff_trainings (district_id, id, staff_id, training_id, completed_on, expires_on) VALUES ($1, gen_random_uuid(), $2, $3, '2026-11-01', '2027-11-01')`, [ids.district, staffId, ids.ferpa]);
      }
      const grant = (staffId: string, schoolId: string | null) => ({ staffId, body: { staffId, tool: 'fees', schoolId, expiresOn: '2027-06-30' } });
      return { own: grant(ids.teacher, ids.high), outside: { 'another school': grant(ids.middleTeacher, ids.middle), 'the whole district': grant(ids.teacher, null), 'herself': grant(ids.principal, ids.high) } };
    },
    perform: (token, t) => send('POST', '/api/admin/tool-rights', token, t.body),
    state: (t) => q(`SELECT id, tool, school_id, expires_on, deleted, seq::text AS seq FROM tool_rights WHERE staff_id = $1 ORDER BY id`, [t.staffId]),
    succeeds: 201,
    audit: (t, before, after, reply) => {
      made.right = reply.body.right.id;
      expect(added(before, after).map((r) => r.id)).toEqual([made.right]);
      return [{ table: 'tool_rights', rowId: made.right, action: 'insert', old: null, new: { staff_id: ids.teacher, tool: 'fees', school_id: ids.high, approved_on: TODAY, expires_on: '2027-06-30', approved_by_staff_id: ids.principal } }];
    },
    lapses: toolLapses('staff_admin'),
  },
  {
    name: 'administration: renew a tool right',
    role: 'principal',
    prepare: async () => {
      const other = await one<{ id: string }>(`SELECT id FROM tool_rights WHERE school_id = $1 AND NOT deleted AND expires_on > $2 ORDER BY id LIMIT 1`, [ids.middle, TODAY]);
      const own = await one<{ id: string }>(`SELECT id FROM tool_rights WHERE staff_id = $1 AND tool = 'staff_admin' AND NOT deleted`, [ids.principal]);
      return { own: { id: made.right, body: { expiresOn: '2027-08-31' } }, outside: { 'a right at another school': { id: other.id, body: { expiresOn: '2027-08-31' } }, 'her own right': { id: own.id, body: { expiresOn: '2027-08-31' } } } };
    },
    perform: (token, t) => send('PUT', `/api/admin/tool-rights/${t.id}`, token, t.body),
    state: (t) => rightRow(t.id),
    succeeds: 200,
    audit: (t, [before], [after]) => [{
      table: 'tool_rights', rowId: t.id, action: 'update',
      old: { expires_on: before.expires_on, approved_on: before.approved_on, approved_by_staff_id: before.approved_by_staff_id },
      new: { expires_on: after.expires_on, approved_on: after.approved_on, approved_by_staff_id: ids.principal },
    }],
    lapses: toolLapses('staff_admin'),
  },
  {
    name: 'administration: withdraw a tool right',
    role: 'principal',
    prepare: async () => {
      const other = await one<{ id: string }>(`SELECT id FROM tool_rights WHERE school_id = $1 AND NOT deleted ORDER BY id LIMIT 1`, [ids.middle]);
      return { own: { id: made.right }, outside: { 'a right at another school': { id: other.id } } };
    },
    perform: (token, t) => send('DELETE', `/api/admin/tool-rights/${t.id}`, token),
    state: (t) => rightRow(t.id),
    succeeds: 204,
    audit: (t, [before], [after]) => {
      expect(after.deleted).toBe(true);
      return [{ table: 'tool_rights', rowId: t.id, action: 'delete', old: { tool: before.tool, school_id: before.school_id, expires_on: before.expires_on }, new: null }];
    },
    lapses: toolLapses('staff_admin'),
  },
  {
    name: 'administration: give a role at a school',
    role: 'principal',
    prepare: async () => {
      const role = (staffId: string, role: string, schoolId: string | null) => ({ staffId, body: { staffId, role, schoolId, startDate: '2026-12-01' } });
      return {
        own: role(ids.teacher, 'counselor', ids.high),
        outside: { 'another school': role(ids.teacher, 'counselor', ids.middle), 'the whole district': role(ids.teacher, 'district_admin', null), 'herself': role(ids.principal, 'office', ids.high) },
      };
    },
    perform: (token, t) => send('POST', '/api/admin/locations', token, t.body),
    state: (t) => q(`SELECT id, role, school_id, end_date, deleted, seq::text AS seq FROM staff_locations WHERE staff_id = $1 ORDER BY id`, [t.staffId]),
    succeeds: 201,
    audit: (t, before, after, reply) => {
      made.location = reply.body.id;
      expect(added(before, after).map((r) => r.id)).toEqual([made.location]);
      return [{ table: 'staff_locations', rowId: made.location, action: 'insert', old: null, new: { staff_id: ids.teacher, school_id: ids.high, role: 'counselor', start_date: '2026-12-01', end_date: null } }];
    },
    lapses: toolLapses('staff_admin'),
  },
  {
    name: 'administration: end a role at a school',
    role: 'principal',
    prepare: async () => {
      const other = await one<{ id: string }>(`SELECT id FROM staff_locations WHERE school_id = $1 AND NOT deleted AND end_date IS NULL ORDER BY id LIMIT 1`, [ids.middle]);
      const own = await one<{ id: string }>(`SELECT id FROM staff_locations WHERE staff_id = $1 AND NOT deleted`, [ids.principal]);
      return { own: { id: made.location, body: { endDate: '2027-01-31' } }, outside: { 'a role at another school': { id: other.id, body: { endDate: '2027-01-31' } }, 'her own role': { id: own.id, body: { endDate: '2027-01-31' } } } };
    },
    perform: (token, t) => send('PUT', `/api/admin/locations/${t.id}`, token, t.body),
    state: (t) => locationRow(t.id),
    succeeds: 204,
    audit: (t, [before], [after]) => [{ table: 'staff_locations', rowId: t.id, action: 'update', old: { end_date: before.end_date }, new: { end_date: after.end_date } }],
    lapses: toolLapses('staff_admin'),
  },
  {
    name: 'administration: record a completed training',
    role: 'principal',
    prepare: async () => {
      const middleOnly = await one<{ staff_id: string }>(
        `SELECT l.staff_id FROM staff_locations l WHERE l.school_id = $1 AND NOT l.deleted
            AND NOT EXISTS (SELECT 1 FROM staff_locations o WHERE o.staff_id = l.staff_id AND (o.school_id IS NULL OR o.school_id <> $1)) ORDER BY l.staff_id LIMIT 1`,
        [ids.middle],
      );
      const training = (staffId: string) => ({ staffId, body: { staffId, code: 'FERPA', completedOn: '2026-11-20' } });
      return { own: training(ids.teacher), outside: { 'staff of another school': training(middleOnly.staff_id), 'herself': training(ids.principal) } };
    },
    perform: (token, t) => send('POST', '/api/admin/trainings', token, t.body),
    state: (t) => q(`SELECT id, training_id, completed_on, expires_on, deleted FROM staff_trainings WHERE staff_id = $1 ORDER BY id`, [t.staffId]),
    succeeds: 201,
    audit: (t, before, after, reply) => {
      const [row] = added(before, after) as any[];
      expect(row.id).toBe(reply.body.id);
      return [{ table: 'staff_trainings', rowId: row.id, action: 'insert', old: null, new: { staff_id: ids.teacher, training: 'FERPA', completed_on: day(row.completed_on), expires_on: day(row.expires_on) } }];
    },
    lapses: toolLapses('staff_admin'),
  },
  {
    name: 'administration: read school settings',
    role: 'principal',
    prepare: async () => ({ own: { schoolId: ids.high }, outside: { 'another school': { schoolId: ids.middle } } }),
    perform: (token, t) => send('GET', `/api/admin/schools/${t.schoolId}/settings`, token),
    state: async () => null,
    succeeds: 200,
    audit: () => [],
    lapses: toolLapses('staff_admin'),
  },
  {
    name: 'administration: change school settings',
    role: 'principal',
    prepare: async () => {
      const body = async (schoolId: string) => {
        const s = await one(`SELECT grading_scale_id, rounding_decimals, student_accounts_from_grade FROM schools WHERE id = $1`, [schoolId]);
        return { gradingScaleId: s.grading_scale_id, roundingDecimals: s.rounding_decimals === 2 ? 1 : 2, studentAccountsFromGrade: s.student_accounts_from_grade, lockoutThreshold: 2 };
      };
      return { own: { schoolId: ids.high, body: await body(ids.high) }, outside: { 'another school': { schoolId: ids.middle, body: await body(ids.middle) } } };
    },
    perform: (token, t) => send('PUT', `/api/admin/schools/${t.schoolId}/settings`, token, t.body),
    state: (t) => q(`SELECT id, grading_scale_id, rounding_decimals, student_accounts_from_grade, lockout_threshold, seq::text AS seq FROM schools WHERE id = $1`, [t.schoolId]),
    succeeds: 200,
    audit: (t, [before], [after]) => [{
      table: 'schools', rowId: t.schoolId, action: 'update',
      old: { roundingDecimals: before.rounding_decimals, lockoutThreshold: before.lockout_threshold, gradingScaleId: before.grading_scale_id },
      new: { roundingDecimals: after.rounding_decimals, lockoutThreshold: after.lockout_threshold, gradingScaleId: after.grading_scale_id },
    }],
    lapses: toolLapses('staff_admin'),
  },
  {
    name: 'accounts: list who has not claimed an account',
    role: 'office',
    prepare: async () => ({ own: { schoolId: ids.high }, outside: { 'another school': { schoolId: ids.middle } } }),
    perform: (token, t) => send('GET', `/api/staff/accounts?schoolId=${t.schoolId}&status=unclaimed`, token),
    state: async () => null,
    succeeds: 200,
    audit: () => [],
    lapses: toolLapses('accounts'),
  },
  {
    name: 'accounts: print an activation letter',
    role: 'office',
    prepare: async () => {
      const onlyAt = (schoolId: string) => one<{ id: string }>(
        `SELECT a.id FROM accounts a JOIN guardianships g ON g.guardian_person_id = a.person_id AND NOT g.deleted
           JOIN enrollments e ON e.student_id = g.student_id AND e.end_date IS NULL AND NOT e.deleted
          WHERE a.status = 'unclaimed' GROUP BY a.id HAVING bool_and(e.school_id = $1) ORDER BY a.id LIMIT 1`,
        [schoolId],
      );
      return { own: { accountId: (await onlyAt(ids.high)).id }, outside: { 'a family of another school': { accountId: (await onlyAt(ids.middle)).id } } };
    },
    perform: (token, t) => send('POST', '/api/staff/accounts/activation-letters', token, { accountIds: [t.accountId] }),
    state: (t) => q(`SELECT id, revoked_at, used_at, expires_at FROM activation_keys WHERE account_id = $1 ORDER BY id`, [t.accountId]),
    succeeds: 200,
    audit: (t, before, after) => {
      const [key] = added(before, after) as any[];
      // Keys still open before the letter are revoked by it, each audited.
      const revoked = (before as any[]).filter((old) => old.revoked_at === null && old.used_at === null);
      return [
        ...revoked.map((old) => ({ table: 'activation_keys', rowId: old.id, action: 'update' as const, old: { revoked_at: null }, new: { revoked_at: new Date((after as any[]).find((k) => k.id === old.id).revoked_at).toISOString() } })),
        { table: 'activation_keys', rowId: key.id, action: 'insert', old: null, new: { account_id: t.accountId, expires_at: new Date(key.expires_at).toISOString() } },
      ];
    },
    lapses: toolLapses('accounts'),
  },
  {
    name: 'accounts: print a one-time reset code',
    role: 'office',
    prepare: async () => {
      const student = await one<{ id: string }>(
        `SELECT a.id FROM accounts a JOIN students s ON s.person_id = a.person_id JOIN enrollments e ON e.student_id = s.id AND e.end_date IS NULL
          WHERE a.status = 'active' AND e.school_id = $1 AND a.username NOT LIKE 'demo-%' ORDER BY a.id LIMIT 1`,
        [ids.high],
      );
      const elsewhere = await one<{ id: string }>(
        `SELECT a.id FROM accounts a JOIN students s ON s.person_id = a.person_id JOIN enrollments e ON e.student_id = s.id AND e.end_date IS NULL
          WHERE a.status = 'active' AND e.school_id = $1 AND a.username NOT LIKE 'demo-%' ORDER BY a.id LIMIT 1`,
        [ids.middle],
      );
      // A reset hands the account to whoever holds the code: only families of her own schools' students, never a colleague.
      return { own: { accountId: student.id }, outside: { 'a student of another school': { accountId: elsewhere.id }, 'her principal’s account': { accountId: await accountIdOf('demo-principal') } } };
    },
    perform: (token, t) => send('POST', `/api/staff/accounts/${t.accountId}/reset-letter`, token),
    state: (t) => q(`SELECT id, used_at, expires_at FROM password_resets WHERE account_id = $1 ORDER BY id`, [t.accountId]),
    succeeds: 200,
    audit: (t, before, after) => {
      const [reset] = added(before, after) as any[];
      return [{ table: 'password_resets', rowId: reset.id, action: 'insert', old: null, new: { account_id: t.accountId, expires_at: new Date(reset.expires_at).toISOString(), kind: 'code', school_id: ids.high } }];
    },
    lapses: toolLapses('accounts'),
  },
  {
    name: 'accounts: unlock after a lockout',
    role: 'office',
    prepare: async () => {
      const lock = async (sql: string, params: SqlParam[]) => {
        const { id } = await one<{ id: string }>(sql, params);
        await q(`UPDATE accounts SET status = 'disabled', disabled_reason = 'lockout', failed_logins = 3 WHERE id = $1`, [id]);
        return id;
      };
      const studentAt = `SELECT a.id FROM accounts a JOIN students s ON s.person_id = a.person_id JOIN enrollments e ON e.student_id = s.id AND e.end_date IS NULL
          WHERE a.status = 'active' AND e.school_id = $1 AND a.username NOT LIKE 'demo-%' ORDER BY a.id DESC LIMIT 1`;
      const own = await lock(studentAt, [ids.high]);
      const elsewhere = await lock(studentAt, [ids.middle]);
      const colleague = await lock(
        `SELECT a.id FROM accounts a JOIN staff s ON s.person_id = a.person_id JOIN staff_locations l ON l.staff_id = s.id AND l.school_id = $1
          WHERE a.status = 'active' AND a.username NOT LIKE 'demo-%' AND l.role = 'principal' ORDER BY a.id LIMIT 1`,
        [ids.high],
      ).catch(() => lock(
        `SELECT a.id FROM accounts a JOIN staff s ON s.person_id = a.person_id JOIN staff_locations l ON l.staff_id = s.id AND l.school_id = $1
          WHERE a.status = 'active' AND a.username NOT LIKE 'demo-%' ORDER BY a.id LIMIT 1`,
        [ids.high],
      ));
      return { own: { accountId: own }, outside: { 'a student of another school': { accountId: elsewhere }, 'a staff colleague’s account': { accountId: colleague } } };
    },
    perform: (token, t) => send('POST', `/api/staff/accounts/${t.accountId}/unlock`, token),
    state: (t) => accountRow(t.accountId),
    succeeds: 204,
    audit: (t, [before], [after]) => [{
      table: 'accounts', rowId: t.accountId, action: 'update',
      old: { status: before.status, disabled_reason: before.disabled_reason, failed_logins: before.failed_logins },
      new: { status: after.status, disabled_reason: after.disabled_reason, failed_logins: after.failed_logins },
    }],
    lapses: toolLapses('accounts'),
  },
  {
    name: 'sync: a teacher marks an absence',
    role: 'teacher',
    prepare: async () => {
      const own = attendanceDoc(ids.student, ids.high, ids.section, await freeDay(ids.student, ids.section));
      const other = attendanceDoc(ids.otherStudent, ids.middle, ids.otherSection, await freeDay(ids.otherStudent, ids.otherSection));
      made.mark = own;
      return { own: { sectionId: ids.section, doc: own, rows: [{ newDocumentState: own }] }, outside: { 'a student at another school': { doc: other, rows: [{ newDocumentState: other }] } } };
    },
    perform: push('attendance', ATTENDANCE_SCHEMA_VERSION),
    state: (t) => attendanceRows(t.doc.studentId, t.doc.date, t.doc.date),
    succeeds: 200,
    audit: (t, before, after) => {
      const [mark] = added(before, after) as any[];
      expect(mark.id).toBe(t.doc.id);
      return [{ table: 'attendance', rowId: mark.id, action: 'insert', old: null, new: { student_id: ids.student, date: mark.date, section_id: ids.section, status: mark.status, excuse: mark.excuse, reason_id: mark.reason_id, minutes: mark.minutes, comment: mark.comment } }];
    },
    lapses: [endedSection],
  },
  {
    name: 'sync: the office excuses an absence',
    role: 'office',
    prepare: async () => {
      const mark = await storedMark(made.mark.id);
      const elsewhere = await one<{ id: string }>(`SELECT id FROM attendance WHERE school_id = $1 AND status = 'absent' AND excuse <> 'excused' AND NOT deleted ORDER BY id LIMIT 1`, [ids.middle]);
      const excuse = (doc: Target) => ({ id: doc.id, rows: [{ assumedMasterState: doc, newDocumentState: { ...doc, excuse: 'excused', reasonCode: 'ILL' } }] });
      return { own: excuse(mark), outside: { 'an absence at another school': excuse(await storedMark(elsewhere.id)) } };
    },
    perform: push('attendance', ATTENDANCE_SCHEMA_VERSION),
    state: (t) => q(`SELECT id, status, excuse, reason_id, comment, deleted, seq::text AS seq FROM attendance WHERE id = $1`, [t.id]),
    succeeds: 200,
    audit: (t, [before], [after]) => {
      expect(after).toMatchObject({ excuse: 'excused', reason_id: ids.ill });
      return [{ table: 'attendance', rowId: t.id, action: 'update', old: { excuse: before.excuse, reason_id: before.reason_id }, new: { excuse: after.excuse, reason_id: after.reason_id } }];
    },
    lapses: toolLapses('attendance_admin'),
  },
  {
    name: 'sync: a teacher enters a score',
    role: 'teacher',
    prepare: async () => {
      const scoreIn = (sectionId: string, periodId: string, studentId: string | null) => one<{ id: string }>(
        `SELECT s.id FROM scores s JOIN assignments a ON a.id = s.assignment_id AND NOT a.deleted
          JOIN section_enrollments r ON r.section_id = a.section_id AND r.student_id = s.student_id AND NOT r.deleted AND r.end_date IS NULL
         WHERE a.section_id = $1 AND a.grading_period_id = $2 AND ($3::uuid IS NULL OR s.student_id = $3) AND NOT s.deleted AND s.points IS NOT NULL
         ORDER BY s.id LIMIT 1`,
        [sectionId, periodId, studentId],
      );
      const score = async (id: string) => {
        const doc = await storedScore(id);
        return { id, rows: [{ assumedMasterState: doc, newDocumentState: { ...doc, points: doc.points === 0 ? 1 : 0, comment: 'Retake counted' } }] };
      };
      return {
        own: { sectionId: ids.section, ...(await score((await scoreIn(ids.section, ids.period, ids.student)).id)) },
        outside: { 'a student at another school': await score((await scoreIn(ids.otherSection, ids.otherPeriod, null)).id) },
      };
    },
    perform: push('scores', SCORES_SCHEMA_VERSION),
    state: (t) => scoreRow(t.id),
    succeeds: 200,
    audit: (t, [before], [after]) => [{
      table: 'scores', rowId: t.id, action: 'update',
      old: { points: num(before.points), comment: before.comment }, new: { points: num(after.points), comment: after.comment },
    }],
    lapses: [endedSection],
  },
  {
    name: 'sync: the office approves an absence note',
    role: 'office',
    prepare: async () => {
      // A parent's note for an absence this term, sent through the real push.
      const absence = await one<{ date: string }>(
        `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM attendance WHERE student_id = $1 AND status <> 'present' AND excuse <> 'excused' AND NOT deleted
            AND date >= $2::date - 25 AND date <= $2 ORDER BY date DESC LIMIT 1`,
        [ids.student, TODAY],
      ).catch(() => ({ date: made.mark.date as string }));
      const note = {
        id: randomUUID(), kind: 'absence_note', householdId: null, studentId: ids.student, schoolId: null,
        payload: { date: absence.date, endDate: null, reason: 'MED', note: 'Dentist.', sectionIds: null },
        status: 'pending', submittedAt: null, decidedAt: null, decisionNote: '', requestedByName: '', syncError: null, _deleted: false,
      };
      expect(await send('POST', `/api/sync/requests/push?v=${REQUESTS_SCHEMA_VERSION}`, await tokenOf('demo-guardian'), [{ newDocumentState: note }])).toEqual({ status: 200, body: [] });
      const elsewhere = await one<{ id: string }>(`SELECT id FROM requests WHERE district_id = $2 AND kind = 'absence_note' AND status = 'pending' AND school_id <> $1 ORDER BY id LIMIT 1`, [ids.high, ids.district]);
      return {
        own: { ...decision(await storedRequest(note.id), 'Dentist’s note seen.'), studentId: ids.student, date: absence.date },
        outside: { 'a note for another school': { ...decision(await storedRequest(elsewhere.id), 'Seen.'), studentId: (await storedRequest(elsewhere.id)).studentId, date: (await storedRequest(elsewhere.id)).payload.date } },
      };
    },
    perform: push('requests', REQUESTS_SCHEMA_VERSION),
    state: async (t) => ({ request: await requestRow(t.requestId), marks: await attendanceRows(t.studentId, t.date, t.date) }),
    succeeds: 200,
    audit: (t, before, after) => {
      const [was] = before.request;
      const [now] = after.request;
      const excused = after.marks.filter((m: any) => JSON.stringify(m) !== JSON.stringify(before.marks.find((b: any) => b.id === m.id)));
      return [
        { table: 'requests', rowId: t.requestId, action: 'update', old: { status: was.status, decision_note: was.decision_note }, new: { status: now.status, decision_note: now.decision_note, decided_by_staff_id: ids.office } },
        ...excused.map((m: any) => {
          const b = before.marks.find((x: any) => x.id === m.id);
          return { table: 'attendance', rowId: m.id, action: 'update' as const, old: { excuse: b.excuse, reason_id: b.reason_id }, new: { excuse: m.excuse, reason_id: m.reason_id } };
        }),
      ];
    },
    lapses: toolLapses('attendance_admin'),
  },
  {
    name: 'sync: the office approves a household change',
    role: 'office',
    prepare: async () => {
      const household = await one<{ household_id: string }>(
        `SELECT hm.household_id FROM household_members hm JOIN accounts a ON a.person_id = hm.person_id AND a.username = 'demo-guardian' WHERE hm.role = 'guardian' AND NOT hm.deleted LIMIT 1`,
      );
      const change = {
        id: randomUUID(), kind: 'household_change', householdId: household.household_id, studentId: null, schoolId: null,
        payload: { change: 'address', kind: 'home', address: { line1: '4410 Cedar Avenue', line2: null, city: 'Riverbend', region: 'MN', postalCode: '55406' }, old: null },
        status: 'pending', submittedAt: null, decidedAt: null, decisionNote: '', requestedByName: '', syncError: null, _deleted: false,
      };
      expect(await send('POST', `/api/sync/requests/push?v=${REQUESTS_SCHEMA_VERSION}`, await tokenOf('demo-guardian'), [{ newDocumentState: change }])).toEqual({ status: 200, body: [] });
      // A family whose children all attend other schools, with a change of its own waiting.
      const elsewhere = await one<{ household_id: string; person_id: string }>(
        `SELECT hm.household_id, min(g.person_id::text)::uuid AS person_id FROM household_members hm
           JOIN students s ON s.person_id = hm.person_id JOIN enrollments e ON e.student_id = s.id AND e.end_date IS NULL AND NOT e.deleted
           JOIN household_members g ON g.household_id = hm.household_id AND g.role = 'guardian' AND NOT g.deleted
          WHERE hm.district_id = $2 AND hm.role = 'student' AND NOT hm.deleted GROUP BY hm.household_id HAVING bool_and(e.school_id <> $1) ORDER BY hm.household_id LIMIT 1`,
        [ids.high, ids.district],
      );
      const other = await one<{ id: string }>(
        `INSERT INTO requests (district_id, id, kind, requested_by_person_id, household_id, payload, status, submitted_at)
         VALUES ($1, gen_random_uuid(), 'household_change', $2, $3, $4, 'pending', $5) RETURNING id`,
        [ids.district, elsewhere.person_id, elsewhere.household_id, { ...change.payload, address: { ...change.payload.address, line1: '17 Birch Lane' } }, f.now.value],
      );
      return {
        own: { ...decision(await storedRequest(change.id), 'Proof of address seen.'), householdId: household.household_id },
        outside: { 'a family of another school': { ...decision(await storedRequest(other.id), 'Seen.'), householdId: elsewhere.household_id } },
      };
    },
    perform: push('requests', REQUESTS_SCHEMA_VERSION),
    state: async (t) => ({
      request: await requestRow(t.requestId),
      addresses: await q(`SELECT id, kind, line1, line2, city, region, postal_code, deleted, seq::text AS seq FROM addresses WHERE household_id = $1 ORDER BY id`, [t.householdId]),
    }),
    succeeds: 200,
    audit: (t, before, after) => {
      const [was] = before.request;
      const [now] = after.request;
      const replaced = before.addresses.filter((a: any) => a.kind === 'home' && !a.deleted);
      const [fresh] = added(before.addresses, after.addresses) as any[];
      expect(fresh).toMatchObject({ line1: '4410 Cedar Avenue', deleted: false });
      return [
        { table: 'requests', rowId: t.requestId, action: 'update', old: { status: was.status, decision_note: was.decision_note }, new: { status: now.status, decision_note: now.decision_note, decided_by_staff_id: ids.office } },
        ...replaced.map((a: any) => ({ table: 'addresses', rowId: a.id, action: 'update' as const, old: { line1: a.line1, deleted: false }, new: { deleted: true } })),
        { table: 'addresses', rowId: fresh.id, action: 'insert', old: null, new: { household_id: t.householdId, kind: 'home', line1: fresh.line1, city: fresh.city, postal_code: fresh.postal_code } },
      ];
    },
    lapses: [endedRole],
  },
  // After the section's other rows: a posted period takes no more work or scores.
  {
    name: 'gradebook: post the term grades of a period',
    role: 'teacher',
    prepare: async () => ({ own: { sectionId: ids.section, periodId: ids.period }, outside: { 'a section at another school': { sectionId: ids.otherSection, periodId: ids.otherPeriod } } }),
    perform: (token, t) => send('POST', `/api/gradebook/sections/${t.sectionId}/periods/${t.periodId}/post`, token),
    state: (t) => q(
      `SELECT id, 'term_grades' AS kind, status, percent::text AS percent, mark, seq::text AS seq FROM term_grades WHERE section_id = $1 AND grading_period_id = $2
       UNION ALL SELECT id, 'standard_marks', status, NULL, NULL, seq::text FROM standard_marks WHERE section_id = $1 AND grading_period_id = $2 ORDER BY 1`,
      [t.sectionId, t.periodId],
    ),
    succeeds: 200,
    audit: (t, before, after) => {
      const posted = after.filter((g: any) => g.status === 'posted' && before.find((b: any) => b.id === g.id)?.status === 'in_progress');
      expect(posted.length).toBeGreaterThan(0);
      return posted.map((g: any) => ({
        table: g.kind, rowId: g.id, action: 'update' as const, old: { status: 'in_progress' },
        new: g.kind === 'term_grades' ? { status: 'posted', percent: num(g.percent), mark: g.mark } : { status: 'posted' },
      }));
    },
    lapses: [endedSection],
  },
  {
    name: 'gradebook: reopen a posted term grade',
    role: 'office',
    prepare: async () => {
      const postedAt = (schoolId: string) => one<{ id: string }>(
        `SELECT g.id FROM term_grades g JOIN sections x ON x.id = g.section_id WHERE x.school_id = $1 AND g.status = 'posted' AND NOT g.deleted ORDER BY g.id LIMIT 1`,
        [schoolId],
      );
      const reopen = (id: string) => ({ id, body: { reason: 'Late work accepted by arrangement' } });
      return { own: reopen((await postedAt(ids.high)).id), outside: { 'a grade at another school': reopen((await postedAt(ids.middle)).id) } };
    },
    perform: (token, t) => send('POST', `/api/gradebook/term-grades/${t.id}/reopen`, token, t.body),
    state: (t) => q(`SELECT id, status, posted_at, posted_by_staff_id, seq::text AS seq FROM term_grades WHERE id = $1`, [t.id]),
    succeeds: 204,
    audit: (t, [before], [after]) => {
      expect(after.status).toBe('in_progress');
      return [{
        table: 'term_grades', rowId: t.id, action: 'update',
        old: { status: before.status, posted_by_staff_id: before.posted_by_staff_id }, new: { status: after.status, reason: 'Late work accepted by arrangement' },
      }];
    },
    lapses: toolLapses('grades_admin'),
  },
];

beforeAll(async () => {
  f = await appFixture({ today: TODAY });
  // A second district on the same deployment: its staff must never reach the first one's records.
  await seedDistrict(f.store, { ...defaultSeedOptions(TODAY), seed: 5, students: 100, slug: 'lakeside', name: 'Lakeside Schools', demoPrefix: 'lakeside', usernameTag: 'lakeside.' });
  ids.district = f.district.districtId;
  const schools = await q<{ id: string; level: string }>(`SELECT id, level FROM schools WHERE district_id = $1`, [ids.district]);
  ids.high = schools.find((s) => s.level === 'high')!.id;
  ids.middle = schools.find((s) => s.level === 'middle')!.id;
  ids.teacher = await staffIdOf('demo-teacher');
  ids.office = await staffIdOf('demo-office');
  ids.principal = await staffIdOf('demo-principal');
  const current = (teacherClause: string, params: SqlParam[]) => one<{ section_id: string; period_id: string; category_id: string }>(
    `SELECT x.id AS section_id, p.id AS period_id, (SELECT k.id FROM assignment_categories k WHERE k.section_id = x.id AND NOT k.deleted ORDER BY k.name LIMIT 1) AS category_id
       FROM sections x JOIN terms t ON t.id = x.term_id AND t.start_date <= $1 AND t.end_date >= $1
       JOIN grading_periods p ON p.term_id = x.term_id AND p.start_date <= $1 AND p.end_date >= $1
      WHERE x.district_id = $2 AND ${teacherClause}
        AND EXISTS (SELECT 1 FROM assignment_categories k WHERE k.section_id = x.id AND NOT k.deleted)
        AND EXISTS (SELECT 1 FROM assignments a JOIN scores s ON s.assignment_id = a.id WHERE a.section_id = x.id AND a.grading_period_id = p.id AND NOT a.deleted)
        AND NOT EXISTS (SELECT 1 FROM term_grades g WHERE g.section_id = x.id AND g.grading_period_id = p.id AND g.status = 'posted')
      ORDER BY x.id LIMIT 1`,
    [TODAY, ids.district, ...params],
  );
  const own = await current(`x.id IN (SELECT section_id FROM section_staff WHERE staff_id = $3 AND NOT deleted AND start_date <= $1 AND (end_date IS NULL OR end_date >= $1))`, [ids.teacher]);
  Object.assign(ids, { section: own.section_id, period: own.period_id, category: own.category_id });
  const other = await current(`x.school_id = $3 AND EXISTS (SELECT 1 FROM section_enrollments r JOIN guardianships g ON g.student_id = r.student_id AND g.portal_access WHERE r.section_id = x.id AND r.end_date IS NULL)`, [ids.middle]);
  Object.assign(ids, { otherSection: other.section_id, otherPeriod: other.period_id, otherCategory: other.category_id });
  ids.student = (await one<{ id: string }>(`SELECT s.id FROM students s JOIN accounts a ON a.person_id = s.person_id AND a.username = 'demo-student'`)).id;
  ids.otherStudent = (await one<{ student_id: string }>(
    `SELECT r.student_id FROM section_enrollments r JOIN guardianships g ON g.student_id = r.student_id AND g.portal_access AND NOT g.deleted
      WHERE r.section_id = $1 AND r.end_date IS NULL AND NOT r.deleted ORDER BY r.student_id LIMIT 1`,
    [ids.otherSection],
  )).student_id;
  ids.middleTeacher = (await one<{ staff_id: string }>(`SELECT staff_id FROM section_staff WHERE section_id = $1 AND NOT deleted`, [ids.otherSection])).staff_id;
  ids.ferpa = (await one<{ id: string }>(`SELECT id FROM trainings WHERE district_id = $1 AND code = 'FERPA'`, [ids.district])).id;
  ids.ill = (await one<{ id: string }>(`SELECT id FROM attendance_reasons WHERE district_id = $1 AND code = 'ILL'`, [ids.district])).id;
}, 120_000);
afterAll(() => f?.close());

const auditMark = async () => (await one<{ n: number }>(`SELECT coalesce(max(id), 0)::int AS n FROM audit_trail`)).n;
const auditSince = (mark: number) => q<{ at: Date; actor_account_id: string; table_name: string; row_id: string; action: string; old_values: any; new_values: any }>(
  `SELECT at, actor_account_id, table_name, row_id, action, old_values, new_values FROM audit_trail WHERE id > $1 ORDER BY id`,
  [mark],
);

/** Refused with a machine-readable code, and nothing written: the record is as it was and the audit trail did not grow. */
async function expectRefused(action: StaffAction, username: string, target: Target): Promise<void> {
  const before = await action.state(target);
  const mark = await auditMark();
  const reply = await action.perform(await tokenOf(username), target);
  const what = `${action.name} as ${username}`;
  if (Array.isArray(reply.body)) {
    // Sync pushes answer 200 with the refused row and its reason (RxDB would retry an error forever).
    expect(reply.status, what).toBe(200);
    expect(reply.body.map((row: { syncError: unknown }) => row.syncError), what).toEqual(reply.body.map(() => 'not_allowed'));
    expect(reply.body.length, what).toBe(target.rows.length);
  } else {
    expect([403, 404], `${what}: ${JSON.stringify(reply.body)}`).toContain(reply.status);
    expect(['forbidden', 'not_found', 'self_approval'], what).toContain(reply.body?.error?.code);
  }
  expect(await action.state(target), what).toEqual(before);
  expect(await auditSince(mark), what).toEqual([]);
}

describe('every staff action: in scope, out of scope, lapsed, families', () => {
  for (const action of ACTIONS) {
    describe(action.name, () => {
      let targets: { own: Target; outside: Record<string, Target> };
      const actor = `demo-${action.role}`;
      beforeAll(async () => {
        targets = await action.prepare();
      });

      it('(b) is refused out of scope: other schools, other districts', async () => {
        for (const [label, target] of Object.entries(targets.outside)) {
          await expectRefused({ ...action, name: `${action.name} (${label})` }, actor, target);
        }
        for (const rival of new Set([`lakeside-${action.role}`, 'lakeside-admin'])) await expectRefused(action, rival, targets.own);
      });

      for (const lapse of action.lapses) {
        it(`(c) is refused when ${lapse.label}`, async () => {
          const restore = await lapse.apply(await staffIdOf(actor), targets.own);
          try {
            await expectRefused(action, actor, targets.own);
          } finally {
            await restore();
          }
        });
      }

      it('(d) is refused to a guardian and a student', async () => {
        for (const family of ['demo-guardian', 'demo-student']) await expectRefused(action, family, targets.own);
      });

      it('(a) succeeds in scope, audited with who, when, and the old and new values', async () => {
        f.advance(1000); // a moment of its own, so "when" is this action's time
        const before = await action.state(targets.own);
        const mark = await auditMark();
        const reply = await action.perform(await tokenOf(actor), targets.own);
        expect(reply.status, JSON.stringify(reply.body)).toBe(action.succeeds);
        if (Array.isArray(reply.body)) expect(reply.body).toEqual([]);
        const after = await action.state(targets.own);
        const expected = action.audit(targets.own, before, after, reply);
        const written = await auditSince(mark);
        const key = (table: string, rowId: string, act: string) => `${table} ${rowId} ${act}`;
        expect(written.map((w) => key(w.table_name, w.row_id, w.action)).sort()).toEqual(expected.map((e) => key(e.table, e.rowId, e.action)).sort());
        const actorAccount = await accountIdOf(actor);
        for (const entry of expected) {
          const row = written.find((w) => key(w.table_name, w.row_id, w.action) === key(entry.table, entry.rowId, entry.action))!;
          expect(row.actor_account_id).toBe(actorAccount);
          expect(new Date(row.at).toISOString()).toBe(f.now.value.toISOString());
          if (entry.old === null) expect(row.old_values).toBeNull();
          else expect(row.old_values).toMatchObject(entry.old);
          if (entry.new === null) expect(row.new_values).toBeNull();
          else expect(row.new_values).toMatchObject(entry.new);
        }
      });
    });
  }
});
