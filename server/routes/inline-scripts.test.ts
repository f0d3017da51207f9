import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineScriptSources } from './inline-scripts.ts';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('the inline scripts the content security policy allows', () => {
  let staticDir: string;
  const preload = '(function(){var l="en";document.head.appendChild(document.createElement("link"))})()';

  beforeAll(async () => {
    staticDir = await mkdtemp(join(tmpdir(), 'homeroom-inline-'));
    await writeFile(
      join(staticDir, 'index.html'),
      `<!doctype html><head><script>${preload}</script>\n<script type="module" crossorigin src="/assets/index.js"></script></head><body><hr-app></hr-app></body>`,
    );
  });

  afterAll(async () => {
    await rm(staticDir, { recursive: true, force: true });
  });

  it("are the built page's inline scripts, each by the hash of its exact text, and not its files", () => {
    expect(inlineScriptSources(staticDir)).toEqual([sha256(preload)]);
  });

  it('are none when there is no build to serve', () => {
    expect(inlineScriptSources(undefined)).toEqual([]);
    expect(inlineScriptSources(join(staticDir, 'missing'))).toEqual([]);
  });
});
