// Reach: the page in English and Simplified Chinese (switched, detected from the browser, kept in
// the link), driven by the keyboard alone, and checked by axe-core (from npm) in both themes and
// both languages with no serious or critical violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, shots, open, fragment, shownAsChosen } from './harness.mjs';
import { fullPageShot } from './full-shot.mjs';

const AXE = readFileSync(join(root, 'tests/e2e/node_modules/axe-core/axe.min.js'), 'utf8');
const LINK = '#v=1&m=llama-3.1-70b@q4_k_m,qwen3-30b-a3b@q4_k_m&budget=rtx-4090&lab.n=64Ki&lab.formats=q8_0,q4_0,nf4';

// axe's serious and critical findings, one line each.
async function axeProblems(page) {
  await page.evaluate(AXE); // evaluated through the DevTools protocol: the page's CSP allows no inline script
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

const LOOKS = [['en', 'light', 1280], ['en', 'dark', 1280], ['zh-CN', 'light', 1280], ['zh-CN', 'dark', 390]];
for (const [lang, scheme, width] of LOOKS) {
  test(`axe finds no serious violation: ${lang}, ${scheme}, ${width} px`, async () => {
    const viewport = { width, height: 900 };
    const { page, context } = await open(`${LINK}&lang=${lang}`, { colorScheme: scheme, viewport });
    await page.click('#lab-run');
    await page.waitForSelector('.block-table');
    await page.click('.results tbody tr[data-row="1"] th'); // nothing special: a click leaves the page valid
    await page.click('#method-title'); // its tables too: fits, held-out checks, bit widths
    await page.waitForSelector('.method .holdout');
    const problems = await axeProblems(page);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('the language switch translates the page and is kept in the link', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-70b@q4_k_m,8B@bf16&budget=rtx-4090');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('#results-title'), 'Memory needed');
  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => location.hash.includes('lang=zh-CN'));
  // The Chinese texts are fetched on first use (zh-CN.strings), then shown.
  await shownAsChosen(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.textContent('#results-title'), '所需内存');
  assert.equal(await page.textContent('#accuracy-title'), '大小与预期精度');
  assert.equal(await page.textContent('#explainer-title'), '这个取舍是怎么回事');
  const heads = await page.$$eval('.results thead th', (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(heads.slice(0, 3), ['配置', '参数量', '权重']);
  assert.equal(await page.$eval('.results tbody tr[data-row="2"] th', (th) => th.childNodes[1].textContent), '8B 参数 @ BF16');
  assert.equal(await page.textContent('.results tbody tr[data-row="1"] .verdict'), '放不下');
  // The numbers do not change with the language.
  assert.equal(await page.textContent('.results tbody tr[data-row="1"] [data-label="权重"] .num'), '42.51 GB');
  await fullPageShot(page, join(shots, 'zh-CN-desktop-light.png'));
  // A reload keeps it; English again drops the key.
  await page.reload();
  await page.waitForSelector('.results tbody tr');
  assert.equal(await page.textContent('#results-title'), '所需内存');
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => !location.hash.includes('lang='));
  assert.equal(await page.textContent('#results-title'), 'Memory needed');
  await context.close();
});

test('a browser that prefers Chinese gets Chinese; a link that says otherwise wins', async () => {
  const zh = await open('#v=1&m=8B@q4_0', { locale: 'zh-CN' });
  assert.equal(await zh.page.textContent('#results-title'), '所需内存');
  await zh.page.waitForFunction(() => location.hash.includes('lang=zh-CN'));
  await zh.context.close();
  const en = await open('#v=1&m=8B@q4_0&lang=en', { locale: 'zh-CN' });
  assert.equal(await en.page.textContent('#results-title'), 'Memory needed');
  await en.context.close();
  const tw = await open('#v=1&m=8B@q4_0', { locale: 'zh-TW' });
  assert.equal(await tw.page.textContent('#results-title'), 'Memory needed', 'Traditional Chinese is not taken for Simplified');
  await tw.context.close();
});

// Tab until the element matching `selector` has the focus; fails if it never does.
async function tabTo(page, selector, max = 150) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${selector} is not reachable with Tab`);
}

test('the main flow works with the keyboard alone', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16&budget=rtx-4090&lab.n=64Ki&lab.formats=q8_0,q4_0');
  // The skip link is the first stop and moves the focus to the results.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  const link = await fragment(page);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'results-title');
  assert.equal(await fragment(page), link, 'the skip link moves the focus, not the state');

  // Configuration 2: a count typed, committed with Enter; its format chosen with the arrows.
  await page.focus('#lang');
  await tabTo(page, '#count-2');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('13B');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('13B@bf16'));
  await tabTo(page, '#format-2');
  const before = await page.inputValue('#format-2');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((b) => document.querySelector('#format-2').value !== b, before);
  const fmt = await page.inputValue('#format-2');
  await page.waitForFunction((f) => location.hash.includes(`13B@${f}`), fmt);

  // The budget, by keyboard: a device picked with the arrows.
  await page.focus('#lang');
  await tabTo(page, '#budget-device');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => !location.hash.includes('budget=rtx-4090'));

  // A chart point: focused with Tab, chosen with Enter, which selects its row.
  await tabTo(page, '.marker-pt[data-config="2"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.results tbody tr[data-row="2"][aria-current="true"]');

  // The lab runs from the keyboard, and its results can be picked with it.
  await tabTo(page, '#lab-run');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.block-table');
  await tabTo(page, '#explain-format');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('.block-table caption').textContent.startsWith('Q4_0'));

  // The language, from the keyboard.
  await page.focus('#share-url');
  await page.focus('#lang');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.ok((await fragment(page)).includes('lang=zh-CN'));
  await context.close();
});

test('every control has a name a screen reader can read', async () => {
  const { page, context } = await open(LINK);
  const unnamed = await page.$$eval('input, select, button, [role="button"], [tabindex="0"]', (els) => els
    .filter((e) => {
      const id = e.id && document.querySelector(`label[for="${e.id}"]`);
      const wrapped = e.closest('label');
      const named = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || id || wrapped
        || (e.tagName === 'BUTTON' && e.textContent.trim());
      return !named;
    })
    .map((e) => e.outerHTML.slice(0, 120)));
  assert.deepEqual(unnamed, []);
  await context.close();
});
