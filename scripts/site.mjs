// Assembles the site scripts/dist publishes: node scripts/site.mjs <dist> <site>.
// <site> = <dist> (trunk build --release) + the web app manifest and its icons + _headers + the
// service worker, whose file list and version are written here from the files themselves, so the
// list cannot go stale; boot.js is switched to register the worker and index.html gets the
// manifest link. Fails if a URL in index.html is absolute (the site may live in a sub-folder).
import { readFileSync, writeFileSync, readdirSync, rmSync, mkdirSync, copyFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const [dist, site] = process.argv.slice(2);
if (!dist || !site) throw new Error('usage: node scripts/site.mjs <dist> <site>');
const staticDir = new URL('../static', import.meta.url).pathname;

// Replaces `from` (which must occur exactly once) in a file of the site.
function rewrite(file, from, to) {
  const path = join(site, file);
  const text = readFileSync(path, 'utf8');
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`${file}: expected "${from}" once, found it ${n} times`);
  writeFileSync(path, text.replace(from, () => to));
}

rmSync(site, { recursive: true, force: true });
mkdirSync(site, { recursive: true });
for (const f of readdirSync(dist)) {
  if (!statSync(join(dist, f)).isFile()) throw new Error(`${dist}/${f}: not a file`);
  copyFileSync(join(dist, f), join(site, f));
}
for (const f of ['manifest.webmanifest', 'icon-192.png', 'icon-512.png', '_headers']) {
  copyFileSync(join(staticDir, f), join(site, f));
}

const isAbsolute = (url) => /^(?:\/|[a-z][a-z0-9+.-]*:)/i.test(url);
const html = readFileSync(join(site, 'index.html'), 'utf8');
const absolute = [...html.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((m) => m[1]).filter(isAbsolute);
if (absolute.length) throw new Error(`index.html: absolute URLs ${absolute.join(', ')}`);
rewrite('index.html', '</head>', '  <link rel="manifest" href="manifest.webmanifest">\n</head>');
rewrite('boot.js', 'const OFFLINE = false;', 'const OFFLINE = true;');
const manifest = JSON.parse(readFileSync(join(site, 'manifest.webmanifest'), 'utf8'));
for (const url of [manifest.start_url, manifest.scope, ...manifest.icons.map((i) => i.src)]) {
  if (isAbsolute(url)) throw new Error(`manifest.webmanifest: absolute URL ${url}`);
}
for (const icon of manifest.icons) statSync(join(site, icon.src));

// Every file but the worker itself and the host's header rules; the page is kept as './', the
// URL people open (index.html may redirect there on some hosts).
const files = readdirSync(site).filter((f) => f !== 'sw.js' && f !== '_headers').sort();
const hash = createHash('sha256');
for (const f of files) hash.update(`${f}\0`).update(readFileSync(join(site, f))).update('\0');
const version = hash.digest('hex').slice(0, 16);
const list = files.map((f) => (f === 'index.html' ? './' : f));
copyFileSync(join(staticDir, 'sw.js'), join(site, 'sw.js'));
rewrite('sw.js', "const VERSION = 'dev';", `const VERSION = '${version}';`);
rewrite('sw.js', 'const FILES = [];', `const FILES = ${JSON.stringify(list)};`);
console.log(`${site}/: ${files.length + 2} files, service worker version ${version}`);
