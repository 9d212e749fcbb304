// Loads the page's wasm. An external file, not an inline script: the Content-Security-Policy in
// index.html allows scripts from this origin only.
import init from './bitbudget-web.js';

await init({ module_or_path: './bitbudget-web_bg.wasm' });
