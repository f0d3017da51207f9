import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixture, signIn, type AppFixture } from '../test/app-fixture.ts';
import { compareFirstSync, type FirstSyncComparison } from './pouch.ts';

describe('first sync compared with pouchdb-server (npm run bench)', () => {
  let fixture: AppFixture;
  let result: FirstSyncComparison;
  const rows: string[][] = [];

  beforeAll(async () => {
    fixture = await appFixture({ students: 100 });
    // Each run checks that the device ends with exactly the documents our server sent.
    result = await compareFirstSync({ store: fixture.store, today: '2026-11-24', label: 'PGlite', runs: 1, record: (...row) => rows.push(row.map(String)) });
  }, 120_000);
  afterAll(() => fixture?.close());

  it('compares only what the guardian receives: their own children, not the district', async () => {
    const { me } = await signIn(fixture.app, 'demo-guardian');
    expect(me.students.length).toBeGreaterThan(0);
    expect(result.documents.students).toBe(me.students.length);
    expect(result.documents.attendance).toBeGreaterThan(0);
  });

  it('counts compressed bytes as received on both sides, gzip when only gzip is asked for', () => {
    for (const run of [result.oursGzip, result.couchGzip]) {
      expect(Object.keys(run.traffic.bodyBytesByEncoding)).toContain('gzip');
      expect(run.traffic.socketBytes).toBeGreaterThan(run.traffic.bodyBytes);
    }
    // Both pull the same documents in batches of the same size; CouchDB's changes feed adds revisions and sequence numbers.
    expect(result.couch[0]!.traffic.requests).toBeGreaterThan(0);
    expect(result.couchGzip.traffic.bodyBytes).toBeGreaterThan(result.oursGzip.traffic.bodyBytes);
  });

  it('records our row and the pouchdb-server row side by side', () => {
    expect(rows.map(([what]) => what)).toEqual(['first sync of demo-guardian, RxDB from our server (PGlite)', 'same documents, RxDB replicateCouchDB from pouchdb-server (memory)']);
    const total = Object.values(result.documents).reduce((sum, n) => sum + n, 0);
    for (const [, figure] of rows) expect(figure).toMatch(new RegExp(`^${total} documents, \\d+\\.\\d KiB received, \\d+\\.\\d{3} s$`));
  });
});
