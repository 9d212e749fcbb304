// End-to-end tests of "Your own tensors": fixtures from scripts/fixtures/files_gen.sh, a broken
// file, and a generated 1 GiB safetensors file (sparse, in the system's temp folder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openSync, writeSync, ftruncateSync, closeSync, rmSync, readFileSync } from 'node:fs';
import { root, shots, open } from './harness.mjs';

const fixture = (name) => join(root, 'tests/fixtures/files', name);

// Whether an element lies wholly inside the viewport.
const inView = (locator) => locator.evaluate((e) => {
  const r = e.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;
});

test('a GGUF file is listed from its header and a tensor is quantized in the worker', async () => {
  const { page, context } = await open('#v=1&m=8B@q8_0&lab.formats=q8_0,q4_0,q4_k,bf16');
  assert.match(await page.textContent('.dropzone'), /No file open/);
  await page.setInputFiles('#file-input', fixture('small_v3.gguf'));
  await page.waitForFunction(() => document.querySelectorAll('#file-tensors tbody tr').length === 6);
  // The box names the open file (the native input, cleared so the file can be picked again, would not).
  assert.equal(await page.textContent('.dropzone .file-name'), 'Open: small_v3.gguf');
  assert.match(await page.textContent('.file-summary'), /small_v3\.gguf — GGUF v3 · 6 tensors · 23\.6K values · 39\.71 KB file \(header 928 B\)/);
  // The file's model: every format's bytes for its tensors (GGUF general.file_type is not set here).
  assert.match(await page.textContent('.file-model summary'), /23\.6K parameters in 6 tensors; 1 layer/);
  assert.ok(await page.locator('#file-footprint tbody tr').count() > 30);
  assert.match(await page.textContent('.file-model .stored'), /^As stored: 38\.78 KB \(38,784 bytes of tensors\)$/);
  const row = page.locator('#file-tensors tbody tr', { hasText: 'blk.0.ffn_down.weight' });
  assert.match(await row.textContent(), /64 × 128Q8_0/);
  await row.getByRole('button', { name: 'Quantize blk.0.ffn_down.weight' }).click();
  const result = page.locator('.tensor-result', { hasText: 'blk.0.ffn_down.weight' });
  await result.locator('tr[data-format="bf16"]').waitFor();
  // The result is brought into view, not left under the fold below the file's model.
  assert.ok(await inView(result.locator('h3')), 'the result’s heading is in view');
  assert.ok(await inView(result.locator('tbody tr').first()), 'its first row is in view');
  // Q8_0 data quantized again as Q8_0 is exact; rows of 128 cannot take Q4_K's 256-element blocks.
  assert.equal(await result.locator('tr[data-format="q8_0"] .sqnr').textContent(), '∞ dB (exact)');
  assert.match(await result.locator('tr[data-format="q4_0"] .sqnr').textContent(), /^\d\d\.\d\d dB$/);
  assert.match(await result.textContent(), /Skipped: q4_k \(Q4_K needs rows that are a multiple of 256/);
  // A sample of one tensor per class: embedding, attention, FFN, norms (no output head here).
  await page.click('#file-sample');
  await page.waitForFunction(() => document.querySelectorAll('.tensor-result').length === 4 && !document.querySelector('.file-progress'));
  const titles = await page.$$eval('.tensor-result h3', (hs) => hs.map((h) => h.textContent).sort());
  assert.deepEqual(titles, ['blk.0.attn_q.weight · 64 × 64', 'blk.0.ffn_down.weight · 64 × 128', 'output_norm.weight · 64', 'token_embd.weight · 16 × 64']);
  await (await page.$('.files')).screenshot({ path: join(shots, 'files-gguf.png') });
  // The file's model joins the comparison by its sizes, and its link works without the file.
  await page.click('#file-add');
  await page.waitForFunction(() => document.querySelectorAll('.results tbody tr').length === 2);
  assert.match(await page.textContent('.results tbody tr[data-row="2"] th'), /Custom 1-layer model \(38K\) @ BF16/);
  const link = page.url();
  assert.match(link, /m=8B@q8_0,arch-L1-H64-A4-K2-D16-F128-V16-T1-C2048-N1@bf16/);
  await page.goto('about:blank');
  await page.goto(link);
  await page.waitForSelector('.results tbody tr[data-row="2"]');
  assert.match(await page.textContent('.results tbody tr[data-row="2"] th'), /Custom 1-layer model/);
  await context.close();
});

test('a file tensor is pruned at 2:4 along its rows and the pruned formats join its table and scatter', async () => {
  const { page, context } = await open('#v=1&m=8B@q8_0&lab.formats=q8_0,f16');
  await page.setInputFiles('#file-input', fixture('small_v3.gguf'));
  await page.waitForFunction(() => document.querySelectorAll('#file-tensors tbody tr').length === 6);
  await page.selectOption('#file-sparse', '2:4');
  assert.match(await page.textContent('.file-pruning'), /last dimension/);
  await page.getByRole('button', { name: 'Quantize blk.0.ffn_down.weight' }).click();
  const result = page.locator('.tensor-result', { hasText: 'blk.0.ffn_down.weight' });
  await page.waitForFunction(() => document.querySelectorAll('.tensor-result .lab-table tbody tr').length === 4 && !document.querySelector('.file-progress'));
  const ids = await result.locator('.lab-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.format));
  assert.deepEqual(ids, ['f16', 'q8_0', 'f16+2:4', 'q8_0+2:4']);
  const cells = (id) => result.locator(`tr[data-format="${id}"]`).evaluate((tr) => [...tr.children].map((c) => c.textContent));
  // Rows of 128 keep 64 values: FP16 2 bytes + 2 bits each = 9 bits a weight; Q8_0 two blocks of
  // 34 bytes + 16 bytes of positions a row = 5.25.
  assert.deepEqual((await cells('f16+2:4')).slice(0, 2), ['F16 · 2:4 sparse', '9.0000']);
  assert.deepEqual((await cells('q8_0+2:4')).slice(0, 2), ['Q8_0 · 2:4 sparse', '5.2500']);
  const sqnr = async (id) => parseFloat(await result.locator(`tr[data-format="${id}"] .sqnr`).textContent());
  assert.ok(await sqnr('f16+2:4') < await sqnr('f16'), 'half of each row gone costs more than the FP16 cast');
  // Q8_0 over Q8_0 data is exact (listed, not plotted); the other three are points.
  const titles = await result.locator('.file-scatter svg circle title').allTextContents();
  assert.equal(titles.length, 3, titles.join('\n'));
  assert.ok(titles.some((t) => t.startsWith('Q8_0 · 2:4 sparse: 5.250 bpw')), titles.join('\n'));
  await (await page.$('.files')).screenshot({ path: join(shots, 'files-pruned.png') });
  await context.close();
});

test('on a phone too, a row’s Quantize shows its result in view', async () => {
  const { page, context } = await open('#v=1&m=8B@q8_0&lab.formats=q8_0,q4_0', { viewport: { width: 390, height: 844 } });
  await page.setInputFiles('#file-input', fixture('small.safetensors'));
  await page.waitForFunction(() => document.querySelectorAll('#file-tensors tbody tr').length === 6);
  assert.match(await page.textContent('.dropzone .file-name'), /small\.safetensors/);
  const name = await page.textContent('#file-tensors tbody tr:last-child .tensor-name');
  await page.getByRole('button', { name: `Quantize ${name}` }).click();
  const result = page.locator('.tensor-result', { hasText: name });
  await result.locator('tr[data-format="q4_0"]').waitFor();
  assert.ok(await inView(result.locator('h3')), 'the result’s heading is in view');
  assert.ok(await inView(result.locator('tbody tr').first()), 'its first row is in view');
  await page.screenshot({ path: join(shots, 'files-result-390.png') });
  await context.close();
});

test('a file dropped on the box opens like a picked one', async () => {
  const { page, context } = await open('#v=1&m=8B@bf16');
  const b64 = readFileSync(fixture('f16_v1.npy')).toString('base64');
  await page.evaluate((data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'dropped.npy'));
    const zone = document.querySelector('.dropzone');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, b64);
  await page.waitForFunction(() => document.querySelectorAll('#file-tensors tbody tr').length === 1);
  assert.match(await page.textContent('.file-summary'), /^dropped\.npy — \.npy v1 · 1 tensor · 256 values/);
  assert.equal(await page.textContent('.dropzone .file-name'), 'Open: dropped.npy');
  assert.match(await page.textContent('#file-tensors tbody tr'), /4 × 64<f2/);
  await context.close();
});

test('a broken file gets a clear message and the rest of the page keeps working', async () => {
  const { page, context } = await open('#v=1&m=8B@bf16');
  for (const [file, text] of [
    ['bad_safetensors_duplicate_name.safetensors', 'appears twice'],
    ['bad_gguf_string_length.gguf', 'longer than the file'],
    ['bad_npy_bad_magic.npy', 'not a safetensors, GGUF or .npy file'],
    ['bad_gguf_truncated.gguf', 'the file ends inside its header'],
    ['bad_safetensors_truncated.safetensors', 'past the end of the file'],
    ['bad_npy_truncated.npy', 'truncated'],
  ]) {
    await page.setInputFiles('#file-input', fixture(file));
    // Every message names the file it is about.
    const alert = page.locator('.files [role="alert"]', { hasText: file });
    await alert.waitFor({ timeout: 5000 });
    const said = await alert.textContent();
    assert.ok(said.startsWith(`“${file}”: `) && said.includes(text), said);
    assert.equal(await page.locator('#file-tensors').count(), 0);
  }
  await page.fill('#count-1', '13B');
  await page.waitForFunction(() => location.hash.includes('m=13B@bf16'));
  assert.equal(await page.textContent('.results tbody tr [data-label="Weights"] .num'), '26.00 GB');
  await context.close();
});

test('a 1 GiB safetensors file is listed at once; a 16 Mi-element tensor from it is quantized with progress', async () => {
  // Header, then a 16 Mi-element F16 tensor of real values, then a 1 GiB BF16 tensor left sparse.
  const small = 4096 * 4096;
  const header = JSON.stringify({
    'model.layers.0.mlp.up_proj.weight': { dtype: 'F16', shape: [4096, 4096], data_offsets: [0, small * 2] },
    'model.layers.0.mlp.big.weight': { dtype: 'BF16', shape: [16384, 32768], data_offsets: [small * 2, small * 2 + 2 ** 30] },
  });
  const path = join(tmpdir(), `bitbudget-1gib-${process.pid}.safetensors`);
  const fd = openSync(path, 'w');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  writeSync(fd, len);
  writeSync(fd, header);
  const data = Buffer.alloc(small * 2);
  let s = 12345;
  for (let i = 0; i < small; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    // f16 bits of a value in ±(0.5 … 1): sign, exponent 14, random mantissa.
    data.writeUInt16LE(((s >>> 31) << 15) | (14 << 10) | ((s >>> 5) & 0x3ff), i * 2);
  }
  writeSync(fd, data);
  ftruncateSync(fd, 8 + header.length + small * 2 + 2 ** 30);
  closeSync(fd);
  try {
    const { page, context } = await open('#v=1&m=8B@q8_0&lab.formats=q8_0,q4_0');
    const t0 = Date.now();
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction(() => document.querySelectorAll('#file-tensors tbody tr').length === 2);
    console.log(`# 1 GiB safetensors listed in ${Date.now() - t0} ms (setInputFiles to rows shown)`);
    assert.match(await page.textContent('.file-summary'), /2 tensors · 554M values · 1\.11 GB file/);
    const big = page.locator('#file-tensors tbody tr', { hasText: 'big.weight' });
    assert.match(await big.textContent(), /over 64 Mi elements/);
    await page.getByRole('button', { name: 'Quantize model.layers.0.mlp.up_proj.weight' }).click();
    await page.locator('.file-progress .progress-text', { hasText: /^(Reading|Quantizing) “model\.layers\.0\.mlp\.up_proj\.weight”/ }).waitFor();
    const result = page.locator('.tensor-result', { hasText: 'up_proj' });
    await result.locator('tr[data-format="q4_0"]').waitFor({ timeout: 120000 });
    assert.match(await result.locator('tr[data-format="q8_0"] .sqnr').textContent(), /^\d\d\.\d\d dB$/);
    assert.equal(await page.locator('.file-progress').count(), 0);
    await context.close();
  } finally {
    rmSync(path, { force: true });
  }
});
