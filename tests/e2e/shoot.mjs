// Screenshots for looking at the page: node tests/e2e/shoot.mjs <fragment> <name> [width] [dark] [selector]
import { chromium } from 'playwright-core';
import { serveDir } from './serve.mjs';
import { join } from 'node:path';
import { fullPageShot } from './full-shot.mjs';

const [fragment = '', name = 'shot', width = '1280', dark = '', selector = ''] = process.argv.slice(2);
const root = new URL('../..', import.meta.url).pathname;
const server = await serveDir(join(root, 'dist'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: dark ? 'dark' : 'light' });
page.on('console', (m) => { if (m.type() === 'error') console.error('console:', m.text()); });
page.on('pageerror', (e) => console.error('pageerror:', e.message));
await page.goto(`http://127.0.0.1:${server.address().port}/#${fragment}`);
await page.waitForSelector('.size-chart');
const out = process.env.SHOTS || '/tmp/shots';
if (selector) {
  await (await page.$(selector)).screenshot({ path: join(out, `${name}.png`) });
} else {
  await fullPageShot(page, join(out, `${name}.png`));
}
await browser.close();
server.close();
