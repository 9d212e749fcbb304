// Loads the page's wasm. An external file, not an inline script: the Content-Security-Policy in
// index.html allows scripts from this origin only.
import init from './bitbudget-web.js';

await init({ module_or_path: './bitbudget-web_bg.wasm' });

// The service worker (sw.js: offline, installable) is only in the site scripts/dist builds.
const OFFLINE = false;
if (OFFLINE && 'serviceWorker' in navigator && /^https?:$/.test(location.protocol)) {
  navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('bitbudget: no offline copy', e));
}
