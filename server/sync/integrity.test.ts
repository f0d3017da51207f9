/**
 * `GET /api/sync/<collection>/check` answers the count and checksum of what a pull from the start
 * sends the user, in every collection, for each kind of user; `POST …/repaired` keeps a device's
 * repair in the account's access log and refuses anything but counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionDigest, type CollectionDigest } from '../contract/sync/digest.ts';
import { appFixture, call, signIn, type AppFixture } from '../test/app-fixture.ts';
import { pullToEnd } from '../test/sync-client.ts';
import { SYNC_COLLECTIONS } from './registry.ts';

let f: AppFixture;
beforeAll(async () => {
  f = await appFixture();
});
afterAll(() => f.close());

/** Every live document a pull from the start sends, paging with small pages (not the check's). */
const pullAll = async (token: string, name: string) => (await pullToEnd(f.app, token, name, null, 97)).live;

describe('a collection check', () => {
  it('is the digest of what a pull from the start sends, in every collection, for each kind of user', async () => {
    const digests = new Map<string, CollectionDigest>();
    for (const username of ['demo-guardian', 'demo-student', 'demo-teacher', 'demo-office', 'demo-admin']) {
      const { token } = await signIn(f.app, username);
      for (const collection of SYNC_COLLECTIONS) {
        const check = await call<CollectionDigest>(f.app, 'GET', `/api/sync/${collection.name}/check?v=${collection.version}`, { token });
        expect(check.status, `${username} ${collection.name}`).toBe(200);
        expect(check.body, `${username} ${collection.name}`).toEqual(collectionDigest(await pullAll(token, collection.name)));
        digests.set(`${username} ${collection.name}`, check.body);
      }
    }
    // The digests tell scopes apart: a guardian's students are not the office's.
    expect(digests.get('demo-guardian students')!.count).toBeGreaterThan(0);
    expect(digests.get('demo-guardian students')).not.toEqual(digests.get('demo-office students'));
  });

  it('answers 426 to an outdated app and 401 to no one', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    expect((await call(f.app, 'GET', '/api/sync/students/check?v=99', { token })).status).toBe(426);
    expect((await call(f.app, 'GET', '/api/sync/students/check?v=0')).status).toBe(401);
  });
});

describe('a repair report', () => {
  it('is kept in the access log of the account that made it, as counts only', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    for (const body of [{}, [], 'x', null, { missing: 1, changed: 0 }, { missing: -1, changed: 0, extra: 0 }, { missing: 1.5, changed: 0, extra: 0 }, { missing: '1', changed: 0, extra: 0 }, { missing: 1, changed: 0, extra: 0, note: 'hi' }]) {
      const reply = await call<{ error: { code: string } }>(f.app, 'POST', '/api/sync/students/repaired', { token, body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.code).toBe('validation_failed');
    }
    expect((await call(f.app, 'POST', '/api/sync/students/repaired', { body: { missing: 1, changed: 0, extra: 0 } })).status).toBe(401);
    expect((await call(f.app, 'POST', '/api/sync/students/repaired', { token, body: { missing: 1, changed: 2, extra: 3 } })).status).toBe(204);
    const rows = await f.store.query<{ username: string; record_type: string; detail: unknown; student_id: string | null }>(
      `SELECT a.username, l.record_type, l.detail, l.student_id FROM access_log l JOIN accounts a ON a.district_id = l.district_id AND a.id = l.account_id WHERE l.event = 'sync.repaired'`,
    );
    expect(rows).toEqual([{ username: 'demo-guardian', record_type: 'students', detail: { missing: 1, changed: 2, extra: 3 }, student_id: null }]);
    const log = await call<{ entries: Array<{ event: string }> }>(f.app, 'GET', '/api/me/access-log', { token });
    expect(log.body.entries.some((entry) => entry.event === 'sync.repaired')).toBe(true);
  });
});
