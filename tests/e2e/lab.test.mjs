// End-to-end tests of the lab's format picker: presets and family toggles, kept in the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, fragment } from './harness.mjs';

// The names of the ticked formats, and the summary line.
const ticked = (page) => page.$$eval('.lab-formats .format-grid input:checked', (ins) => ins.map((i) => i.parentElement.textContent.trim()));

test('a preset picks its formats, lands in the link and survives a reload; a family toggle adds its own', async () => {
  const { page, context } = await open('#v=1&m=8B@q8_0');
  await page.click('.lab-formats summary');
  await page.getByRole('button', { name: 'llama.cpp K-quants' }).click();
  await page.waitForFunction(() => location.hash.endsWith('&lab.formats=q6_k,q5_k,q4_k,q3_k,q2_k'));
  assert.deepEqual(await ticked(page), ['Q6_K', 'Q5_K', 'Q4_K', 'Q3_K', 'Q2_K']);
  assert.equal(await page.textContent('.lab-formats summary'), 'Formats: 5 of 36');
  assert.equal(await page.getAttribute('.presets button[data-preset="k-quants"]', 'aria-pressed'), 'true');
  assert.equal(await page.isChecked('.family[data-family="ggml-k"] .family-toggle'), true);
  assert.equal(await page.isChecked('.family[data-family="float"] .family-toggle'), false);
  // The i-quants join as a family; no preset is that pick.
  await page.check('.family[data-family="ggml-i"] .family-toggle');
  await page.waitForFunction(() => location.hash.endsWith('&lab.formats=q6_k,q5_k,q4_k,q3_k,q2_k,iq4_xs,iq4_nl'));
  assert.equal(await page.locator('.presets button[aria-pressed="true"]').count(), 0);
  // One format off leaves its family half ticked.
  await page.uncheck('.family[data-family="ggml-i"] label:has-text("IQ4_NL") input');
  await page.waitForFunction(() => location.hash.endsWith('&lab.formats=q6_k,q5_k,q4_k,q3_k,q2_k,iq4_xs'));
  assert.equal(await page.$eval('.family[data-family="ggml-i"] .family-toggle', (i) => i.indeterminate), true);
  // The link brings the pick back.
  await page.reload();
  await page.waitForSelector('.results tbody tr');
  await page.click('.lab-formats summary');
  assert.deepEqual(await ticked(page), ['Q6_K', 'Q5_K', 'Q4_K', 'Q3_K', 'Q2_K', 'IQ4_XS']);
  // The legacy preset after a reload, then none: nothing to run.
  await page.getByRole('button', { name: 'Legacy GGUF' }).click();
  await page.waitForFunction(() => location.hash.endsWith('&lab.formats=q8_0,q5_1,q5_0,q4_1,q4_0'));
  await page.reload();
  await page.waitForSelector('.results tbody tr');
  await page.click('.lab-formats summary');
  assert.equal(await page.getAttribute('.presets button[data-preset="legacy-gguf"]', 'aria-pressed'), 'true');
  await page.getByRole('button', { name: 'None', exact: true }).click();
  await page.waitForFunction(() => location.hash.endsWith('&lab.formats='));
  assert.equal(await page.isDisabled('#lab-run'), true);
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await page.waitForFunction(() => !location.hash.includes('lab.formats'));
  assert.equal((await ticked(page)).length, 36);
  assert.match(await fragment(page), /^v=1&m=8B@q8_0/);
  await context.close();
});
