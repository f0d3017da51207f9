// Phone-width screenshots of the identity screens, in two languages, into docs/screenshots/,
// and an axe-core check (target-size on) of each screen at 320 px and 390 px.
//
//   npx vite build && node client/tools/screenshots.mjs [en so]
//
// Serves dist/ and the real API (in-memory PGlite, small seeded demo district) on a free port.
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = `${root}docs/screenshots`;
const languages = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['en', 'so'];
const load = (path) => tsImport(path, import.meta.url);
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const [{ openPglite }, { migrate }, { defaultSeedOptions, seedDistrict, DEMO_PASSWORD }, { createApp }, { memoryMailer }, { serve }] =
  await Promise.all([
    load('../../server/db/store.ts'),
    load('../../server/db/migrate.ts'),
    load('../../server/seed/generate.ts'),
    load('../../server/app.ts'),
    load('../../server/mail/mailer.ts'),
    import('@hono/node-server'),
  ]);

const store = await openPglite('memory://');
await migrate(store);
await seedDistrict(store, { ...defaultSeedOptions('2026-11-24'), students: 100 });
const app = createApp({ store, clock: () => new Date(), mailer: memoryMailer(), config: { staticDir: `${root}dist` } });
const server = await new Promise((resolve) => {
  const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
});
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

/** Waits until `<hr-app>` shows `tag` and it has rendered. */
async function view(page, tag) {
  await page.waitForFunction((name) => {
    const element = document.querySelector('hr-app')?.shadowRoot?.querySelector(`main ${name}`);
    return element && element.shadowRoot?.childElementCount > 0;
  }, tag);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(150);
}

/** Runs axe on the page at the current width; returns one line per violation. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { rules: { 'target-size': { enabled: true } }, resultTypes: ['violations'] });
    return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

const problems = [];
async function shoot(page, name, language) {
  await page.screenshot({ path: `${outDir}/${name}-${language}.png`, fullPage: true });
  for (const width of [390, 320]) {
    await page.setViewportSize({ width, height: 844 });
    await page.waitForTimeout(100);
    // Nothing may scroll sideways at phone width (WCAG 1.4.10 Reflow).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) problems.push(`${name} (${language}, ${width}px): ${overflow}px of horizontal scrolling`);
    for (const violation of await axeViolations(page)) problems.push(`${name} (${language}, ${width}px): ${violation}`);
  }
  await page.setViewportSize({ width: 390, height: 844 });
}

/** Clicks the submit button inside a view's shadow root. */
async function submit(page, tag, formHost = tag) {
  await page.evaluate(
    ([viewTag, host]) => {
      const viewElement = document.querySelector('hr-app').shadowRoot.querySelector(`main ${viewTag}`);
      const root = host === viewTag ? viewElement.shadowRoot : viewElement.shadowRoot.querySelector(host).shadowRoot;
      root.querySelector('button[type="submit"]').click();
    },
    [tag, formHost],
  );
  await page.waitForTimeout(600);
}

await mkdir(outDir, { recursive: true });
for (const language of languages) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    bypassCSP: true, // to inject axe-core
    serviceWorkers: 'block',
  });
  await context.addInitScript((lang) => localStorage.setItem('homeroom.lang', lang), language);
  const page = await context.newPage();

  await page.goto(`${origin}/#/sign-in`);
  await view(page, 'hr-sign-in');
  await shoot(page, 'sign-in', language);

  await page.goto(`${origin}/#/claim`);
  await view(page, 'hr-claim-account');
  await page.locator('hr-claim-account #key').fill('abcd efgh jk');
  await page.locator('hr-claim-account #student').check();
  await submit(page, 'hr-claim-account');
  await shoot(page, 'claim-errors', language);

  await page.goto(`${origin}/#/forgot`);
  await view(page, 'hr-forgot-password');
  await shoot(page, 'forgot', language);
  await page.locator('hr-forgot-password #username').fill('someone');
  await submit(page, 'hr-forgot-password');
  await shoot(page, 'forgot-sent', language);

  await page.goto(`${origin}/#/reset?token=not-a-real-token`);
  await view(page, 'hr-reset-password');
  await shoot(page, 'reset', language);
  await page.locator('hr-reset-password #password').fill('a new password for me');
  await page.locator('hr-reset-password #confirm').fill('a new password for me');
  await submit(page, 'hr-reset-password');
  await shoot(page, 'reset-invalid', language);

  await page.goto(`${origin}/#/sign-in`);
  await view(page, 'hr-sign-in');
  await page.locator('hr-sign-in #username').fill('demo-guardian');
  await page.locator('hr-sign-in #password').fill(DEMO_PASSWORD);
  await page.locator('hr-sign-in button[type="submit"]').click();
  // Sign-in lands on home (its picture comes from e2e/offline.test.ts with SCREENSHOTS=1).
  await view(page, 'hr-home');
  await page.locator('hr-home a[href="#/account"]').click();
  await view(page, 'hr-account');
  // The demo account's saved language is English: choose ours again, as a reader would.
  await page.locator('hr-language-picker select').selectOption(language);
  await page.waitForTimeout(400);
  await shoot(page, 'account', language);

  await page.locator('hr-account #sign-out-everywhere').click();
  await page.locator('hr-account hr-change-password button[type="submit"]').click();
  await page.waitForTimeout(300);
  await shoot(page, 'account-confirm-and-errors', language);

  await page.goto(`${origin}/#/access-log`);
  await view(page, 'hr-access-log');
  await page.waitForFunction(() =>
    document.querySelector('hr-app').shadowRoot.querySelector('hr-access-log').shadowRoot.querySelector('tbody tr'),
  );
  await shoot(page, 'access-log', language);
  // Wider screens show the log as a table.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: `${outDir}/access-log-wide-${language}.png` });
  for (const violation of await axeViolations(page)) problems.push(`access-log (${language}, 1024px): ${violation}`);
  await page.setViewportSize({ width: 390, height: 844 });

  // Leave the demo account as it was.
  await page.locator('hr-language-picker select').selectOption('en');
  await page.waitForTimeout(300);
  await context.close();
}

await browser.close();
server.close();
await store.close();
if (problems.length > 0) {
  console.log(`\n${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exitCode = 1;
} else console.log(`Screenshots in docs/screenshots/ (${languages.join(', ')}); no axe violations, no sideways scrolling.`);
