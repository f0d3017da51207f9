// Renders the PNG app icons in public/icons from their SVG sources with headless Chromium.
// Run after editing an SVG: node client/tools/render-icons.mjs [path-to-chromium]
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const iconsDir = fileURLToPath(new URL('../../public/icons/', import.meta.url));
const executablePath = process.argv[2] ?? '/usr/bin/chromium';

/** [source svg, output png, size]; full-bleed sources for platforms that crop their own shape. */
const outputs = [
  ['icon.svg', 'icon-192.png', 192],
  ['icon.svg', 'icon-512.png', 512],
  ['maskable.svg', 'maskable-512.png', 512],
  ['maskable.svg', 'apple-touch-icon-180.png', 180],
];

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  for (const [source, output, size] of outputs) {
    const svg = await readFile(iconsDir + source, 'utf8');
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
    );
    await page.screenshot({ path: iconsDir + output, omitBackground: true });
    console.log(`public/icons/${output} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
