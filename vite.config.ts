/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import type { OutputChunk } from 'rolldown';
import { VitePWA } from 'vite-plugin-pwa';
import { minifyCssLiteralsPlugin } from './client/tools/minify-css-literals.ts';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const api = { '/api': { target: 'http://localhost:8080', changeOrigin: false } };

/**
 * The oldest browsers Homeroom supports, written once: package.json's `browserslist` (iOS 14
 * Safari, Chrome 87, Firefox 78, …). The build targets them, and `npm test` checks the built JS
 * against the same list (e2e/old-browsers.test.ts, es-check: syntax and APIs).
 */
function buildTargets(): string[] {
  const { browserslist } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')) as { browserslist: string[] };
  const names: Record<string, string> = { ios: 'ios', safari: 'safari', chrome: 'chrome', edge: 'edge', firefox: 'firefox' };
  return browserslist.map((query) => {
    const match = /^(\w+) >= ([\d.]+)$/.exec(query.trim());
    const name = match && names[match[1]!.toLowerCase()];
    if (!match || !name) throw new Error(`vite.config.ts: write each browserslist entry as "<browser> >= <version>" (${query})`);
    return `${name}${match[2]}`;
  });
}

/** Form fields and styles, the auth API and contract, and the Lit directives the fields use. */
const signInFormModule =
  /[\\/](client[\\/]components[\\/]form-field\.ts|client[\\/]app[\\/]form-styles\.ts|client[\\/]data[\\/]auth\.ts|server[\\/]contract[\\/]auth\.ts|lit-html[\\/]directive(-helpers)?\.js|lit-html[\\/]directives[\\/](live|if-defined)\.js|lit[\\/]directives[\\/](live|if-defined)\.js)$/;

/**
 * The first screen's files, fetched beside the entry script instead of after it has run: a few
 * lines inline in index.html (allowed by their hash, server/routes/inline-scripts.ts) pick the
 * language as client/app/i18n.ts does (the saved choice, else the browser's) and preload its
 * common and sign-in strings, and the sign-in screen's code when that screen is the one asked for
 * (`#/sign-in`, or no route on a device that remembers no session: client/app/hr-app.ts). The
 * storage keys are those of i18n.ts, data/session.ts and data/shared-device.ts.
 */
function firstScreenPreloadPlugin(): Plugin {
  const languages = ['en', 'es', 'so', 'vi'];
  return {
    name: 'homeroom-first-screen-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((file): file is OutputChunk => file.type === 'chunk');
        const path = (chunk: OutputChunk) => `/${chunk.fileName}`;
        const module = (pattern: RegExp) => chunks.find((chunk) => chunk.facadeModuleId !== null && pattern.test(chunk.facadeModuleId.replaceAll('\\', '/')));
        const strings: Record<string, string[]> = {};
        for (const language of languages) {
          strings[language] = ['common', 'signin'].map((namespace) => {
            const chunk = module(new RegExp(`/locales/${language}/${namespace}\\.json$`));
            if (!chunk) throw new Error(`vite.config.ts: no chunk for locales/${language}/${namespace}.json`);
            return path(chunk);
          });
        }
        const signIn = module(/\/client\/views\/sign-in\/hr-sign-in\.ts$/);
        if (!signIn) throw new Error('vite.config.ts: no chunk for the sign-in screen');
        // Its static imports but the entry and what the page already preloads.
        const entry = chunks.find((chunk) => chunk.isEntry);
        const signInFiles = [signIn.fileName, ...signIn.imports].filter((name) => name !== entry?.fileName && !html.includes(`/${name}"`)).map((name) => `/${name}`);
        const script =
          `(function(){var M=${JSON.stringify(strings)},S=${JSON.stringify(signInFiles)},L=${JSON.stringify(languages)},l=null,a=false,h=location.hash;` +
          'try{l=localStorage.getItem("homeroom.lang");a=localStorage.getItem("homeroom.offlineAccount")!==null||localStorage.getItem("homeroom.sharedSession")!==null}catch(e){}' +
          'if(L.indexOf(l)<0){l="en";var p=navigator.languages&&navigator.languages.length?navigator.languages:[navigator.language];' +
          'for(var i=0;i<p.length;i++){var c=String(p[i]).toLowerCase().split("-")[0];if(L.indexOf(c)>=0){l=c;break}}}' +
          'var f=M[l];if(/^#\\/sign-in([/?]|$)/.test(h)||(!a&&!/^#\\//.test(h)))f=f.concat(S);' +
          'for(var j=0;j<f.length;j++){var k=document.createElement("link");k.rel="modulepreload";k.href=f[j];document.head.appendChild(k)}})()';
        // Before the entry, so the preloads start with it (the stylesheet is inline: nothing for it to wait for).
        const at = html.indexOf('<script type="module"');
        if (at < 0) throw new Error('vite.config.ts: no entry script in index.html');
        return `${html.slice(0, at)}<script>${script}</script>\n    ${html.slice(at)}`;
      },
    },
  };
}

/**
 * The stylesheet inside index.html instead of beside it: a linked stylesheet blocks the first
 * paint until it has come (one more round trip on a phone's connection, about 150 ms on slow 4G),
 * and it is small (the design tokens and the page's own few rules, about 1 KiB compressed). Put
 * in before the build reads the page, so the bundle has no CSS file at all (a linked one would be
 * a dependency every lazily loaded chunk waits for). The content security policy allows inline
 * styles (server/app.ts), not inline scripts.
 */
function inlineStylesheetPlugin(): Plugin {
  const link = '<link rel="stylesheet" href="/app/theme.css" />';
  return {
    name: 'homeroom-inline-stylesheet',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(link)) throw new Error('vite.config.ts: index.html no longer links /app/theme.css');
        const css = readFileSync(new URL('client/app/theme.css', import.meta.url), 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s*([{}:;,>])\s*/g, '$1')
          .replace(/\s+/g, ' ')
          .trim();
        if (css.includes('</')) throw new Error('vite.config.ts: client/app/theme.css cannot be inlined');
        return html.replace(link, `<style>${css}</style>`);
      },
    },
  };
}

/**
 * Nothing in index.html asks the network for what the first screen does not show: the web app
 * manifest is linked once the first screen has painted (client/app/main.ts) rather than here (the
 * PWA plugin's link), and the tab's icon is the SVG itself (under 400 bytes) instead of a request.
 */
function firstPaintRequestsOnlyPlugin(): Plugin {
  return {
    name: 'homeroom-first-paint-requests-only',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const manifestLink = /<link rel="manifest" href="\/manifest\.webmanifest"[^>]*>/;
        if (!manifestLink.test(html)) throw new Error('vite.config.ts: the PWA plugin no longer links /manifest.webmanifest (client/app/main.ts links it)');
        const icon = readFileSync(new URL('public/icons/icon.svg', import.meta.url), 'utf8').replace(/\s*\n\s*/g, ' ').trim();
        const iconLink = '<link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />';
        if (!html.includes(iconLink)) throw new Error('vite.config.ts: index.html no longer links /icons/icon.svg');
        return html.replace(manifestLink, '').replace(iconLink, `<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(icon)}" type="image/svg+xml" />`);
      },
    },
  };
}

/**
 * Each file of the build that compresses (scripts, the page, JSON, SVG) written beside itself as
 * brotli at its best level (`.br`) and gzip at its best (`.gz`), which the server sends as the
 * browser accepts (server/app.ts, `precompressed`). Compressing per request can only afford
 * middling levels: the entry script is about 10 % smaller as brotli 11 than as gzip 6, on the
 * critical path of a phone's first visit. Files under 1 KiB gain less than their headers.
 */
function precompressPlugin(): Plugin {
  const compressible = /\.(js|mjs|css|html|json|svg|webmanifest|txt)$/;
  return {
    name: 'homeroom-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir;
      if (!dir) return;
      const brotli = promisify(brotliCompress);
      const gzipped = promisify(gzip);
      await Promise.all(
        Object.keys(bundle)
          .filter((name) => compressible.test(name))
          .map(async (name) => {
            const path = join(dir, name);
            const content = await readFile(path);
            if (content.length < 1024) return;
            const [br, gz] = await Promise.all([
              brotli(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: content.length } }),
              gzipped(content, { level: 9 }),
            ]);
            await Promise.all([writeFile(`${path}.br`, br), writeFile(`${path}.gz`, gz)]);
          }),
      );
    },
  };
}

const themeColor = '#1d4e89';
const backgroundColor = '#f4f6f9';

export default defineConfig({
  root: 'client',
  publicDir: '../public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    // Old devices: the browserslist in package.json (BigInt, optional chaining and the rest of ES2020 are in all of them).
    target: buildTargets(),
    // The entry chunk imports no other chunk statically, so the HTML has no modulepreload link for
    // the polyfill to fetch; chunks imported later are preloaded with `rel=preload` where
    // `modulepreload` is unknown (Safari before 17, Firefox before 115).
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              // The helpers the sign-in screen shares with the other form screens, in one chunk
              // instead of five (docs/benchmarks.md, JavaScript before sign-in). Their own
              // dependencies (Lit, i18n, the API) stay where they are.
              name: 'sign-in-forms',
              test: signInFormModule,
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
  server: { proxy: api },
  preview: { proxy: api },
  plugins: [
    minifyCssLiteralsPlugin(),
    firstScreenPreloadPlugin(),
    inlineStylesheetPlugin(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: '.',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        // Manifest icons and the manifest itself are added by the plugin.
        globPatterns: ['**/*.{js,css,html}', 'icons/apple-touch-icon-180.png'],
      },
      manifest: {
        id: '/',
        name: 'Homeroom',
        short_name: 'Homeroom',
        description: 'Grades, attendance, schedules and messages from your school, even offline.',
        lang: 'en',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: themeColor,
        background_color: backgroundColor,
        categories: ['education'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
    }),
    // After the PWA plugin, whose manifest link it takes out.
    firstPaintRequestsOnlyPlugin(),
    precompressPlugin(),
  ],
  test: {
    root: repoRoot,
    globalSetup: ['server/test/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server and store tests run side by side; then the timing tests (*.load.test.ts) alone, so
    // they measure the server and not the other files; then the end-to-end files, one at a time,
    // each with a whole browser and server of its own, so none of them races the others for the CPU.
    projects: [
      { extends: true, test: { name: 'server', include: ['server/**/*.test.ts', 'locales/**/*.test.ts'], exclude: ['**/*.load.test.ts', '**/node_modules/**'], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'load', include: ['server/**/*.load.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'e2e', include: ['e2e/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 2 } } },
    ],
  },
});
