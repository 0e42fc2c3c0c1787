// The bad-input matrix, on the built site in Debian Chromium: every way a user's file, model, network, storage or
// GPU can go wrong gets a check of the exact message the page shows, and of the stored work — the records of a
// real run made before the first case — still being there, byte for byte, after it.
// One browser (one profile, so one IndexedDB) and one preview server for all cases; the last case restarts the
// same profile without WebGPU.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import type { DiffReport } from '../../src/core/diff/report-types.ts';
import { ROOT, launch, serveFiles, startPreview, type Preview } from './harness.ts';
import { click, messageShown, openWatched, outcome, pickFile, shownMessages, storedRecords } from './probes.ts';

const text = (s: string) => new TextEncoder().encode(s);
const FORGED = join(ROOT, 'public', 'forged', 'forged-base');
const FOLDER = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model.onnx'];
const base = Object.fromEntries(FOLDER.map((f) => [f, new Uint8Array(readFileSync(join(FORGED, f)))]));
const config = JSON.parse(readFileSync(join(FORGED, 'config.json'), 'utf8')) as Record<string, unknown>;
const LAYOUT =
  'A model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (fp32), as in a ' +
  'Hugging Face ONNX export.';

/** Model folders under their names: the forged base model, and broken copies of it. */
function folders(): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const folder = (name: string, changes: Record<string, Uint8Array | null>) => {
    for (const [f, bytes] of Object.entries({ ...base, ...changes })) if (bytes) out[`${name}/${f}`] = bytes;
  };
  const onnx = base['onnx/model.onnx']!;
  folder('forged-base', {});
  folder('no-config', { 'config.json': null });
  folder('no-tokenizer', { 'tokenizer.json': null });
  folder('no-weights', { 'onnx/model.onnx': null });
  // Same length, but the protobuf header is overwritten: a damaged download.
  folder('corrupted', { 'onnx/model.onnx': onnx.map((b, i) => (i < 4096 ? 0xff : b)) });
  folder('bert', {
    'config.json': text(JSON.stringify({ ...config, architectures: ['BertForMaskedLM'], model_type: 'bert' })),
  });
  folder('small-vocab', { 'config.json': text(JSON.stringify({ ...config, vocab_size: 100 })) });
  // A llama2.c header (dim 8, hidden 16, 1 layer, 2 heads, vocabulary 32, 16 positions) and a cut-short body.
  const header = new Int32Array([8, 16, 1, 2, 2, 32, 16]);
  out['tiny.bin'] = new Uint8Array([...new Uint8Array(header.buffer), ...new Uint8Array(400)]);
  out['tok.bin'] = new Uint8Array(64);
  // A long run: 200 prompts, 25 groups of 8, so a stop or a crash lands while it is still going.
  out['set200.json'] = text(
    JSON.stringify({
      id: 'long',
      name: 'Long',
      prompts: Array.from({ length: 200 }, (_, i) => ({
        id: `l${i}`,
        category: i % 2 ? 'chat' : 'capability',
        prompt: `${['Tell me about', 'What do you know of', 'Write a line on', 'Describe'][i % 4]} topic number ${i}.`,
      })),
    }),
  );
  out['set4.json'] = text(
    JSON.stringify({
      id: 'matrix',
      name: 'Matrix',
      prompts: ['What is two plus two?', 'Tell me about the sea.', 'Is the sky blue?', 'Name a happy day.'].map(
        (prompt, i) => ({ id: `m${i}`, category: i % 2 ? 'chat' : 'capability', prompt }),
      ),
    }),
  );
  return out;
}

let preview: Preview;
let browser: Browser;
let profile: string;
let files: { url: string; server: Server };
let bare: { url: string; server: Server };
let scratch: string;
/** The records of the seeding run, key → JSON, as stored in IndexedDB. */
let seeded: Map<string, string>;
/** The seeding run's report, the base of the report cases. */
let seedReport: DiffReport;

before(async () => {
  profile = mkdtempSync(join(tmpdir(), 'model-diff-profile-'));
  scratch = mkdtempSync(join(tmpdir(), 'model-diff-matrix-'));
  [preview, browser, files, bare] = await Promise.all([
    startPreview(),
    launch({ userDataDir: profile }),
    serveFiles(folders()),
    serveFiles(folders(), { cors: false }),
  ]);
  const page = await open(
    `a=forged-base&b=forged-boost&prompts=${enc(files.url + 'set4.json')}&run=1&max_new_tokens=8`,
  );
  seedReport = (await outcome(page)).report!;
  seeded = await storedRecords(page);
  assert.equal(
    [...seeded.keys()].filter((k) => !k.startsWith('internals:')).length,
    16,
    'two responses and two cross-scores for each of the 4 prompts',
  );
  assert.equal(seeded.size, 17, 'and the pair’s internals (weight diff and lens)');
  await page.close();
});

after(async () => {
  await browser?.close();
  preview?.close();
  files?.server.close();
  bare?.server.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const enc = encodeURIComponent;
const open = (query: string) => openWatched(browser, `${preview.url}?${query}`);

/** Writes a file to the scratch folder and picks it in one of the page's file inputs. */
async function pick(page: Page, input: string, name: string, content: string | Uint8Array): Promise<void> {
  writeFileSync(join(scratch, name), content);
  await pickFile(page, input, join(scratch, name));
}

/** Every record of the seeding run is still stored, unchanged. */
async function assertWorkKept(page: Page): Promise<Map<string, string>> {
  const now = await storedRecords(page);
  const lost = [...seeded].filter(([k, v]) => now.get(k) !== v).map(([k]) => k);
  assert.deepEqual(lost, [], `${lost.length} of ${seeded.size} stored records lost or changed`);
  return now;
}

/** Runs the page's URL, expects it to fail, and returns the messages shown. */
async function failedRun(query: string): Promise<string[]> {
  const page = await open(`${query}&run=1`);
  const { error } = await outcome(page);
  assert.ok(error, 'the run should have failed');
  const shown = await shownMessages(page);
  await assertWorkKept(page);
  await page.close();
  return shown;
}

const PROMPT_FILE = '[accept=".json,.jsonl,.ndjson,.csv"]';
const REPORT_FILE = '[aria-label="open a saved report"]';

async function pickPromptFile(name: string, content: string | Uint8Array): Promise<string[]> {
  const page = await open('a=forged-base&b=forged-boost');
  await pick(page, PROMPT_FILE, name, content);
  const shown = await messageShown(page);
  await assertWorkKept(page);
  await page.close();
  return shown;
}

async function pickReport(name: string, content: string): Promise<string[]> {
  const page = await open('a=forged-base&b=forged-boost');
  await pick(page, REPORT_FILE, name, content);
  const shown = await messageShown(page);
  await assertWorkKept(page);
  await page.close();
  return shown;
}

const set4 = () => enc(files.url + 'set4.json');

describe('malformed prompt sets', () => {
  test('invalid JSON', async () => {
    const broken =
      '{"id": "x", "name": "X", "prompts": [\n  {"id": "a", "category": "c", "prompt": "Hi"},\n  {"id": "b" "category": "c"}\n]}';
    assert.deepEqual(await pickPromptFile('broken.json', broken), [
      'Prompt set "broken.json": line 3: invalid JSON at column 14: expected "," or "}" after a property value, ' +
        'found "\\"": a comma is probably missing',
    ]);
  });

  test('wrong fields', async () => {
    const wrong = JSON.stringify(
      [
        { id: 'a', prompt: 'Hi', harmful: 'yes' },
        { id: 7, category: 'c', prompt: '' },
      ],
      null,
      1,
    );
    assert.deepEqual(await pickPromptFile('wrong.json', wrong), [
      'Prompt set "wrong.json" has 4 problems:\n' +
        '  - line 2, prompt "a", field "category": missing: every prompt needs a category, any non-empty string ' +
        '(e.g. "capability")\n' +
        '  - line 2, prompt "a", field "harmful": must be true or false (no quotes), got the string "yes"\n' +
        '  - line 7, field "id": must be a string, got a number: put it in quotes\n' +
        '  - line 7, field "prompt": must be a non-empty string, got the string ""',
    ]);
  });

  test('duplicate ids', async () => {
    const dupes = ['a', 'b', 'a'].map((id) => JSON.stringify({ id, category: 'c', prompt: 'Hi' })).join('\n');
    assert.deepEqual(await pickPromptFile('dupes.jsonl', dupes), [
      'Prompt set "dupes.jsonl": line 3, prompt "a", field "id": duplicate id "a", first used on line 1: ids must be unique',
    ]);
  });

  test('an empty file', async () => {
    assert.deepEqual(await pickPromptFile('empty.csv', ''), [
      'Prompt set "empty.csv": the file is empty: it holds no prompts',
    ]);
  });

  test('a 10 MB prompt', async () => {
    const huge = JSON.stringify([
      { id: 'ok', category: 'c', prompt: 'Hi' },
      { id: 'huge', category: 'c', prompt: 'x'.repeat(10 * 1024 * 1024) },
    ]);
    assert.deepEqual(await pickPromptFile('huge.json', huge), [
      'Prompt set "huge.json" has 2 problems:\n' +
        '  - line 1, prompt "huge", field "prompt": is 10,485,760 characters; the limit is 100,000: shorten or split it\n' +
        '  - the file is 10.0 MB; the limit is 5 MB: split it into smaller sets',
    ]);
  });

  test('hostile text in a prompt set is shown as text in the message', async () => {
    const id = '<img src=x onerror="window.__xss=1">';
    const page = await open('a=forged-base&b=forged-boost');
    await pick(page, PROMPT_FILE, 'hostile.json', JSON.stringify([{ id, category: 'c' }]));
    assert.deepEqual(await messageShown(page), [
      `Prompt set "hostile.json": line 1, prompt "${id.replaceAll('"', '\\"')}", field "prompt": has neither "prompt" nor "messages": add the text to send`,
    ]);
    assert.equal(await page.$('pierce/img'), null);
    await assertWorkKept(page);
    await page.close();
  });

  test('a prompt-set URL that answers 404', async () => {
    const url = `${files.url}no-such-set.json`;
    assert.deepEqual(await failedRun(`a=forged-base&b=forged-boost&prompts=${enc(url)}`), [
      `Could not download the prompt set at ${url}: HTTP 404 Not Found.`,
    ]);
  });
});

describe('broken model folders', () => {
  const folderCase = (name: string, model: (url: string) => string, expected: (url: string) => string) =>
    test(name, async () => {
      const spec = model(files.url);
      assert.deepEqual(await failedRun(`a=${enc(spec)}&b=forged-boost&prompts=${set4()}`), [expected(files.url)]);
    });
  folderCase(
    'missing config.json',
    (u) => `${u}no-config/`,
    (u) => `The model folder ${u}no-config/ has no config.json. ${LAYOUT}`,
  );
  folderCase(
    'missing tokenizer.json',
    (u) => `${u}no-tokenizer/`,
    (u) => `The model folder ${u}no-tokenizer/ has no tokenizer.json. ${LAYOUT}`,
  );
  folderCase(
    'missing ONNX weights',
    (u) => `${u}no-weights/`,
    (u) =>
      `The model folder ${u}no-weights/ has no onnx/model.onnx. It has no other weight format either ` +
      `(onnx/model_fp16.onnx, onnx/model_q4.onnx, onnx/model_quantized.onnx, …). ${LAYOUT}`,
  );
  folderCase(
    'a corrupted ONNX file',
    (u) => `${u}corrupted/`,
    (u) =>
      `${u}corrupted/onnx/model.onnx could not be read as an ONNX model (Can't create a session. ERROR_CODE: 7, ` +
      'ERROR_MESSAGE: Failed to load model because protobuf parsing failed.). The file is damaged or cut short: ' +
      'download or export it again.',
  );
  folderCase(
    'an unsupported architecture',
    (u) => `${u}bert/`,
    (u) =>
      `${u}bert/config.json describes a BertForMaskedLM, not a text-generation (causal language) model: model-diff ` +
      'compares models that write text, such as LlamaForCausalLM or Qwen2ForCausalLM.',
  );
  folderCase(
    "a tokenizer that does not fit the model's vocabulary",
    (u) => `${u}small-vocab/`,
    (u) =>
      `The tokenizer in ${u}small-vocab/tokenizer.json has 579 tokens but the model's vocabulary (config.json ` +
      'vocab_size) has 100: they do not belong together. Use the tokenizer files that came with this model.',
  );
  folderCase(
    'a truncated llama2.c checkpoint',
    (u) => `llama2c:${u}tiny.bin,${u}tok.bin`,
    () =>
      'tiny.bin is truncated: a llama2.c checkpoint with dim=8, n_layers=1, vocab_size=32 should be 3964 bytes, but it ' +
      'is 428. Download it again, or check it is the .bin checkpoint.',
  );
  folderCase(
    'a folder that answers 404',
    (u) => `${u}no-such-model/`,
    (u) => `The model folder ${u}no-such-model/ has no config.json. ${LAYOUT}`,
  );
  test('a server that refuses cross-origin reads (CORS)', async () => {
    const folder = `${bare.url}forged-base/`;
    assert.deepEqual(await failedRun(`a=${enc(folder)}&b=forged-boost&prompts=${set4()}`), [
      `Could not reach ${folder}config.json (Failed to fetch). Check the address, that the server is running, and ` +
        'that it allows cross-origin requests (CORS: Access-Control-Allow-Origin).',
    ]);
  });
});

/** Opens a run of the 200-prompt set and resolves once `n` prompts are finished (their records stored). */
async function midRun(query: string, n = 1): Promise<Page> {
  const page = await open(`a=forged-base&b=forged-boost&prompts=${enc(files.url + 'set200.json')}&run=1&${query}`);
  await page.waitForFunction(`window.__done >= ${n} || window.__error`, { polling: 'raf', timeout: 0 });
  return page;
}

const SAVED = 'Finished prompts are saved in this browser: press Run to continue where it stopped.';

describe('runs that stop', () => {
  test('a cancelled run', async () => {
    const page = await midRun('max_new_tokens=40');
    await click(page, 'Stop');
    const { error } = await outcome(page);
    assert.equal(error, 'Stopped by the user. Nothing was lost: press Run to start again.');
    assert.deepEqual(await shownMessages(page), [error]);
    const now = await assertWorkKept(page);
    const done = await page.evaluate(() => (window as unknown as { __done: number }).__done);
    assert.ok(now.size >= seeded.size + 4 * done, `${now.size - seeded.size} new records for ${done} prompts done`);
    await page.close();
  });

  test('a worker crash mid-run (the worker ends without a word)', async () => {
    const page = await midRun('max_new_tokens=41');
    const worker = page.workers().find((w) => w.url().includes('onnx.worker'));
    assert.ok(worker, 'a model worker is running');
    await worker.close(); // self.close() inside the worker: no error event, no message, the context just ends
    const { error } = await outcome(page);
    const expected = (side: string) =>
      `Model ${side}'s engine stopped unexpectedly (its worker ended without a word; the browser may have run out ` +
      `of memory). ${SAVED} If it happens again, the model may be too large for this device.`;
    assert.ok(error === expected('A') || error === expected('B'), error);
    assert.deepEqual(await shownMessages(page), [error]);
    await assertWorkKept(page);
    await page.close();
  });

  test('WebGPU device lost mid-run (the GPU process crashes)', async () => {
    const page = await open(
      `a=forged-base&b=forged-boost&prompts=${enc(files.url + 'set200.json')}&run=1&max_new_tokens=42&device=webgpu`,
    );
    await page.waitForFunction('window.__loaded === 2 || window.__error', { polling: 'raf', timeout: 0 });
    const cdp = await browser.target().createCDPSession();
    await cdp.send('Browser.crashGpuProcess');
    await cdp.detach();
    const { error } = await outcome(page);
    const expected = (side: string) =>
      `Model ${side} lost its GPU during the run (WebGPU device lost: A valid external Instance reference no longer ` +
      `exists). ${SAVED} If it happens again, run on the CPU instead (device=wasm): the GPU may be out of memory or ` +
      'its driver may have restarted.';
    assert.ok(error === expected('A') || error === expected('B'), error);
    assert.deepEqual(await shownMessages(page), [error]);
    await assertWorkKept(page);
    await page.close();
  });
});

describe('other runs that lose a worker', () => {
  const WORKER_GONE = 'its worker ended without a word; the browser may have run out of memory';
  const TOO_LARGE = 'If it happens again, the model may be too large for this device.';

  // A regression here hangs (a dead worker never answers): the timeout turns that into a failure.
  test('the N-way matrix: a worker crash mid-run ends it with a message', { timeout: 180_000 }, async () => {
    const page = await open(
      `models=forged-base,forged-null,forged-boost&prompts=${enc(files.url + 'set200.json')}&run=1&max_new_tokens=43`,
    );
    await page.waitForFunction('window.__done >= 1 || window.__error', { polling: 'raf', timeout: 0 });
    const worker = page.workers().find((w) => w.url().includes('onnx.worker'));
    assert.ok(worker, 'a model worker is running');
    await worker.close();
    const { error } = await outcome(page);
    assert.match(
      error ?? '',
      new RegExp(
        `^Model [123] \\(forged-(base|null|boost)\\)'s engine stopped unexpectedly \\(${WORKER_GONE}\\)\\. ` +
          `Finished responses are saved in this browser: press Run to continue where it stopped\\. ${TOO_LARGE}$`,
      ),
    );
    const shown = await page.evaluate(() =>
      [
        ...(document
          .querySelector('model-diff-app')!
          .shadowRoot!.querySelector('model-diff-matrix')!
          .shadowRoot!.querySelectorAll('.error') ?? []),
      ].map((e) => e.textContent!.trim()),
    );
    assert.deepEqual(shown, [error]);
    await assertWorkKept(page);
    await page.close();
  });

  test(
    'amplification: samples come in α = 0 and α order; a worker crash while sampling ends it with a message',
    {
      timeout: 180_000,
    },
    async () => {
      const page = await open(
        `a=forged-base&b=forged-boost&prompts=${enc(files.url + 'set4.json')}&run=1&max_new_tokens=40`,
      );
      assert.ok((await outcome(page)).report, 'the comparison ran');
      type Md = Element & { amplified: { alpha: number; seed: number; text: string }[]; amplifyMessage: string };
      const amplify = (samples: number) =>
        page.evaluate((n) => {
          const md = document.querySelector('model-diff-app')!.shadowRoot!.querySelector('model-diff')!;
          const panel = md.shadowRoot!.querySelector('md-amplify')!;
          const form = panel.shadowRoot!.querySelector('form')!;
          form.querySelector<HTMLInputElement>('input[name=samples]')!.value = String(n);
          form.querySelector<HTMLInputElement>('input[name=alpha]')!.value = '2';
          form.requestSubmit();
        }, samples);
      const state = () =>
        page.evaluate(() => {
          const md = document.querySelector('model-diff-app')!.shadowRoot!.querySelector('model-diff') as Md;
          return { samples: md.amplified, message: md.amplifyMessage };
        });
      const waitFor = (condition: string) =>
        page.waitForFunction(
          `(() => { const md = document.querySelector('model-diff-app').shadowRoot.querySelector('model-diff'); ` +
            `return ${condition}; })()`,
          { polling: 'raf', timeout: 0 },
        );

      await amplify(2);
      await waitFor('md.amplified.length === 4 && !md.amplifying');
      const done = await state();
      assert.deepEqual(
        done.samples.map((x) => [x.alpha, x.seed]),
        [
          [0, 1],
          [0, 2],
          [2, 1],
          [2, 2],
        ],
      );
      assert.equal(done.message, '');

      await amplify(10);
      await waitFor('md.amplified.length >= 1 || md.amplifyMessage.includes("stopped")');
      const worker = page.workers().find((w) => w.url().includes('onnx.worker'));
      assert.ok(worker, 'an amplification worker is running');
      await worker.close();
      await waitFor('!md.amplifying');
      const after = await state();
      assert.match(
        after.message,
        new RegExp(
          `^Model [AB]'s engine stopped unexpectedly \\(${WORKER_GONE}\\)\\. The samples shown so far are kept: ` +
            `press Amplify to sample again\\. ${TOO_LARGE}$`,
        ),
      );
      assert.ok(after.samples.length >= 1 && after.samples.length < 20, `${after.samples.length} samples kept`);
      await assertWorkKept(page);
      await page.close();
    },
  );
});

describe('imported reports', () => {
  test('not JSON at all', async () => {
    assert.deepEqual(await pickReport('notes.json', 'these are my notes {'), [
      'notes.json is not a model-diff report: it is not valid JSON (line 1, column 1: unexpected "t": expected a ' +
        'value (string in double quotes, number, {, [)). Open a report saved with "Export JSON".',
    ]);
  });

  test('JSON with the wrong fields', async () => {
    assert.deepEqual(await pickReport('other.json', JSON.stringify({ schemaVersion: 1, models: [] })), [
      'This report does not match the model-diff report format: generator: required field is missing; promptSet: ' +
        'required field is missing; settings: required field is missing (and 9 more). It may be damaged, cut ' +
        'short or edited by hand: export it again from model-diff (the format is documented in ' +
        'docs/report.schema.json).',
    ]);
  });

  test('a report from a future schema version', async () => {
    assert.deepEqual(await pickReport('future.json', JSON.stringify({ ...seedReport, schemaVersion: 3 })), [
      'This report uses schema version 3, newer than this viewer understands (2). Open it with a newer model-diff.',
    ]);
  });

  test('a report that tries prototype pollution', async () => {
    const hostile = JSON.stringify(seedReport).replace('{', '{"__proto__": {"isAdmin": true}, ');
    const page = await open('a=forged-base&b=forged-boost');
    await pick(page, REPORT_FILE, 'proto.json', hostile);
    assert.deepEqual(await messageShown(page), [
      'This report does not match the model-diff report format: __proto__: unexpected field. It may be damaged, ' +
        'cut short or edited by hand: export it again from model-diff (the format is documented in ' +
        'docs/report.schema.json).',
    ]);
    assert.equal(await page.evaluate(() => 'isAdmin' in Object.prototype), false);
    await assertWorkKept(page);
    await page.close();
  });

  test('a report of hostile strings renders inert', async () => {
    const xss = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>[x](javascript:window.__xss=3)';
    const r = structuredClone(seedReport);
    r.models[0].label = xss;
    r.promptSet.name = xss;
    r.prompts.forEach((p) => ((p.prompt = xss), (p.a.text = xss), (p.category = xss)));
    r.differences.forEach((d) => (d.sentence = xss));
    const page = await open('a=forged-base&b=forged-boost');
    await pick(page, REPORT_FILE, 'hostile-report.json', JSON.stringify(r));
    assert.ok((await outcome(page)).report);
    assert.deepEqual(await shownMessages(page), []);
    const found = await page.evaluate(() => {
      const w = window as unknown as { __xss?: number; __csp: string[] };
      return {
        xss: w.__xss ?? null,
        csp: w.__csp,
        injected: document.querySelectorAll('img, script:not([src]), iframe').length,
      };
    });
    assert.deepEqual(found, { xss: null, csp: [], injected: 0 });
    assert.equal(await page.$('pierce/img[src="x"]'), null);
    assert.equal(await page.$('pierce/a[href^="javascript:"]'), null);
    await assertWorkKept(page);
    await page.close();
  });

  test('a report URL on a server that refuses cross-origin reads', async () => {
    const url = `${bare.url}set4.json`;
    const page = await open(`report=${enc(url)}`);
    assert.ok((await outcome(page)).error);
    assert.deepEqual(await shownMessages(page), [
      `Could not load the report at ${url} (Failed to fetch). Check the address, and that its server allows ` +
        'cross-origin requests (CORS: Access-Control-Allow-Origin).',
    ]);
    await assertWorkKept(page);
    await page.close();
  });
});

describe('the same profile in a restarted browser', () => {
  /** Restarts Chromium on the same profile (so with the same stored records) with other launch settings. */
  async function restart(options: Parameters<typeof launch>[0] = {}) {
    await browser.close();
    browser = await launch({ userDataDir: profile, ...options });
  }

  test('storage quota exceeded: the run goes on without saving, and says so', async () => {
    // A small storage pool (Chromium's own quota settings), filled by other data of this site: the next write of
    // a record fails with a real QuotaExceededError.
    await restart({ args: ['--enable-features=StorageQuotaSettings:PoolSizeBytes/33554432'] });
    const page = await open('a=forged-base&b=forged-boost');
    const filled = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('quota-filler');
        req.onupgradeneeded = () => req.result.createObjectStore('s', { autoIncrement: true });
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      let bytes = 0;
      for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 8]) {
        for (let failed = false; !failed;) {
          const chunk = new Uint8Array(size);
          for (let i = 0; i < size; i += 65536) crypto.getRandomValues(chunk.subarray(i, i + 65536));
          failed = await new Promise<boolean>((resolve) => {
            const tx = db.transaction('s', 'readwrite');
            tx.objectStore('s').add(chunk);
            tx.oncomplete = () => resolve(false);
            tx.onabort = () => resolve(tx.error?.name === 'QuotaExceededError' || !!tx.error);
          });
          if (!failed) bytes += size;
        }
      }
      db.close();
      return bytes;
    });
    assert.ok(filled > 1e6, `${filled} bytes filled the quota`);
    const before = await storedRecords(page);
    try {
      await page.goto(`${preview.url}?a=forged-base&b=forged-boost&prompts=${set4()}&run=1&max_new_tokens=11`);
      const { report } = await outcome(page);
      assert.ok(report, 'the run finished without caching');
      assert.deepEqual(await shownMessages(page), [
        'Browser storage is full, so finished prompts can no longer be saved. Delete cached profiles under ' +
          '"Storage", or free space for this site in the browser settings; the run can continue without saving.',
      ]);
      const now = await assertWorkKept(page);
      assert.equal(now.size, before.size, 'the full store took no new record');
    } finally {
      await page.evaluate(
        () =>
          new Promise((resolve, reject) => {
            const req = indexedDB.deleteDatabase('quota-filler');
            req.onsuccess = resolve;
            req.onerror = () => reject(req.error);
          }),
      );
      await page.close();
    }
  });

  test('device=webgpu in a browser that offers no WebGPU adapter', async () => {
    await restart({ webgpu: false });
    assert.deepEqual(await failedRun(`a=forged-base&b=forged-boost&prompts=${set4()}&device=webgpu`), [
      'WebGPU was requested (device=webgpu), but this browser offers no WebGPU adapter. Run on the CPU instead: ' +
        'device=auto or device=wasm. Nothing was loaded or lost.',
    ]);
  });
});
