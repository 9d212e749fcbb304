// The claim checker reads the paragraph that sends people to the page (issue 23, items 8 and 9):
// typed on the Chinese page it gives each model's size, family and a verdict on the size the
// paragraph states; the claim rides in the link (a fresh browser restores it); the same in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, fragment, shots } from './harness.mjs';

const PARAGRAPH_ZH = '一个原始有 100B 参数的 BERT 模型 (大参数),经过低比特量化(如 INT8)后,其模型文件大小可能只有几十 GB。'
  + '而另一个原本就很小、只有 1-2B 参数但精度很高的"学生"BERT 模型,在进行知识蒸馏训练并在部署时使用 FP16 推理的情况下,'
  + '其模型文件大小也可能在几十 GB 左右。';
const PARAGRAPH_EN = 'A 100B-parameter BERT quantized to INT8 is tens of GB; a 1-2B student at FP16 is also tens of GB.';

const texts = (page, sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent));

// Waits for two models' stated-size verdicts and returns what the checker shows.
async function result(page) {
  await page.waitForFunction(() => document.querySelectorAll('.claim-stated').length === 2);
  return {
    sizes: await texts(page, '.claim-size'),
    family: await texts(page, '.claim-family'),
    stated: await texts(page, '.claim-stated'),
    wrong: await page.locator('.claim-stated.bad-text').count(),
    verdict: await page.textContent('.claim-verdict'),
  };
}

// The claim's value in the page's link, decoded.
const claimIn = (link) => {
  const pair = link.split('&').find((p) => p.startsWith('claim='));
  return pair === undefined ? undefined : decodeURIComponent(pair.slice('claim='.length));
};

const ZH = {
  sizes: ['100B BERT @ INT8 per-channel：权重 103.0 GB', '1–2B BERT @ F16：权重 2.00–4.00 GB'],
  stated: [
    '100B BERT @ INT8 per-channel：103.0 GB，不是“几十 GB”（10–100 GB）。',
    '1–2B BERT @ F16：2.00–4.00 GB，不是“几十 GB”（10–100 GB）。',
  ],
  verdict: '不一样大：大的是小的 25.8–51.5 倍。',
};

test('the Chinese paragraph gets a verdict per model, and its link restores it', async () => {
  const { page, context } = await open('#v=1&lang=zh-CN&m=llama-3.1-8b@bf16');
  // The example is shown, and not written into the link.
  assert.equal(await page.inputValue('#claim'), '100B INT8 和 2B FP16 的学生模型差不多大');
  assert.equal(claimIn(await fragment(page)), undefined);
  await page.fill('#claim', PARAGRAPH_ZH);
  const r = await result(page);
  assert.deepEqual(r.sizes, ZH.sizes);
  assert.deepEqual(r.stated, ZH.stated);
  assert.equal(r.wrong, 2, 'both stated sizes are marked wrong');
  assert.equal(r.verdict, ZH.verdict);
  assert.equal(r.family.length, 2);
  assert.equal(r.family[0], '没有 100B 参数的 BERT 模型：最大的 BERT-large (uncased) 只有 336M 参数，100B 是假设的参数量。');
  assert.match(r.family[1], /^没有 1–2B 参数的 BERT 模型：最大的 BERT-large \(uncased\)/);
  assert.match(await page.textContent('.claim-result'), /字节数按 Llama-3\.1-70B 的结构等比缩放到 100B 参数计算。/);
  await page.locator('.claim').screenshot({ path: join(shots, 'claim-zh.png') });

  // The link holds the paragraph (after the write's pause), percent-encoded.
  await page.waitForFunction(() => location.hash.includes('&claim='));
  const link = await fragment(page);
  assert.equal(claimIn(link), PARAGRAPH_ZH);
  assert.match(link, /&claim=[A-Za-z0-9%._~-]+($|&)/);
  await context.close();

  // A fresh browser given the link shows the same claim and the same verdicts.
  const again = await open(`#${link}`);
  assert.equal(await again.page.inputValue('#claim'), PARAGRAPH_ZH);
  const back = await result(again.page);
  assert.deepEqual([back.sizes, back.stated, back.verdict], [ZH.sizes, ZH.stated, ZH.verdict]);

  // In English the typed claim stays and its verdicts are written in English.
  await again.page.selectOption('#lang', 'en');
  await again.page.waitForFunction(() => document.querySelector('.claim-verdict')?.textContent.startsWith('Not the same size'));
  const en = await result(again.page);
  assert.deepEqual(en.stated, [
    '100B BERT @ INT8 per-channel: 103.0 GB, not “几十 GB” (10–100 GB).',
    '1–2B BERT @ F16: 2.00–4.00 GB, not “几十 GB” (10–100 GB).',
  ]);
  assert.equal(en.verdict, 'Not the same size: the larger is 25.8–51.5× the smaller.');
  await again.context.close();
});

test('the English paragraph gets the same verdicts; the example is not in the link', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16');
  await page.fill('#claim', PARAGRAPH_EN);
  const r = await result(page);
  assert.deepEqual(r.sizes, ['100B BERT @ INT8 per-channel: 103.0 GB of weights', '1–2B @ F16: 2.00–4.00 GB of weights']);
  assert.deepEqual(r.stated, [
    '100B BERT @ INT8 per-channel: 103.0 GB, not “tens of GB” (10–100 GB).',
    '1–2B @ F16: 2.00–4.00 GB, not “tens of GB” (10–100 GB).',
  ]);
  assert.deepEqual(r.family, [
    'No BERT model has 100B parameters: the largest, BERT-large (uncased), has 336M, so 100B is a hypothetical count.',
  ]);
  assert.equal(r.verdict, 'Not the same size: the larger is 25.8–51.5× the smaller.');
  await page.waitForFunction(() => location.hash.includes('&claim='));
  assert.equal(claimIn(await fragment(page)), PARAGRAPH_EN);
  await page.reload();
  await page.waitForSelector('.claim-stated');
  assert.equal(await page.inputValue('#claim'), PARAGRAPH_EN);
  // Typing the example again takes the key out of the link.
  await page.fill('#claim', '100B at INT8 and a 2B student at FP16 are about the same size');
  await page.waitForFunction(() => !location.hash.includes('claim='));
  await context.close();
});

test('an over-long claim in the link is a notice, and the example is shown', async () => {
  const { page, context } = await open(`#v=1&m=llama-3.1-8b@bf16&claim=${'x'.repeat(501)}`);
  await page.locator('.notices').waitFor();
  assert.match(await page.textContent('.notices'),
    /The claim in the link is 501 characters long, over the 500 the page reads; using the example/);
  assert.equal(await page.inputValue('#claim'), '100B at INT8 and a 2B student at FP16 are about the same size');
  await context.close();
});
