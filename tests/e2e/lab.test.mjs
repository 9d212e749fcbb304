// End-to-end tests of the lab's format picker (presets and family toggles, kept in the link) and
// of its SQNR-against-bits scatter with every format: labels that neither overlap nor leave the
// plot, read at their own size on a desktop and on a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, fragment, shots } from './harness.mjs';

// The names of the ticked formats, and the summary line.
const ticked = (page) => page.$$eval('.lab-formats .format-grid input:checked', (ins) => ins.map((i) => i.parentElement.textContent.trim()));

test('a preset picks its formats, lands in the link and survives a reload; a family toggle adds its own', async () => {
  const { page, context } = await open('#v=1&m=8B@q8_0');
  await page.click('.lab-formats summary');
  await page.getByRole('button', { name: 'llama.cpp K-quants' }).click();
  await page.waitForFunction(() => location.hash.endsWith('&lab.formats=q6_k,q5_k,q4_k,q3_k,q2_k'));
  assert.deepEqual(await ticked(page), ['Q6_K', 'Q5_K', 'Q4_K', 'Q3_K', 'Q2_K']);
  assert.equal(await page.textContent('.lab-formats summary'), 'Formats: 5 of 38');
  assert.equal(await page.getAttribute('.presets button[data-preset="k-quants"]', 'aria-pressed'), 'true');
  assert.equal(await page.isChecked('.family[data-family="ggml-k"] .family-toggle'), true);
  assert.equal(await page.isChecked('.family[data-family="float"] .family-toggle'), false);
  // The i-quants join as a family; no preset is that pick.
  await page.check('.family[data-family="ggml-i"] .family-toggle');
  await page.waitForFunction(() => location.hash.endsWith('&lab.formats=q6_k,q5_k,q4_k,q3_k,q2_k,iq4_xs,iq4_nl,iq3_s,iq3_xxs'));
  assert.equal(await page.locator('.presets button[aria-pressed="true"]').count(), 0);
  // One format off leaves its family half ticked.
  await page.uncheck('.family[data-family="ggml-i"] label:has-text("IQ4_NL") input');
  await page.waitForFunction(() => location.hash.endsWith('&lab.formats=q6_k,q5_k,q4_k,q3_k,q2_k,iq4_xs,iq3_s,iq3_xxs'));
  assert.equal(await page.$eval('.family[data-family="ggml-i"] .family-toggle', (i) => i.indeterminate), true);
  // The link brings the pick back.
  await page.reload();
  await page.waitForSelector('.results tbody tr');
  await page.click('.lab-formats summary');
  assert.deepEqual(await ticked(page), ['Q6_K', 'Q5_K', 'Q4_K', 'Q3_K', 'Q2_K', 'IQ4_XS', 'IQ3_S', 'IQ3_XXS']);
  // The legacy preset after a reload, then none: nothing to run.
  await page.getByRole('button', { name: 'Legacy GGUF' }).click();
  await page.waitForFunction(() => location.hash.endsWith('&lab.formats=q8_0,q5_1,q5_0,q4_1,q4_0'));
  await page.reload();
  await page.waitForSelector('.results tbody tr');
  await page.click('.lab-formats summary');
  assert.equal(await page.getAttribute('.presets button[data-preset="legacy-gguf"]', 'aria-pressed'), 'true');
  await page.getByRole('button', { name: 'None', exact: true }).click();
  await page.waitForFunction(() => location.hash.endsWith('&lab.formats='));
  assert.equal(await page.isDisabled('#lab-run'), true);
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await page.waitForFunction(() => !location.hash.includes('lab.formats'));
  assert.equal((await ticked(page)).length, 38);
  assert.match(await fragment(page), /^v=1&m=8B@q8_0/);
  await context.close();
});

// Every label of the lab's scatter, and its plotting area, as drawn (screen pixels).
const scatterBoxes = (page) => page.$eval('.lab svg[aria-label^="SQNR"]', (svg) => {
  const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent }; };
  const plot = svg.querySelector('.plot-area');
  return { labels: [...svg.querySelectorAll('.pt text, .pt-label')].map(box), plot: plot && box(plot) };
});

for (const [width, height] of [[1280, 900], [390, 844]]) {
  test(`with all 38 formats the scatter's labels do not overlap and stay inside the plot at ${width} px`, async () => {
    const { page, context } = await open('#v=1&m=8B@q8_0&lab.n=64Ki', { viewport: { width, height } });
    await page.click('#lab-run');
    await page.waitForFunction(() => document.querySelectorAll('.lab-table tbody tr').length === 38 && !document.querySelector('.lab .progress'),
      null, { timeout: 120000 });
    // The chart is drawn at the width it is shown (to whole tens of pixels, rounded down).
    await page.waitForFunction(() => {
      const svg = document.querySelector('.lab .scatter svg');
      const shown = svg.getBoundingClientRect().width;
      return shown - svg.viewBox.baseVal.width >= 0 && shown - svg.viewBox.baseVal.width < 10;
    });
    const { labels, plot } = await scatterBoxes(page);
    const named = labels.flatMap((l) => l.text.split(', '));
    assert.ok(named.length >= (width > 800 ? 30 : 10), `${named.length} formats named`);
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) {
        const overlap = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 0.01 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0.01;
        assert.ok(!overlap, `“${a.text}” ${JSON.stringify(a)} overlaps “${b.text}” ${JSON.stringify(b)}`);
      }
    }
    assert.ok(plot, 'the plotting area is drawn');
    for (const a of labels) {
      const inside = a.x >= plot.x - 0.01 && a.y >= plot.y - 0.01 && a.x + a.w <= plot.x + plot.w + 0.01 && a.y + a.h <= plot.y + plot.h + 0.01;
      assert.ok(inside, `“${a.text}” ${JSON.stringify(a)} leaves the plot ${JSON.stringify(plot)}`);
      // Read at the page's small-text size, phone or not (an 11 px font's box is ~13 px tall).
      assert.ok(a.h >= 12, `“${a.text}” is drawn ${a.h.toFixed(1)} px tall`);
    }
    // A click on a point the labels leave out names it (and selects it, as its table row does).
    const names = (ls) => new Set(ls.flatMap((l) => l.text.split(', ').map((n) => n.replace(/ \+\d+ more$/, ''))));
    const points = await page.$$eval('.lab .pt', (gs) => gs.map((g) => [g.dataset.format, g.querySelector('title').textContent.split(': ')[0]]));
    const left = points.find(([, name]) => !names(labels).has(name));
    if (left) {
      await page.$eval(`.lab .pt[data-format="${left[0]}"]`, (g) => g.dispatchEvent(new MouseEvent('click', { bubbles: true })));
      await page.waitForFunction((id) => document.querySelector(`.lab-table tr[data-format="${id}"]`).classList.contains('selected'), left[0]);
      const now = (await scatterBoxes(page)).labels;
      assert.ok(names(now).has(left[1]), `${left[1]} is named after a click: ${now.map((l) => l.text).join(' | ')}`);
    }
    await (await page.$('.lab .scatter')).screenshot({ path: join(shots, `lab-scatter-${width}.png`) });
    await context.close();
  });
}
