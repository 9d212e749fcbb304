// The lab's worker failing: one killed in the middle of a run (its script terminated through the
// DevTools protocol, so it never answers again) and one that cannot start. Each time the page
// says so, the rest of it keeps working, and running again works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, rows, forgive } from './harness.mjs';

// Stops whatever the page's worker is running, the way a crash or the browser killing it would.
async function killWorker(page) {
  const cdp = await page.context().newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const worker = targetInfos.find((t) => t.type === 'worker');
  assert.ok(worker, 'a worker is running');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Runtime.terminateExecution' }) });
}

test('a worker killed mid-run is reported, the page keeps working, and a new run succeeds', async () => {
  const { page, context } = await open('#v=1&m=8B@q8_0&lab.n=64Mi&lab.formats=q8_0,q4_0,nf4,q4_k,bf16');
  await page.click('#lab-run');
  // Killed once it is computing (before, the worker would only be loading).
  await page.waitForFunction(() => /: [1-9]\d* %/.test(document.querySelector('.progress-text')?.textContent ?? ''));
  await killWorker(page);
  const error = page.locator('.lab-error');
  await error.waitFor({ timeout: 20000 });
  assert.match(await error.textContent(), /The lab's worker stopped: it gave no sign of life for 10 s\. Run again to retry/);
  // The rest of the page still answers.
  await page.fill('#count-1', '13B');
  await page.press('#count-1', 'Enter');
  await page.waitForFunction(() => document.querySelector('.results tbody th')?.textContent.includes('13B'));
  assert.match((await rows(page))[0].title, /13B parameters @ Q8_0/);
  // A fresh worker runs the lab to the end.
  await page.click('#lab-run');
  await page.locator('.lab-summary[data-memory]').waitFor({ timeout: 120000 });
  assert.equal(await page.locator('.lab-table tbody tr').count(), 5);
  assert.equal(await page.locator('.lab-error').count(), 0);
  await context.close();
});

test('a worker that cannot start is reported, and running again works once it can', async () => {
  const { page, context } = await open('#v=1&m=8B@q8_0&lab.n=1Mi&lab.formats=q8_0');
  await page.route('**/bitbudget-worker_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.click('#lab-run');
  const error = page.locator('.lab-error');
  await error.waitFor({ timeout: 20000 });
  assert.match(await error.textContent(), /The lab's worker stopped: .*Run again to retry/);
  forgive(/404|Failed to load|WebAssembly|wasm/i);
  await page.unroute('**/bitbudget-worker_bg.wasm');
  await page.click('#lab-run');
  await page.locator('.lab-summary[data-memory]').waitFor({ timeout: 60000 });
  assert.equal(await page.locator('.lab-table tbody tr').count(), 1);
  await context.close();
});
