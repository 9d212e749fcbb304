// Pruning in the footprint: a 2:4 link shows its bytes beside a dense model's, the picker changes
// the suffix in the link; a fitted pattern (2:4) is estimated with Wanda's f, an unfitted one
// (1:4) is not given an invented loss estimate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { shots, open, rows, fragment } from './harness.mjs';
import { fullPageShot } from './full-shot.mjs';

test('Llama-2-13B at FP16 2:4 against Llama-2-7B at FP16', async () => {
  const { page, context } = await open('#v=1&m=llama-2-13b@fp16+2:4,llama-2-7b@fp16');
  const r = await rows(page);
  assert.equal(r.length, 2);
  assert.equal(r[0].title, 'Llama-2-13B @ F16 · 2:4 sparse');
  assert.equal(r[0].weights, '14.93 GB'); // 14,929,930,240 bytes (tests/acceptance.rs)
  assert.equal(r[1].weights, '13.48 GB'); // 6,738,415,616 × 2
  assert.equal(await page.getAttribute('.results tbody tr[data-row="1"] [data-label="Weights"]', 'title'), '14,929,930,240 bytes');
  // 2:4 through Wanda's f = 0.0684: a dense 891M on the measured scale (core::accuracy's test by hand).
  assert.equal(await page.textContent('.results tbody tr[data-row="1"] [data-label="Predicted loss"] .num'), '2.2356');
  const notes = await page.textContent('.row-notes');
  assert.match(notes, /Pruned: the linear layers keep 50 %/);
  assert.match(notes, /Loss estimated as a dense model of N·f = 891M parameters: f = 0\.0684, Wanda's fit at 2:4 sparse/);
  // The published perplexities: 13B at 2:4 (8.27 with Wanda, the best), against the dense 7B's 5.12.
  assert.match(notes, /Published one-shot pruning of Llama-2-13B at 2:4 sparse: perplexity 8\.33 \(magnitude\), 8\.32 \(SparseGPT\), 8\.27 \(Wanda\); dense 4\.57/);
  assert.match(notes, /Published dense perplexity of Llama-2-7B in the same pruning table: 5\.12/);
  // The rule fitted to that table, with its residuals, is in the method panel.
  await page.click('#method-title');
  await page.waitForSelector('.method .residuals');
  assert.equal(await page.locator('.pruning-rule tbody tr').count(), 9);
  assert.match(await page.textContent('.pruning-rule tbody tr:last-child'), /^2:4Wanda0\.0\d+/);
  assert.equal(await page.inputValue('#sparsity-1'), '2:4');
  assert.equal(await page.locator('.marker-pt[data-config="1"]').count(), 1, 'the fitted pattern has its point');
  assert.equal(await page.locator('.marker-pt[data-config="2"]').count(), 1);
  await fullPageShot(page, join(shots, 'sparsity.png'));
  // The picker writes the suffix; dense removes it.
  await page.selectOption('#sparsity-2', 'u50');
  await page.waitForFunction(() => location.hash.includes('llama-2-7b@f16+u50'));
  await page.selectOption('#sparsity-1', '');
  await page.waitForFunction(() => location.hash.includes('m=llama-2-13b@f16,'));
  assert.equal((await rows(page))[0].weights, '26.03 GB');
  assert.ok((await fragment(page)).includes('llama-2-7b@f16+u50'));
  await context.close();
});

test('a pattern without a fitted rule is not estimated, and says why', async () => {
  const { page, context } = await open('#v=1&m=llama-2-13b@fp16+1:4,llama-2-7b@fp16');
  assert.equal(await page.textContent('.results tbody tr[data-row="1"] [data-label="Predicted loss"] .num'), 'not estimated');
  assert.match(await page.textContent('.row-notes'), /Loss not estimated: the published pruning table \(Wanda README\) has no 1:4 sparse measurements/);
  assert.equal(await page.locator('.marker-pt[data-config="1"]').count(), 0, 'no point without an estimate');
  assert.equal(await page.locator('.marker-pt[data-config="2"]').count(), 1);
  await context.close();
});

test('a malformed sparsity is named and the format kept dense', async () => {
  const { page, context } = await open('#v=1&m=llama-2-7b@q8_0+3:2');
  await page.locator('.notices').waitFor();
  assert.match(await page.textContent('.notices'), /Pruning “3:2” is not N:M/);
  assert.equal((await rows(page))[0].title, 'Llama-2-7B @ Q8_0');
  await context.close();
});

test('the size-parity view answers the 100B-at-INT8-against-2B-at-FP16 claim', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16');
  const result = page.locator('.claim-result');
  assert.equal(await page.inputValue('#claim'), '100B at INT8 and a 2B student at FP16 are about the same size');
  const text = await result.textContent();
  assert.match(text, /100B @ INT8 per-channel: 10[0-3]\.\d GB of weights/);
  assert.match(text, /2B @ F16: 4\.00 GB of weights/);
  assert.match(text, /Not the same size: the larger is 2[5-6]\.\d× the smaller/);
  assert.match(text, /would hold ≈ 5\d(\.\d)?B @ F16/);
  await page.fill('#claim', '30B at INT8 and 60B at int4');
  await page.waitForFunction(() => document.querySelector('.claim-verdict')?.textContent.startsWith('About the same size'));
  await page.fill('#claim', 'nothing here');
  await page.getByText('Name two models with a format each').waitFor();
  await context.close();
});

test('the chart shows the published pruning and distillation layer', async () => {
  const { page, context } = await open('#v=1&m=llama-2-13b@fp16+2:4,llama-2-7b@fp16');
  assert.equal(await page.locator('.size-chart .measured.lever').count(), 0);
  await page.check('#chart-levers');
  await page.waitForFunction(() => location.hash.includes('levers=1'));
  const n = await page.locator('.size-chart .measured.lever').count();
  assert.ok(n >= 25 && n <= 30, `${n} points in view`);
  const titles = await page.$$eval('.size-chart .measured.lever title', (ts) => ts.map((t) => t.textContent));
  assert.ok(titles.includes('Llama-2-13B 2:4 sparse, Wanda: measured PPL 8.27 (+81 %) · 14.93 GB at FP16 (Wanda README)'), titles.join('\n'));
  assert.ok(titles.some((t) => t.startsWith('Llama-2-7B dense: measured PPL 5.12')));
  await page.locator('.accuracy').screenshot({ path: join(shots, 'levers.png') });
  await context.close();
});

test('the lab prunes then quantizes: FP16 at 2:4 is 9 bits a weight beside Q8_0', async () => {
  const { page, context } = await open('#v=1&m=llama-2-7b@f16&lab.n=64Ki&lab.formats=f16,q8_0');
  await page.selectOption('#lab-sparse', '2:4');
  await page.waitForFunction(() => location.hash.includes('lab.sparse=2:4'));
  await page.click('#lab-run');
  await page.waitForFunction(() => document.querySelectorAll('.lab-table tbody tr').length === 4 && !document.querySelector('.progress'));
  const cells = (id) => page.$$eval(`.lab-table tr[data-format="${id}"] td`, (tds) => tds.map((t) => t.textContent));
  const sparse = await cells('f16+2:4');
  assert.match(sparse[0], /^9\.0+$/, `bits per weight: ${sparse[0]}`);
  assert.match(await page.textContent('.lab-table tr[data-format="f16+2:4"] th'), /F16 · 2:4 sparse/);
  const sqnr = async (id) => parseFloat(await page.textContent(`.lab-table tr[data-format="${id}"] .sqnr`));
  assert.ok(await sqnr('f16+2:4') < await sqnr('q8_0'), 'half the values gone costs more than 8-bit rounding');
  assert.ok(await sqnr('q8_0+2:4') <= await sqnr('f16+2:4') + 0.01);
  assert.equal(await page.locator('.charts svg circle').count(), 4, 'the pruned formats join the SQNR-against-bpw chart');
  await context.close();
});
