import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../contract/sync/students.ts';
import { SECTIONS_SCHEMA_VERSION, type SectionDocument } from '../contract/sync/sections.ts';
import { appFixture, call, signIn, type AppFixture } from '../test/app-fixture.ts';
import { runDateWindows } from './date-windows.ts';

let f: AppFixture;
beforeAll(async () => {
  // Its dates are written out for this day.
  f = await appFixture({ today: '2026-11-24' });
});
afterAll(() => f.close());

const DAY = 86_400_000;

async function pullAll(token: string, checkpoint: PullResponse<unknown>['checkpoint']) {
  const query = new URLSearchParams({ v: String(SECTIONS_SCHEMA_VERSION), limit: '1000' });
  if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
  const reply = await call<PullResponse<SectionDocument>>(f.app, 'GET', `/api/sync/sections/pull?${query}`, { token });
  expect(reply.status).toBe(200);
  return reply.body;
}

describe('the daily date-window job', () => {
  it('sends tombstones the day after a teacher leaves a section, and nothing twice', async () => {
    const { token } = await signIn(f.app, 'demo-teacher');
    const [assignment] = await f.store.query<{ id: string; section_id: string }>(
      `SELECT ss.id, ss.section_id FROM section_staff ss JOIN staff s ON s.district_id = ss.district_id AND s.id = ss.staff_id
         JOIN accounts a ON a.district_id = s.district_id AND a.person_id = s.person_id
        WHERE a.username = 'demo-teacher' AND NOT ss.deleted AND ss.start_date <= '2026-11-24' AND ss.end_date > '2026-11-25'
        ORDER BY ss.id LIMIT 1`,
    );
    // The office records that she teaches the section until today (the last day of her leave-taking).
    await f.store.query(`UPDATE section_staff SET end_date = '2026-11-24' WHERE district_id = $1 AND id = $2`, [f.district.districtId, assignment!.id]);
    // The seed leaves the district as it stands on its day: the job has nothing to catch up on today.
    expect(await runDateWindows(f.store, '2026-11-24')).toEqual([]);

    const first = await pullAll(token, null);
    expect(first.documents.find((d) => d.id === assignment!.section_id)?._deleted).toBe(false);

    // Tomorrow: the grant has lapsed, but no row changed, so a pull alone sends nothing.
    f.advance(DAY);
    const { token: tomorrow } = await signIn(f.app, 'demo-teacher');
    const before = await pullAll(tomorrow, first.checkpoint);
    expect(before.documents.map((d) => d.id)).not.toContain(assignment!.section_id);

    const [run] = await runDateWindows(f.store, '2026-11-25');
    expect(run).toMatchObject({ from: '2026-11-24', to: '2026-11-25' });
    expect(run!.touched).toBeGreaterThanOrEqual(1);
    const after = await pullAll(tomorrow, before.checkpoint);
    const tombstone = after.documents.find((d) => d.id === assignment!.section_id);
    expect(tombstone?._deleted).toBe(true);

    // Already done for the day: a second run (another server, a restart) touches nothing.
    expect(await runDateWindows(f.store, '2026-11-25')).toEqual([]);
    expect((await pullAll(tomorrow, after.checkpoint)).documents).toEqual([]);
  });

  it('catches up over the days the server was down', async () => {
    const [row] = await f.store.query<{ id: string; seq: string }>(
      `SELECT id, seq FROM section_enrollments WHERE district_id = $1 AND NOT deleted AND end_date IS NULL ORDER BY id LIMIT 1`,
      [f.district.districtId],
    );
    await f.store.query(`UPDATE section_enrollments SET end_date = '2026-11-26' WHERE district_id = $1 AND id = $2`, [f.district.districtId, row!.id]);
    const [edited] = await f.store.query<{ seq: string }>(`SELECT seq FROM section_enrollments WHERE district_id = $1 AND id = $2`, [f.district.districtId, row!.id]);
    // Down from the 25th to the 30th: the enrollment ended on the 26th, inside the gap.
    const [run] = await runDateWindows(f.store, '2026-11-30');
    expect(run).toMatchObject({ from: '2026-11-25', to: '2026-11-30' });
    const [touched] = await f.store.query<{ seq: string }>(`SELECT seq FROM section_enrollments WHERE district_id = $1 AND id = $2`, [f.district.districtId, row!.id]);
    expect(BigInt(touched!.seq)).toBeGreaterThan(BigInt(edited!.seq));
  });
});
