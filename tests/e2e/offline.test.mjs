// The site scripts/dist builds (site/: the release page, its manifest and service worker), as a
// visitor gets it: the first visit installs the service worker, then with the server stopped and
// the browser offline a reload and a share link opened in a new tab both show their results and
// the lab's worker starts. The manifest is served, Chromium parses it and its icons are the sizes
// it says. dist/ (what `trunk serve` and the other tests run) registers no service worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, shots, open, watch, rows } from './harness.mjs';
import { serveDir } from './serve.mjs';

const site = join(root, 'site');
// Served in a sub-folder, as GitHub Pages serves it: an absolute URL anywhere would be a 404.
const folder = '/bitbudget/';
let server, siteBase;

before(async () => {
  server = await serveDir(site, 0, folder);
  siteBase = `http://127.0.0.1:${server.address().port}${folder}`;
});
after(() => server?.close());

// Stops the server for good: no new connections, and the open keep-alive ones dropped.
const stopServer = () => new Promise((resolve) => {
  server.close(resolve);
  server.closeAllConnections();
});

// A PNG's width and height, from its IHDR chunk.
const pngSize = (bytes) => `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;

test('after one visit the site works offline, a share link included, and installs', async () => {
  const { page, context } = await open('', {}, siteBase);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  for (const d of ["worker-src 'self'", "manifest-src 'self'", "connect-src 'self'"]) assert.ok(csp.includes(d), `CSP lacks ${d}`);

  // The service worker's cache holds every file of the site (the page as its folder, './').
  const cached = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((k) => k.startsWith('bitbudget-'));
    const cache = await caches.open(names[0]);
    return { names, files: (await cache.keys()).map((r) => new URL(r.url).pathname).sort() };
  });
  assert.equal(cached.names.length, 1, `one cache: ${cached.names}`);
  const files = readdirSync(site).filter((f) => f !== 'sw.js' && f !== '_headers')
    .map((f) => folder + (f === 'index.html' ? '' : f)).sort();
  assert.deepEqual(cached.files, files);

  // The manifest: served, parsed by Chromium without error, installable, icons as declared.
  const manifest = await page.evaluate(async () => (await fetch('manifest.webmanifest')).json());
  assert.equal(manifest.short_name, 'bitbudget');
  assert.match(manifest.name, /^bitbudget/);
  assert.equal(manifest.start_url, './');
  assert.equal(manifest.display, 'standalone');
  const cdp = await context.newCDPSession(page);
  const parsed = await cdp.send('Page.getAppManifest');
  assert.equal(parsed.url, `${siteBase}manifest.webmanifest`);
  assert.deepEqual(parsed.errors, [], 'manifest parse errors');
  // Every test context is incognito, which alone keeps Chromium from offering to install.
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors.filter((e) => e.errorId !== 'in-incognito'), [], 'not installable');
  const pngs = manifest.icons.filter((i) => i.type === 'image/png');
  assert.deepEqual(pngs.map((i) => i.sizes).sort(), ['192x192', '512x512']);
  for (const icon of pngs) assert.equal(pngSize(readFileSync(join(site, icon.src))), icon.sizes, icon.src);

  // No network from here on.
  await stopServer();
  await context.setOffline(true);

  await page.reload();
  await page.waitForSelector('.results tbody tr');
  const r = await rows(page);
  assert.deepEqual(r.map((x) => x.title), ['Llama-3.1-70B @ Q4_K_M', 'Llama-3.1-8B @ BF16']);
  assert.equal(r[1].weights, '16.06 GB');
  await page.locator('.results').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'offline-desktop.png') });

  // The lab's worker (loader, glue and wasm) starts offline and reports that it is ready.
  const worker = await page.evaluate(() => new Promise((resolve) => {
    const w = new Worker('bitbudget-worker_loader.js', { type: 'module' });
    w.onmessage = () => { w.terminate(); resolve('ready'); };
    w.onerror = (e) => resolve(`error: ${e.message}`);
    setTimeout(() => resolve('silent for 20 s'), 20000);
  }));
  assert.equal(worker, 'ready');

  // A share link opened offline in a new tab: a navigation the service worker answers.
  const tab = watch(await context.newPage());
  await tab.goto(`${siteBase}#v=1&m=llama-2-13b@q4_k_m`);
  await tab.waitForSelector('.results tbody tr');
  assert.ok(await tab.evaluate(() => navigator.serviceWorker.controller !== null));
  const shared = await rows(tab);
  assert.deepEqual(shared.map((x) => [x.title, x.weights]), [['Llama-2-13B @ Q4_K_M', '7.87 GB']]);
  // Any URL of the site's folder gets the page: index.html, a query.
  await tab.goto(`${siteBase}index.html?ref=share#v=1&m=llama-3.1-8b@q8_0`);
  await tab.waitForSelector('.results tbody tr');
  assert.deepEqual((await rows(tab)).map((x) => x.title), ['Llama-3.1-8B @ Q8_0']);
  await context.close();
});

test('dist/ (trunk serve, the other tests) registers no service worker', async () => {
  const { page, context } = await open();
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
  assert.equal(readFileSync(join(root, 'dist/boot.js'), 'utf8').includes('const OFFLINE = false;'), true);
  await context.close();
});
