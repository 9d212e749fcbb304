// Absurd links open to a working page with a message that says what was wrong: a 1 MB fragment,
// parameter counts of 0, -1, 1e30 and NaN, a context of 2^40, and 100 configurations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, rows } from './harness.mjs';

const CASES = [
  ['a 1 MB fragment', `v=1&m=8B@q8_0&x=${'a'.repeat(1 << 20)}`, /This link is 1,048,592 characters long; links of this page are under 8,192\. Showing the defaults\./],
  ['zero parameters', 'v=1&m=0@q4_0', /“0” is zero parameters: a model needs at least one/],
  ['-1 parameters', 'v=1&m=-1@q4_0', /“-1” is not a parameter count/],
  ['1e30 parameters', 'v=1&m=1e30@q4_0', /“1e30” is more than 100T parameters/],
  ['NaN parameters', 'v=1&m=NaN@q4_0', /“NaN” is neither a model preset nor a parameter count/],
  ['a context of 2^40', 'v=1&m=8B@q4_0&ctx=1099511627776', /Context “1099511627776” is not a whole number from 1 to 134,217,728; using 8192/],
  ['100 configurations', `v=1&m=${Array(100).fill('7B@q4_0').join(',')}`, /Only the first 8 of 100 configurations are shown\./],
];

for (const [what, frag, message] of CASES) {
  test(`${what}: a clear message and a working page`, async () => {
    const t0 = Date.now();
    const { page, context } = await open(`#${frag}`);
    assert.match(await page.textContent('.notices'), message);
    assert.ok((await rows(page)).length >= 1, 'results are shown');
    // Still responsive: an edit goes through.
    await page.fill('#count-1', '3B');
    await page.press('#count-1', 'Enter');
    await page.waitForFunction(() => document.querySelector('.results tbody th')?.textContent.includes('3B'));
    assert.ok(Date.now() - t0 < 15000, `took ${Date.now() - t0} ms`);
    await context.close();
  });
}
