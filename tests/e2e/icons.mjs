// Draws the web app manifest's PNG icons (static/icon-192.png, static/icon-512.png) from
// static/favicon.svg in headless Chromium. The PNGs are committed; run this after changing the SVG:
//   node tests/e2e/icons.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('../..', import.meta.url).pathname;
const svg = readFileSync(join(root, 'static/favicon.svg')).toString('base64');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
for (const size of [192, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<body style="margin:0"><img src="data:image/svg+xml;base64,${svg}" width="${size}" height="${size}" style="display:block"></body>`);
  await page.waitForFunction(() => document.images[0].complete);
  await page.screenshot({ path: join(root, `static/icon-${size}.png`), omitBackground: true });
  await page.close();
}
await browser.close();
