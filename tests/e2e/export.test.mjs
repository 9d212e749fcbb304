// The CLI and the page agree, and the page's exports hold what it shows: `bitbudget link` opens
// the same numbers `bitbudget compare` prints; the CSV, JSON and Markdown the page exports equal
// the CLI's for the same link; each chart saves as SVG and PNG.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, shots, open } from './harness.mjs';

const bin = join(root, 'target/debug/bitbudget');
const cli = (...args) => execFileSync(bin, args, { encoding: 'utf8' });

before(() => {
  execFileSync('cargo', ['build', '--locked', '--quiet', '--bin', 'bitbudget'], { cwd: root, stdio: 'inherit' });
});

const ARGS = ['llama-3.1-70b@q4_k_m', '13B@q8_0', 'qwen3-30b-a3b@iq4_xs', '--budget', '48GB', '--ctx', '16384'];

// The row cells the page shows, with the exact byte counts from their titles (the first line: a
// modelled runtime's title gives its parts on the next).
const pageRows = (page) => page.$$eval('.results tbody tr', (trs) => trs.map((tr) => {
  const exact = (label) => Number(tr.querySelector(`[data-label="${label}"]`).title.split('\n')[0].replace(/\D/g, ''));
  const text = (label) => tr.querySelector(`[data-label="${label}"] .num`).textContent;
  return {
    title: tr.querySelector('th').childNodes[1].textContent,
    weights: exact('Weights'), kv: exact('KV cache'), runtime: exact('Runtime'), total: exact('Total'),
    totalText: text('Total'), bpw: text('Bits / param'), loss: text('Predicted loss'),
    fits: tr.querySelector('.verdict').textContent === 'Fits',
  };
}));

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(shots, d.suggestedFilename());
  await d.saveAs(path);
  return { name: d.suggestedFilename(), bytes: readFileSync(path) };
}

test('bitbudget link opens the page on the numbers bitbudget compare prints', async () => {
  const link = cli('link', ...ARGS).trim();
  assert.match(link, /^http:\/\/127\.0\.0\.1:8080\/#v=1&m=llama-3\.1-70b@q4_k_m,13B@q8_0,qwen3-30b-a3b@iq4_xs&ctx=16384&/);
  const expected = JSON.parse(cli('compare', ...ARGS, '--json'));
  const { page, context } = await open(link.slice(link.indexOf('#')));
  const rows = await pageRows(page);
  assert.equal(rows.length, 3);
  rows.forEach((r, i) => {
    const e = expected[i];
    assert.equal(r.title, e.configuration);
    assert.deepEqual([r.weights, r.kv, r.runtime, r.total], [e.weights_bytes, e.kv_cache_bytes, e.runtime_bytes, e.total_bytes]);
    assert.equal(r.fits, e.fits);
    assert.equal(r.loss, e.predicted_loss.toFixed(4));
    assert.equal(r.bpw, e.bits_per_param.toFixed(2));
  });
  await context.close();
});

test('the page exports CSV and JSON of the results table, equal to the CLI', async () => {
  const link = cli('link', ...ARGS).trim();
  const { page, context } = await open(link.slice(link.indexOf('#')));
  const shown = await pageRows(page);

  const csv = await download(page, '#export-csv');
  assert.equal(csv.name, 'bitbudget-results.csv');
  const text = csv.bytes.toString('utf8');
  assert.equal(text, cli('compare', ...ARGS, '--csv'));
  const [header, ...lines] = text.trimEnd().split('\r\n');
  const keys = header.split(',');
  assert.deepEqual(keys.slice(0, 7), ['config', 'configuration', 'params', 'weights_bytes', 'kv_cache_bytes', 'runtime_bytes', 'total_bytes']);
  assert.equal(lines.length, 3);
  lines.forEach((line, i) => {
    const cell = Object.fromEntries(line.split(',').map((v, j) => [keys[j], v]));
    assert.equal(cell.configuration, shown[i].title);
    assert.equal(Number(cell.weights_bytes), shown[i].weights);
    assert.equal(Number(cell.total_bytes), shown[i].total);
    assert.equal(cell.fits, String(shown[i].fits));
    assert.equal(Number(cell.predicted_loss).toFixed(4), shown[i].loss);
  });

  const json = await download(page, '#export-json');
  assert.equal(json.name, 'bitbudget-results.json');
  assert.deepEqual(JSON.parse(json.bytes), JSON.parse(cli('compare', ...ARGS, '--json')));
  await context.close();
});

test('Copy as Markdown table puts the CLI\'s Markdown on the clipboard', async () => {
  const link = cli('link', ...ARGS).trim();
  const { page, context } = await open(link.slice(link.indexOf('#')));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.click('#export-markdown');
  await page.waitForSelector('#export-markdown:has-text("Copied")');
  const md = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(md, cli('compare', ...ARGS, '--markdown'));
  assert.match(md, /^\| # \| Configuration \|/);
  await context.close();
});

// PNG width and height from the IHDR chunk.
const pngSize = (b) => [b.readUInt32BE(16), b.readUInt32BE(20)];

test('each chart saves as a standalone SVG and as a PNG at twice its size', async () => {
  const { page, context } = await open('#v=1&m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16&lab.n=64Ki&lab.formats=q8_0,q4_0,nf4');
  await page.click('#lab-run');
  await page.waitForSelector('.lab .charts figure:nth-child(2) svg');
  const charts = [
    ['.accuracy', 'bitbudget-size-accuracy', '.accuracy svg.size-chart'],
    ['.lab figure:nth-child(1)', 'bitbudget-lab-sqnr', '.lab figure:nth-child(1) svg'],
    ['.lab figure:nth-child(2)', 'bitbudget-lab-histogram', '.lab figure:nth-child(2) svg'],
  ];
  for (const [scope, name, svgSel] of charts) {
    const box = await page.locator(svgSel).boundingBox();
    const svg = await download(page, `${scope} .export-svg`);
    assert.equal(svg.name, `${name}.svg`);
    const markup = svg.bytes.toString('utf8');
    assert.match(markup, /^<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(markup, /style="[^"]*fill:/, `${name}: styles are inlined`);
    assert.doesNotMatch(markup, /<script/i);
    const png = await download(page, `${scope} .export-png`);
    assert.equal(png.name, `${name}.png`);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(pngSize(png.bytes), [Math.round(box.width) * 2, Math.round(box.height) * 2]);
    assert.ok(png.bytes.length > 5000, `${name}.png has a drawing (${png.bytes.length} B)`);
  }
  const chart = readFileSync(join(shots, 'bitbudget-size-accuracy.svg'), 'utf8');
  assert.match(chart, /Llama-3\.1-70B/, 'the chart\'s own text is in the file');
  await context.close();
});
