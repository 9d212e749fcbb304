// Several cards, tensor-parallel: what must fit is per card, and the page says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, rows, fragment } from './harness.mjs';

test('two RTX 4090s: Llama-3.1-70B at Q4_K_M fits per card, and the link keeps the cards', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-70b@q4_k_m&budget=rtx-4090&rt=512MiB');
  assert.match((await rows(page))[0].verdict, /Does not fit/);
  await page.click('#cards', { clickCount: 3 });
  await page.keyboard.type('2');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('cards=2'));
  assert.match((await rows(page))[0].verdict, /^Fits/);
  // With a fixed 512 MiB runtime (rt=512MiB): (42.51 GB of weights + 2.68 GB of KV cache) / 2 +
  // 512 MiB = 23.14 GB on each 25.76 GB card.
  assert.match(await page.textContent('.row-notes'),
    /Per card \(2 cards, tensor-parallel\): \(weights \+ KV cache\) \/ 2 \+ runtime = 23\.14 GB of 25\.76 GB; this is what must fit on each card\./);
  const link = await fragment(page);
  await context.close();
  const again = await open(`#${link}`);
  assert.equal(await again.page.inputValue('#cards'), '2');
  assert.match((await rows(again.page))[0].verdict, /^Fits/);
  await again.page.click('#cards', { clickCount: 3 });
  await again.page.keyboard.type('0');
  await again.page.keyboard.press('Enter');
  await again.page.locator('#cards-error').waitFor();
  assert.ok((await fragment(again.page)).includes('cards=2'), 'a bad count changes nothing');
  await again.context.close();
});
