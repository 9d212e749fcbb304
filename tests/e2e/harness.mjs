// The end-to-end harness: serves dist/ (the release build scripts/dist makes) on 127.0.0.1, starts
// Debian's headless Chromium, and makes every test of the importing file fail on a console
// error, an uncaught exception, a dialog, or any request that leaves 127.0.0.1.
import { before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDir } from './serve.mjs';

export const root = new URL('../..', import.meta.url).pathname;
export const dist = join(root, 'dist');
export const shots = join(root, 'tests/e2e/out');
mkdirSync(shots, { recursive: true });

const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let server, base, browser;
let problems = [];
const external = [];

before(async () => {
  server = await serveDir(dist);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
});

after(async () => {
  await browser?.close();
  server?.close();
});

afterEach(() => {
  const p = problems.splice(0);
  const e = external.splice(0);
  assert.deepEqual(e, [], 'requests left 127.0.0.1');
  assert.deepEqual(p, [], 'console errors or page errors');
});

// Opens `fragment` in a new browser context, from dist/ or from the server at `at`.
export async function open(fragment = '', options = {}, at = base) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== '127.0.0.1') {
      external.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  const page = watch(await context.newPage());
  await page.goto(at + fragment);
  await page.waitForSelector('.results tbody tr');
  await shownAsChosen(page);
  return { page, context };
}

// Waits until the page shows the language its switcher says: a language other than English is
// fetched on first use (its table, zh-CN.strings) and shown once it is there.
export async function shownAsChosen(page) {
  await page.waitForFunction(() => document.querySelector('#lang')?.value === document.documentElement.lang);
}

// Makes a console error, an uncaught exception or a dialog of `page` fail the test.
export function watch(page) {
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  return page;
}

export const rows = (page) => page.$$eval('.results tbody tr', (trs) => trs.map((tr) => {
  const cell = (label) => tr.querySelector(`[data-label="${label}"] .num`)?.textContent ?? '';
  return {
    title: tr.querySelector('th').childNodes[1].textContent,
    weights: cell('Weights'), kv: cell('KV cache'), total: cell('Total'),
    verdict: tr.querySelector('.verdict').textContent,
  };
}));
// Drops the problems so far that match `re`: for a test that provokes one on purpose.
export const forgive = (re) => { problems = problems.filter((p) => !re.test(p)); };

export const fragment = (page) => page.evaluate(() => location.hash.slice(1));

// The text of `selector` once it reads `want`: best for the budget, same size, every lever and
// the explainer follow an edit after a short pause (ui/settle.rs). Fails with the text it read.
export async function settledText(page, selector, want, timeout = 5000) {
  try {
    await page.waitForFunction(([s, w]) => document.querySelector(s)?.textContent === w, [selector, want], { timeout });
  } catch {
    assert.equal(await page.textContent(selector), want);
  }
}

// The looks every section is checked in: phone light and dark, desktop dark (desktop light is
// the default of `open`)..
export const LOOKS = [
  ['390-light', { viewport: { width: 390, height: 844 }, colorScheme: 'light' }],
  ['390-dark', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' }],
  ['desktop-dark', { colorScheme: 'dark' }],
];

// Opens `fragment` in each look, fails if the page scrolls sideways, then calls `visit`.
export async function eachLook(fragment, visit) {
  for (const [look, opts] of LOOKS) {
    const { page, context } = await open(fragment, opts);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${look}: page scrolls sideways by ${overflow}px`);
    await visit(page, look, opts);
    await context.close();
  }
}
