import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from '../db/migrate.ts';
import { pgliteStore } from '../db/store.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/** Runs initdb and the migrations once; each test file then opens a copy in about half a second. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'homeroom-test-'));
  const db = await PGlite.create();
  await migrate(pgliteStore(db));
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  const file = join(dir, 'migrated.tar.gz');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
