// The longest context that fits: typed as `max` in a configuration's context field, kept in the
// link, resolved to the largest context whose weights, KV cache and runtime fit the budget, and
// said under the table (with whether the budget or the trained context decides).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, rows, fragment } from './harness.mjs';

test('context max: the largest context that fits, in the results, the link and a reload', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16&budget=24GB&rt=512MiB');
  await page.click('#ctx-1', { clickCount: 3 });
  await page.keyboard.type('max');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('ctx=max'));
  // With a fixed 512 MiB runtime (rt=512MiB), 16,597,393,408 bytes before any context and
  // 131,072 a token: 56,477 tokens fit 24 GB, and
  // their KV cache is 56,477 × 131,072 = 7,402,553,344 bytes.
  const notes = await page.textContent('.row-notes');
  assert.match(notes, /Largest context that fits 24\.00 GB: 56,477 tokens \(batch 1\)\. Context is max: these figures are at 56,477 tokens\./);
  assert.equal((await rows(page))[0].kv, '7.40 GB');
  assert.equal(await page.inputValue('#ctx-1'), 'max');
  const link = await fragment(page);
  await context.close();
  const again = await open(`#${link}`);
  assert.equal((await rows(again.page))[0].kv, '7.40 GB');
  assert.equal(await again.page.inputValue('#ctx-1'), 'max');
  // In 80 GB all 131,072 trained tokens fit: the trained context decides, and the page says so.
  await again.page.goto(again.page.url().replace('budget=24GB', 'budget=80GB'));
  await again.page.getByText('all 131,072 tokens it was trained for; the trained context decides, not the budget').first().waitFor();
  await again.context.close();
});

test('Apple silicon: the budget is the GPU share of unified memory, said beside the total', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@q8_0&budget=mac-16gb');
  // 2/3 of 16 GiB: 11,453,246,122 bytes (Metal's 10,922.67 MiB), of 17,179,869,184.
  assert.match(await page.textContent('.unified-note'), /lets the GPU wire 11\.45 GB of the 17\.18 GB .* sudo sysctl iogpu\.wired_limit_mb=N/);
  assert.equal(await page.textContent('#budget-device option:checked'), 'Apple M4, 16 GB · 120 GB/s');
  assert.match(await page.textContent('.row-notes'), /Largest context that fits 11\.45 GB: /);
  await context.close();
});
