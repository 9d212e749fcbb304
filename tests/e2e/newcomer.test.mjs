// What a newcomer hits with the controls (not links): training mode in every view, half-typed
// values, clipped verdicts and tooltips at four widths, the slider on a preset, typing a budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { shots, open, rows, fragment } from './harness.mjs';

const loss = (page, row) => page.textContent(`.results tbody tr[data-row="${row}"] [data-label="Predicted loss"] .num`);
const total = (page, row) => page.textContent(`.results tbody tr[data-row="${row}"] [data-label="Total"] .num`);

test('training mode: the chart, best for my budget and the same-size family count what the table counts', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@q4_k_m&budget=rtx-4090');
  await page.selectOption('#mode', 'train');
  await page.waitForFunction(() => location.hash.includes('mode=train'));
  const [row] = await rows(page);
  // Full fine-tuning holds BF16 weights: the title says so, and 16 bits per parameter agree.
  assert.equal(row.title, 'Llama-3.1-8B @ BF16, trained for Q4_K_M');
  assert.equal(row.verdict, 'Does not fit');
  const t = await total(page, 1);
  await page.locator('.marker-pt[data-config="1"]').hover();
  const tip = await page.textContent('.chart-tip');
  assert.ok(tip.startsWith('Llama-3.1-8B @ BF16, trained for Q4_K_M'), tip);
  assert.ok(tip.includes(`Memory ${t}`) && tip.includes('does not fit'), `${t}: ${tip}`);
  // Nothing listed as fitting a 24 GB card trains in more than 24 GB, and Qwen3-30B-A3B does not.
  const best = await page.$$eval('#best-table tbody tr', (trs) => trs.map((tr) => tr.querySelector('th').textContent));
  assert.ok(!best.some((b) => b.startsWith('Qwen3-30B-A3B')), best.join(' | '));
  const parity = await page.$$eval('#parity-table tbody th', (ths) => ths.map((th) => th.textContent));
  assert.equal(parity[0], 'Llama-3.1-8B @ BF16, trained for Q4_K_M');
  await context.close();
});

test('a half-typed value is never applied: the link keeps the last committed value', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16&ctx=8192');
  const before = await fragment(page);
  await page.click('#ctx-1', { clickCount: 3 });
  await page.keyboard.type('200000000');
  await page.keyboard.press('Enter');
  await page.locator('#ctx-1-error').waitFor();
  const error = await page.textContent('#ctx-1-error');
  assert.match(error, /The results still use 8192\./);
  await page.waitForTimeout(1200); // past the pause that would commit a valid text
  assert.equal(await fragment(page), before, 'no prefix of 200000000 reached the link');
  await page.click('#ctx-1', { clickCount: 3 });
  await page.keyboard.type('1e12');
  await page.keyboard.press('Tab');
  await page.locator('#ctx-1-error').waitFor();
  assert.equal(await fragment(page), before);
  assert.equal((await rows(page))[0].kv, '1.07 GB');
  // A valid value commits on Enter, and after a reload it is still there.
  await page.click('#ctx-1', { clickCount: 3 });
  await page.keyboard.type('4096');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('ctx=4096'));
  await page.reload();
  await page.waitForSelector('.results tbody tr');
  assert.equal(await page.inputValue('#ctx-1'), '4096');
  // Typing pauses commit too, once the text is valid (a typed count keeps the preset's layout).
  await page.click('#count-1', { clickCount: 3 });
  await page.keyboard.type('13B');
  await page.waitForFunction(() => location.hash.includes('m=llama-3.1-8b:13B@bf16'));
  await context.close();
});

const WIDTHS = [1280, 1024, 768, 390];
const LINKS = [
  '#v=1&m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16&budget=rtx-4090',
  '#v=1&m=llama-2-70b@q2_k,llama-2-13b@f16&ctx=512',
  '#v=1&m=llama-2-13b@f16+2:4,llama-2-7b@f16&budget=phone-8gb',
  '#v=1&m=llama-3.1-8b@q4_k_m&mode=train&budget=rtx-4090',
];

test('nothing is clipped at 1280, 1024, 768 and 390 px: verdicts, table cells, chart tooltips', async () => {
  for (const width of WIDTHS) {
    for (const link of LINKS) {
      const { page, context } = await open(link, { viewport: { width, height: 900 } });
      // After a slider step, as a newcomer would.
      await page.focus('#slider-1');
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(300);
      const cut = await page.evaluate(() => {
        const out = [];
        const wrap = document.querySelector('.results .table-wrap');
        const box = wrap.getBoundingClientRect();
        if (wrap.scrollWidth > wrap.clientWidth + 1) out.push(`table ${wrap.scrollWidth} > ${wrap.clientWidth}`);
        for (const el of document.querySelectorAll('.results .verdict, .results td .sub, .results td .num, .results tbody th')) {
          const b = el.getBoundingClientRect();
          if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline') out.push(`${el.textContent.slice(0, 30)}: ${el.scrollWidth} > ${el.clientWidth}`);
          if (b.right > box.right + 1 || b.left < box.left - 1) out.push(`${el.textContent.slice(0, 30)}: outside the table`);
        }
        return out;
      });
      assert.deepEqual(cut, [], `${width} px ${link}`);
      for (const marker of ['.marker-pt >> nth=0', '.marker-pt >> nth=-1']) {
        await page.locator(marker).hover();
        const tip = await page.locator('.chart-tip').boundingBox();
        assert.ok(tip.x >= 0 && tip.x + tip.width <= width, `${width} px ${link}: tooltip ${tip.x}..${tip.x + tip.width}`);
      }
      if (link === LINKS[0]) await (await page.$('.results')).screenshot({ path: join(shots, `results-${width}.png`) });
      await context.close();
    }
  }
});

test('the slider keeps the preset: five steps right and five left come back to it, same loss', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-70b@q4_k_m');
  const home = await loss(page, 1);
  await page.focus('#slider-1');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => location.hash.includes('m=llama-3.1-70b:71.1B@q4_k_m'));
  // Off the preset it keeps the layout and the 15T tokens: the loss moves a little, not 0.027.
  const step = Number(await loss(page, 1));
  assert.ok(step < Number(home) && Number(home) - step < 0.002, `${home} → ${step}`);
  assert.match(await page.textContent('.row-notes'), /Llama-3\.1-70B's layout, scaled to 71\.1B parameters .* its training tokens \(15T\) are kept/);
  assert.equal(await page.inputValue('#model-1'), 'scaled');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => location.hash.includes('m=llama-3.1-70b@q4_k_m'));
  assert.equal(await loss(page, 1), home);
  assert.equal(await page.inputValue('#model-1'), 'llama-3.1-70b');
  assert.equal(await page.inputValue('#count-1'), '70.6B');
  // "Custom count" leaves the preset for a raw count of the same size.
  await page.selectOption('#model-1', 'custom');
  await page.waitForFunction(() => /m=70\.\d+B@q4_k_m|m=70553706496@q4_k_m/.test(location.hash));
  await context.close();
});

test('typing a size while a device is selected switches the budget to that size', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16&budget=rtx-4090');
  assert.equal(await page.inputValue('#budget-device'), 'rtx-4090');
  assert.equal(await page.isDisabled('#budget-size'), false);
  await page.fill('#budget-size', '48GB');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('budget=48GB'));
  assert.equal(await page.inputValue('#budget-device'), 'custom');
  await context.close();
});
