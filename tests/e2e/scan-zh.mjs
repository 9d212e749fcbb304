// Lists the Latin words left in the Chinese page after the main flows (a development aid).
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { serveDir } from './serve.mjs';
const root = new URL('../..', import.meta.url).pathname;
const server = await serveDir(join(root, 'dist'));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const frag = process.argv[2] || '#v=1&lang=zh-CN&m=llama-2-13b@fp16+2:4,llama-2-7b@fp16,8B@q4_k_m&pub=1&levers=1&bogus=1&ctx=abc&lab.formats=q8_0,q4_0,q4_k,bf16,nf4&lab.n=64Ki';
await page.goto(base + frag);
await page.waitForSelector('.results tbody tr');
await page.click('#lab-run');
await page.waitForFunction(() => !document.querySelector('.lab .progress'), null, { timeout: 60000 });
await page.setInputFiles('#file-input', join(root, 'tests/fixtures/files', 'small_v3.gguf'));
await page.waitForFunction(() => document.querySelectorAll('#file-tensors tbody tr').length === 6);
await page.click('#file-sample');
await page.waitForFunction(() => document.querySelectorAll('.tensor-result').length === 4 && !document.querySelector('.file-progress'), null, { timeout: 60000 });
await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
const text = await page.evaluate(() => {
  const out = [document.body.innerText];
  for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],title')) {
    out.push(el.getAttribute('title') || '', el.getAttribute('aria-label') || '', el.getAttribute('placeholder') || '', el.tagName === 'title' ? el.textContent : '');
  }
  return out.join('\n');
});
const words = new Map();
for (const line of text.split('\n')) {
  for (const w of line.match(/[A-Za-z][A-Za-z'-]{2,}/g) || []) {
    if (!words.has(w)) words.set(w, line.trim().slice(0, 140));
  }
}
for (const [w, l] of [...words].sort()) console.log(`${w}\t${l}`);
await browser.close();
server.close();
