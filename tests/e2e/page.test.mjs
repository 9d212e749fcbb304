// End-to-end tests of the release page in headless Chromium (see harness.mjs): the footprint
// calculator, the link, the lab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dist, shots, open, rows, fragment, eachLook } from './harness.mjs';
import { fullPageShot } from './full-shot.mjs';

test('no fragment shows the defaults and writes them to the URL', async () => {
  const { page, context } = await open();
  const r = await rows(page);
  assert.equal(r.length, 2);
  assert.equal(r[0].title, 'Llama-3.1-70B @ Q4_K_M');
  assert.equal(r[1].title, 'Llama-3.1-8B @ BF16');
  assert.equal(r[1].weights, '16.06 GB');
  assert.equal(r[0].verdict, 'Does not fit');
  assert.equal(r[1].verdict, 'Fits');
  assert.equal(await fragment(page),
    'v=1&m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16&ctx=8192&batch=1&kv=f16&budget=rtx-4090&rt=llama.cpp');
  assert.equal(await page.locator('.notices').count(), 0);
  await fullPageShot(page, join(shots, 'default-desktop-light.png'));
  await context.close();
});

test('typing a count changes the totals and the fragment; a reload restores them', async () => {
  const { page, context } = await open();
  const before = await rows(page);
  // Typed on a preset, the count keeps the preset's layout and tokens (it says so in the notes).
  await page.fill('#count-2', '13B');
  await page.waitForFunction(() => location.hash.includes('llama-3.1-8b:13B@bf16'));
  const after = await rows(page);
  assert.equal(after[1].title, 'Llama-3.1-8B scaled to 13B @ BF16');
  assert.notEqual(after[1].total, before[1].total);
  assert.equal(after[1].weights, '26.00 GB');
  const url = page.url();
  assert.match(url, /#v=1&m=llama-3\.1-70b@q4_k_m,llama-3\.1-8b:13B@bf16&/);
  await page.reload();
  await page.waitForSelector('.results tbody tr');
  assert.deepEqual(await rows(page), after);
  assert.equal(page.url(), url);
  await context.close();
});

test('the slider drives the count on a log scale', async () => {
  const { page, context } = await open('#v=1&m=7B@q4_0');
  await page.fill('#slider-1', '1000');
  await page.waitForFunction(() => location.hash.includes('m=2T@q4_0'));
  assert.equal(await page.inputValue('#count-1'), '2T');
  await page.fill('#slider-1', '0');
  await page.waitForFunction(() => location.hash.includes('m=1M@q4_0'));
  await page.focus('#slider-1');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => !location.hash.includes('m=1M@'));
  await context.close();
});

test('a link to Llama-3.1-8B in BF16 shows 16.06 GB of weights', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16');
  const r = await rows(page);
  assert.equal(r.length, 1);
  assert.equal(r[0].weights, '16.06 GB');
  assert.equal(r[0].kv, '1.07 GB');
  assert.equal(await page.getAttribute('.results tbody tr [data-label="Weights"]', 'title'), '16,060,522,496 bytes');
  await context.close();
});

test('a malformed fragment gives a visible message and a working page', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16,gpt-9@q4_0&ctx=abc&budget=-3GB&theme=dark');
  const notice = page.locator('.notices');
  await notice.waitFor();
  const text = await notice.textContent();
  for (const token of ['gpt-9', '“abc”', '-3GB', 'theme']) assert.ok(text.includes(token), `${token} in ${text}`);
  const r = await rows(page);
  assert.equal(r.length, 1);
  assert.equal(r[0].kv, '1.07 GB'); // ctx fell back to 8192
  await page.screenshot({ path: join(shots, 'malformed-link.png') });
  await page.fill('#ctx-1', '4096');
  await page.waitForFunction(() => location.hash.includes('ctx=4096'));
  assert.equal((await rows(page))[0].kv, '536.9 MB');
  await page.click('.notices button');
  assert.equal(await page.locator('.notices').count(), 0);
  await context.close();
});

test('invalid typing shows its message and keeps the last good value', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16');
  await page.fill('#count-1', '1e30');
  await page.locator('#count-1-error').waitFor();
  assert.match(await page.textContent('#count-1-error'), /100T/);
  assert.equal(await page.getAttribute('#count-1', 'aria-invalid'), 'true');
  assert.equal((await rows(page))[0].title, 'Llama-3.1-8B @ BF16');
  for (const bad of ['NaN', '-1', '0']) {
    await page.fill('#count-1', bad);
    await page.locator('#count-1-error').waitFor();
  }
  await page.fill('#ctx-1', '1099511627776');
  await page.locator('#ctx-1-error').waitFor();
  assert.match(await fragment(page), /m=llama-3\.1-8b@bf16&ctx=8192&/);
  await context.close();
});

test('configurations can be added, duplicated and removed; pickers edit them', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16');
  await page.click('button.add');
  await page.click('button[aria-label="Duplicate configuration 1"]');
  assert.equal((await rows(page)).length, 3);
  await page.selectOption('#model-2', 'mixtral-8x7b');
  await page.selectOption('#format-2', 'q4_k_m');
  await page.selectOption('#kv-3', 'q8_0');
  await page.fill('#batch-3', '4');
  await page.waitForFunction(() => location.hash.includes('batch.3=4'));
  assert.match(await fragment(page), /m=llama-3\.1-8b@bf16,mixtral-8x7b@q4_k_m,llama-3\.1-8b@bf16&.*kv\.3=q8_0/);
  await page.click('button[aria-label="Remove configuration 1"]');
  const r = await rows(page);
  assert.equal(r.length, 2);
  assert.equal(r[0].title, 'Mixtral-8x7B @ Q4_K_M');
  for (let i = 0; i < 8; i++) await page.click('button.add', { force: true }).catch(() => {});
  assert.equal((await rows(page)).length, 8);
  assert.ok(await page.isDisabled('button.add'));
  await context.close();
});

test('the budget decides what fits', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-70b@q4_k_m');
  assert.equal((await rows(page))[0].verdict, 'Does not fit');
  await page.selectOption('#budget-device', 'a100-80gb');
  assert.equal((await rows(page))[0].verdict, 'Fits');
  await page.selectOption('#budget-device', 'custom');
  await page.fill('#budget-size', '40GB');
  await page.waitForFunction(() => location.hash.includes('budget=40GB'));
  assert.equal((await rows(page))[0].verdict, 'Does not fit');
  await page.fill('#runtime', '0GB');
  await page.fill('#budget-size', '46GB');
  await page.waitForFunction(() => location.hash.includes('budget=46GB&rt=0GB'));
  assert.equal((await rows(page))[0].verdict, 'Fits');
  await context.close();
});

test('editing the URL by hand reloads the state; copy link copies it', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16', { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.evaluate(() => { location.hash = 'v=1&m=qwen2.5-7b@q8_0'; });
  await page.waitForFunction(() => document.querySelector('.results tbody th')?.textContent.includes('Qwen2.5-7B @ Q8_0'));
  await page.click('.share button');
  await page.getByText('Copied ✓').waitFor();
  // The address is rewritten at most once per pause in editing; copying writes it at once.
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.evaluate(() => location.href));
  assert.equal(await page.inputValue('#share-url'), copied);
  await context.close();
});

test('looks right at 390 px and in dark mode', async () => {
  await eachLook('', (page, look) => fullPageShot(page, join(shots, `default-${look}.png`)));
});

test('the lab quantizes 1 Mi Gaussian values in a worker; Q8_0 lands at 44–47 dB', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@q8_0&lab.formats=q8_0,q4_0,bf16,nf4');
  await page.click('#lab-run');
  await page.locator('.progress').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.lab-table tbody tr').length === 4 && !document.querySelector('.progress'),
    null, { timeout: 60000 });
  const sqnr = async (id) => parseFloat(await page.textContent(`.lab-table tr[data-format="${id}"] .sqnr`));
  const q8 = await sqnr('q8_0');
  assert.ok(q8 >= 44 && q8 <= 47, `Q8_0 SQNR ${q8}`);
  assert.ok(await sqnr('q4_0') < q8 && await sqnr('bf16') > q8);
  // The footprint row shows the measured SQNR of its format.
  assert.match(await page.textContent('.results tbody tr td.sqnr'), /^4[4-7]\.\d\d dB$/);
  assert.equal(await page.locator('.charts svg circle').count(), 4);
  await page.click('.lab-table tr[data-format="q4_0"] button');
  assert.match(await page.textContent('.charts figcaption >> nth=1'), /Q4_0/);
  await fullPageShot(page, join(shots, 'lab.png'));
  await context.close();
});

test('the lab can be cancelled and run again; its settings live in the link', async () => {
  const { page, context } = await open('#v=1&m=7B@q4_0');
  await page.selectOption('#lab-size', String(1 << 22));
  await page.selectOption('#lab-dist', 't3');
  await page.waitForFunction(() => location.hash.includes('lab.dist=t3&lab.n=4Mi'));
  await page.click('#lab-run');
  await page.locator('.progress').waitFor();
  await page.click('.lab-actions button.danger');
  await page.getByText('Cancelled.').waitFor();
  assert.equal(await page.locator('.progress').count(), 0);
  await page.selectOption('#lab-size', String(1 << 16));
  await page.click('#lab-run');
  await page.waitForFunction(() => !document.querySelector('.progress') && document.querySelectorAll('.lab-table tbody tr').length > 30,
    null, { timeout: 90000 });
  await context.close();
});

test('the release wasm is built with SIMD128', () => {
  const wasm = readdirSync(dist).find((f) => f.endsWith('.wasm'));
  const bytes = readFileSync(join(dist, wasm));
  const mod = new WebAssembly.Module(bytes);
  const features = WebAssembly.Module.customSections(mod, 'target_features');
  assert.equal(features.length, 1, 'target_features section present');
  assert.ok(Buffer.from(features[0]).includes('simd128'), 'simd128 in target_features');
});
