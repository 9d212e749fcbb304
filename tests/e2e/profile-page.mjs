// Where a slider drag with 8 configurations spends its time: a CPU profile (Chromium's sampling
// profiler) of the page built with function names (scripts/profile builds it in dist-profile/).
// Prints self and inclusive milliseconds per function, Rust names demangled by the build.
// Usage: node tests/e2e/profile-page.mjs [dir] [top] [viewport height: 900, or 5400 for every section on screen]
import { chromium } from 'playwright-core';
import { serveDir } from './serve.mjs';

const dir = process.argv[2] ?? new URL('../../dist-profile', import.meta.url).pathname;
const top = Number(process.argv[3] ?? 40);
const height = Number(process.argv[4] ?? 900);
const server = await serveDir(dir);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const eight = '#v=1&m=7B@q4_k_m,8B@bf16,13B@q8_0,70B@q4_k_m,llama-3.1-405b@q2_k,qwen2.5-72b@q4_k_s,deepseek-v3@q4_k_m,mixtral-8x7b@q8_0';
const page = await browser.newPage({ viewport: { width: 1280, height } });
await page.goto(base + eight);
await page.waitForSelector('.size-chart');
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
const box = await page.locator('#slider-1').boundingBox();
await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
await page.mouse.down();
await cdp.send('Profiler.start');
const inputs = 100;
for (let i = 0; i < inputs; i++) await page.mouse.move(box.x + box.width * (0.3 + i * 0.004), box.y + box.height / 2);
const { profile } = await cdp.send('Profiler.stop');
await page.mouse.up();
await browser.close();
server.close();

// Self time per node from the samples; inclusive time by walking each sample's ancestors once.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => n.callFrame.functionName || `(anonymous ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`;
const self = new Map(), incl = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  total += dt;
  const leaf = byId.get(id);
  self.set(name(leaf), (self.get(name(leaf)) ?? 0) + dt);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const k = name(byId.get(at));
    if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + dt); }
  }
});
const show = (title, m) => {
  console.log(`\n${title} (ms over ${inputs} inputs; ${total.toFixed(0)} ms profiled)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${v.toFixed(1).padStart(9)}  ${k.slice(0, 150)}`);
};
show('self', self);
show('inclusive', incl);
