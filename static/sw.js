// The service worker of the site scripts/dist builds (static/boot.js registers it there only):
// it keeps every file the page and the lab's worker load, so after the first visit the page opens
// with no network, a share link included (any navigation gets the cached page; the state is in
// the fragment). scripts/dist writes the two constants below: the build's files and a hash of
// their contents, so a new build is a new worker with its own cache.
const VERSION = 'dev';
const FILES = [];

const CACHE = `bitbudget-${VERSION}`;
const PAGE = './';

// Every file, revalidated with the server (not an older copy from the HTTP cache), so the cache
// holds one build. A redirected response cannot answer a navigation: its body is stored instead.
async function fill() {
  const cache = await caches.open(CACHE);
  await Promise.all(FILES.map(async (file) => {
    const response = await fetch(new Request(file, { cache: 'no-cache' }));
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    const clean = response.redirected
      ? new Response(await response.blob(), { status: 200, headers: response.headers })
      : response;
    await cache.put(file, clean);
  }));
}

// No skipWaiting: a new build waits until no tab runs the old one, so a page never gets a worker
// or wasm from another build than its own.
self.addEventListener('install', (event) => event.waitUntil(fill()));

self.addEventListener('activate', (event) => event.waitUntil((async () => {
  const old = (await caches.keys()).filter((key) => key.startsWith('bitbudget-') && key !== CACHE);
  await Promise.all(old.map((key) => caches.delete(key)));
  await self.clients.claim();
})()));

// Cache first; a navigation (the page, with any fragment or query) gets the cached page.
self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = request.mode === 'navigate'
      ? await cache.match(PAGE)
      : await cache.match(request, { ignoreVary: true });
    return hit ?? fetch(request);
  })());
});
