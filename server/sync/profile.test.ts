import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { profileSchema, PROFILE_SCHEMA_VERSION, type ContactPreference, type ProfileDocument } from '../contract/sync/profile.ts';
import { requestSchema, REQUESTS_SCHEMA_VERSION, type RequestDocument } from '../contract/sync/requests.ts';
import type { Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { listen, servedAppFixture, type AppFixture, type ServedAppFixture } from '../test/app-fixture.ts';
import { demoFatherAccount, nameAccount } from '../test/family-accounts.ts';
import { pushRows, rxDevice } from '../test/rx-device.ts';
import { freshPostgres, postgresReachable, type TestDatabase } from '../test/stores.ts';

type Doc = ProfileDocument & { _deleted: boolean };
type App = AppFixture['app'];

let f: ServedAppFixture;

beforeAll(async () => {
  f = await servedAppFixture({ students: 120 });
  await setUpAccounts(f.store);
});
afterAll(() => f.close());

/** Gives the demo password to the demo family's father (`demo-father`) and to a guardian of another family (`other-guardian`). */
async function setUpAccounts(store: Store) {
  const [other] = await store.query<{ id: string }>(
    `SELECT a.id FROM accounts a JOIN household_members hm ON hm.person_id = a.person_id AND hm.role = 'guardian'
      WHERE a.username IS NOT NULL AND a.username NOT LIKE 'demo-%'
        AND hm.household_id NOT IN (SELECT household_id FROM household_members x JOIN accounts u ON u.person_id = x.person_id AND u.username = 'demo-guardian')
      ORDER BY a.id LIMIT 1`,
  );
  await nameAccount(store, await demoFatherAccount(store), 'demo-father');
  await nameAccount(store, other!.id, 'other-guardian');
}

async function people(store: Store) {
  const rows = await store.query<{ username: string; person_id: string; household_id: string | null }>(
    `SELECT a.username, a.person_id, hm.household_id FROM accounts a LEFT JOIN household_members hm ON hm.person_id = a.person_id AND NOT hm.deleted
      WHERE a.username IN ('demo-guardian', 'demo-father', 'demo-student', 'other-guardian')`,
  );
  const of = (username: string) => rows.find((r) => r.username === username)!;
  return { mother: of('demo-guardian'), father: of('demo-father'), student: of('demo-student'), householdId: of('demo-guardian').household_id! };
}

const device = (username: string, app: App = f.app, at: string = f.base) =>
  rxDevice<ProfileDocument>({ app, base: at, username, name: 'profile', schema: profileSchema, version: PROFILE_SCHEMA_VERSION });
const push = (token: string, rows: unknown[]) => pushRows<ProfileDocument>(f.base, 'profile', PROFILE_SCHEMA_VERSION, token, rows);
const plain = (doc: { toJSON(): unknown }) => doc.toJSON() as ProfileDocument;

function withPreference(doc: ProfileDocument, personId: string, purpose: ContactPreference['purpose'], channels: Partial<ContactPreference>): ProfileDocument {
  return { ...doc, contactPreferences: doc.contactPreferences.map((c) => (c.personId === personId && c.purpose === purpose ? { ...c, ...channels } : c)) };
}

describe('profile sync', () => {
  it('gives a guardian her whole household, a student the minimal view, and nothing to other families or staff', async () => {
    const { mother, father, student, householdId } = await people(f.store);
    const guardian = await device('demo-guardian');
    const child = await device('demo-student');
    const stranger = await device('other-guardian');
    const office = await device('demo-office');
    const teacher = await device('demo-teacher');
    try {
      const docs = await guardian.collection.find().exec();
      expect(docs.map((d) => d.id)).toEqual([householdId]);
      const household = plain(docs[0]!);
      expect(household.members.map((m) => m.personId)).toEqual(expect.arrayContaining([mother.person_id, father.person_id, student.person_id]));
      expect(household.members.find((m) => m.personId === mother.person_id)).toMatchObject({ role: 'guardian', relationship: 'mother' });
      expect(household.members.find((m) => m.personId === student.person_id)?.studentId).not.toBeNull();
      expect(household.addresses.length).toBeGreaterThan(0);
      expect(household.phones.filter((p) => p.personId === father.person_id).length).toBeGreaterThan(0);
      // Four purposes for each guardian.
      expect(household.contactPreferences.filter((c) => c.personId === mother.person_id).map((c) => c.purpose)).toEqual(['emergency', 'attendance', 'general', 'teacher']);
      expect(household.contactPreferences.filter((c) => c.personId === father.person_id)).toHaveLength(4);

      const minimal = plain((await child.collection.findOne(householdId).exec())!);
      expect(minimal.contactPreferences).toEqual([]);
      expect(minimal.members.filter((m) => m.personId !== student.person_id).every((m) => m.email === null)).toBe(true);
      expect(minimal.phones.every((p) => p.personId === null || p.personId === student.person_id)).toBe(true);
      expect(minimal.addresses).toEqual(household.addresses);

      expect(await stranger.collection.findOne(householdId).exec()).toBeNull();
      expect((await stranger.collection.find().exec()).length).toBe(1);
      expect(await office.collection.count().exec()).toBe(0);
      expect(await teacher.collection.count().exec()).toBe(0);
    } finally {
      for (const d of [guardian, child, stranger, office, teacher]) await d.close();
    }
  });

  it('brings an approved address change to the family’s profile, and `approved` to its requests', async () => {
    const { householdId } = await people(f.store);
    const profile = await device('demo-guardian');
    const fatherProfile = await device('demo-father');
    const requests = await rxDevice<RequestDocument>({ app: f.app, base: f.base, username: 'demo-guardian', name: 'requests', schema: requestSchema, version: REQUESTS_SCHEMA_VERSION });
    const office = await rxDevice<RequestDocument>({ app: f.app, base: f.base, username: 'demo-office', name: 'requests', schema: requestSchema, version: REQUESTS_SCHEMA_VERSION });
    try {
      const change: RequestDocument = {
        id: randomUUID(), kind: 'household_change', householdId, studentId: null, schoolId: null,
        payload: { change: 'address', kind: 'home', address: { line1: '2901 Bloomington Avenue', line2: 'Apt 3', city: 'Riverbend', region: 'MN', postalCode: '55407' }, old: null },
        status: 'pending', submittedAt: null, decidedAt: null, decisionNote: '', requestedByName: '', syncError: null,
      };
      await requests.collection.insert(change);
      await requests.sync();
      await office.sync();
      await (await office.collection.findOne(change.id).exec())!.incrementalPatch({ status: 'approved' });
      await office.sync();

      await profile.sync();
      await requests.sync();
      await fatherProfile.sync();
      for (const d of [profile, fatherProfile]) {
        const home = plain((await d.collection.findOne(householdId).exec())!).addresses.filter((a) => a.kind === 'home');
        expect(home).toEqual([expect.objectContaining({ line1: '2901 Bloomington Avenue', line2: 'Apt 3', postalCode: '55407' })]);
      }
      expect((await requests.collection.findOne(change.id).exec())?.status).toBe('approved');
    } finally {
      for (const d of [profile, fatherProfile, requests, office]) await d.close();
    }
  });

  it('syncs a guardian’s own contact preferences to the other guardian’s device; the same push twice writes once', async () => {
    const { mother, householdId } = await people(f.store);
    const guardian = await device('demo-guardian');
    const father = await device('demo-father');
    try {
      const doc = (await guardian.collection.findOne(householdId).exec())!;
      const current = doc.contactPreferences.find((c) => c.personId === mother.person_id && c.purpose === 'attendance')!;
      const wanted = { voice: !current.voice, sms: true, email: false };
      await doc.incrementalModify((d) => withPreference(d, mother.person_id, 'attendance', wanted) as typeof d);
      await guardian.sync();
      const [row] = await f.store.query<{ voice: boolean; sms: boolean; email: boolean; seq: number }>(
        `SELECT voice, sms, email, seq FROM contact_preferences WHERE person_id = $1 AND purpose = 'attendance'`,
        [mother.person_id],
      );
      expect(row).toMatchObject(wanted);
      await father.sync();
      const seen = plain((await father.collection.findOne(householdId).exec())!).contactPreferences.find((c) => c.personId === mother.person_id && c.purpose === 'attendance');
      expect(seen).toMatchObject(wanted);
      expect(guardian.refusals).toEqual([]);

      // A retry after a lost response: nothing is written again.
      const sent = { ...withPreference(plain(doc), mother.person_id, 'attendance', wanted), _deleted: false };
      expect(await push(guardian.token, [{ assumedMasterState: { ...plain(doc), _deleted: false }, newDocumentState: sent }])).toEqual([]);
      const [again] = await f.store.query<{ seq: number }>(`SELECT seq FROM contact_preferences WHERE person_id = $1 AND purpose = 'attendance'`, [mother.person_id]);
      expect(Number(again!.seq)).toBe(Number(row!.seq));
    } finally {
      await guardian.close();
      await father.close();
    }
  });

  it('refuses an address edit inside the profile with needs_request, once, and the device ends with the server’s state', async () => {
    const { father, householdId } = await people(f.store);
    const guardian = await device('demo-guardian');
    try {
      const doc = (await guardian.collection.findOne(householdId).exec())!;
      const server = plain(doc);
      const pushesBefore = guardian.pushes();
      await doc.incrementalModify((d) => ({ ...d, addresses: d.addresses.map((a) => ({ ...a, line1: '1 Wrong Way' })) }));
      await guardian.sync();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await guardian.sync();
      expect(guardian.pushes() - pushesBefore).toBe(1);
      expect(guardian.refusals).toEqual([expect.objectContaining({ id: householdId, syncError: 'needs_request' })]);
      const after = plain((await guardian.collection.findOne(householdId).exec())!);
      expect(after.addresses).toEqual(server.addresses);
      expect(after.syncError).toBe('needs_request');
      expect(await f.store.query(`SELECT 1 FROM addresses WHERE line1 = '1 Wrong Way'`)).toEqual([]);

      // Nor may she choose for the other guardian.
      const fatherGeneral = server.contactPreferences.find((c) => c.personId === father.person_id && c.purpose === 'general')!;
      const [forFather] = await push(guardian.token, [{
        assumedMasterState: { ...server, _deleted: false },
        newDocumentState: { ...withPreference(server, father.person_id, 'general', { sms: !fatherGeneral.sms }), _deleted: false },
      }]);
      expect(forFather).toMatchObject({ syncError: 'needs_request', contactPreferences: server.contactPreferences });
    } finally {
      await guardian.close();
    }
  });

  it('refuses students, other families and stale assumptions', async () => {
    const { mother, householdId } = await people(f.store);
    const guardian = await device('demo-guardian');
    const child = await device('demo-student');
    const stranger = await device('other-guardian');
    try {
      const server = { ...plain((await guardian.collection.findOne(householdId).exec())!), _deleted: false };
      // Without a stated starting point (as after a schema version), she first gets the household back to merge…
      const [unknown] = await push(child.token, [{ assumedMasterState: null, newDocumentState: { ...server, name: 'Renamed' } }]);
      expect(unknown).toMatchObject({ id: householdId, name: server.name, syncError: null, _deleted: false });
      // …and the change, stated against it, is refused.
      const [fromChild] = await push(child.token, [{ assumedMasterState: server, newDocumentState: { ...server, name: 'Renamed' } }]);
      expect(fromChild).toMatchObject({ id: householdId, syncError: 'not_allowed', _deleted: false });
      expect(fromChild!.contactPreferences).toEqual([]);
      const [fromStranger] = await push(stranger.token, [{ newDocumentState: withPreferenceDoc(server, mother.person_id) }]);
      // Someone outside the household learns nothing about it.
      expect(fromStranger).toEqual(expect.objectContaining({ id: householdId, _deleted: true, name: '', members: [], syncError: 'not_allowed' }));

      // Device A and device B both start from the same state; A's change is taken, B gets the server's state back.
      const current = server.contactPreferences.find((c) => c.personId === mother.person_id && c.purpose === 'teacher')!;
      const a = withPreferenceDoc(server, mother.person_id, { voice: !current.voice });
      const b = withPreferenceDoc(server, mother.person_id, { email: !current.email });
      expect(await push(guardian.token, [{ assumedMasterState: server, newDocumentState: a }])).toEqual([]);
      const [bLoses] = await push(guardian.token, [{ assumedMasterState: server, newDocumentState: b }]);
      expect(bLoses?.syncError).toBeNull();
      expect(bLoses?.contactPreferences.find((c) => c.personId === mother.person_id && c.purpose === 'teacher')).toEqual({ ...current, voice: !current.voice });
    } finally {
      for (const d of [guardian, child, stranger]) await d.close();
    }
  });

  it('sends a blank tombstone when a person leaves the household', async () => {
    const { father, householdId } = await people(f.store);
    const dad = await device('demo-father');
    try {
      expect(await dad.collection.findOne(householdId).exec()).not.toBeNull();
      await f.store.query(`UPDATE household_members SET deleted = true WHERE household_id = $1 AND person_id = $2`, [householdId, father.person_id]);
      await dad.sync();
      expect(await dad.collection.findOne(householdId).exec()).toBeNull();
      const fresh = await device('demo-father');
      try {
        expect(await fresh.collection.count().exec()).toBe(0);
      } finally {
        await fresh.close();
      }
    } finally {
      await f.store.query(`UPDATE household_members SET deleted = false WHERE household_id = $1 AND person_id = $2`, [householdId, father.person_id]);
      await dad.close();
    }
  });
});

/** The document with the teacher-contact channels of one guardian set (flipped when none are given). */
function withPreferenceDoc(doc: Doc, personId: string, channels?: Partial<ContactPreference>): Doc {
  const current = doc.contactPreferences.find((c) => c.personId === personId && c.purpose === 'teacher')!;
  return { ...withPreference(doc, personId, 'teacher', channels ?? { voice: !current.voice }), _deleted: false };
}

describe.runIf(await postgresReachable())('profile sync on PostgreSQL', () => {
  let db: TestDatabase;
  let pg: Awaited<ReturnType<typeof listen>>;
  let app: App;

  beforeAll(async () => {
    db = await freshPostgres({ migrated: true });
    await seedDistrict(db.store, { ...defaultSeedOptions('2026-11-24'), students: 100 });
    await setUpAccounts(db.store);
    app = createApp({ store: db.store, clock: () => new Date('2026-11-24T15:00:00Z'), mailer: memoryMailer(), config: {} });
    pg = await listen(app);
  });
  afterAll(async () => {
    await pg.close();
    await db.drop();
  });

  it('syncs a contact preference from one guardian’s device to the other’s, and refuses an address edit', async () => {
    const { mother, householdId } = await people(db.store);
    const guardian = await device('demo-guardian', app, pg.base);
    const father = await device('demo-father', app, pg.base);
    try {
      const doc = (await guardian.collection.findOne(householdId).exec())!;
      await doc.incrementalModify((d) => withPreference(d, mother.person_id, 'emergency', { voice: true, sms: true, email: true }) as typeof d);
      await guardian.sync();
      await father.sync();
      expect(plain((await father.collection.findOne(householdId).exec())!).contactPreferences.find((c) => c.personId === mother.person_id && c.purpose === 'emergency'))
        .toMatchObject({ voice: true, sms: true, email: true });
      const latest = (await guardian.collection.findOne(householdId).exec())!;
      await latest.incrementalModify((d) => ({ ...d, name: 'Another name' }));
      await guardian.sync();
      expect(guardian.refusals).toEqual([expect.objectContaining({ syncError: 'needs_request' })]);
      expect((await guardian.collection.findOne(householdId).exec())?.name).not.toBe('Another name');
    } finally {
      await guardian.close();
      await father.close();
    }
  });
});
