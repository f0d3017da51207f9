/**
 * The content security policy lets the page run only the app's own files (`script-src 'self'`)
 * and, by their SHA-256, the few lines the built index.html carries inline (the first screen's
 * preloads, vite.config.ts): no `'unsafe-inline'`. Read once from the build the server serves.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `'sha256-…'` sources for every inline `<script>` of `staticDir`'s index.html (none without a build). */
export function inlineScriptSources(staticDir: string | undefined): string[] {
  const page = staticDir ? join(staticDir, 'index.html') : undefined;
  if (!page || !existsSync(page)) return [];
  const html = readFileSync(page, 'utf8');
  const sources: string[] = [];
  for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    sources.push(`'sha256-${createHash('sha256').update(match[1]!, 'utf8').digest('base64')}'`);
  }
  return sources;
}
