import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENDANCE_SCHEMA_VERSION, type AttendanceDocument } from '../contract/sync/attendance.ts';
import { DEMO_PASSWORD } from '../seed/generate.ts';
import { freshPostgres, postgresReachable, type TestDatabase } from '../test/stores.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe.runIf(await postgresReachable())('a server killed in the middle of a push (PostgreSQL)', () => {
  let db: TestDatabase;
  let port: number;
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    // Node itself with tsx's loader, not the tsx command: that runs the server in a child process
    // of its own, which a SIGKILL to the command left running after the test (seen after CI runs).
    child = spawn(process.execPath, ['--import', 'tsx', `${root}server/main.ts`], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), SEED_STUDENTS: '100', OUTBOX_DIR: `${root}node_modules/.cache/outbox-test` },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    // Migrations and a 100-student seed: well under a minute, even on a busy 2-core CI machine.
    for (let i = 0; i < 900; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('server did not start');
  }

  beforeAll(async () => {
    db = await freshPostgres({ migrated: false });
    port = await freePort();
    await start();
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await db.drop();
  });

  it('loses nothing and doubles nothing when the device retries after the restart', async () => {
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-teacher', password: DEMO_PASSWORD }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    // The latest school day of a term that has begun: today on a school day during the year, the
    // last one before a weekend or holiday, the term's last in summer (new marks need a school day).
    const [section] = await db.store.query<{ section_id: string; school_id: string; students: string[]; day: string }>(
      `SELECT ss.section_id, x.school_id, array_agg(r.student_id::text) AS students,
              to_char((SELECT max(d.date) FROM school_days d WHERE d.district_id = x.district_id AND d.school_id = x.school_id
                          AND d.date BETWEEN tm.start_date AND least(current_date, tm.end_date)), 'YYYY-MM-DD') AS day
         FROM section_staff ss
         JOIN staff t ON t.id = ss.staff_id JOIN accounts a ON a.person_id = t.person_id AND a.username = 'demo-teacher'
         JOIN sections x ON x.id = ss.section_id JOIN terms tm ON tm.id = x.term_id AND tm.start_date <= current_date
         JOIN section_enrollments r ON r.section_id = x.id
        GROUP BY ss.section_id, x.district_id, x.school_id, tm.start_date, tm.end_date ORDER BY tm.end_date DESC LIMIT 1`,
    );
    const today = section!.day;
    // A past school day holds the seed's marks: the device marks the class afresh.
    await db.store.query(`DELETE FROM attendance WHERE section_id = $1 AND date = $2`, [section!.section_id, today]);
    const rows = section!.students.map((studentId) => ({
      newDocumentState: {
        id: randomUUID(), studentId, schoolId: section!.school_id, date: today, sectionId: section!.section_id, periodId: null,
        status: 'tardy', excuse: 'unknown', reasonCode: null, minutes: 3, comment: '', syncError: null, _deleted: false,
      } satisfies AttendanceDocument & { _deleted: boolean },
    }));
    const push = () => fetch(`${base}/api/sync/attendance/push?v=${ATTENDANCE_SCHEMA_VERSION}`, {
      method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(rows),
    });
    // The power goes out while the push is in flight: the device sees a network error.
    const inFlight = push().then((r) => r.status, () => 'network error');
    await new Promise((resolve) => setTimeout(resolve, 15));
    child!.kill('SIGKILL');
    await inFlight;
    await start();
    // The device retries the same rows, as RxDB does after a failed push.
    const retry = await push();
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual([]);
    const stored = await db.store.query<{ id: string }>(`SELECT id FROM attendance WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.newDocumentState.id)]);
    expect(stored).toHaveLength(rows.length);
    const perStudent = await db.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM attendance WHERE section_id = $1 AND date = $2 GROUP BY student_id`,
      [section!.section_id, today],
    );
    expect(perStudent.every((r) => r.n === 1)).toBe(true);
  }, 120_000);
});
