// End-to-end tests of the expected-accuracy chart, "best for my budget" and the method panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { shots, open, fragment, eachLook } from './harness.mjs';
import { fullPageShot } from './full-shot.mjs';

const loss = (page, row) => page.textContent(`.results tbody tr[data-row="${row}"] [data-label="Predicted loss"] .num`);

test('hovering a marker shows its values; clicking it selects its row', async () => {
  const { page, context } = await open();
  const marker = page.locator('.marker-pt[data-config="1"]');
  await marker.hover();
  const tip = page.locator('.chart-tip');
  await tip.waitFor();
  const text = await tip.textContent();
  assert.match(text, /^Llama-3\.1-70B @ Q4_K_M/);
  assert.ok(text.includes(`Predicted loss ${await loss(page, 1)} (WikiText-2 ln PPL)`), text);
  // 42,512,531,456 B of weights + 2,684,354,560 B of KV cache + the default runtime, llama.cpp's:
  // CUDA context 450 MiB + compute buffer (the logits, 128256 · 512 · 4 B, beside one 512 · 8192 · 4 B
  // activation: 266.5 MiB) + output buffer 128256 · 4 B = 751,817,728 B; 45,948,703,744 B in all.
  assert.match(text, /Memory 45\.95 GB \(weights 42\.51 GB\) — does not fit 25\.76 GB/);
  assert.match(text, /≈ [\d.]+B parameters at 16 bits/);
  await page.mouse.move(5, 5);
  await tip.waitFor({ state: 'detached' });

  assert.equal(await page.locator('.results tbody tr.selected').count(), 0);
  await marker.click();
  await page.locator('.results tbody tr[data-row="1"].selected').waitFor();
  await page.locator('.marker-pt[data-config="2"]').click();
  await page.locator('.results tbody tr[data-row="2"].selected').waitFor();
  assert.equal(await page.locator('.results tbody tr.selected').count(), 1);
  assert.equal(await page.textContent('.parity-title'), 'Same size as configuration 2');
  // The keyboard reaches the markers too.
  await page.focus('.marker-pt[data-config="1"]');
  await page.keyboard.press('Enter');
  await page.locator('.results tbody tr[data-row="1"].selected').waitFor();
  await context.close();
});

test('LLaMA-13B at Q4_K_M ranks above LLaMA-7B at F16, as measured (PPL 5.30 vs 5.91)', async () => {
  const { page, context } = await open('#v=1&m=llama-7b@f16,llama-13b@q4_k_m&ctx=512');
  const [small, big] = [Number(await loss(page, 1)), Number(await loss(page, 2))];
  assert.ok(big < small, `13B Q4_K_M ${big} vs 7B F16 ${small}`);
  const summary = await page.getAttribute('.size-chart', 'aria-label');
  assert.match(summary, /LLaMA-13B \(v1\) @ Q4_K_M has the lowest predicted loss/);
  // Drawn lower on the chart (SVG y grows downwards), and smaller.
  const pos = (i) => page.$eval(`.marker-pt[data-config="${i}"] .dot`, (c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]);
  const [[x7, y7], [x13, y13]] = [await pos(1), await pos(2)];
  assert.ok(y13 > y7 && x13 < x7, `${x13},${y13} vs ${x7},${y7}`);
  await context.close();
});

test('chart settings, training tokens and the published layer live in the link', async () => {
  const { page, context } = await open('#v=1&m=llama-3-8b@q4_k_m');
  assert.equal(await page.locator('.size-chart .measured').count(), 0);
  await page.check('#chart-published');
  await page.waitForFunction(() => location.hash.includes('&pub=1'));
  assert.ok(await page.locator('.size-chart .measured').count() > 20);
  await page.selectOption('#chart-y', 'dppl');
  await page.waitForFunction(() => location.hash.includes('&y=dppl'));
  assert.match(await page.textContent('.size-chart .axis-title >> nth=1'), /Perplexity increase/);
  const before = await loss(page, 1);
  await page.fill('#tokens-1', '1T');
  await page.waitForFunction(() => location.hash.includes('&tok.1=1T'));
  assert.notEqual(await loss(page, 1), before, 'fewer training tokens change the loss');
  await page.fill('#tokens-1', '5');
  await page.getByText('Training tokens “5” is not a count from 1M to 100T').waitFor();
  assert.ok((await fragment(page)).includes('tok.1=1T'), 'the last good value stays');
  await page.selectOption('#chart-law', 'hoffmann');
  await page.waitForFunction(() => location.hash.includes('&law=hoffmann'));
  await page.reload();
  await page.waitForSelector('.size-chart');
  assert.equal(await page.isChecked('#chart-published'), true);
  assert.equal(await page.inputValue('#chart-y'), 'dppl');
  assert.equal(await page.inputValue('#tokens-1'), '1T');
  await context.close();
});

test('best for my budget lists what fits, best first; Add puts one in the comparison', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16&budget=48GB');
  const best = await page.$$eval('#best-table tbody tr', (trs) => trs.map((tr) => ({
    title: tr.querySelector('th').textContent,
    loss: Number(tr.querySelector('td:nth-of-type(2) .num').textContent),
    fits: tr.querySelector('td .sub').textContent,
  })));
  assert.equal(best.length, 10);
  assert.ok(best.every((b) => b.fits === 'fits'));
  for (let i = 1; i < best.length; i++) assert.ok(best[i - 1].loss <= best[i].loss, JSON.stringify(best));
  const parity = await page.$$eval('#parity-table tbody th', (ths) => ths.map((t) => t.textContent));
  assert.equal(parity[0], 'Llama-3.1-8B @ BF16');
  assert.ok(parity.some((t) => / @ Q4_K_M$/.test(t)) && parity.some((t) => / @ Q8_0$/.test(t)), parity.join(' | '));
  await page.click('#best-table tbody tr:first-child button');
  await page.waitForFunction(() => document.querySelectorAll('.results tbody tr').length === 2);
  await page.selectOption('#best-candidates', 'range');
  await page.waitForFunction(() => location.hash.includes('&cand=range'));
  const titles = await page.$$eval('#best-table tbody th', (ths) => ths.map((t) => t.textContent));
  assert.ok(titles.some((t) => /^[\d.]+[MBT] parameters @ /.test(t)), titles.join(' | '));
  await page.click('#method-title');
  await page.waitForSelector('.method .residuals');
  // Every quantized file of the fitted runs (src/core/estimate/published.rs): 70.
  assert.equal(await page.locator('.residuals tbody tr').count(), 70);
  await fullPageShot(page, join(shots, 'accuracy-desktop-light.png'));
  await context.close();
});

test('Llama-2-70B at Q2_K against Llama-2-13B at F16: the page, the measurement and the held-out table agree', async () => {
  const { page, context } = await open('#v=1&m=llama-2-70b@q2_k,llama-2-13b@f16&ctx=512');
  const [big, small] = [Number(await loss(page, 1)), Number(await loss(page, 2))];
  // llama.cpp measured 3.7339 against 5.0999 (wikitext-2, ctx 512): the bigger, coarser model wins.
  assert.ok(big < small, `70B Q2_K ${big} vs 13B F16 ${small}`);
  const notes = await page.textContent('.row-notes');
  assert.match(notes, /Measured \(llama\.cpp, WikiText-2, context 512\): perplexity 3\.7339 against 3\.4313 at 16 bits, \+8\.82 %/);
  assert.match(notes, /That file was made with Q2_K@2023-08 \(27\.27 GiB\); today's Q2_K is 23\.71 GiB/);
  // The explainer says the same as the table, and that this is a within-family comparison.
  const explainer = await page.textContent('.explainer');
  assert.match(explainer, /Here the bigger, coarser model wins: Llama-2-70B @ Q2_K/);
  assert.match(explainer, /Both are Llama 2 models/);
  // The method panel: the comparison left out of the fit, in the same direction; Dettmers' check.
  await page.click('#method-title');
  await page.waitForSelector('.method .residuals');
  const held = await page.$$eval('.holdout tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const row = held.find((r) => r[1] === 'Llama-2-70B Q2_K vs Llama-2-13B F16');
  assert.ok(row, held.map((r) => r[1]).join('\n'));
  assert.equal(row[2], '-0.3118'); // ln(3.7339 / 5.0999)
  assert.ok(Number(row[3]) < 0, `predicted ${row[3]}`);
  assert.equal(row[5], 'same direction');
  assert.ok(held.filter((r) => r[0].startsWith('comparison')).length >= 15);
  assert.ok(held.some((r) => r[0].startsWith('step between sizes')));
  assert.ok(held.some((r) => r[0].startsWith('MoE')));
  const bits = await page.$$eval('.bit-check tbody tr', (trs) => trs.map((tr) => tr.lastElementChild.textContent));
  assert.equal(bits.length, 8);
  assert.ok(bits.every((b) => /within 3–6/.test(b)), bits.join(' | '));
  assert.ok(await page.locator('.holdout-penalty tbody tr').count() >= 4);
  await (await page.$('.method')).screenshot({ path: join(shots, 'method-holdout.png') });
  await context.close();
});

test('the chart at 390 px and in dark mode', async () => {
  await eachLook('#v=1&m=llama-7b@f16,llama-13b@q4_k_m&pub=1', async (page, look, opts) => {
    const box = await page.locator('.size-chart').boundingBox();
    assert.ok(box.width <= (opts.viewport?.width ?? 1280), `${look}: chart ${box.width}px wide`);
    await (await page.$('.accuracy')).screenshot({ path: join(shots, `accuracy-${look}.png`) });
  });
});
