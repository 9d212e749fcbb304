// The page's budgets, measured in headless Chromium against the release build in dist/:
// transfer size, time to first results, slider-to-paint latency with 8 configurations, main-
// thread long tasks while the lab quantizes 64 Mi elements, and the worker's peak memory.
// Run by scripts/bench (a measurement, never a test). Prints a table and one JSON line.
import { chromium } from 'playwright-core';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { serveDir } from './serve.mjs';

const dist = new URL('../../dist', import.meta.url).pathname;
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const server = await serveDir(dist);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
const q = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const median = (xs) => q(xs, 0.5);

// 1. Transfer: gzip -9 of what the page loads at once, and of what it loads on first use (the
// lab's worker, the Chinese table); the installed site's service worker fetches all of it.
const files = readdirSync(dist).map((f) => ({ f, gz: gzipSync(readFileSync(join(dist, f)), { level: 9 }).length }));
const worker = files.filter((x) => x.f.startsWith('bitbudget-worker')).reduce((a, x) => a + x.gz, 0);
const tables = files.filter((x) => x.f.endsWith('.strings')).reduce((a, x) => a + x.gz, 0);
const total = files.reduce((a, x) => a + x.gz, 0);
const first = total - worker - tables;

// 2. Navigation to the first rendered results row (median of 5 fresh pages).
const firsts = [];
for (let i = 0; i < 5; i++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.querySelector('.results tbody tr')) {
        window.__first = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(base);
  await page.waitForFunction(() => window.__first !== undefined);
  firsts.push(await page.evaluate(() => window.__first));
  await page.close();
}

// 3. Slider drag with 8 configurations: input event → the task after the next frame. In a
// 1280 × 900 window (the chart and tables below the fold), and in a 1280 × 5400 one where the
// results, the chart, the trade-off tables and the bars are all on screen and repainted.
const eight = '#v=1&m=7B@q4_k_m,8B@bf16,13B@q8_0,70B@q4_k_m,llama-3.1-405b@q2_k,qwen2.5-72b@q4_k_s,deepseek-v3@q4_k_m,mixtral-8x7b@q8_0';
async function drag(height) {
  const page = await browser.newPage({ viewport: { width: 1280, height } });
  await page.goto(base + eight);
  await page.waitForSelector('.size-chart');
  await page.evaluate(() => {
    window.__t = [];
    document.querySelector('#slider-1').addEventListener('input', () => {
      const t0 = performance.now();
      requestAnimationFrame(() => setTimeout(() => window.__t.push(performance.now() - t0), 0));
    }, { capture: true });
  });
  const box = await page.locator('#slider-1').boundingBox();
  const at = (f) => page.mouse.move(box.x + box.width * f, box.y + box.height / 2);
  await at(0.3);
  await page.mouse.down();
  // Three passes (right, left, right) of 100 mouse steps: 300 inputs.
  for (const dir of [1, -1, 1]) {
    for (let i = 0; i < 100; i++) await at(dir > 0 ? 0.3 + i * 0.004 : 0.7 - i * 0.004);
  }
  await page.mouse.up();
  await page.waitForTimeout(300);
  const t = await page.evaluate(() => window.__t);
  await page.close();
  return t;
}
const slider = await drag(900);
const sliderChart = await drag(5400);

// 4–5. A 64 Mi-element Q8_0 lab run: long tasks on the main thread, and the worker's peak memory.
const lab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await lab.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
});
await lab.goto(base + '#v=1&m=8B@q8_0&lab.n=64Mi&lab.formats=q8_0');
await lab.waitForSelector('#lab-run');
await lab.evaluate(() => { window.__long = []; });
await lab.click('#lab-run');
await lab.waitForSelector('.lab-summary[data-memory]', { timeout: 600000 });
const longTasks = await lab.evaluate(() => window.__long);
const memory = Number(await lab.getAttribute('.lab-summary', 'data-memory'));
const labMs = Number(await lab.getAttribute('.lab-summary', 'data-ms'));
await lab.close();
await browser.close();
server.close();

const tensorBytes = 64 * 2 ** 20 * 4;
const r = {
  transfer_gzip_bytes: total, page_gzip_bytes: first, worker_gzip_bytes: worker, language_tables_gzip_bytes: tables,
  first_results_ms: +median(firsts).toFixed(1),
  slider_inputs: slider.length, slider_p50_ms: +q(slider, 0.5).toFixed(1), slider_p95_ms: +q(slider, 0.95).toFixed(1),
  slider_chart_p50_ms: +q(sliderChart, 0.5).toFixed(1), slider_chart_p95_ms: +q(sliderChart, 0.95).toFixed(1),
  lab_64mi_ms: labMs, long_tasks_over_50ms: longTasks.filter((d) => d > 50).length,
  longest_task_ms: +(Math.max(0, ...longTasks)).toFixed(1),
  worker_peak_bytes: memory, worker_peak_over_tensor: +(memory / tensorBytes).toFixed(2),
};
const rows = [
  ['transfer (gzip), everything', `${(total / 1000).toFixed(1)} KB (page ${(first / 1000).toFixed(1)}, worker ${(worker / 1000).toFixed(1)}, Chinese ${(tables / 1000).toFixed(1)})`, '≤ 400 KB', total <= 400000],
  ['  … first load (the page alone)', `${(first / 1000).toFixed(1)} KB`, '≤ 400 KB', first <= 400000],
  ['navigation → first results', `${r.first_results_ms} ms (median of 5)`, '≤ 500 ms', r.first_results_ms <= 500],
  ['slider → paint, 8 configurations', `p50 ${r.slider_p50_ms} ms, p95 ${r.slider_p95_ms} ms (${slider.length} inputs)`, 'p95 ≤ 16 ms', r.slider_p95_ms <= 16],
  ['  … all of it on screen (1280 × 5400)', `p50 ${r.slider_chart_p50_ms} ms, p95 ${r.slider_chart_p95_ms} ms (${sliderChart.length} inputs)`, 'p95 ≤ 16 ms', r.slider_chart_p95_ms <= 16],
  ['main-thread tasks > 50 ms, 64 Mi lab run', `${r.long_tasks_over_50ms} (longest ${r.longest_task_ms} ms; run ${(labMs / 1000).toFixed(1)} s)`, '0', r.long_tasks_over_50ms === 0],
  ['worker peak memory, 64 Mi run', `${(memory / 2 ** 20).toFixed(0)} MiB = ${r.worker_peak_over_tensor} × the tensor`, '≤ 3 ×', r.worker_peak_over_tensor <= 3],
];
for (const [what, got, goal, ok] of rows) console.log(`${what.padEnd(42)} ${got.padEnd(52)} goal ${goal.padEnd(12)} ${ok ? 'met' : 'NOT met'}`);
console.log(JSON.stringify({ bench: 'page', ...r }));
