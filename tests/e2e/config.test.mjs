// A model from its config.json: pasted, or fetched from the Hugging Face Hub (a local stand-in
// here, tests/e2e/hub-standin.mjs) only when asked. The layout goes into the link, so the link
// alone brings the same model back; a bad file or a failed fetch is a message, and nothing else
// changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, shots, open, rows, fragment, forgive } from './harness.mjs';
import { hubStandIn, hubOffline } from './hub-standin.mjs';

const config = (id) => readFileSync(join(root, 'tests/fixtures/configs', id, 'config.json'), 'utf8');
const added = (page) => page.waitForSelector('.src-added').then((e) => e.textContent());
const failed = (page) => page.waitForSelector('.src-outcome .error').then((e) => e.textContent());

test('a pasted config.json becomes a configuration, and its link brings it back without the file', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16');
  await page.click('.model-source > summary');
  await page.fill('#src-paste', config('qwen3-next-80b-a3b'));
  await page.getByRole('button', { name: 'Add this model' }).click();
  // 79,674,391,296 parameters and 3,874,929,408 active (hand sums in core::files::config's tests).
  assert.match(await added(page), /^Added as configuration 2, in BF16: qwen3_next: 79\.7B parameters, 48 layers; 3\.87B active$/);
  const two = await rows(page);
  assert.equal(two.length, 2);
  // Its KV cache by kind of layer at context 8,192: 12 full-attention layers keep 12 × 2 × 2 KV
  // heads × 256 × 2 bytes = 24,576 a token (201.3 MB), and 36 Gated DeltaNet layers a fixed
  // 36 × 2,195,456 = 79,036,416 bytes a sequence (hand sums in core::files::config's tests).
  const kv = await page.$$eval('.row-notes li', (lis) => lis.map((li) => li.textContent).filter((x) => x.includes('by kind of layer')));
  assert.deepEqual(kv, ['2KV cache by kind of layer: full attention (12 layers, 24.58 KB per token): 201.3 MB; linear-attention state (36 layers, 79.04 MB per sequence): 79.04 MB.']);
  await page.waitForFunction(() => location.hash.includes('-G16x32x128x128x4x4'));
  const link = await fragment(page);
  assert.match(link, /m=llama-3\.1-8b@bf16,arch-L48-H2048-/);
  await page.locator('.model-source').screenshot({ path: join(shots, 'config-pasted.png') });
  await context.close();
  const again = await open(`#${link}`);
  assert.deepEqual(await rows(again.page), two);
  await again.context.close();
});

test('a bad config.json is named and changes nothing', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16');
  const before = await fragment(page);
  await page.click('.model-source > summary');
  const bad = JSON.parse(config('llama-3.1-8b'));
  bad.num_hidden_layers = -3;
  await page.fill('#src-paste', JSON.stringify(bad));
  await page.getByRole('button', { name: 'Add this model' }).click();
  assert.match(await failed(page), /num_hidden_layers/);
  await page.fill('#src-paste', '{"model_type": "llama", "model_type": "qwen3"}');
  await page.getByRole('button', { name: 'Add this model' }).click();
  await page.waitForFunction(() => /model_type/.test(document.querySelector('.src-outcome .error')?.textContent ?? '')
    && /twice|duplicate/i.test(document.querySelector('.src-outcome .error').textContent));
  assert.equal((await rows(page)).length, 1);
  assert.equal(await fragment(page), before);
  await context.close();
});

test('a Hub id is fetched only on the click, from the Hub layout; gated, missing and offline are said', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16');
  const repos = { 'Qwen/Qwen3-8B': 'qwen3-8b', 'nvidia/Nemotron-H-8B-Base-8K': 'nemotron-h-8b' };
  const asked = await hubStandIn(page, repos, ['meta-llama/Llama-3.1-8B']);
  await page.click('.model-source > summary');
  await page.fill('#src-hub', 'https://huggingface.co/Qwen/Qwen3-8B');
  assert.deepEqual(asked, [], 'nothing is fetched before the click');
  await page.getByRole('button', { name: 'Fetch its config.json' }).click();
  assert.match(await added(page), /^Added as configuration 2, in BF16: qwen3: 8\.19B parameters, 36 layers$/);
  // Then, on the same click, its safetensors index: Qwen3-8B's published total_size,
  // 16,381,470,720 bytes, is its 8,190,735,360 parameters in BF16 to the byte.
  await page.getByText("The Hub's safetensors files hold 16.38 GB").waitFor();
  assert.match(await page.textContent('.src-hub-total'), /the weights counted here in BF16: 16\.38 GB \(\+0\.00 %\)\.$/);
  assert.deepEqual(asked, [
    'https://huggingface.co/Qwen/Qwen3-8B/resolve/main/config.json',
    'https://huggingface.co/Qwen/Qwen3-8B/resolve/main/model.safetensors.index.json',
  ]);
  assert.equal((await rows(page)).length, 2);
  // A hybrid without an index: added, and the missing index said. Its KV cache by kind of layer
  // at context 8,192: 4 attention layers keep 4 × 2 × 8 × 128 × 2 = 16,384 bytes a token, the
  // 24 Mamba layers 24 × (3 × 10,240 + 128 × 8,192) × 4 = 103,612,416 bytes a sequence (hand
  // sums in core::files::config's tests).
  await page.fill('#src-hub', 'nvidia/Nemotron-H-8B-Base-8K');
  await page.getByRole('button', { name: 'Fetch its config.json' }).click();
  await page.getByText('The Hub has no model.safetensors.index.json for it').waitFor();
  const kv = await page.$$eval('.row-notes li', (lis) => lis.map((li) => li.textContent).filter((x) => x.includes('Mamba state')));
  assert.equal(kv.length, 1);
  assert.match(kv[0], /full attention \(4 layers, 16\.38 KB per token\): 134\.2 MB; Mamba state \(24 layers, 103\.6 MB per sequence\): 103\.6 MB\.$/);
  assert.equal(asked.length, 4);
  assert.equal((await rows(page)).length, 3);
  await page.fill('#src-hub', 'meta-llama/Llama-3.1-8B');
  await page.getByRole('button', { name: 'Fetch its config.json' }).click();
  assert.match(await failed(page), /meta-llama\/Llama-3\.1-8B is gated: the Hub answers HTTP 401/);
  await page.fill('#src-hub', 'nobody/nothing');
  await page.getByRole('button', { name: 'Fetch its config.json' }).click();
  await page.getByText('The Hub has no nobody/nothing (HTTP 404)').waitFor();
  await page.fill('#src-hub', 'not an id');
  await page.getByRole('button', { name: 'Fetch its config.json' }).click();
  await page.getByText('is not a Hugging Face model id').waitFor();
  assert.equal(asked.length, 6);
  assert.equal((await rows(page)).length, 3);
  await context.close();

  const off = await open('#v=1&m=llama-3.1-8b@bf16');
  await hubOffline(off.page);
  await off.page.click('.model-source > summary');
  await off.page.fill('#src-hub', 'Qwen/Qwen3-8B');
  await off.page.getByRole('button', { name: 'Fetch its config.json' }).click();
  assert.match(await failed(off.page), /Could not reach the Hub for Qwen\/Qwen3-8B/);
  assert.equal((await rows(off.page)).length, 1);
  await off.context.close();
  // Chromium logs each failed request (401, 404, offline) on its own: provoked on purpose here.
  forgive(/Failed to load resource: (the server responded with a status of (401|404)|net::ERR_INTERNET_DISCONNECTED)/);
});
