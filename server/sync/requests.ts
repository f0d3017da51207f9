import { randomUUID } from 'node:crypto';
import type { Principal } from '../access/principal.ts';
import { accessPath, canAccessStudent, type StudentResource } from '../access/policy.ts';
import { grantsReading, grantsSyncing } from '../access/grants.ts';
import { SCHOOL_WINDOWS_SQL } from '../access/sync-windows.ts';
import {
  NOTE_DAYS_AHEAD,
  NOTE_DAYS_BACK,
  requestSchema,
  type AbsenceNotePayload,
  type HouseholdChangePayload,
  type PhoneLine,
  type PostalAddress,
  type RequestDocument,
} from '../contract/sync/requests.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable, SqlParam } from '../db/store.ts';
import { addDays } from '../domain/dates.ts';
import { loadStudentResource } from '../routes/students.ts';
import { grantedPage } from './pager.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import { pushedDocumentCheck } from './pushed-document.ts';
import type { SyncRefusal } from '../contract/sync/refusals.ts';
import { pushPipeline, type AuditEntry, type PushContext, type Pushed } from './push-pipeline.ts';
import { hasSchoolDay } from './school-days.ts';
import { tombstones } from './tombstone.ts';

/** Tombstones keep ids only (server/sync/tombstone.ts). */
const tombstone = tombstones<RequestDocument>(requestSchema);

export type PulledRequest = Pulled<RequestDocument>;

const UTC_STAMP = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;
/** A request as its document, from `requests q` and its writer `p`; with who wrote it and whether it is deleted. */
const REQUEST = `q.id, q.kind, q.household_id AS "householdId", q.student_id AS "studentId", q.school_id AS "schoolId", q.payload, q.status,
  to_char(q.submitted_at AT TIME ZONE 'UTC', ${UTC_STAMP}) AS "submittedAt", to_char(q.decided_at AT TIME ZONE 'UTC', ${UTC_STAMP}) AS "decidedAt",
  q.decision_note AS "decisionNote", concat_ws(' ', coalesce(p.preferred_name, p.first_name), p.last_name) AS "requestedByName", NULL::text AS "syncError",
  q.requested_by_person_id, q.deleted`;
const FROM = `requests q JOIN people p ON p.district_id = q.district_id AND p.id = q.requested_by_person_id`;

/**
 * The payload in its one document shape. Stored payloads may lack the fields added after the
 * first rows were written (the demo generator writes `{ date, reason, note }` and
 * `{ change: 'address', address }`): those read as their defaults.
 */
function readPayload(kind: RequestDocument['kind'], raw: unknown): AbsenceNotePayload | HouseholdChangePayload {
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, any>;
  if (kind === 'absence_note') {
    const sectionIds = Array.isArray(p.sectionIds) ? [...(p.sectionIds as string[])].sort() : null;
    return { date: p.date, endDate: p.endDate ?? null, reason: p.reason, note: p.note ?? '', sectionIds };
  }
  if (p.change === 'phone') {
    const line = (l: any): PhoneLine => ({ number: l.number, smsOk: l.smsOk === true });
    return { change: 'phone', kind: p.kind ?? 'home', personId: p.personId ?? null, phone: line(p.phone ?? {}), old: p.old ? line(p.old) : null };
  }
  const address = (a: any): PostalAddress => ({ line1: a.line1, line2: a.line2 ?? null, city: a.city, region: a.region, postalCode: a.postalCode });
  return { change: 'address', kind: p.kind ?? 'home', address: address(p.address ?? {}), old: p.old ? address(p.old) : null };
}

const fromRow = documentsFrom<RequestDocument>(requestSchema);

/** Rows are documents by the schema's field names (pulled-document.ts), the payload read into its one shape. */
function toDocument(row: PulledRow<RequestDocument>): PulledRequest {
  const document = fromRow(row);
  return document._deleted ? document : { ...document, payload: readPayload(document.kind, document.payload) };
}

/** A staff grant's request is held while open, and once decided until the decision leaves the window (sync-windows.ts). */
const OPEN_OR_RECENT = `(q.status = 'pending' OR (q.decided_at AT TIME ZONE 'UTC')::date >= w.since)`;

/**
 * Requests changed for this user since the checkpoint. Guardians see those of their students
 * (whoever in the family wrote them) and of the households they are guardians in; students see
 * absence notes about themselves (their own grant, whatever it reads: policy's `standing`); office
 * staff and principals, through their grants reading requests, the absence notes of their
 * students and the household changes of households with one of their students, while open and
 * for the last 30 school days of their school after the decision (server/access/sync-windows.ts).
 */
export async function pullRequests(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledRequest[]; checkpoint: SyncCheckpoint | null }> {
  const page = await grantedPage<PulledRow<RequestDocument>>(db, principal, today, checkpoint, limit, `WITH grants AS (
       ${grantsSyncing('requests', 'requests')}
       UNION ALL
       SELECT *, false FROM (${grantsReading(null, ['self'])}) own
     ),
     windows AS MATERIALIZED (${SCHOOL_WINDOWS_SQL}),
     reach AS (
       SELECT q.id, g.seq, g.in_force AS active
         FROM grants g JOIN requests q ON q.district_id = $1 AND q.student_id = g.student_id
        WHERE NOT g.windowed
       UNION ALL
       SELECT q.id, hm.seq, (hm.role = 'guardian' AND NOT hm.deleted)
         FROM household_members hm JOIN requests q ON q.district_id = hm.district_id AND q.household_id = hm.household_id
        WHERE hm.district_id = $1 AND hm.person_id = $2
       UNION ALL
       SELECT q.id, g.seq, g.in_force AND ${OPEN_OR_RECENT}
         FROM grants g
         JOIN windows w ON w.school_id = g.school_id
         JOIN requests q ON q.district_id = $1 AND q.student_id = g.student_id AND q.kind = 'absence_note'
        WHERE g.windowed AND (${OPEN_OR_RECENT} OR greatest(g.seq, q.seq) > $7)
       UNION ALL
       SELECT q.id, greatest(g.seq, hm.seq), g.in_force AND NOT hm.deleted AND ${OPEN_OR_RECENT}
         FROM grants g
         JOIN windows w ON w.school_id = g.school_id
         JOIN students st ON st.district_id = $1 AND st.id = g.student_id
         JOIN household_members hm ON hm.district_id = $1 AND hm.person_id = st.person_id AND hm.role = 'student'
         JOIN requests q ON q.district_id = $1 AND q.household_id = hm.household_id
        WHERE g.windowed AND (${OPEN_OR_RECENT} OR greatest(g.seq, hm.seq, q.seq) > $7)
     ),
     scoped AS (
       SELECT r.id, bool_or(r.active) AS visible, max(r.seq) AS grant_seq FROM reach r GROUP BY r.id
     ),
     documents AS (
       SELECT sc.visible AND NOT q.deleted AS visible, greatest(sc.grant_seq, q.seq, p.seq) AS eff_seq, ${REQUEST}
         FROM scoped sc JOIN ${FROM} ON q.district_id = $1 AND q.id = sc.id
     )`,
  );
  return { documents: page.rows.map(toDocument), checkpoint: page.checkpoint };
}

/** What the family wrote and the decision: compared to spot retries and stale assumptions. Server-filled fields are left out. */
function content(d: PulledRequest): string {
  const payload = d.payload === null ? null : readPayload(d.kind, d.payload);
  if (payload && 'change' in payload) payload.old = null;
  return JSON.stringify([d._deleted, d.kind, d.householdId, d.studentId, d.status, d.decisionNote, payload]);
}

/** The same request with another status and decision note: the only change anyone may push. */
function onlyStatusChanged(master: PulledRequest, next: PulledRequest): boolean {
  return content({ ...master, status: next.status, decisionNote: next.decisionNote }) === content(next);
}

async function isGuardianMember(db: Queryable, principal: Principal, householdId: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM household_members WHERE district_id = $1 AND household_id = $2 AND person_id = $3 AND role = 'guardian' AND NOT deleted`,
    [principal.districtId, householdId, principal.personId],
  );
  return rows.length > 0;
}

/** The students of a household whose schools decide its changes. */
async function householdStudents(db: Queryable, districtId: string, householdId: string): Promise<StudentResource[]> {
  const rows = await db.query<{ student_id: string }>(
    `SELECT s.id AS student_id FROM household_members hm JOIN students s ON s.district_id = hm.district_id AND s.person_id = hm.person_id AND NOT s.deleted
      WHERE hm.district_id = $1 AND hm.household_id = $2 AND hm.role = 'student' AND NOT hm.deleted`,
    [districtId, householdId],
  );
  const students = await Promise.all(rows.map((r) => loadStudentResource(db, districtId, r.student_id)));
  return students.filter((s): s is StudentResource => s !== null);
}

/** How the asker stands to a stored request. */
interface Standing {
  /** A guardian of the student (portal access) or of the household: may withdraw while pending. */
  family: boolean;
  /** May see it at all (family, the student, or school staff who read requests). */
  reads: boolean;
  /** Office staff of the student's (or a household student's) school with the rights the decision needs. */
  decides: boolean;
}

async function standing(db: Queryable, principal: Principal, row: StoredRequest): Promise<Standing> {
  if (row.kind === 'absence_note' && row.studentId) {
    const student = await loadStudentResource(db, principal.districtId, row.studentId);
    const family = student !== null && accessPath(principal, 'write', 'requests', student) === 'guardian';
    const reads = student !== null && (canAccessStudent(principal, 'read', 'requests', student) || principal.selfStudentId === row.studentId);
    // Approving a note excuses attendance marks: the office needs the attendance right as well.
    const decides = student !== null && accessPath(principal, 'write', 'requests', student) === 'school' && accessPath(principal, 'write', 'attendance', student) === 'school';
    return { family, reads, decides };
  }
  const family = row.householdId !== null && (await isGuardianMember(db, principal, row.householdId));
  const students = row.householdId ? await householdStudents(db, principal.districtId, row.householdId) : [];
  const reads = family || students.some((s) => accessPath(principal, 'read', 'requests', s) === 'school');
  const decides = students.some((s) => accessPath(principal, 'write', 'requests', s) === 'school' && accessPath(principal, 'write', 'household', s) === 'school');
  return { family, reads, decides };
}

type StoredRequest = PulledRequest & { requested_by_person_id: string; deleted: boolean };

type LoadedRequest =
  | { master: null; stored: null; who: null }
  | { master: PulledRequest; stored: StoredRequest; who: Standing };

/** What a new request is stored with: the school that decides an absence note, a household change with the value it replaces. */
interface Submission {
  schoolId: string | null;
  payload: AbsenceNotePayload | HouseholdChangePayload;
}

/**
 * Pushed requests: families submit and withdraw, office staff decide (approving applies the
 * change, and every staff change lands in the audit trail). Nobody decides a request from their
 * own family; someone who may not see a request gets nothing back about it.
 */
export const pushRequests = pushPipeline({
  schema: requestSchema,
  // Its schema, and a payload that fits the kind: an absence note is a child's, a household change a household's.
  check: pushedDocumentCheck<RequestDocument>(requestSchema, (d) => {
    if (d.payload === null) return false;
    if (d.kind === 'absence_note') {
      if (!('date' in d.payload) || d.studentId === null || d.householdId !== null) return false;
      const p = d.payload;
      return (p.endDate === null || p.endDate >= p.date) && new Set(p.sectionIds ?? []).size === (p.sectionIds ?? []).length;
    }
    return 'change' in d.payload && d.householdId !== null && d.studentId === null;
  }),
  // A refused new request leaves the device; its refusal keeps what was asked (the family's list shows it).
  unseen: 'own copy',
  async load({ tx, principal }, next): Promise<LoadedRequest> {
    const [stored] = await tx.query<StoredRequest & { visible: boolean; eff_seq: number }>(
      `SELECT NOT q.deleted AS visible, 0 AS eff_seq, ${REQUEST} FROM ${FROM} WHERE q.district_id = $1 AND q.id = $2 FOR UPDATE OF q`,
      [principal.districtId, next.id],
    );
    if (!stored) return { master: null, stored: null, who: null };
    return { master: toDocument(stored), stored, who: await standing(tx, principal, stored) };
  },
  // A stored request she may not see comes back blank, not as her copy.
  shown: (_context, { master, who }, next) => (master === null ? null : who.reads ? master : tombstone(next.id)),
  same: (a, b) => content(a) === content(b),
  authorize({ principal }, { master, stored, who }, next) {
    // Deleted on the device before it ever reached the server: nothing to do.
    if (!master) return next._deleted ? 'unchanged' : null;
    if (!who.reads) return 'not_allowed';
    const decides = who.decides && !who.family && stored.requested_by_person_id !== principal.personId;
    const allowed = (next.status === 'withdrawn' && who.family && next.decisionNote === '') || ((next.status === 'approved' || next.status === 'rejected') && decides);
    if (!allowed || !onlyStatusChanged(master, next)) return 'not_allowed';
    return master.status === 'pending' ? null : 'already_decided';
  },
  rules: async (context, { master }, next) => (master ? { schoolId: null, payload: next.payload! } : submission(context, next)),
  async write({ tx, principal, now }, { stored }, next, submitted: Submission) {
    if (!stored) {
      await tx.query(
        `INSERT INTO requests (district_id, id, kind, requested_by_person_id, household_id, student_id, school_id, payload, status, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9)`,
        [principal.districtId, next.id, next.kind, principal.personId, next.householdId, next.studentId, submitted.schoolId, submitted.payload as unknown as Record<string, unknown>, now],
      );
      return [];
    }
    if (next.status === 'withdrawn') {
      await tx.query(`UPDATE requests SET status = 'withdrawn' WHERE district_id = $1 AND id = $2`, [principal.districtId, stored.id]);
      return [];
    }
    return decide(tx, principal, stored, next, now);
  },
});

/** A new request from a family: always pending, checked against who asks and the note window. */
async function submission({ tx, principal, today }: PushContext, next: Pushed<RequestDocument>): Promise<SyncRefusal | Submission> {
  if (next.status !== 'pending' || next.decisionNote !== '') return 'not_allowed';
  const payload = readPayload(next.kind, next.payload);
  if ('date' in payload) {
    const student = await loadStudentResource(tx, principal.districtId, next.studentId!);
    // Guardians with portal access only: a student cannot excuse themself, staff use their own tools.
    if (!student || accessPath(principal, 'write', 'requests', student) !== 'guardian') return 'not_allowed';
    const schoolId = next.schoolId && student.schoolIds.includes(next.schoolId) ? next.schoolId : (student.schoolIds[0] ?? null);
    if (!schoolId) return 'not_enrolled';
    const last = payload.endDate ?? payload.date;
    if (payload.date < addDays(today, -NOTE_DAYS_BACK) || last > addDays(today, NOTE_DAYS_AHEAD)) return 'outside_note_window';
    // Days off within a note's days are fine (away from Friday to Monday); a note needs one day of school.
    if (!(await hasSchoolDay(tx, principal.districtId, schoolId, payload.date, last))) return 'not_school_day';
    const [reason] = await tx.query(`SELECT 1 FROM attendance_reasons WHERE district_id = $1 AND code = $2 AND excuse = 'excused' AND NOT deleted`, [principal.districtId, payload.reason]);
    if (!reason) return 'invalid';
    if (payload.sectionIds) {
      const [{ n }] = (await tx.query<{ n: number }>(
        `SELECT count(DISTINCT r.section_id)::int AS n FROM section_enrollments r
          WHERE r.district_id = $1 AND r.student_id = $2 AND r.section_id = ANY($3::uuid[]) AND NOT r.deleted
            AND r.start_date <= $5 AND (r.end_date IS NULL OR r.end_date >= $4)`,
        [principal.districtId, next.studentId, payload.sectionIds, payload.date, last],
      )) as [{ n: number }];
      if (n !== payload.sectionIds.length) return 'not_enrolled';
    }
    return { schoolId, payload };
  }
  if (!(await isGuardianMember(tx, principal, next.householdId!))) return 'not_allowed';
  // A guardian changes the household's line or her own phone, not another member's.
  if (payload.change === 'phone' && payload.personId !== null && payload.personId !== principal.personId) return 'not_allowed';
  return { schoolId: null, payload: { ...payload, old: await currentValue(tx, principal.districtId, next.householdId!, payload) } as HouseholdChangePayload };
}

/** The address or phone a household change would replace, as it is now. */
async function currentValue(db: Queryable, districtId: string, householdId: string, payload: HouseholdChangePayload): Promise<PostalAddress | PhoneLine | null> {
  if (payload.change === 'address') {
    const [a] = await addressesOf(db, districtId, householdId, payload);
    return a ? { line1: a.line1, line2: a.line2, city: a.city, region: a.region, postalCode: a.postal_code } : null;
  }
  const [phone] = await phonesOf(db, districtId, householdId, payload);
  return phone ? { number: phone.number, smsOk: phone.sms_ok } : null;
}

function addressesOf(db: Queryable, districtId: string, householdId: string, payload: Extract<HouseholdChangePayload, { change: 'address' }>, lock = false) {
  return db.query<{ id: string; line1: string; line2: string | null; city: string; region: string; postal_code: string }>(
    `SELECT id, line1, line2, city, region, postal_code FROM addresses WHERE district_id = $1 AND household_id = $2 AND kind = $3 AND NOT deleted ${lock ? 'FOR UPDATE' : ''}`,
    [districtId, householdId, payload.kind],
  );
}

function phonesOf(db: Queryable, districtId: string, householdId: string, payload: Extract<HouseholdChangePayload, { change: 'phone' }>, lock = false) {
  return db.query<{ id: string; number: string; sms_ok: boolean }>(
    `SELECT id, number, sms_ok FROM phones
      WHERE district_id = $1 AND kind = $2 AND NOT deleted AND (CASE WHEN $3::uuid IS NULL THEN household_id = $4 ELSE person_id = $3 END)
      ORDER BY id ${lock ? 'FOR UPDATE' : ''}`,
    [districtId, payload.kind, payload.personId, householdId],
  );
}

/** Records the office's decision and, on approval, applies it; every staff change lands in the audit trail. */
async function decide(tx: Queryable, principal: Principal, stored: StoredRequest, next: PulledRequest, now: Date): Promise<AuditEntry[]> {
  const { districtId } = principal;
  await tx.query(
    `UPDATE requests SET status = $3, decision_note = $4, decided_by_staff_id = $5, decided_at = $6 WHERE district_id = $1 AND id = $2`,
    [districtId, stored.id, next.status, next.decisionNote, principal.staffId, now],
  );
  const decision: AuditEntry = {
    table: 'requests', rowId: stored.id, action: 'update', oldValues: { status: stored.status, decision_note: stored.decisionNote },
    newValues: { status: next.status, decision_note: next.decisionNote, decided_by_staff_id: principal.staffId },
  };
  if (next.status !== 'approved') return [decision];
  const payload = readPayload(stored.kind, stored.payload);
  if ('date' in payload) return [decision, ...(await excuseAbsences(tx, districtId, stored.studentId!, payload))];
  const householdId = stored.householdId!;
  if (payload.change === 'address') {
    const current = await addressesOf(tx, districtId, householdId, payload, true);
    const { line1, line2, city, region, postalCode } = payload.address;
    const address = { household_id: householdId, kind: payload.kind, line1, line2, city, region, postal_code: postalCode };
    return [decision, ...(await replaceRows(tx, districtId, 'addresses', current, address))];
  }
  const current = await phonesOf(tx, districtId, householdId, payload, true);
  const { personId, kind, phone } = payload;
  const line = { household_id: personId === null ? householdId : null, person_id: personId, kind, number: phone.number, sms_ok: phone.smsOk };
  return [decision, ...(await replaceRows(tx, districtId, 'phones', current, line))];
}

/** An approved household change: the rows it replaces are deleted, its new row (`values`, by column) inserted. */
async function replaceRows(tx: Queryable, districtId: string, table: 'addresses' | 'phones', current: Array<{ id: string }>, values: Record<string, SqlParam>): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (const old of current) {
    await tx.query(`UPDATE ${table} SET deleted = true WHERE district_id = $1 AND id = $2`, [districtId, old.id]);
    entries.push({ table, rowId: old.id, action: 'update', oldValues: { ...old, deleted: false }, newValues: { deleted: true } });
  }
  const id = randomUUID();
  const columns = Object.keys(values);
  await tx.query(
    `INSERT INTO ${table} (district_id, id, ${columns.join(', ')}) VALUES ($1, $2, ${columns.map((_, i) => `$${i + 3}`).join(', ')})`,
    [districtId, id, ...Object.values(values)],
  );
  return [...entries, { table, rowId: id, action: 'insert', oldValues: null, newValues: values }];
}

/** Marks the student's absences, tardies and early releases on the note's days (and periods) excused with the note's reason. */
async function excuseAbsences(tx: Queryable, districtId: string, studentId: string, note: AbsenceNotePayload): Promise<AuditEntry[]> {
  const [reason] = await tx.query<{ id: string }>(`SELECT id FROM attendance_reasons WHERE district_id = $1 AND code = $2 AND NOT deleted`, [districtId, note.reason]);
  const marks = await tx.query<{ id: string; excuse: string; reason_id: string | null }>(
    `SELECT id, excuse, reason_id FROM attendance
      WHERE district_id = $1 AND student_id = $2 AND date BETWEEN $3 AND $4 AND status <> 'present' AND NOT deleted
        AND ($5::uuid[] IS NULL OR section_id = ANY($5::uuid[]))
      ORDER BY id FOR UPDATE`,
    [districtId, studentId, note.date, note.endDate ?? note.date, note.sectionIds],
  );
  const reasonId = reason?.id ?? null;
  const entries: AuditEntry[] = [];
  for (const mark of marks) {
    // Only rows that change, so devices are not sent marks that stayed the same.
    if (mark.excuse === 'excused' && mark.reason_id === reasonId) continue;
    await tx.query(`UPDATE attendance SET excuse = 'excused', reason_id = $3 WHERE district_id = $1 AND id = $2`, [districtId, mark.id, reasonId]);
    entries.push({ table: 'attendance', rowId: mark.id, action: 'update', oldValues: { excuse: mark.excuse, reason_id: mark.reason_id }, newValues: { excuse: 'excused', reason_id: reasonId } });
  }
  return entries;
}
