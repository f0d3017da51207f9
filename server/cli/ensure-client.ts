import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Builds the client with Vite when `dist/` has no build yet (first `npm start`). */
export async function ensureClientBuilt(log: (line: string) => void): Promise<void> {
  if (existsSync(`${distDir}index.html`)) return;
  log('Building the client (first start only)…');
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
