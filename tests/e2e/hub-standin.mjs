// A stand-in for the Hugging Face Hub in the tests: the page's requests to https://huggingface.co
// are answered here, in the Hub's URL layout (`/{org}/{name}/resolve/main/{file}`) and with the
// shapes of its real answers: 200 with the file and `access-control-allow-origin: *`, 401 with
// `x-error-code: GatedRepo` for a gated repository asked without an account, 404 with
// `x-error-code: RepoNotFound` (or `EntryNotFound`) otherwise. Files come from
// tests/fixtures/configs: a folder's config.json, and its model.safetensors.index.json where it
// has one (a repository without one, a single-file checkpoint, answers 404 EntryNotFound as the
// Hub does). Every request is recorded, so a test can show what was fetched, when.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

const CORS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-repo-commit,x-error-code,etag' };

// repos: { 'Qwen/Qwen3-8B': 'qwen3-8b', … } (the fixture folder); gated: ['meta-llama/…'].
export async function hubStandIn(page, repos, gated = []) {
  const asked = [];
  await page.route('https://huggingface.co/**', async (route) => {
    const url = new URL(route.request().url());
    asked.push(url.href);
    const m = url.pathname.match(/^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/);
    const repo = m?.[1];
    if (repo && gated.includes(repo)) {
      return route.fulfill({ status: 401, headers: { ...CORS, 'x-error-code': 'GatedRepo', 'content-type': 'application/json' },
        body: JSON.stringify({ error: `Access to model ${repo} is restricted. You must have access to it and be authenticated to access it. Please log in.` }) });
    }
    if (!repo || !repos[repo]) {
      return route.fulfill({ status: 404, headers: { ...CORS, 'x-error-code': 'RepoNotFound', 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'Repository not found' }) });
    }
    const file = join(root, 'tests/fixtures/configs', repos[repo], m[2]);
    if (!['config.json', 'model.safetensors.index.json'].includes(m[2]) || !existsSync(file)) {
      return route.fulfill({ status: 404, headers: { ...CORS, 'x-error-code': 'EntryNotFound', 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'Entry not found' }) });
    }
    const body = readFileSync(file);
    return route.fulfill({ status: 200, body,
      headers: { ...CORS, 'content-type': 'text/plain; charset=utf-8', 'x-repo-commit': '0'.repeat(40), etag: '"standin"' } });
  });
  return asked;
}

// Makes the Hub unreachable, as offline: every request to it fails at the network.
export async function hubOffline(page) {
  const asked = [];
  await page.route('https://huggingface.co/**', (route) => { asked.push(route.request().url()); return route.abort('internetdisconnected'); });
  return asked;
}
