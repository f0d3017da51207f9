import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { requestSchema, REQUESTS_SCHEMA_VERSION, type AbsenceNotePayload, type RequestDocument } from '../contract/sync/requests.ts';
import type { Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { listen, servedAppFixture, signIn, signsInWithSecondFactor, type AppFixture, type ServedAppFixture } from '../test/app-fixture.ts';
import { demoFatherAccount, nameAccount } from '../test/family-accounts.ts';
import { pushRows, rxDevice } from '../test/rx-device.ts';
import { freshPostgres, postgresReachable, type TestDatabase } from '../test/stores.ts';

type Doc = RequestDocument & { _deleted: boolean };

let f: ServedAppFixture;

beforeAll(async () => {
  // Its dates are written out for this day (a Tuesday, the note window around it).
  f = await servedAppFixture({ students: 120, today: '2026-11-24' });
  await setUpAccounts(f.store);
});
afterAll(() => f.close());

/**
 * Gives the demo password to the demo family's father and to a guardian of another family,
 * so they can sign in as `demo-father` and `other-guardian`.
 */
async function setUpAccounts(store: Store) {
  const [other] = await store.query<{ id: string }>(
    `SELECT a.id FROM accounts a JOIN guardianships g ON g.guardian_person_id = a.person_id AND g.portal_access
      WHERE a.username IS NOT NULL AND a.username NOT LIKE 'demo-%'
        AND NOT EXISTS (SELECT 1 FROM guardianships d JOIN accounts u ON u.person_id = d.guardian_person_id AND u.username = 'demo-guardian' WHERE d.student_id = g.student_id)
      ORDER BY a.id LIMIT 1`,
  );
  await nameAccount(store, await demoFatherAccount(store), 'demo-father');
  await nameAccount(store, other!.id, 'other-guardian');
}

/** The demo family's child at demo-office's school (the high school), and the family's household. */
async function family(store: Store) {
  const [row] = await store.query<{ student_id: string; school_id: string; household_id: string; student_person_id: string }>(
    `SELECT g.student_id, e.school_id, hm.household_id, s.person_id AS student_person_id
       FROM accounts a JOIN guardianships g ON g.guardian_person_id = a.person_id
       JOIN students s ON s.id = g.student_id
       JOIN enrollments e ON e.student_id = g.student_id AND e.end_date IS NULL
       JOIN staff_locations l ON l.school_id = e.school_id AND l.role = 'office'
       JOIN staff st ON st.id = l.staff_id JOIN accounts o ON o.person_id = st.person_id AND o.username = 'demo-office'
       JOIN household_members hm ON hm.person_id = a.person_id AND hm.role = 'guardian'
      WHERE a.username = 'demo-guardian'`,
  );
  return row!;
}

function absenceNote(studentId: string, payload: Partial<AbsenceNotePayload> = {}): Doc {
  return {
    id: randomUUID(), kind: 'absence_note', householdId: null, studentId, schoolId: null,
    payload: { date: '2026-11-23', endDate: null, reason: 'ILL', note: 'Fever, stayed home.', sectionIds: null, ...payload },
    status: 'pending', submittedAt: null, decidedAt: null, decisionNote: '', requestedByName: '', syncError: null, _deleted: false,
  };
}

function addressChange(householdId: string, line1 = '4410 Cedar Avenue'): Doc {
  return {
    id: randomUUID(), kind: 'household_change', householdId, studentId: null, schoolId: null,
    payload: { change: 'address', kind: 'home', address: { line1, line2: null, city: 'Riverbend', region: 'MN', postalCode: '55406' }, old: null },
    status: 'pending', submittedAt: null, decidedAt: null, decisionNote: '', requestedByName: '', syncError: null, _deleted: false,
  };
}

const device = (username: string) => rxDevice<RequestDocument>({ app: f.app, base: f.base, username, name: 'requests', schema: requestSchema, version: REQUESTS_SCHEMA_VERSION });
const push = (token: string, rows: unknown[]) => pushRows<RequestDocument>(f.base, 'requests', REQUESTS_SCHEMA_VERSION, token, rows);
const local = ({ _deleted, ...doc }: Doc) => (void _deleted, doc);

describe('requests sync', () => {
  it('takes a guardian’s absence note written offline; her family, the student and the office see it pending, another family never', async () => {
    const { student_id: studentId, school_id: schoolId } = await family(f.store);
    const mother = await device('demo-guardian');
    const father = await device('demo-father');
    const student = await device('demo-student');
    const office = await device('demo-office');
    const stranger = await device('other-guardian');
    try {
      await mother.replication.pause();
      const note = absenceNote(studentId);
      await mother.collection.insert(local(note));
      expect(await f.store.query(`SELECT 1 FROM requests WHERE id = $1`, [note.id])).toEqual([]);
      await mother.replication.start();
      await mother.sync();
      const [stored] = await f.store.query<{ status: string; school_id: string; submitted_at: Date | null }>(`SELECT status, school_id, submitted_at FROM requests WHERE id = $1`, [note.id]);
      expect(stored).toMatchObject({ status: 'pending', school_id: schoolId });
      expect(stored!.submitted_at).not.toBeNull();
      await mother.sync();
      const mine = await mother.collection.findOne(note.id).exec();
      expect(mine?.status).toBe('pending');
      expect(mine?.submittedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(mine?.requestedByName).not.toBe('');

      for (const seer of [father, student, office]) {
        await seer.sync();
        expect((await seer.collection.findOne(note.id).exec())?.payload).toEqual(note.payload);
      }
      await stranger.sync();
      expect(await stranger.collection.findOne(note.id).exec()).toBeNull();
      // The stranger's device holds only requests about her own children and households.
      const theirs = await stranger.collection.find().exec();
      const [{ n }] = (await f.store.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM requests q JOIN accounts a ON a.username = 'other-guardian'
          WHERE q.student_id IN (SELECT student_id FROM guardianships WHERE guardian_person_id = a.person_id AND portal_access)
             OR q.household_id IN (SELECT household_id FROM household_members WHERE person_id = a.person_id AND role = 'guardian')`,
      )) as [{ n: number }];
      expect(theirs.length).toBe(n);
      // The student sees notes about themself, never the household's address changes.
      expect((await student.collection.find().exec()).every((d) => d.kind === 'absence_note' && d.studentId === studentId)).toBe(true);
    } finally {
      for (const d of [mother, father, student, office, stranger]) await d.close();
    }
  });

  it('lets the office approve a household change, which replaces the address in one transaction and reaches the family', async () => {
    const { household_id: householdId } = await family(f.store);
    const mother = await device('demo-guardian');
    const office = await device('demo-office');
    try {
      const change = addressChange(householdId);
      await mother.collection.insert(local(change));
      await mother.sync();
      const [before] = await f.store.query<{ id: string; line1: string; seq: number }>(`SELECT id, line1, seq FROM addresses WHERE household_id = $1 AND kind = 'home' AND NOT deleted`, [householdId]);
      await office.sync();
      const pending = await office.collection.findOne(change.id).exec();
      expect(pending?.status).toBe('pending');
      // The server recorded what the change replaces, for the office to compare.
      expect(pending?.payload).toMatchObject({ change: 'address', old: { line1: before!.line1 } });
      await pending!.incrementalPatch({ status: 'approved', decisionNote: 'Proof of address seen at the front desk.' });
      await office.sync();

      const [request] = await f.store.query<{ status: string; decided_at: Date | null; decided_by_staff_id: string | null }>(`SELECT status, decided_at, decided_by_staff_id FROM requests WHERE id = $1`, [change.id]);
      expect(request).toMatchObject({ status: 'approved' });
      expect(request!.decided_at).not.toBeNull();
      expect(request!.decided_by_staff_id).not.toBeNull();
      const addresses = await f.store.query<{ id: string; line1: string; deleted: boolean; seq: number }>(`SELECT id, line1, deleted, seq FROM addresses WHERE household_id = $1 AND kind = 'home' ORDER BY seq`, [householdId]);
      expect(addresses.filter((a) => !a.deleted).map((a) => a.line1)).toEqual(['4410 Cedar Avenue']);
      expect(addresses.find((a) => a.id === before!.id)).toMatchObject({ deleted: true });
      expect(Number(addresses.find((a) => a.id === before!.id)!.seq)).toBeGreaterThan(Number(before!.seq));
      const trail = await f.store.query<{ table_name: string; action: string; old_values: Record<string, unknown> | null; new_values: Record<string, unknown> }>(
        `SELECT t.table_name, t.action, t.old_values, t.new_values FROM audit_trail t JOIN accounts a ON a.id = t.actor_account_id AND a.username = 'demo-office'
          WHERE t.row_id = $1 OR t.row_id IN (SELECT id FROM addresses WHERE household_id = $2) ORDER BY t.id`,
        [change.id, householdId],
      );
      expect(trail.map((t) => `${t.table_name}:${t.action}`)).toEqual(['requests:update', 'addresses:update', 'addresses:insert']);
      expect(trail[0]).toMatchObject({ old_values: { status: 'pending' }, new_values: { status: 'approved' } });

      await mother.sync();
      expect((await mother.collection.findOne(change.id).exec())?.status).toBe('approved');
    } finally {
      await mother.close();
      await office.close();
    }
  });

  it('refuses a second decision with already_decided and the server’s state', async () => {
    const { household_id: householdId } = await family(f.store);
    const guardian = await device('demo-guardian');
    try {
      const change = addressChange(householdId, '18 Lake Street');
      expect(await push(guardian.token, [{ newDocumentState: change }])).toEqual([]);
      const officeA = await device('demo-office');
      const officeB = await device('demo-office');
      try {
        const onA = await officeA.collection.findOne(change.id).exec();
        const onB = await officeB.collection.findOne(change.id).exec();
        await onA!.incrementalPatch({ status: 'rejected', decisionNote: 'We need proof of address.' });
        await officeA.sync();
        await onB!.incrementalPatch({ status: 'approved', decisionNote: '' });
        await officeB.sync();
        expect(officeB.refusals).toEqual([expect.objectContaining({ id: change.id, status: 'rejected', syncError: 'already_decided' })]);
        // The device ends with the server's decision, not its own.
        expect(await officeB.collection.findOne(change.id).exec()).toMatchObject({ status: 'rejected', decisionNote: 'We need proof of address.' });
        const [row] = await f.store.query<{ status: string }>(`SELECT status FROM requests WHERE id = $1`, [change.id]);
        expect(row!.status).toBe('rejected');
        expect(await f.store.query(`SELECT 1 FROM addresses WHERE household_id = $1 AND line1 = '18 Lake Street'`, [householdId])).toEqual([]);
        // A withdrawal that arrives after the decision is refused the same way.
        const [late] = await push(guardian.token, [{ assumedMasterState: change, newDocumentState: { ...change, status: 'withdrawn' } }]);
        expect(late).toMatchObject({ id: change.id, status: 'rejected', syncError: 'already_decided' });
      } finally {
        await officeA.close();
        await officeB.close();
      }
    } finally {
      await guardian.close();
    }
  });

  it('refuses a guardian who tries to approve with not_allowed, once, without a retry loop; she may withdraw', async () => {
    const { student_id: studentId } = await family(f.store);
    const guardian = await device('demo-guardian');
    try {
      const note = absenceNote(studentId, { date: '2026-11-20', note: 'Family funeral.', reason: 'BRV' });
      await guardian.collection.insert(local(note));
      await guardian.sync();
      const pushesBefore = guardian.pushes();
      await (await guardian.collection.findOne(note.id).exec())!.incrementalPatch({ status: 'approved' });
      await guardian.sync();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await guardian.sync();
      expect(guardian.pushes() - pushesBefore).toBe(1);
      expect(await guardian.collection.findOne(note.id).exec()).toMatchObject({ status: 'pending', syncError: 'not_allowed' });
      expect((await f.store.query<{ status: string }>(`SELECT status FROM requests WHERE id = $1`, [note.id]))[0]!.status).toBe('pending');

      await (await guardian.collection.findOne(note.id).exec())!.incrementalPatch({ status: 'withdrawn', syncError: null });
      await guardian.sync();
      expect((await f.store.query<{ status: string }>(`SELECT status FROM requests WHERE id = $1`, [note.id]))[0]!.status).toBe('withdrawn');
    } finally {
      await guardian.close();
    }
  });

  it('lets a student submit nothing', async () => {
    const { student_id: studentId, household_id: householdId } = await family(f.store);
    const student = await device('demo-student');
    try {
      const note = absenceNote(studentId);
      const pushesBefore = student.pushes();
      await student.collection.insert(local(note));
      await student.sync();
      expect(student.pushes() - pushesBefore).toBe(1);
      expect(await f.store.query(`SELECT 1 FROM requests WHERE id = $1`, [note.id])).toEqual([]);
      expect(await student.collection.findOne(note.id).exec()).toBeNull();
      const [refused] = await push(student.token, [{ newDocumentState: note }]);
      expect(refused).toMatchObject({ id: note.id, _deleted: true, syncError: 'not_allowed' });
      const [asHousehold] = await push(student.token, [{ newDocumentState: addressChange(householdId) }]);
      expect(asHousehold?.syncError).toBe('not_allowed');
    } finally {
      await student.close();
    }
  });

  it('approving an absence note excuses the matching marks with the note’s reason; an expired attendance right may not decide', async () => {
    const { student_id: studentId, school_id: schoolId } = await family(f.store);
    // A whole-day absence awaiting a note, and a present mark on the same day that must stay as it is.
    await f.store.query(
      `INSERT INTO attendance (district_id, id, student_id, school_id, date, section_id, period_id, status, excuse)
       SELECT district_id, $2, id, $3, '2026-11-19', NULL, NULL, 'absent', 'unknown' FROM students WHERE id = $1
       ON CONFLICT (district_id, student_id, date, COALESCE(section_id, '00000000-0000-0000-0000-000000000000'::uuid)) DO UPDATE SET status = 'absent', excuse = 'unknown', reason_id = NULL, deleted = false`,
      [studentId, randomUUID(), schoolId],
    );
    const guardian = await device('demo-guardian');
    const office = await device('demo-office');
    try {
      const note = absenceNote(studentId, { date: '2026-11-18', endDate: '2026-11-19', reason: 'MED' });
      expect(await push(guardian.token, [{ newDocumentState: note }])).toEqual([]);
      await office.sync();

      // The office's attendance right lapses: the decision is refused, nothing changes.
      const rights = await f.store.query<{ id: string; expires_on: string; approved_on: string }>(
        `SELECT r.id, to_char(r.expires_on, 'YYYY-MM-DD') AS expires_on, to_char(r.approved_on, 'YYYY-MM-DD') AS approved_on FROM tool_rights r
           JOIN staff s ON s.id = r.staff_id JOIN accounts a ON a.person_id = s.person_id AND a.username = 'demo-office' WHERE r.tool = 'attendance_admin'`,
      );
      expect(rights.length).toBeGreaterThan(0);
      await f.store.query(`UPDATE tool_rights SET approved_on = '2025-11-01', expires_on = '2026-11-23' WHERE id = ANY($1::uuid[])`, [rights.map((r) => r.id)]);
      try {
        const lapsed = await rxDevice<RequestDocument>({ app: f.app, base: f.base, username: 'demo-office', name: 'requests', schema: requestSchema, version: REQUESTS_SCHEMA_VERSION });
        try {
          const pushesBefore = lapsed.pushes();
          await (await lapsed.collection.findOne(note.id).exec())!.incrementalPatch({ status: 'approved' });
          await lapsed.sync();
          expect(lapsed.pushes() - pushesBefore).toBe(1);
          expect(await lapsed.collection.findOne(note.id).exec()).toMatchObject({ status: 'pending', syncError: 'not_allowed' });
          expect((await f.store.query<{ status: string }>(`SELECT status FROM requests WHERE id = $1`, [note.id]))[0]!.status).toBe('pending');
        } finally {
          await lapsed.close();
        }
      } finally {
        for (const r of rights) await f.store.query(`UPDATE tool_rights SET approved_on = $2, expires_on = $3 WHERE id = $1`, [r.id, r.approved_on, r.expires_on]);
      }

      const [{ seq: before }] = (await f.store.query<{ seq: number }>(`SELECT seq FROM attendance WHERE student_id = $1 AND date = '2026-11-19' AND section_id IS NULL`, [studentId])) as [{ seq: number }];
      const doc = await office.collection.findOne(note.id).exec();
      await doc!.incrementalPatch({ status: 'approved', decisionNote: '' });
      await office.sync();
      const marks = await f.store.query<{ date: string; status: string; excuse: string; code: string | null; seq: number }>(
        `SELECT to_char(a.date, 'YYYY-MM-DD') AS date, a.status, a.excuse, r.code, a.seq FROM attendance a LEFT JOIN attendance_reasons r ON r.id = a.reason_id
          WHERE a.student_id = $1 AND a.date BETWEEN '2026-11-18' AND '2026-11-19' AND NOT a.deleted`,
        [studentId],
      );
      for (const mark of marks.filter((m) => m.status !== 'present')) expect(mark).toMatchObject({ excuse: 'excused', code: 'MED' });
      const wholeDay = marks.find((m) => m.date === '2026-11-19' && m.status === 'absent');
      expect(Number(wholeDay!.seq)).toBeGreaterThan(Number(before));
      const [{ n }] = (await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_trail WHERE table_name = 'attendance' AND new_values->>'excuse' = 'excused'`)) as [{ n: number }];
      expect(n).toBeGreaterThanOrEqual(marks.filter((m) => m.status !== 'present').length);
    } finally {
      await guardian.close();
      await office.close();
    }
  });

  it('treats the same push twice as one write, and returns the master for a stale assumption', async () => {
    const { student_id: studentId } = await family(f.store);
    const guardian = await device('demo-guardian');
    const office = await device('demo-office');
    try {
      const note = absenceNote(studentId, { date: '2026-11-24', note: 'Dentist at 9.', reason: 'MED' });
      expect(await push(guardian.token, [{ newDocumentState: note }])).toEqual([]);
      const seqOf = async () => Number((await f.store.query<{ seq: number }>(`SELECT seq FROM requests WHERE id = $1`, [note.id]))[0]!.seq);
      const seq = await seqOf();
      // A retry after a lost response: nothing changes, not even seq.
      expect(await push(guardian.token, [{ newDocumentState: note }])).toEqual([]);
      expect(await seqOf()).toBe(seq);
      expect((await f.store.query(`SELECT 1 FROM requests WHERE id = $1`, [note.id])).length).toBe(1);
      // The same decision twice: one update, one audit row.
      const approved = { ...note, status: 'approved' as const, decisionNote: 'Thank you.' };
      expect(await push(office.token, [{ assumedMasterState: note, newDocumentState: approved }])).toEqual([]);
      const decidedSeq = await seqOf();
      expect(await push(office.token, [{ assumedMasterState: note, newDocumentState: approved }])).toEqual([]);
      expect(await seqOf()).toBe(decidedSeq);
      const [{ n }] = (await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_trail WHERE table_name = 'requests' AND row_id = $1`, [note.id])) as [{ n: number }];
      expect(n).toBe(1);
      // A device that assumed another state than the server holds gets the server's state back.
      const other = absenceNote(studentId, { date: '2026-11-30' });
      expect(await push(guardian.token, [{ newDocumentState: other }])).toEqual([]);
      const [stale] = await push(office.token, [{ assumedMasterState: { ...other, status: 'withdrawn' }, newDocumentState: { ...other, status: 'rejected' } }]);
      expect(stale).toMatchObject({ id: other.id, status: 'pending', syncError: null });
    } finally {
      await guardian.close();
      await office.close();
    }
  });

  it('answers the first push of a request a device holds without an assumed state (as after a schema version) with the server’s state; a withdrawal stated against it then lands', async () => {
    const { student_id: studentId } = await family(f.store);
    const guardian = await device('demo-guardian');
    try {
      const note = absenceNote(studentId, { date: '2026-11-23', note: 'Fever.' });
      expect(await push(guardian.token, [{ newDocumentState: note }])).toEqual([]);
      const [stored] = await f.store.query<{ submitted_at: Date }>(`SELECT submitted_at FROM requests WHERE id = $1`, [note.id]);
      // The device withdrew it while the new version waited: no refusal, the server's state comes back…
      const [merged] = await push(guardian.token, [{ newDocumentState: { ...note, status: 'withdrawn' } }]);
      expect(merged).toMatchObject({ id: note.id, status: 'pending', syncError: null });
      expect(Date.parse(merged!.submittedAt!)).toBe(stored!.submitted_at.getTime());
      // …and the withdrawal, stated against it, is taken.
      expect(await push(guardian.token, [{ assumedMasterState: merged, newDocumentState: { ...merged!, status: 'withdrawn' } }])).toEqual([]);
      const [row] = await f.store.query<{ status: string }>(`SELECT status FROM requests WHERE id = $1`, [note.id]);
      expect(row!.status).toBe('withdrawn');
    } finally {
      await guardian.close();
    }
  });

  it('sends blank tombstones of a child’s notes when the guardian’s portal access is revoked', async () => {
    const { student_id: studentId } = await family(f.store);
    const guardian = await device('demo-guardian');
    try {
      const note = absenceNote(studentId, { date: '2026-11-16', note: 'Migraine.' });
      await guardian.collection.insert(local(note));
      await guardian.sync();
      const household = (await guardian.collection.find({ selector: { kind: 'household_change' } }).exec()).length;
      await f.store.query(`UPDATE guardianships SET portal_access = false WHERE student_id = $1 AND guardian_person_id = (SELECT person_id FROM accounts WHERE username = 'demo-guardian')`, [studentId]);
      try {
        await guardian.sync();
        expect(await guardian.collection.findOne(note.id).exec()).toBeNull();
        expect(await guardian.collection.find({ selector: { studentId } }).exec()).toEqual([]);
        // Her household's own requests stay: she is still a guardian in it.
        expect((await guardian.collection.find({ selector: { kind: 'household_change' } }).exec()).length).toBe(household);
      } finally {
        await f.store.query(`UPDATE guardianships SET portal_access = true WHERE student_id = $1 AND guardian_person_id = (SELECT person_id FROM accounts WHERE username = 'demo-guardian')`, [studentId]);
      }
    } finally {
      await guardian.close();
    }
  });

  it('checks every submission: note window, days with school, reason, sections, shapes, households and phones that are not hers', async () => {
    const { student_id: studentId, household_id: householdId } = await family(f.store);
    const [otherHousehold] = await f.store.query<{ id: string }>(`SELECT id FROM households WHERE id <> $1 ORDER BY id LIMIT 1`, [householdId]);
    const [stranger] = await f.store.query<{ id: string }>(`SELECT id FROM students WHERE id NOT IN (SELECT student_id FROM guardianships g JOIN accounts a ON a.person_id = g.guardian_person_id AND a.username = 'demo-guardian') LIMIT 1`);
    const [otherPerson] = await f.store.query<{ id: string }>(`SELECT person_id AS id FROM household_members WHERE household_id <> $1 LIMIT 1`, [householdId]);
    const { token } = await signIn(f.app, 'demo-guardian');
    const phone = (fields: Record<string, unknown>): Doc => ({
      ...addressChange(householdId),
      payload: { change: 'phone', kind: 'mobile', personId: null, phone: { number: '(612) 555-0199', smsOk: true }, old: null, ...fields } as never,
    });
    const cases: Array<[Doc, string]> = [
      [absenceNote(studentId, { date: '2026-10-24' }), 'outside_note_window'],
      [absenceNote(studentId, { date: '2026-12-01', endDate: '2026-12-09' }), 'outside_note_window'],
      // A Sunday, a weekend, and the Thanksgiving break (Wednesday to Friday) hold no school day.
      [absenceNote(studentId, { date: '2026-11-22' }), 'not_school_day'],
      [absenceNote(studentId, { date: '2026-11-21', endDate: '2026-11-22' }), 'not_school_day'],
      [absenceNote(studentId, { date: '2026-11-25', endDate: '2026-11-27' }), 'not_school_day'],
      [absenceNote(studentId, { reason: 'VAC' as never }), 'invalid'],
      [absenceNote(studentId, { note: 'x'.repeat(1001) }), 'invalid'],
      [absenceNote(studentId, { date: '2026-11-20', endDate: '2026-11-19' }), 'invalid'],
      [absenceNote(studentId, { sectionIds: [randomUUID()] }), 'not_enrolled'],
      [absenceNote(stranger!.id), 'not_allowed'],
      [{ ...absenceNote(studentId), status: 'approved' }, 'not_allowed'],
      [addressChange(otherHousehold!.id), 'not_allowed'],
      [{ ...addressChange(householdId), payload: { change: 'address', kind: 'home', address: { line1: 'x'.repeat(201), line2: null, city: 'Riverbend', region: 'MN', postalCode: '55406' }, old: null } }, 'invalid'],
      [{ ...addressChange(householdId), payload: { change: 'address', kind: 'home', address: { line1: '1 Main St', line2: null, city: 'Riverbend', region: 'MN', postalCode: '5540' }, old: null } }, 'invalid'],
      [phone({ phone: { number: 'call me maybe', smsOk: false } }), 'invalid'],
      [phone({ personId: otherPerson!.id }), 'not_allowed'],
      [{ ...addressChange(householdId), kind: 'absence_note' }, 'invalid'],
    ];
    for (const [doc, reason] of cases) {
      const [refused] = await push(token, [{ newDocumentState: doc }]);
      expect(refused?.syncError, `${reason}: ${JSON.stringify(doc.payload).slice(0, 80)}`).toBe(reason);
      expect(await f.store.query(`SELECT 1 FROM requests WHERE id = $1`, [doc.id])).toEqual([]);
    }
    // Days off within a note's days are fine: the family was away from Friday to Monday, or over the break and its Monday.
    for (const [date, endDate] of [['2026-11-20', '2026-11-23'], ['2026-11-25', '2026-11-30']] as const) {
      const note = absenceNote(studentId, { date, endDate, note: 'Family trip.', reason: 'FAM' });
      expect(await push(token, [{ newDocumentState: note }]), `${date}..${endDate}`).toEqual([]);
    }
    // A phone change of her household's line is taken.
    expect(await push(token, [{ newDocumentState: phone({ kind: 'home' }) }])).toEqual([]);
  });
});

describe.runIf(await postgresReachable())('requests sync on PostgreSQL', () => {
  let db: TestDatabase;
  let pg: Awaited<ReturnType<typeof listen>>;
  let app: AppFixture['app'];

  beforeAll(async () => {
    db = await freshPostgres({ migrated: true });
    await seedDistrict(db.store, { ...defaultSeedOptions('2026-11-24'), students: 100 });
    app = createApp({ store: db.store, clock: () => new Date('2026-11-24T15:00:00Z'), mailer: memoryMailer(), config: {} });
    signsInWithSecondFactor(app, { store: db.store, clock: () => new Date('2026-11-24T15:00:00Z') });
    pg = await listen(app);
  });
  afterAll(async () => {
    await pg.close();
    await db.drop();
  });

  it('takes a note and a household change, and applies the approved change with its audit trail', async () => {
    const { student_id: studentId, household_id: householdId } = await family(db.store);
    const open = (username: string) => rxDevice<RequestDocument>({ app, base: pg.base, username, name: 'requests', schema: requestSchema, version: REQUESTS_SCHEMA_VERSION });
    const guardian = await open('demo-guardian');
    const office = await open('demo-office');
    try {
      const note = absenceNote(studentId);
      const change = addressChange(householdId, '77 Minnehaha Parkway');
      await guardian.collection.bulkInsert([local(note), local(change)]);
      await guardian.sync();
      await office.sync();
      await (await office.collection.findOne(change.id).exec())!.incrementalPatch({ status: 'approved' });
      await (await office.collection.findOne(note.id).exec())!.incrementalPatch({ status: 'rejected', decisionNote: 'Please call the office.' });
      await office.sync();
      await guardian.sync();
      expect((await guardian.collection.findOne(change.id).exec())?.status).toBe('approved');
      expect(await guardian.collection.findOne(note.id).exec()).toMatchObject({ status: 'rejected', decisionNote: 'Please call the office.' });
      expect(await db.store.query(`SELECT line1 FROM addresses WHERE household_id = $1 AND kind = 'home' AND NOT deleted`, [householdId])).toEqual([{ line1: '77 Minnehaha Parkway' }]);
      const [{ n }] = (await db.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_trail WHERE row_id = ANY($1::uuid[])`, [[note.id, change.id]])) as [{ n: number }];
      expect(n).toBe(2);
      // A late retry of the submission, after the decision: the device takes the server's state, no refusal.
      expect(await pushRows(pg.base, 'requests', REQUESTS_SCHEMA_VERSION, guardian.token, [{ newDocumentState: note }])).toEqual([
        expect.objectContaining({ id: note.id, status: 'rejected', syncError: null }),
      ]);
      expect((await db.store.query(`SELECT 1 FROM requests WHERE id = $1`, [note.id])).length).toBe(1);
    } finally {
      await guardian.close();
      await office.close();
    }
  });
});
