// End-to-end tests of training mode, decode-speed bounds and device counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { shots, open } from './harness.mjs';

const cell = (page, label) => page.textContent(`.results tbody tr[data-row="1"] [data-label="${label}"] .num`);

test('a training link for Llama-3.1-8B with mixed-precision Adam shows 128.5 GB of model states plus activations', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16&ctx=4096&batch=1&mode=train&opt=mixed&zero=0&gpus=1&rt=512MiB');
  assert.equal(await cell(page, 'Weights'), '16.06 GB');
  assert.equal(await cell(page, 'Gradients + optimizer'), '112.4 GB');
  assert.match(await page.textContent('.results tbody tr .model-states'), /^128\.5 GB of model states$/);
  // Activations: 32 layers × 4096·4096·(34 + 5·32·4096/4096) bytes = 104,152,956,928 without
  // checkpointing; total = 128,484,179,968 + that + 512 MiB of runtime (rt=512MiB, fixed).
  assert.equal(await cell(page, 'Activations'), '104.2 GB');
  assert.equal(await cell(page, 'Total'), '233.2 GB');
  await page.check('#train-ckpt');
  await page.waitForFunction(() => location.hash.includes('ckpt=1'));
  // 32 layer inputs (2·4096·4096 bytes each) plus one layer rebuilt: 4,328,521,728.
  assert.equal(await cell(page, 'Activations'), '4.33 GB');
  await page.selectOption('#train-zero', '3');
  await page.fill('#train-gpus', '8');
  await page.waitForFunction(() => location.hash.includes('zero=3&gpus=8'));
  assert.equal(await cell(page, 'Weights'), '2.01 GB');
  await page.selectOption('#train-method', 'qlora');
  await page.waitForFunction(() => location.hash.includes('method=qlora'));
  assert.match(await page.textContent('.results tbody tr .model-states'), /GB of model states|MB of model states/);
  await (await page.$('main')).screenshot({ path: join(shots, 'training.png') });
  await page.selectOption('#mode', 'infer');
  await page.waitForFunction(() => !location.hash.includes('mode=train'));
  assert.equal(await cell(page, 'KV cache'), '536.9 MB');
  await context.close();
});

test('inference on a device shows the decode bound and how many devices it needs', async () => {
  const { page, context } = await open();
  // 1008e9 / (15,009,857,536 weight bytes a token reads, one embedding row among them, + the
  // 1,073,741,824-byte KV cache) = 62.7 (core::view::report's decode_speed_and_devices).
  assert.match(await page.textContent('.results tbody tr[data-row="2"] .speed'), /^decode ≤ 63 tok\/s on RTX 4090 24 GB \(1008 GB\/s\)$/);
  assert.match(await page.textContent('.results tbody tr[data-row="1"] .devices'), /^needs 2 × RTX 4090 24 GB/);
  assert.match(await page.textContent('#budget-device option[value="h100-80gb"]'), /3350 GB\/s/);
  await context.close();
});
