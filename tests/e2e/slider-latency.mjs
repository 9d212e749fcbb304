// Slider-to-paint latency while dragging configuration 1's parameter slider with the mouse:
// node tests/e2e/slider-latency.mjs ['<fragment>']. Prints the time from each input event to
// the task after the next frame (so it includes the wait for that frame), and Chromium's
// script, layout and style time per input. A measurement, not a test (timing is never asserted).
import { chromium } from 'playwright-core';
import { serveDir } from './serve.mjs';
const server = await serveDir(new URL('../../dist', import.meta.url).pathname);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`http://127.0.0.1:${server.address().port}/#` + (process.argv[2] || ''));
await page.waitForSelector('.size-chart');
await page.evaluate(() => {
  window.__t = [];
  document.querySelector('#slider-1').addEventListener('input', () => {
    const t0 = performance.now();
    requestAnimationFrame(() => setTimeout(() => window.__t.push(performance.now() - t0), 0));
  }, { capture: true });
});
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
const m0 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map(m => [m.name, m.value]));
const box = await page.locator('#slider-1').boundingBox();
const y = box.y + box.height / 2;
await page.mouse.move(box.x + box.width * 0.3, y);
await page.mouse.down();
for (let i = 0; i < 80; i++) { await page.mouse.move(box.x + box.width * (0.3 + i * 0.004), y); }
await page.mouse.up();
await page.waitForTimeout(500);
const m1 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map(m => [m.name, m.value]));
for (const k of ['ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'TaskDuration']) console.log(k, ((m1[k] - m0[k]) * 1000 / 80).toFixed(2), 'ms per input');
const t = (await page.evaluate(() => window.__t)).sort((a, b) => a - b);
const q = (p) => t[Math.min(t.length - 1, Math.floor(p * t.length))].toFixed(1);
console.log(`n ${t.length} p50 ${q(0.5)} p95 ${q(0.95)} max ${q(1)} ms`);
await browser.close(); server.close();
