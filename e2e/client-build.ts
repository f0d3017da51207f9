/**
 * The production build of the client for end-to-end tests: `vite build` into a folder of
 * its own (not dist/, which `npm start` and other runs use), rebuilt only when a source is
 * newer than the last build.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));
const cacheDir = join(root, 'node_modules/.cache/homeroom-e2e');
const builtDir = join(cacheDir, 'dist');
const stampFile = join(cacheDir, 'built-at');

/** Everything that goes into the bundle (the client imports the server's shared contracts). */
const inputs = ['client', 'locales', 'public', 'server/contract', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'];

async function newestChange(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestChange(join(path, entry)));
  return newest;
}

async function isFresh(): Promise<boolean> {
  if (!existsSync(stampFile) || !existsSync(join(builtDir, 'index.html'))) return false;
  const builtAt = (await stat(stampFile)).mtimeMs;
  for (const input of inputs) if ((await newestChange(join(root, input))) > builtAt) return false;
  return true;
}

/**
 * Runs `work` while holding a lock folder (mkdir is atomic): test files start in parallel, and
 * without it each would build, and each would replace the folder another is already serving.
 */
async function whileLocked<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(cacheDir, 'lock');
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A run killed mid-build leaves its lock behind; no build takes ten minutes.
      const heldFor = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (heldFor > 600_000) await rm(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** The folder holding a current production build of the client. */
export async function builtClient(): Promise<string> {
  if (await isFresh()) return builtDir;
  await mkdir(cacheDir, { recursive: true });
  return whileLocked(async () => (await isFresh() ? builtDir : build()));
}

async function build(): Promise<string> {
  // A private folder, moved into place when complete: a concurrent run never serves half a build.
  const outDir = join(cacheDir, `build-${process.pid}-${Date.now()}`);
  const startedAt = new Date();
  try {
    await promisify(execFile)(
      process.execPath,
      [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      // Vitest runs with NODE_ENV=test, which would give a development build (no service worker).
      { cwd: root, env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`vite build failed:\n${stdout}\n${stderr}`);
  }
  await rm(builtDir, { recursive: true, force: true });
  await rename(outDir, builtDir);
  // Stamped with the start time: a source saved during the build makes the next run rebuild.
  await writeFile(stampFile, '');
  await utimes(stampFile, startedAt, startedAt);
  return builtDir;
}
