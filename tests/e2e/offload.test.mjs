// GPU + system RAM (llama.cpp's -ngl, --fit and --n-cpu-moe) and cards split by layers, driven
// through the budget's controls: the verdict says where the layers go and the decode bound. The
// figures are worked with a fixed 512 MiB runtime (rt=512MiB), not the modelled default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, rows, fragment } from './harness.mjs';

// Types `text` into the field `id` and commits it with Enter.
async function type(page, id, text) {
  await page.click(id, { clickCount: 3 });
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

test('Llama-3.1-70B Q4_K_M on a 24 GB GPU with 64 GB of RAM: the layer split and its decode bound', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-70b@q4_k_m&budget=rtx-4090&rt=512MiB');
  assert.equal((await rows(page))[0].verdict, 'Does not fit');
  // No RAM until one is picked; picking a kind gives 64 GB of it.
  assert.equal(await page.locator('#ram-size').count(), 0);
  await page.selectOption('#ram-kind', 'ddr5-6000-2ch');
  await page.waitForFunction(() => location.hash.includes('ram=64GB@ddr5-6000-2ch'));
  assert.match(await page.textContent('.ram-note'), /96 GB\/s = 2 channels × 6,000 MT\/s × 8 bytes/);
  // llama.cpp --fit: -ngl 43, the output layer and 42 of 80 layers on the GPU (24.36 GB of
  // 25.76 GB: it leaves 1 GiB free), 38 and the embedding in RAM.
  assert.equal((await rows(page))[0].verdict, 'Fits with 38 of 80 layers in RAM, ≤ 4.2 tok/s');
  assert.match(await page.textContent('.results tbody tr[data-row="1"] .speed'),
    /^decode ≤ 4\.2 tok\/s: 23\.83 GB a token from the GPU at 1008 GB\/s and 20\.78 GB from RAM at 96 GB\/s$/);
  assert.match(await page.textContent('.row-notes'),
    /Split with system RAM \(llama\.cpp -ngl 43\): the GPU holds the output layer and 42 of 80 layers with their KV cache, and the runtime: 24\.36 GB of 25\.76 GB; RAM holds the other layers and the token embedding: 21\.37 GB of 64\.00 GB\./);
  assert.match(await page.textContent('.row-notes'), /Chosen as llama\.cpp's --fit \(on by default\) chooses: it leaves 1 GiB of each GPU free/);
  assert.match(await page.textContent('.summary-row[data-row="1"]'), /Fits with 38 of 80 layers in RAM, ≤ 4\.2 tok\/s/);
  // Too little RAM: it does not fit; back to 64 GB.
  await type(page, '#ram-size', '16GB');
  await page.waitForFunction(() => location.hash.includes('ram=16GB@'));
  assert.equal((await rows(page))[0].verdict, 'Does not fit');
  await type(page, '#ram-size', '64GB');
  await page.waitForFunction(() => location.hash.includes('ram=64GB@'));
  // -ngl 40, typed: the output layer and 39 layers on the GPU, 41 in RAM.
  await page.selectOption('#split', 'ngl');
  await type(page, '#gpu-layers', '40');
  await page.waitForFunction(() => location.hash.includes('split=ngl:40'));
  assert.match((await rows(page))[0].verdict, /^Fits with 41 of 80 layers in RAM, ≤ 3\.9 tok\/s$/);
  const link = await fragment(page);
  await context.close();
  const again = await open(`#${link}`);
  assert.equal(await again.page.inputValue('#ram-kind'), 'ddr5-6000-2ch');
  assert.equal(await again.page.inputValue('#ram-size'), '64GB');
  assert.equal(await again.page.inputValue('#split'), 'ngl');
  assert.equal(await again.page.inputValue('#gpu-layers'), '40');
  assert.match((await rows(again.page))[0].verdict, /^Fits with 41 of 80 layers in RAM/);
  // A bad layer count changes nothing; no RAM undoes the split.
  await type(again.page, '#gpu-layers', 'lots');
  await again.page.locator('#gpu-layers-error').waitFor();
  assert.ok((await fragment(again.page)).includes('split=ngl:40'));
  await again.page.selectOption('#ram-kind', 'none');
  await again.page.waitForFunction(() => !location.hash.includes('ram='));
  assert.equal((await rows(again.page))[0].verdict, 'Does not fit');
  await again.context.close();
});

test('two RTX 4090s by layers: each card holds its layers, and the page says so per card', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-70b@q4_k_m&budget=rtx-4090&rt=512MiB');
  await type(page, '#cards', '2');
  await page.waitForFunction(() => location.hash.includes('cards=2'));
  await page.selectOption('#cards-mode', 'pp');
  await page.waitForFunction(() => location.hash.includes('cards=2:pp'));
  assert.equal((await rows(page))[0].verdict, 'Fits');
  assert.match(await page.textContent('.row-notes'),
    /By layers over 2 cards \(llama\.cpp --split-mode layer\): card 1 holds 41 layers and its runtime, 23\.52 GB; card 2 holds 39 layers and its runtime, 22\.75 GB\. Each card has 25\.76 GB/);
  assert.doesNotMatch(await page.textContent('.row-notes'), /tensor-parallel/);
  assert.match(await page.textContent('.summary-budget'), /2 × RTX 4090 24 GB \(25\.76 GB\), by layers/);
  await context.close();
});

test('best for the budget with RAM: a speed floor typed in drops the slow split models', async () => {
  const { page } = await open('#v=1&m=llama-3.1-8b@bf16&budget=rtx-4090&ram=64GB@ddr5-6000-2ch&rt=512MiB');
  const best = () => page.$$eval('#best-table tbody tr', (trs) => trs.map((tr) => tr.querySelector('td .sub').textContent));
  await page.locator('#best-table').scrollIntoViewIfNeeded();
  const open_ = await best();
  // Without a floor a 70B-class model split with RAM under 5 tok/s comes first.
  const first = /in RAM, ≤ ([\d.]+) tok\/s$/.exec(open_[0]);
  assert.ok(first && Number(first[1]) < 5, open_[0]);
  // Rows on the GPU alone say their decode bound too.
  assert.ok(open_.some((s) => /^fits, ≤ \d+ tok\/s$/.test(s)), open_.join(' | '));
  await type(page, '#best-tps', '10');
  await page.waitForFunction(() => location.hash.includes('tps=10'));
  await page.waitForFunction((before) => document.querySelector('#best-table tbody tr td .sub').textContent !== before, open_[0]);
  const fast = await best();
  assert.ok(fast.length > 0);
  for (const s of fast) {
    const tps = Number(/≤ ([\d.]+) tok\/s$/.exec(s)[1]);
    assert.ok(tps >= 10, s);
  }
  // A word is refused with its message, and the floor stays.
  await type(page, '#best-tps', 'fast');
  assert.match(await page.textContent('#best-tps-error'), /“fast” is not a whole number/);
  assert.ok((await page.evaluate(() => location.hash)).includes('tps=10'));
});
