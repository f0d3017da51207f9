// Browser tests: client/**/*.test.ts in headless Chromium, served from the repository root
// so that `locales/` and `node_modules/` resolve as they do under Vite.
import commonjs from '@rollup/plugin-commonjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher } from '@web/test-runner-chrome';
import { build } from 'esbuild';
import { apiMiddleware, apiServerPlugin, runClockOffsetMs } from './test/api-server.mjs';
import { clockShimSource } from './test/clock-shim.mjs';

const commonjsPlugin = fromRollup(commonjs);

/**
 * ajv, RxDB's schema validator in development and tests, is CommonJS with circular requires
 * and required JSON, which the CommonJS plugin below cannot load in the dev server (Vite's
 * dependency bundler can). esbuild bundles it, with ajv-formats, into one ES module once.
 */
const ajvModulePath = '/__homeroom__/ajv.js';
let ajvModule;
const bundledAjv = {
  name: 'homeroom-bundled-ajv',
  resolveImport({ source }) {
    if (source === 'ajv') return ajvModulePath;
    if (source === 'ajv-formats') return `${ajvModulePath}?formats`;
  },
  async serve(context) {
    if (context.path !== ajvModulePath) return undefined;
    if (context.querystring === 'formats') return { body: `export { addFormats as default } from '${ajvModulePath}';`, type: 'js' };
    ajvModule ??= build({
      stdin: { contents: "export { Ajv, default } from 'ajv'; export { default as addFormats } from 'ajv-formats';", resolveDir: process.cwd() },
      bundle: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
    }).then((result) => result.outputFiles[0].text);
    return { body: await ajvModule, type: 'js' };
  },
};

export default {
  rootDir: '.',
  files: ['client/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  concurrency: 1,
  // Lit's development build runs in tests for its warnings (e.g. class fields shadowing
  // reactive properties); its one-line banner is noise, and so is RxDB's advert for its
  // paid storages.
  filterBrowserLogs: ({ args }) => !['Lit is in dev mode', 'RxDB Open Core RxStorage'].some((banner) => String(args[0]).includes(banner)),
  // A file of several whole first syncs (a principal reaches a whole school) takes minutes on a busy two-core machine.
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 10_000 } },
  browsers: [
    chromeLauncher({
      // A page that crashes or closes leaves the runner waiting for testsFinishTimeout with no
      // word of why: the runner's output says which file's page it was.
      async createPage({ context }) {
        const page = await context.newPage();
        page.on('error', (error) => console.error(`[browser] the test page crashed at ${page.url()}: ${error.message}`));
        return page;
      },
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  // Tests render in the same page setup as the app: design tokens on :root. The page's clock
  // reads the run's day, as the API's does (client/test/clock-shim.mjs), before any module runs.
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <script>${clockShimSource(runClockOffsetMs())}</script>
        <link rel="stylesheet" href="/client/app/theme.css" />
      </head>
      <body>
        <script type="module" src="${testFramework}"></script>
      </body>
    </html>`,
  // The real API (Hono app on in-memory PGlite with a seeded demo district) at /api/*.
  middleware: [apiMiddleware],
  plugins: [
    apiServerPlugin,
    bundledAjv,
    // TypeScript, and locale JSON files as ES modules (Vite does the same at build time).
    esbuildPlugin({
      ts: true,
      json: true,
      target: 'auto',
      tsconfig: 'tsconfig.json',
      define: { 'import.meta.env': JSON.stringify({ PROD: false, DEV: true, MODE: 'test' }) },
    }),
    // CommonJS and UMD packages (axe-core now; Dexie and broadcast-channel with RxDB).
    // strictRequires: false, because the plugin's default (v29) wraps modules for Rollup's
    // proxy modules, which the dev server does not have: imports would lack a default export.
    commonjsPlugin({ include: /node_modules/, transformMixedEsModules: true, strictRequires: false }),
  ],
};
