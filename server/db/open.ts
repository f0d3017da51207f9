import { mkdir } from 'node:fs/promises';
import type { Config } from '../config.ts';
import { openPglite, openPostgres, type Store } from './store.ts';

/** PostgreSQL when `DATABASE_URL` is set, else PGlite in the data folder. */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Store> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  await mkdir(config.dataDir, { recursive: true });
  return openPglite(config.dataDir);
}
