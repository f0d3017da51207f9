import { randomUUID } from 'node:crypto';
import type { RxJsonSchema } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageSchema, MESSAGES_SCHEMA_VERSION, type MessageDocument } from '../contract/sync/messages.ts';
import { servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';
import { childrenOf, guardianOfAnotherFamily, setPortalAccess, useDemoPassword } from '../test/family-accounts.ts';
import { signedInDevice } from '../test/sync-device.ts';

const TODAY = '2026-11-24';
let f: ServedAppFixture;
let otherGuardian: string;

beforeAll(async () => {
  f = await servedAppFixture({ students: 120, today: TODAY });
  otherGuardian = await guardianOfAnotherFamily(f.store);
  await useDemoPassword(f.store, [otherGuardian]);
});
afterAll(() => f.close());

type Doc = MessageDocument & { _deleted: boolean };

const device = (username: string) => signedInDevice<MessageDocument>(f, username, { name: 'messages', schema: messageSchema as unknown as RxJsonSchema<MessageDocument>, version: MESSAGES_SCHEMA_VERSION, batchSize: 30 });


async function push(token: string, rows: unknown[]): Promise<Doc[]> {
  const response = await fetch(`${f.base}/api/sync/messages/push?v=${MESSAGES_SCHEMA_VERSION}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(rows),
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<Doc[]>;
}

/** Messages addressed to the user (not flagged deleted). */
async function receivedBy(username: string): Promise<string[]> {
  const rows = await f.store.query<{ id: string }>(
    `SELECT m.id FROM message_recipients r JOIN messages m ON m.id = r.message_id JOIN accounts a ON a.person_id = r.person_id
      WHERE a.username = $1 AND NOT r.deleted AND NOT m.deleted`,
    [username],
  );
  return rows.map((r) => r.id).sort();
}

/**
 * Announcements running today for the district, the schools and the sections of these students;
 * one naming grades only when one of the students attends (its school, or any school of the
 * district) in one of those grades.
 */
async function announcementsFor(studentIds: string[]): Promise<string[]> {
  const rows = await f.store.query<{ id: string }>(
    `WITH attending AS (
       SELECT e.school_id, e.grade_level FROM enrollments e WHERE e.student_id = ANY($1) AND NOT e.deleted AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2))
     SELECT a.id FROM announcements a
      WHERE NOT a.deleted AND a.starts_on <= $2 AND a.ends_on >= $2 AND (
        (a.scope = 'district' AND coalesce(cardinality(a.grades), 0) = 0)
        OR (a.scope = 'district' AND EXISTS (SELECT 1 FROM attending t WHERE t.grade_level = ANY(a.grades)))
        OR (a.scope = 'school' AND EXISTS (SELECT 1 FROM attending t WHERE t.school_id = a.school_id AND (coalesce(cardinality(a.grades), 0) = 0 OR t.grade_level = ANY(a.grades))))
        OR (a.scope = 'section' AND a.section_id IN (SELECT r.section_id FROM section_enrollments r WHERE r.student_id = ANY($1) AND NOT r.deleted AND r.start_date <= $2 AND (r.end_date IS NULL OR r.end_date >= $2))))`,
    [studentIds, TODAY],
  );
  return rows.map((r) => r.id).sort();
}

/** The seeded message from demo-teacher to demo-guardian about her tenth grader. */
async function essayMessage(): Promise<{ id: string; studentId: string }> {
  const [row] = await f.store.query<{ id: string; about_student_id: string }>(`SELECT id, about_student_id FROM messages WHERE subject = 'Great essay this week'`);
  return { id: row!.id, studentId: row!.about_student_id };
}

describe('messages sync with the real RxDB client', () => {
  it('gives a guardian exactly her inbox: messages addressed to her and the announcements of her district, her children’s schools and sections', async () => {
    const phone = await device('demo-guardian');
    try {
      const children = await childrenOf(f.store, 'demo-guardian');
      const received = await receivedBy('demo-guardian');
      const announced = await announcementsFor(children);
      expect(received.length).toBeGreaterThan(0);
      expect(announced.length).toBeGreaterThan(2);
      expect(await phone.ids()).toEqual([...received, ...announced].sort());
      const docs = await phone.collection.find().exec();
      expect(docs.every((d) => d.folder === 'inbox')).toBe(true);
      const essay = docs.find((d) => d.title.en === 'Great essay this week')!;
      expect(essay.toJSON()).toMatchObject({ kind: 'message', title: { es: null, so: null, vi: null }, readAt: null, aboutStudentId: (await essayMessage()).studentId });
      expect(essay.senderName.length).toBeGreaterThan(2);
      expect(essay.sentAt).toMatch(/^2026-11-22T\d\d:15:00\.000Z$/);
      const announcement = docs.find((d) => d.kind === 'announcement')!;
      expect(Object.values(announcement.title).every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
      expect(announcement.startsOn! <= TODAY && TODAY <= announcement.endsOn!).toBe(true);
      // Each announcement names the school it is for (its own or its section's), or none for the district's.
      const places = await f.store.query<{ id: string; scope: string; school_id: string | null; name: string | null }>(
        `SELECT a.id, a.scope, k.id AS school_id, k.name FROM announcements a
           LEFT JOIN sections s ON s.district_id = a.district_id AND s.id = a.section_id
           LEFT JOIN schools k ON k.district_id = a.district_id AND k.id = coalesce(a.school_id, s.school_id)
          WHERE a.id = ANY($1)`,
        [announced],
      );
      expect(places.filter((place) => place.scope === 'school').length).toBeGreaterThan(1);
      for (const place of places) {
        const doc = docs.find((d) => d.id === place.id)!;
        expect({ schoolId: doc.schoolId, schoolName: doc.schoolName }, place.scope).toEqual({ schoolId: place.school_id, schoolName: place.name ?? '' });
      }
      expect(docs.filter((d) => d.kind === 'message').every((d) => d.schoolId === null && d.schoolName === '')).toBe(true);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('gives another family’s guardian none of the messages about her children: only their own messages and their schools’ announcements', async () => {
    const theirs = await device(otherGuardian);
    try {
      // Class messages go to every family of the class; those about her children go to her family alone.
      const aboutMine = (await f.store.query<{ id: string }>(`SELECT id FROM messages WHERE about_student_id = ANY($1)`, [await childrenOf(f.store, 'demo-guardian')])).map((m) => m.id);
      expect(aboutMine.length).toBeGreaterThan(0);
      const theirIds = await theirs.ids();
      expect(theirIds.filter((id) => aboutMine.includes(id))).toEqual([]);
      expect(theirIds).toEqual([...(await receivedBy(otherGuardian)), ...(await announcementsFor(await childrenOf(f.store, otherGuardian)))].sort());
    } finally {
      await theirs.close();
    }
  });

  it('shows a teacher what she sent, and a class announcement to her and that class’s families but not to the office', async () => {
    const teacher = await device('demo-teacher');
    const office = await device('demo-office');
    try {
      const sent = await f.store.query<{ id: string }>(`SELECT m.id FROM messages m JOIN accounts a ON a.person_id = m.sender_person_id WHERE a.username = 'demo-teacher'`);
      expect(sent.length).toBeGreaterThan(0);
      for (const { id } of sent) expect((await teacher.collection.findOne(id).exec())?.folder).toBe('sent');
      // A class announcement for one of her sections: she and that section's families see it, the office does not.
      const [section] = await f.store.query<{ section_id: string; school_id: string }>(
        `SELECT ss.section_id, x.school_id FROM section_staff ss JOIN sections x ON x.id = ss.section_id JOIN staff t ON t.id = ss.staff_id
           JOIN accounts a ON a.person_id = t.person_id JOIN terms tm ON tm.id = x.term_id AND tm.start_date <= $1 AND tm.end_date >= $1
          WHERE a.username = 'demo-teacher' ORDER BY x.section_number LIMIT 1`,
        [TODAY],
      );
      const id = randomUUID();
      await f.store.query(
        `INSERT INTO announcements (district_id, id, scope, school_id, section_id, title, body, starts_on, ends_on)
         SELECT district_id, $1, 'section', $3, $2, '{"en": "Field trip forms due Friday"}', '{"en": "Please return the signed form."}', $4, $4 FROM sections WHERE id = $2`,
        [id, section!.section_id, section!.school_id, TODAY],
      );
      await teacher.sync();
      await office.sync();
      expect((await teacher.collection.findOne(id).exec())?.toJSON()).toMatchObject({ kind: 'announcement', sectionId: section!.section_id, title: { en: 'Field trip forms due Friday', es: null } });
      expect(await office.collection.findOne(id).exec()).toBeNull();
      const [family] = await f.store.query<{ username: string }>(
        `SELECT a.username FROM section_enrollments r JOIN guardianships g ON g.student_id = r.student_id AND g.portal_access
           JOIN accounts a ON a.person_id = g.guardian_person_id AND a.status = 'active' WHERE r.section_id = $1 ORDER BY a.username LIMIT 1`,
        [section!.section_id],
      );
      await useDemoPassword(f.store, [family!.username]);
      const parent = await device(family!.username);
      try {
        expect(await parent.collection.findOne(id).exec()).not.toBeNull();
      } finally {
        await parent.close();
      }
      expect(teacher.errors).toEqual([]);
    } finally {
      await teacher.close();
      await office.close();
    }
  });

  it('turns an announcement into a tombstone once its run ends', async () => {
    const phone = await device('demo-guardian');
    try {
      const announcement = (await phone.collection.find({ selector: { kind: 'announcement' } }).exec())[0]!;
      // What the daily job does for a window that closed: the row is touched, its seq moves.
      await f.store.query(`UPDATE announcements SET starts_on = least(starts_on, '2026-11-20'), ends_on = '2026-11-23' WHERE id = $1`, [announcement.id]);
      await phone.sync();
      expect(phone.errors).toEqual([]);
      expect(await phone.collection.findOne(announcement.id).exec()).toBeNull();
      expect(await phone.stored(announcement.id)).toMatchObject({ _deleted: true, senderName: '', title: { en: '', es: null }, body: { en: '' }, startsOn: null, endsOn: null });
    } finally {
      await phone.close();
    }
  });

  it('forgets a message about a child when portal access is revoked: a schema-valid tombstone with nothing of what it said', async () => {
    const phone = await device('demo-guardian');
    try {
      const essay = await essayMessage();
      expect(await phone.collection.findOne(essay.id).exec()).not.toBeNull();
      await setPortalAccess(f.store, 'demo-guardian', essay.studentId, false);
      await phone.sync();
      expect(phone.errors).toEqual([]);
      expect(await phone.collection.findOne(essay.id).exec()).toBeNull();
      expect(await phone.stored(essay.id)).toMatchObject({
        _deleted: true, kind: 'message', senderName: '', title: { en: '', es: null, so: null, vi: null }, body: { en: '' }, aboutStudentId: null, sentAt: null, readAt: null,
      });
      // The school's announcements go too: no other child of hers attends that high school.
      const aboutChild = (await f.store.query<{ id: string }>(`SELECT id FROM messages WHERE about_student_id = $1`, [essay.studentId])).map((m) => m.id);
      const stillReceived = (await receivedBy('demo-guardian')).filter((id) => !aboutChild.includes(id));
      expect(await phone.ids()).toEqual([...stillReceived, ...(await announcementsFor(await childrenOf(f.store, 'demo-guardian')))].sort());
      await setPortalAccess(f.store, 'demo-guardian', essay.studentId, true);
      await phone.sync();
      expect(await phone.collection.findOne(essay.id).exec()).not.toBeNull();
    } finally {
      await phone.close();
    }
  });

  it('syncs a message marked read to the recipient’s other devices; the same push by another user is refused once, with no retry loop', async () => {
    const essay = await essayMessage();
    const phone = await device('demo-guardian');
    const tablet = await device('demo-guardian');
    const stranger = await device(otherGuardian);
    const teacher = await device('demo-teacher');
    try {
      const readAt = '2026-11-24T14:05:00.000Z';
      await (await phone.collection.findOne(essay.id).exec())!.incrementalPatch({ readAt });
      await phone.sync();
      expect(phone.traffic.pushes).toBe(1);
      expect(phone.traffic.conflicts).toEqual([]);
      const [stored] = await f.store.query<{ read_at: Date }>(`SELECT r.read_at FROM message_recipients r JOIN accounts a ON a.person_id = r.person_id WHERE a.username = 'demo-guardian' AND r.message_id = $1`, [essay.id]);
      expect(new Date(stored!.read_at).toISOString()).toBe(readAt);
      await tablet.sync();
      expect((await tablet.collection.findOne(essay.id).exec())?.readAt).toBe(readAt);

      // Another family's device claims the same message read: refused, dropped from the device, never retried.
      const forged = (await phone.collection.findOne(essay.id).exec())!.toJSON() as MessageDocument;
      await stranger.collection.insert({ ...forged, readAt: '2026-11-24T15:00:00.000Z' });
      await stranger.sync();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await stranger.sync();
      expect(stranger.traffic.pushes).toBe(1);
      expect(stranger.traffic.conflicts).toEqual([expect.objectContaining({ id: essay.id, _deleted: true, syncError: 'not_allowed', body: { en: '', es: null, so: null, vi: null } })]);
      expect(await stranger.collection.findOne(essay.id).exec()).toBeNull();

      // Its sender may not mark it read either: her sent copy comes back as it was, with the reason.
      await (await teacher.collection.findOne(essay.id).exec())!.incrementalPatch({ readAt: '2026-11-24T15:30:00.000Z' });
      await teacher.sync();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await teacher.sync();
      expect(teacher.traffic.pushes).toBe(1);
      expect(teacher.traffic.conflicts).toEqual([expect.objectContaining({ id: essay.id, folder: 'sent', readAt: null, syncError: 'not_allowed' })]);
      expect((await teacher.collection.findOne(essay.id).exec())?.toJSON()).toMatchObject({ readAt: null, syncError: 'not_allowed' });

      const [after] = await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM message_recipients WHERE message_id = $1 AND read_at IS NOT NULL`, [essay.id]);
      expect(after!.n).toBe(1);
      for (const d of [phone, tablet, stranger, teacher]) expect(d.errors).toEqual([]);
    } finally {
      await phone.close();
      await tablet.close();
      await stranger.close();
      await teacher.close();
    }
  });

  it('takes only readAt from a recipient: edits, deletions, announcements and malformed documents are refused; stale assumptions get the server’s state; retries are no-ops', async () => {
    const essay = await essayMessage();
    const { token } = await signIn(f.app, 'demo-guardian');
    const pulled = await fetch(`${f.base}/api/sync/messages/pull?v=${MESSAGES_SCHEMA_VERSION}&limit=500`, { headers: { authorization: `Bearer ${token}` } });
    const docs = ((await pulled.json()) as { documents: Doc[] }).documents;
    const master = docs.find((d) => d.id === essay.id)!;
    const announcement = docs.find((d) => d.kind === 'announcement' && !d._deleted)!;

    const edited = await push(token, [{ assumedMasterState: master, newDocumentState: { ...master, title: { ...master.title, en: 'Changed' } } }]);
    expect(edited).toEqual([expect.objectContaining({ id: essay.id, syncError: 'not_allowed', title: master.title })]);
    const deleted = await push(token, [{ assumedMasterState: master, newDocumentState: { ...master, _deleted: true } }]);
    expect(deleted).toEqual([expect.objectContaining({ id: essay.id, _deleted: false, syncError: 'not_allowed' })]);
    const onAnnouncement = await push(token, [{ assumedMasterState: announcement, newDocumentState: { ...announcement, readAt: '2026-11-24T10:00:00.000Z' } }]);
    expect(onAnnouncement).toEqual([expect.objectContaining({ id: announcement.id, readAt: null, syncError: 'not_allowed' })]);
    const malformed = await push(token, [{ newDocumentState: { ...master, readAt: 'yesterday' } }]);
    expect(malformed).toEqual([expect.objectContaining({ id: essay.id, syncError: 'invalid', title: master.title })]);
    const future = await push(token, [{ assumedMasterState: master, newDocumentState: { ...master, readAt: '2027-01-01T00:00:00.000Z' } }]);
    expect(future).toEqual([expect.objectContaining({ id: essay.id, syncError: 'future_date' })]);
    const unknown = await push(token, [{ newDocumentState: { ...master, id: randomUUID(), readAt: '2026-11-24T10:00:00.000Z' } }]);
    expect(unknown).toEqual([expect.objectContaining({ _deleted: true, senderName: '', syncError: 'not_allowed' })]);

    // Mark unread, then a device that still assumes the old state loses and gets the server's.
    const unread = { ...master, readAt: null };
    expect(await push(token, [{ assumedMasterState: master, newDocumentState: unread }])).toEqual([]);
    const [{ seq }] = (await f.store.query<{ seq: number }>(`SELECT r.seq FROM message_recipients r JOIN accounts a ON a.person_id = r.person_id WHERE a.username = 'demo-guardian' AND r.message_id = $1`, [essay.id])) as [{ seq: number }];
    expect(await push(token, [{ assumedMasterState: master, newDocumentState: unread }])).toEqual([]); // a retry: nothing written
    const [again] = await f.store.query<{ seq: number }>(`SELECT r.seq FROM message_recipients r JOIN accounts a ON a.person_id = r.person_id WHERE a.username = 'demo-guardian' AND r.message_id = $1`, [essay.id]);
    expect(again!.seq).toBe(seq);
    const stale = await push(token, [{ assumedMasterState: { ...master, readAt: '2026-11-20T08:00:00.000Z' }, newDocumentState: { ...master, readAt: '2026-11-24T09:00:00.000Z' } }]);
    expect(stale).toEqual([expect.objectContaining({ id: essay.id, readAt: null, syncError: null })]);
  });

  it('answers a device that held its documents before version 1 (a first push of each, with no assumed state) with the server’s state, not a refusal; its read mark then lands', async () => {
    const essay = await essayMessage();
    const { token } = await signIn(f.app, 'demo-guardian');
    const pulled = await fetch(`${f.base}/api/sync/messages/pull?v=${MESSAGES_SCHEMA_VERSION}&limit=500`, { headers: { authorization: `Bearer ${token}` } });
    const docs = ((await pulled.json()) as { documents: Doc[] }).documents;
    const master = docs.find((d) => d.id === essay.id)!;
    const announcement = docs.find((d) => d.kind === 'announcement' && !d._deleted && d.schoolName !== '')!;
    // Migrated on the device: no school yet; the message read there while the update waited.
    const migrated = (doc: Doc) => ({ ...doc, schoolId: null, schoolName: '' });
    const readThere = '2026-11-24T10:00:00.000Z';
    const answers = await push(token, [{ newDocumentState: migrated(announcement) }, { newDocumentState: { ...migrated(master), readAt: readThere } }]);
    expect(answers).toEqual([
      expect.objectContaining({ id: announcement.id, schoolId: announcement.schoolId, schoolName: announcement.schoolName, syncError: null }),
      expect.objectContaining({ id: essay.id, readAt: master.readAt, syncError: null }),
    ]);
    // Its conflict handler keeps the read mark and pushes it against the state it now knows.
    expect(await push(token, [{ assumedMasterState: answers[1], newDocumentState: { ...answers[1]!, readAt: readThere } }])).toEqual([]);
    const [row] = await f.store.query<{ read_at: Date | null }>(`SELECT r.read_at FROM message_recipients r JOIN accounts a ON a.person_id = r.person_id WHERE a.username = 'demo-guardian' AND r.message_id = $1`, [essay.id]);
    expect(row!.read_at?.toISOString()).toBe(readThere);
  });
});

describe('announcements meant for some grades (issue 13)', () => {
  /**
   * At a school with student accounts in two grades: a grade and another one, two guardians
   * (one with a child in the grade, one whose children there are all in the other grade) and
   * a student account in each grade, all able to sign in.
   */
  async function twoGradesAtOneSchool() {
    const [pick] = await f.store.query<{ school_id: string; grade: number; other: number; district_id: string }>(
      `WITH attending AS (
         SELECT e.district_id, e.school_id, e.grade_level, e.student_id FROM enrollments e
          WHERE NOT e.deleted AND e.start_date <= $1 AND (e.end_date IS NULL OR e.end_date >= $1)),
       student_accounts AS (
         SELECT t.* FROM attending t JOIN students s ON s.id = t.student_id JOIN accounts a ON a.person_id = s.person_id AND a.status = 'active')
       SELECT x.district_id, x.school_id, x.grade_level AS grade, y.grade_level AS other FROM student_accounts x JOIN student_accounts y ON y.school_id = x.school_id AND y.grade_level > x.grade_level
        ORDER BY x.school_id, x.grade_level, y.grade_level LIMIT 1`,
      [TODAY],
    );
    expect(pick, 'a school with student accounts in two grades').toBeDefined();
    const { school_id: schoolId, grade, other } = pick!;
    const guardianWith = async (inGrade: number, notInGrade: number) => {
      const [row] = await f.store.query<{ username: string }>(
        `SELECT a.username FROM accounts a JOIN guardianships g ON g.guardian_person_id = a.person_id AND g.portal_access AND NOT g.deleted
           JOIN enrollments e ON e.student_id = g.student_id AND e.school_id = $1 AND e.grade_level = $2 AND NOT e.deleted AND e.start_date <= $4 AND (e.end_date IS NULL OR e.end_date >= $4)
          WHERE a.status = 'active' AND NOT EXISTS (
            SELECT 1 FROM guardianships g2 JOIN enrollments e2 ON e2.student_id = g2.student_id AND e2.school_id = $1 AND e2.grade_level = $3 AND NOT e2.deleted
             WHERE g2.guardian_person_id = a.person_id AND NOT g2.deleted)
          ORDER BY a.username LIMIT 1`,
        [schoolId, inGrade, notInGrade, TODAY],
      );
      return row!.username;
    };
    const studentIn = async (inGrade: number) => {
      const [row] = await f.store.query<{ username: string }>(
        `SELECT a.username FROM accounts a JOIN students s ON s.person_id = a.person_id
           JOIN enrollments e ON e.student_id = s.id AND e.school_id = $1 AND e.grade_level = $2 AND NOT e.deleted AND e.start_date <= $3 AND (e.end_date IS NULL OR e.end_date >= $3)
          WHERE a.status = 'active' ORDER BY a.username LIMIT 1`,
        [schoolId, inGrade, TODAY],
      );
      return row!.username;
    };
    const people = { guardianOfGrade: await guardianWith(grade, other), guardianOfOther: await guardianWith(other, grade), studentOfGrade: await studentIn(grade), studentOfOther: await studentIn(other) };
    await useDemoPassword(f.store, Object.values(people));
    return { districtId: pick!.district_id, schoolId, grade, other, ...people };
  }

  async function announce(districtId: string, scope: 'district' | 'school', schoolId: string | null, grades: number[]): Promise<string> {
    const id = randomUUID();
    await f.store.query(
      `INSERT INTO announcements (district_id, id, scope, school_id, section_id, title, body, starts_on, ends_on, grades)
       VALUES ($1, $2, $3, $4, NULL, '{"en": "For some grades only"}', '{"en": "Field day."}', $5, $5, $6::smallint[])`,
      [districtId, id, scope, schoolId, TODAY, grades],
    );
    return id;
  }

  it('reaches the families and students of its grades at its school, names them, and no one else there', async () => {
    const at = await twoGradesAtOneSchool();
    const id = await announce(at.districtId, 'school', at.schoolId, [at.grade]);
    for (const [username, sees] of [[at.guardianOfGrade, true], [at.guardianOfOther, false], [at.studentOfGrade, true], [at.studentOfOther, false]] as const) {
      const phone = await device(username);
      try {
        const doc = await phone.collection.findOne(id).exec();
        expect(doc === null ? null : doc.toJSON().grades, username).toEqual(sees ? [at.grade] : null);
        expect(phone.errors).toEqual([]);
      } finally {
        await phone.close();
      }
    }
  });

  it('reaches a district-wide grade post only through a child in that grade at any school; staff see it where their school teaches the grade', async () => {
    const at = await twoGradesAtOneSchool();
    const id = await announce(at.districtId, 'district', null, [at.grade]);
    const beyondEveryone = await announce(at.districtId, 'district', null, [-1]);
    const mine = await device(at.guardianOfGrade);
    const theirs = await device(at.studentOfOther);
    try {
      expect(await mine.ids()).toEqual([...(await receivedBy(at.guardianOfGrade)), ...(await announcementsFor(await childrenOf(f.store, at.guardianOfGrade)))].sort());
      expect(await mine.collection.findOne(id).exec()).not.toBeNull();
      expect(await theirs.collection.findOne(id).exec()).toBeNull();
    } finally {
      await mine.close();
      await theirs.close();
    }
    // demo-office works at the high school, which teaches grades 9 to 12 and no pre-kindergarten.
    const office = await device('demo-office');
    try {
      const [high] = await f.store.query<{ grade_low: number; grade_high: number }>(
        `SELECT k.grade_low, k.grade_high FROM schools k JOIN staff_locations l ON l.school_id = k.id JOIN staff t ON t.id = l.staff_id JOIN accounts a ON a.person_id = t.person_id WHERE a.username = 'demo-office'`,
      );
      expect(await office.collection.findOne(id).exec() !== null).toBe(high!.grade_low <= at.grade && at.grade <= high!.grade_high);
      expect(await office.collection.findOne(beyondEveryone).exec()).toBeNull();
    } finally {
      await office.close();
    }
  });

  it('follows a child moving up a grade: the post arrives when her enrollment reaches its grade and leaves as a tombstone when it no longer does', async () => {
    const at = await twoGradesAtOneSchool();
    const id = await announce(at.districtId, 'school', at.schoolId, [at.grade]);
    const phone = await device(at.guardianOfOther);
    try {
      expect(await phone.collection.findOne(id).exec()).toBeNull();
      const [child] = await f.store.query<{ id: string }>(
        `SELECT e.id FROM enrollments e JOIN guardianships g ON g.student_id = e.student_id AND g.portal_access AND NOT g.deleted JOIN accounts a ON a.person_id = g.guardian_person_id
          WHERE a.username = $1 AND e.school_id = $2 AND e.grade_level = $3 AND NOT e.deleted ORDER BY e.id LIMIT 1`,
        [at.guardianOfOther, at.schoolId, at.other],
      );
      await f.store.query(`UPDATE enrollments SET grade_level = $2 WHERE id = $1`, [child!.id, at.grade]);
      await phone.sync();
      expect((await phone.collection.findOne(id).exec())?.grades).toEqual([at.grade]);
      await f.store.query(`UPDATE enrollments SET grade_level = $2 WHERE id = $1`, [child!.id, at.other]);
      await phone.sync();
      expect(await phone.collection.findOne(id).exec()).toBeNull();
      expect(await phone.stored(id)).toMatchObject({ _deleted: true, title: { en: '' }, schoolId: null, schoolName: '', grades: [] });
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('refuses grades a class announcement or the grade scale cannot hold (the store’s own check)', async () => {
    const at = await twoGradesAtOneSchool();
    await expect(announce(at.districtId, 'school', at.schoolId, [13])).rejects.toThrow();
    await expect(announce(at.districtId, 'school', at.schoolId, [-2])).rejects.toThrow();
  });
});
