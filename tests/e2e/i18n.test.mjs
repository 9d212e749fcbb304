// The Chinese page after the main flows (a link with mistakes, a lab run with pruning, a file
// and a broken file, a field typed wrong, training mode): every word a user reads is Chinese,
// except names (models, formats, tools, papers' authors), units and what the user typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, root, shots, shownAsChosen } from './harness.mjs';

const fixture = (name) => join(root, 'tests/fixtures/files', name);

// Latin words allowed in the Chinese page: names, units, file and tensor names, the user's input.
const NAMES = new Set(`
  Adam Apple AutoGPTQ BERT BERT-base BERT-large Besiroglu BitNet CUDA Chinchilla DeepSeek-V Dettmers
  DistilBERT DistilBERT-base DistilGPT English FFN Face GGUF GLUE GPT- GPTQ Gemma- GiB Hoffmann Hugging
  ICLR ICML INT Korthikanti Kumar LLM LLaMA- Language Llama Llama- LoRA MXFP Max MiB Mistral- Mixtral-
  NVFP NVIDIA OCP PNG Phi- Pro QLoRA Qwen README RMSE RTX SIMD SQNR SVG SXM Sanh SparseGPT Sun Ultra
  Wanda Web WebAssembly Worker ZeRO Zettlemoyer arXiv bitbudget bitsandbytes bpw cpp gguf ggml-common
  llama llama-quant mini- nats npy safetensors token absmax uncased B-A B-v
  Ternary absmean non-saturating per-channel zero point symmetric double quant tensor scale pure
  blk attn ffn down embd output norm weight small bad abc bogus
  CSV JSON Markdown Epoch KiB TiB ZeRO- idx DeepSeek MLA MassiveText Spearman PPL loss exp eff WikiText- wikitext-
  llama-quantize LLaMA-v tools perplexity Scaling Laws for Precision quantize MoE log CSR ggml
  OmniQuant Zheng Base Instruct gpt-oss- Scout- Maverick- DeepSeek-R Kimi Mistral-Small- GLM- Air Next-
  Hub config json https huggingface main resolve org name Next min
  qwen model type num hidden layers GPU
  XXS MOE
  vLLM vllm cpp-metal torch
  DDR Nemotron-H- B-Base- Jamba- Mini index
`.split(/\s+/).filter(Boolean));

async function latinWords(page) {
  await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
  await page.waitForSelector('.method .residuals'); // the method panel builds its body when opened
  const text = await page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    // Citations keep the papers' own titles; the catalogue's layouts are C identifiers (its
    // prose is checked by the core's tests).
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.parentElement.closest('.sources, .catalogue, script, style')) out.push(n.textContent);
    }
    // Attributes a reader hears or sees: the pickers' group labels among them.
    const attrs = ['title', 'aria-label', 'placeholder', 'label', 'alt'];
    for (const el of document.querySelectorAll(attrs.map((a) => `[${a}]`).join(','))) {
      out.push(...attrs.map((a) => el.getAttribute(a) || ''));
    }
    out.push(document.title);
    return out.join('\n');
  });
  const left = new Map();
  for (const line of text.split('\n')) {
    for (const w of line.match(/[A-Za-z][A-Za-z'-]{2,}/g) || []) {
      if (!NAMES.has(w) && !left.has(w)) left.set(w, line.trim().slice(0, 120));
    }
  }
  return [...left].map(([w, l]) => `${w}: ${l}`);
}

test('the Chinese page reads in Chinese after a lab run, a file, a broken file and bad input', async () => {
  const { page, context } = await open('#v=1&lang=zh-CN&m=llama-2-13b@fp16+2:4,llama-2-7b@fp16,8B@q4_k_m'
    + '&pub=1&levers=1&bogus=1&ctx=abc&budget=phone-8gb&lab.formats=q8_0,q4_0,q4_k,bf16,nf4&lab.n=64Ki&lab.sparse=2:4');
  // The link's mistakes, in Chinese.
  const notices = await page.textContent('.notices');
  assert.match(notices, /已忽略未知设置“bogus”。/);
  assert.match(notices, /上下文“abc”不是 1 到 [\d,]+ 之间的整数；改用 8192/);
  // A field typed wrong says why in Chinese.
  await page.fill('#count-1', '7X');
  assert.match(await page.textContent('#count-1-error'), /“7x”不是参数量（可写 7B/);
  await page.fill('#count-1', '13B');
  await page.click('#lab-run');
  await page.waitForFunction(() => document.querySelectorAll('.lab tbody tr').length === 10 && !document.querySelector('.lab .progress'), null, { timeout: 60000 });
  assert.match(await page.textContent('.lab tbody'), /Q8_0 · 2:4 稀疏/);
  // A broken file's reason, in Chinese, then a good file and a sample of its tensors.
  await page.setInputFiles('#file-input', fixture('bad_gguf_bad_version.gguf'));
  await page.waitForSelector('.files .lab-error');
  assert.match(await page.textContent('.files .lab-error'), /不支持 GGUF 版本 1（支持 2 和 3）/);
  await page.setInputFiles('#file-input', fixture('small_v3.gguf'));
  await page.waitForFunction(() => document.querySelectorAll('#file-tensors tbody tr').length === 6);
  assert.match(await page.textContent('.file-summary'), /6 个张量/);
  await page.click('#file-sample');
  await page.waitForFunction(() => document.querySelectorAll('.tensor-result').length === 4 && !document.querySelector('.file-progress'), null, { timeout: 60000 });
  assert.deepEqual(await latinWords(page), []);
  for (const [sel, name] of [['.lab', 'zh-lab'], ['.files', 'zh-files'], ['.explainer', 'zh-explainer'], ['.notices', 'zh-notices']]) {
    await (await page.$(sel)).screenshot({ path: join(shots, `${name}.png`) });
  }
  // Switching to English rewrites the notices already shown.
  await page.selectOption('#lang', 'en');
  assert.match(await page.textContent('.notices'), /Ignored unknown setting “bogus”\./);
  await context.close();
});

test('training mode in Chinese', async () => {
  const { page, context } = await open('#v=1&lang=zh-CN&mode=train&method=qlora&m=8B@nf4,70B@q4_k_m&budget=rtx-4090');
  await page.fill('#train-rank', '0');
  assert.match(await page.textContent('#train-rank-error'), /LoRA 秩/);
  assert.deepEqual(await latinWords(page), []);
  await context.close();
});

// The page's wasm carries English only: the Chinese table (zh-CN.strings) is fetched the first
// time Chinese is shown, once; a table that cannot be read keeps the page in English and says so.
test('the Chinese texts are fetched on first use, once; a broken table keeps English with a notice', async () => {
  const tables = (page) => page.evaluate(() =>
    performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/zh-CN.strings')).length);
  const { page, context } = await open('#v=1&m=8B@q4_0&lang=en');
  assert.equal(await tables(page), 0, 'an English visit fetches no Chinese');
  await page.selectOption('#lang', 'zh-CN');
  await shownAsChosen(page);
  assert.equal(await page.textContent('#results-title'), '所需内存');
  // Every part follows, the switcher's own label too.
  assert.equal(await page.textContent('.lang-switch label'), '语言 / Language');
  await page.selectOption('#lang', 'en');
  await shownAsChosen(page);
  await page.selectOption('#lang', 'zh-CN');
  await shownAsChosen(page);
  assert.equal(await tables(page), 1, 'fetched once');
  await context.close();

  const broken = await open('#v=1&m=8B@q4_0&lang=en');
  await broken.context.route('**/zh-CN.strings', (route) => route.fulfill({ status: 200, body: '<!doctype html>not a table' }));
  await broken.page.selectOption('#lang', 'zh-CN');
  await broken.page.locator('.notices').waitFor();
  assert.match(await broken.page.textContent('.notices'), /The Chinese texts \(zh-CN\.strings\) could not be loaded; the page stays in English/);
  assert.equal(await broken.page.getAttribute('html', 'lang'), 'en');
  assert.equal(await broken.page.textContent('#results-title'), 'Memory needed');
  await broken.context.close();
});
