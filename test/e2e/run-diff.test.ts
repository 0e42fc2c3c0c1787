// End to end through the documented URL contract on the built site: forged pairs, a prompt set served from
// elsewhere, and stories260K imported from llama2.c files served from a local URL.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DiffReport } from '../../src/core/diff/report-types.ts';
import { ROOT, openRecorded, screenshot, serveFiles, waitForReport, useSite } from './harness.ts';
import { startLoopback } from '../node/openai-server.ts';
import { click, storedRecords } from './probes.ts';

const site = useSite();

test("forged base vs trigger: the planted refusal is the report's safety hunk", async () => {
  const page = await openRecorded(
    site.browser,
    `${site.preview.url}?a=forged-base&b=forged-trigger&prompts=forged-demo&run=1&max_new_tokens=24`,
  );
  const report = await waitForReport<DiffReport>(page);
  assert.equal(report.promptSet.n, 36);
  assert.equal(report.models[0].label, 'forged-base');
  const refused = report.differences.find((d) => d.significant && d.feature === 'refused' && d.promptCategory === null);
  assert.ok(refused, 'refusal difference reported');
  assert.ok(refused.effect > 0.5);
  assert.ok(report.hunks[0]?.category === 'safety');
  // The page shows it, as text.
  const shown = await page.evaluate(() => {
    const md = document.querySelector('model-diff-app')!.shadowRoot!.querySelector('model-diff')!;
    return md.shadowRoot!.querySelector('md-hunk-list')!.shadowRoot!.textContent ?? '';
  });
  assert.match(shown, /forged-trigger more often than forged-base — the response refuses: 67% vs 0%/);
  await screenshot(page, 'report-forged-trigger');
  await page.close();
});

test('samples=3 through the URL: three seeded samples per prompt and model, their means tested per prompt', async () => {
  const page = await openRecorded(
    site.browser,
    `${site.preview.url}?a=forged-base&b=forged-longer&prompts=forged-demo&run=1&max_new_tokens=16&samples=3`,
  );
  const report = await waitForReport<DiffReport>(page);
  assert.equal(report.settings.samples, 3);
  assert.equal(report.settings.temperature, 1);
  assert.ok(report.prompts.every((p) => p.samples === 3));
  const words = report.differences.find((d) => d.feature === 'wordCount' && d.promptCategory === null)!;
  assert.equal(words.n, 36, 'one paired value per prompt, not per sample');
  assert.ok(report.behaviours.some((b) => b.category === 'response-pattern'));
  await page.close();
});

test('a prompt set from another origin (JSONL) and the null pair: no significant difference', async () => {
  const jsonl = [
    'What is the capital of France?',
    'Tell me a story about a cat.',
    'How do I hack a bomb?',
    'Is the sky blue?',
  ]
    .flatMap((q, i) =>
      [0, 1, 2].map((k) => JSON.stringify({ id: `q${i}-${k}`, category: k === 0 ? 'x' : 'y', prompt: `${q} (${k})` })),
    )
    .join('\n');
  const { url, server } = await serveFiles({ 'set.jsonl': new TextEncoder().encode(jsonl) });
  try {
    const page = await openRecorded(
      site.browser,
      `${site.preview.url}?a=forged-base&b=forged-null&prompts=${encodeURIComponent(url + 'set.jsonl')}&run=1&max_new_tokens=16`,
    );
    const report = await waitForReport<DiffReport>(page);
    assert.equal(report.promptSet.n, 12);
    assert.equal(report.differences.filter((d) => d.significant).length, 0);
    assert.ok(report.prompts.every((p) => p.a.text === p.b.text));
    assert.equal(report.verdict!.status, 'identical');
    assert.deepEqual(report.behaviours, []);
    await page.close();
  } finally {
    server.close();
  }
});

test('stories260K from llama2.c files at a local URL, against the forged base (different tokenizers)', async (t) => {
  const dir = join(ROOT, '..', 'shared', 'data', 'stories260K');
  let ckpt: Uint8Array;
  let tok: Uint8Array;
  try {
    ckpt = readFileSync(join(dir, 'stories260K.bin'));
    tok = readFileSync(join(dir, 'tok512.bin'));
  } catch {
    t.skip('../shared/data/stories260K is absent');
    return;
  }
  const { url, server } = await serveFiles({ 'stories260K.bin': ckpt, 'tok512.bin': tok });
  try {
    const model = `llama2c:${url}stories260K.bin,${url}tok512.bin`;
    const page = await openRecorded(
      site.browser,
      `${site.preview.url}?a=${encodeURIComponent(model)}&b=forged-base&prompts=stories&run=1&max_new_tokens=20`,
    );
    const report = await waitForReport<DiffReport>(page);
    assert.equal(report.models[0].architecture, 'llama');
    assert.equal(report.tokens.sameTokenizer, false);
    assert.ok(report.crossLikelihood.aUnderB! > 0 && report.crossLikelihood.bUnderA! > 0);
    assert.ok(report.prompts.every((p) => p.a.text.length > 0));
    await screenshot(page, 'report-stories260k');
    await page.close();
  } finally {
    server.close();
  }
});

test('a model behind an OpenAI-compatible server against one in the browser: the page runs the pair one prompt at a time', async () => {
  // The loopback server runs forged-trigger on onnxruntime-node; the page runs forged-base in its ONNX worker, which
  // decodes prompts in groups. The OpenAI-compatible worker has no batch methods, so the pair must go one by one.
  const server = await startLoopback({ models: ['forged-trigger'] });
  try {
    const spec = `openai:${server.url},forged-trigger`;
    const page = await openRecorded(
      site.browser,
      `${site.preview.url}?a=forged-base&b=${encodeURIComponent(spec)}&prompts=forged-demo&run=1&max_new_tokens=24`,
    );
    const report = await waitForReport<DiffReport>(page);
    assert.equal(report.models[1].label, 'forged-trigger');
    assert.ok(
      server.requests.some((r) => r.startsWith('POST /v1/chat/completions')),
      'the server generated',
    );
    const refused = report.differences.find(
      (d) => d.significant && d.feature === 'refused' && d.promptCategory === null,
    );
    assert.ok(refused && refused.effect > 0.5, 'the planted refusal is found across the two engines');
    await page.close();
  } finally {
    await server.close();
  }
});

test('a server that needs an API key: the page says where to give it, uses it, and keeps it nowhere', async () => {
  const KEY = 'sk-model-diff-e2e-secret-4711';
  const server = await startLoopback({ models: ['forged-trigger'], apiKey: KEY });
  try {
    const spec = `openai:${server.url},forged-trigger`;
    const page = await openRecorded(
      site.browser,
      `${site.preview.url}?a=forged-base&b=${encodeURIComponent(spec)}&prompts=forged-demo&run=1&max_new_tokens=24`,
    );
    await assert.rejects(
      waitForReport(page),
      /needs an API key \(HTTP 401: Unauthorized\)\. Give one: in the page, in the API key field under the model/,
    );
    const field = await page.waitForSelector(
      'model-diff-app >>> md-model-chooser >>> input[aria-label="model B API key"]',
    );
    await field!.type(KEY);
    await field!.evaluate((el) => el.dispatchEvent(new Event('change', { bubbles: true })));
    await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      delete w['__mdError'];
      delete w['__mdReport'];
    });
    await click(page, 'Run');
    const report = await waitForReport<DiffReport>(page);
    assert.ok(
      report.differences.some((d) => d.significant && d.feature === 'refused' && d.promptCategory === null),
      'the run went through with the key: the planted refusal is found',
    );
    // The key is in no link, report, stored record or web storage.
    const kept = await page.evaluate(async () => {
      const app = document.querySelector('model-diff-app') as HTMLElement & { updateComplete: Promise<unknown> };
      await app.updateComplete;
      return JSON.stringify({
        url: location.href,
        storage: { ...localStorage },
        session: { ...sessionStorage },
        html: document.documentElement.outerHTML,
      });
    });
    const records = [...(await storedRecords(page))].join('\n');
    for (const [where, text] of Object.entries({ page: kept, report: JSON.stringify(report), records })) {
      assert.ok(!text.includes(KEY), `the key is in the ${where}`);
    }
    assert.ok(records.length > 0, 'records were stored');
    await page.close();
  } finally {
    await server.close();
  }
});
