// The page runs nothing it is given: a Content-Security-Policy without inline script, and
// user-controlled text (link values, file and tensor names) rendered as text only. The harness
// fails any test on a dialog (alert), a console error or a request that leaves 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dist, open, forgive } from './harness.mjs';

const XSS = '<img src=x onerror=alert(1)>';

test('the page ships a Content-Security-Policy and no inline script', async () => {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'an inline <script> in dist/index.html');
  const { page, context } = await open('#v=1&m=llama-3.1-8b@bf16');
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  for (const d of ["script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "default-src 'self'"]) {
    assert.ok(csp.includes(d), `CSP lacks ${d}: ${csp}`);
  }
  // Connections: the page's own origin, and the Hub only (a config.json, on a click).
  assert.match(csp, /(^|; )connect-src 'self' https:\/\/huggingface\.co(;|$)/, csp);
  assert.deepEqual(await page.$$eval('script', (ss) => ss.filter((s) => !s.src).length), 0);
  // The policy is in force: an inline script added now does not run.
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1;';
    document.head.append(s);
    await new Promise((r) => setTimeout(r, 50));
    return window.__inline === 1;
  });
  assert.equal(ran, false, 'an inline script ran');
  forgive(/Content Security Policy/);
  await context.close();
});

test('a link carrying markup shows it as text and runs nothing', async () => {
  const evil = encodeURIComponent(`${XSS}<script>alert(2)</script>`);
  const { page, context } = await open(`#v=1&m=${evil}@q4_0,llama-3.1-8b@bf16&budget=${evil}&ctx.1=${evil}`);
  await page.locator('.notices').waitFor();
  const notices = await page.textContent('.notices');
  assert.ok(notices.includes('<img src=x'), `the markup is shown as text: ${notices}`);
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.equal(await page.$$eval('script', (ss) => ss.filter((s) => !s.src.endsWith('/boot.js')).length), 0);
  await context.close();
});

test('a file and a tensor named with markup are listed as text', async () => {
  const { page, context } = await open('#v=1&m=8B@q8_0&lab.formats=q8_0');
  const header = Buffer.from(JSON.stringify({ [XSS]: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] } }));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  const body = Buffer.alloc(16);
  await page.setInputFiles('#file-input', { name: `${XSS}.safetensors`, mimeType: 'application/octet-stream', buffer: Buffer.concat([len, header, body]) });
  await page.waitForFunction(() => document.querySelectorAll('#file-tensors tbody tr').length === 1);
  assert.ok((await page.textContent('#file-tensors tbody')).includes(XSS), 'the tensor name as text');
  assert.ok((await page.textContent('.file-summary')).includes(XSS), 'the file name as text');
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  await context.close();
});
