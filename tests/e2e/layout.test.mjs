// The answer beside the sliders (ui/summary.rs): on a wide screen a slider step changes the
// total in a summary right of the inputs, in view without scrolling; on a phone one sticky line
// shows the configuration in hand and follows the slider that moves. Both read what the results
// table reads, and screen readers hear a verdict that changes, not every step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { shots, open } from './harness.mjs';

const LINK = '#v=1&m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16&budget=rtx-4090';
const PHONE = { viewport: { width: 390, height: 844 } };

// The element's box, and whether all of it is inside the viewport.
const box = (page, sel) => page.$eval(sel, (el) => {
  const b = el.getBoundingClientRect();
  return { top: b.top, bottom: b.bottom, left: b.left, right: b.right, height: b.height,
    inView: b.width > 0 && b.height > 0 && b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight && b.right <= innerWidth };
});
const row = (i) => `.summary .summary-row[data-row="${i}"]`;
const text = (page, sel) => page.$eval(sel, (el) => el.textContent);
const tableCell = (page, i, label) => text(page, `.results tbody tr[data-row="${i}"] [data-label="${label}"] .num`);
// Whether the element's text is cut (wider than its box) or sticks out of the viewport.
const cut = (page, sel) => page.$eval(sel, (el) =>
  el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > innerWidth + 0.5);

test('at 1280 × 900 a slider step changes the summary beside the inputs, in view without scrolling', async () => {
  const { page, context } = await open(LINK);
  assert.equal(await page.locator('.summary').count(), 1, 'the page has a summary');
  // Beside the inputs, on the first screen, with what the table says.
  const summary = await box(page, '.summary');
  const cards = await box(page, '.configs');
  assert.ok(summary.inView, `summary ${JSON.stringify(summary)}`);
  assert.ok(summary.left >= cards.right, `summary ${summary.left} right of the cards ${cards.right}`);
  for (const i of [1, 2]) {
    assert.equal(await text(page, `${row(i)} .summary-total`), await tableCell(page, i, 'Total'));
    assert.ok((await text(page, `${row(i)} .summary-loss`)).includes(await tableCell(page, i, 'Predicted loss')));
  }
  assert.equal(await text(page, `${row(1)} .verdict`), 'Does not fit');
  assert.equal(await text(page, `${row(2)} .verdict`), 'Fits');
  assert.equal(await page.locator('.summary .mini-chart .mini-pt').count(), 2);
  const live = await text(page, '.summary [aria-live="polite"]');
  assert.equal(live.trim(), 'Configuration 1: Does not fit. Configuration 2: Fits.');

  const before = await text(page, `${row(1)} .summary-total`);
  await page.focus('#slider-1');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(([sel, b]) => document.querySelector(sel).textContent !== b,
    [`${row(1)} .summary-total`, before]);
  assert.equal(await page.evaluate(() => scrollY), 0, 'nothing scrolled');
  assert.ok((await box(page, `${row(1)} .summary-total`)).inView);
  assert.ok((await box(page, '.summary')).inView);
  assert.ok((await box(page, '#slider-1')).inView);
  assert.equal(await text(page, `${row(1)} .summary-total`), await tableCell(page, 1, 'Total'));
  // The total moved, the verdicts did not: the live region is unchanged, so nothing is announced.
  assert.equal(await text(page, '.summary [aria-live="polite"]'), live);
  await page.screenshot({ path: join(shots, 'layout-1280.png') });
  await context.close();
});

test('at 1024 the summary is still beside the inputs; at 768 it is the one line above them', async () => {
  for (const width of [1024, 768]) {
    const { page, context } = await open(LINK, { viewport: { width, height: 900 } });
    const summary = await box(page, '.summary');
    const cards = await box(page, '.configs');
    assert.ok(summary.inView, `${width}: ${JSON.stringify(summary)}`);
    if (width === 1024) assert.ok(summary.left >= cards.right, `${width}: beside the cards`);
    else assert.ok(summary.bottom <= cards.top && summary.height < 60, `${width}: a line above the cards ${JSON.stringify(summary)}`);
    for (const sel of ['.summary-total', '.verdict']) {
      for (const r of await page.$$(`.summary .summary-row ${sel}`)) {
        if (await r.isVisible()) assert.equal(await r.evaluate((el) => el.scrollWidth > el.clientWidth + 1), false, `${width}: ${sel} cut`);
      }
    }
    await context.close();
  }
});

test('at 390 × 844 one sticky line shows the configuration in hand and follows the slider', async () => {
  const { page, context } = await open(LINK, PHONE);
  const line = '.summary .summary-row.featured';
  assert.equal(await page.locator('.summary').count(), 1, 'the page has a summary');
  // One line: the first configuration until another is touched; the others are not shown.
  const first = await box(page, '.summary');
  assert.ok(first.inView && first.height < 60, `one line: ${JSON.stringify(first)}`);
  assert.equal(await page.locator('.summary .summary-row:visible').count(), 1);
  assert.equal(await page.getAttribute(line, 'data-row'), '1');
  assert.equal(await text(page, `${line} .summary-total`), await tableCell(page, 1, 'Total'));
  assert.equal(await text(page, `${line} .verdict`), 'Does not fit');
  for (const sel of ['.summary-total', '.verdict', '.row-index']) assert.equal(await cut(page, `${line} ${sel}`), false, sel);

  const before = await text(page, `${line} .summary-total`);
  await page.focus('#slider-1');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(([sel, b]) => document.querySelector(sel).textContent !== b, [`${line} .summary-total`, before]);
  assert.ok((await box(page, '.summary')).inView);
  assert.equal(await text(page, `${line} .summary-total`), await tableCell(page, 1, 'Total'));

  // The second configuration's slider is further down: the line sticks to the top, shows that
  // configuration, and does not cover the slider the keyboard is on.
  await page.focus('#slider-2');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.row === '2', line);
  assert.ok(await page.evaluate(() => scrollY) > 0, 'the page scrolled to the second card');
  const stuck = await box(page, '.summary');
  assert.ok(stuck.inView && stuck.top <= 1, `stuck at the top: ${JSON.stringify(stuck)}`);
  const slider = await box(page, '#slider-2');
  assert.ok(slider.top >= stuck.bottom, `the slider (${slider.top}) is below the line (${stuck.bottom})`);
  assert.equal(await text(page, `${line} .summary-total`), await tableCell(page, 2, 'Total'));
  assert.equal(await text(page, `${line} .verdict`), 'Fits');
  for (const sel of ['.summary-total', '.verdict']) assert.equal(await cut(page, `${line} ${sel}`), false, sel);
  await page.screenshot({ path: join(shots, 'layout-390.png') });
  await context.close();
});
