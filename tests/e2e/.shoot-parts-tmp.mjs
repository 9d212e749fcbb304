import { chromium } from 'playwright-core';
import { serveDir } from './serve.mjs';
const [fragment, prefix] = process.argv.slice(2);
const server = await serveDir('/work/wt-offload/dist');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
for (const width of [1280, 390]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/#${fragment}`);
  await page.waitForSelector('.results tbody tr');
  await page.waitForTimeout(600);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  console.log(width, 'overflow', overflow);
  await page.screenshot({ path: `/tmp/shots/offload/${prefix}-${width}-top.png` });
  for (const sel of ['.budget', '.results']) {
    const el = await page.$(sel);
    await el.scrollIntoViewIfNeeded();
    await el.screenshot({ path: `/tmp/shots/offload/${prefix}-${width}${sel.replace('.', '-')}.png` });
  }
  await page.close();
}
await browser.close();
server.close();
