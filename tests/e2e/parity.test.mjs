// The size-parity view per lever: a size from the link (par=24GB) or a configuration's weights
// (par=c1), every lever's rows best first, a bad value named without breaking the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { shots, open, fragment, eachLook, settledText } from './harness.mjs';

const table = (page) => page.$$eval('#par-table tbody tr', (trs) => trs.map((tr) => ({
  lever: tr.dataset.lever,
  title: tr.querySelector('th').textContent,
  loss: parseFloat(tr.querySelectorAll('td')[3].textContent),
})));

test('24 GB: every lever, best first, as core::parity computes it', async () => {
  const { page, context } = await open('#v=1&m=llama-2-13b@fp16+2:4,llama-2-7b@fp16&par=24GB');
  await page.locator('#par-table').scrollIntoViewIfNeeded();
  assert.equal(await page.textContent('.par-size'), '24.00 GB of weights');
  assert.equal(await page.inputValue('#par-target'), '24GB');
  const r = await table(page);
  assert.equal(r.length, 15);
  for (let i = 1; i < r.length; i++) assert.ok(r[i - 1].loss <= r[i].loss, `row ${i}: ${r[i - 1].loss} > ${r[i].loss}`);
  // The counts of core::parity's hand-checked test: 12B at BF16 (the student), 22.6B at Q8_0,
  // 19.4B at F16 2:4 (last: one-shot pruning costs most), Mixtral's shape at 12B total. Trained
  // on 20 tokens per parameter, the best is 3 to 4 bits per weight (Q3_K_M, then Q2_K, Q4_K_M).
  assert.equal(r[0].title, '49.4B @ Q3_K_M');
  assert.ok(r.findIndex((x) => x.title === '39.8B @ Q4_K_M') < r.findIndex((x) => x.title === '22.6B @ Q8_0'));
  assert.ok(r.some((x) => x.lever === 'distillation' && x.title === '12B @ BF16'));
  assert.ok(r.some((x) => x.lever === 'quantization' && x.title === '22.6B @ Q8_0'));
  assert.deepEqual(r.at(-1), { lever: 'pruning', title: '19.4B @ F16 · 2:4 sparse', loss: r.at(-1).loss });
  assert.ok(r.some((x) => x.lever === 'moe' && x.title === "MoE (Mixtral-8x7B's shape, scaled) @ BF16"));
  const moe = await page.$$eval('#par-table tr[data-lever="moe"]', (trs) => trs.map((t) => t.textContent));
  assert.ok(moe.some((t) => t.includes('12B total · 3.31B active')), moe.join('\n'));
  await page.locator('.parity-levers').screenshot({ path: join(shots, 'parity-24gb.png') });
  // The first configuration's size: its own published Wanda point is a row; the link drops the
  // default.
  await page.getByRole('button', { name: 'Configuration 1', exact: true }).click();
  await page.waitForFunction(() => !location.hash.includes('par='));
  await settledText(page, '.par-size', 'The weights of configuration 1, Llama-2-13B @ F16 · 2:4 sparse: 14.93 GB');
  const c1 = await table(page);
  assert.ok(c1.some((x) => x.title === 'published: Llama-2-13B @ F16 · 2:4 sparse'), c1.map((x) => x.title).join('\n'));
  assert.match(await page.textContent('#par-table tr.published'), /measured PPL/);
  // A typed size goes into the link; a bad one is named in the field and changes nothing.
  await page.fill('#par-target', '1.5TB');
  await page.waitForFunction(() => location.hash.includes('par=1.5TB'));
  await settledText(page, '.par-size', '1.50 TB of weights');
  await page.fill('#par-target', 'c7');
  await page.getByText('“c7” names no configuration: there are 2').waitFor();
  assert.ok((await fragment(page)).includes('par=1.5TB'));
  await context.close();
});

test('a bad par= is a notice; Chinese names the levers', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16&par=lots&lang=zh-CN');
  await page.locator('.notices').waitFor();
  assert.match(await page.textContent('.notices'), /大小“lots”不是/);
  assert.match(await page.textContent('.par-size'), /^配置 1（Llama-3\.1-8B @ BF16）的权重：16\.06 GB$/);
  const levers = await page.$$eval('#par-table tbody tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent));
  for (const l of ['量化', '剪枝', '蒸馏', '混合专家']) assert.ok(levers.includes(l), `${l} in ${levers}`);
  await page.locator('.parity-levers').screenshot({ path: join(shots, 'parity-zh.png') });
  await context.close();
});

test('the parity view fits a phone without sideways scrolling', async () => {
  await eachLook('#v=1&m=llama-3.1-8b@bf16&par=24GB', async (page) => {
    assert.equal((await table(page)).length, 15);
  });
});
