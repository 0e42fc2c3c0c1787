// A hosted report opens through ?report=<URL>: it shows at once, equals the exported object, and the page asks for
// no engine code and no model file.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiffReport } from '../../src/core/diff/report-types.ts';
import { openRecorded, openRecordedOn, screenshot, serveFiles, waitForReport, useSite } from './harness.ts';

const site = useSite();

test('?report=<URL> shows a precomputed report without loading any engine', async () => {
  const run = await openRecorded(
    site.browser,
    `${site.preview.url}?a=forged-base&b=forged-boost&prompts=forged-demo&run=1&max_new_tokens=16`,
  );
  const report = await waitForReport<DiffReport>(run);
  await run.close();

  const { url, server } = await serveFiles({ 'diff.json': new TextEncoder().encode(JSON.stringify(report)) });
  try {
    const page = await site.browser.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('model-diff-ready', (e) => {
        (window as unknown as Record<string, unknown>)['__mdReport'] = (e as CustomEvent).detail.report;
      });
    });
    await page.goto(`${site.preview.url}?report=${encodeURIComponent(url + 'diff.json')}`);
    const shown = await waitForReport<DiffReport>(page);
    assert.deepEqual(shown, report);
    // The page may read what was planted in a forged model (planted.json, for the demo panel): not a model file.
    const engine = requested.filter(
      (u) => /onnx\.worker|session-|ort-wasm|\/forged\/|\.onnx/.test(u) && !u.endsWith('/planted.json'),
    );
    assert.deepEqual(engine, [], `engine or model requests: ${engine.join(', ')}`);
    const text = await page.evaluate(() => {
      const md = document.querySelector('model-diff-app')!.shadowRoot!.querySelector('model-diff')!;
      return md.shadowRoot!.querySelector('md-token-panel')!.shadowRoot!.textContent ?? '';
    });
    assert.match(text, /joy/);
    await screenshot(page, 'report-from-url');
    await page.close();
  } finally {
    server.close();
  }
});

test('embed.html?report=<URL>: the iframe entry shows the report, asks for no engine code, and never runs unasked', async () => {
  const run = await openRecorded(
    site.browser,
    `${site.preview.url}?a=forged-base&b=forged-null&prompts=smoke&run=1&max_new_tokens=8`,
  );
  const report = await waitForReport<DiffReport>(run);
  await run.close();
  const { url, server } = await serveFiles({ 'diff.json': new TextEncoder().encode(JSON.stringify(report)) });
  try {
    const page = await site.browser.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await openRecordedOn(page, `${site.preview.url}embed.html?report=${encodeURIComponent(url + 'diff.json')}`);
    assert.deepEqual(await waitForReport<DiffReport>(page), report);
    // With models but no run=1, nothing is downloaded: the element waits for a click.
    await page.goto(`${site.preview.url}embed.html?a=forged-base&b=forged-null&prompts=smoke`);
    const button = await page.waitForFunction(
      "document.querySelector('model-diff')?.shadowRoot?.querySelector('button.primary')?.textContent?.trim() === 'Run'",
    );
    assert.ok(button);
    const engine = requested.filter((u) => /onnx\.worker|session-|ort-wasm|\/forged\/|\.onnx/.test(u));
    assert.deepEqual(engine, [], `engine or model requests: ${engine.join(', ')}`);
    await page.close();
  } finally {
    server.close();
  }
});
