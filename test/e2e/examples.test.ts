// Every page under examples/ in the built site: it loads without console errors, page errors or CSP violations, and
// each element on it shows its report (scrolled into view one by one, so lazy ones start). The precomputed page asks
// for no engine code and no model; the lazy page asks for nothing before it is scrolled; the N-way page puts the
// null twin at distance 0 from its base.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { ROOT, screenshot, useSite } from './harness.ts';

const site = useSite();
const PAGES = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.html'));
const ENGINE = /onnx\.worker|session-|ort-wasm|\/forged\/|\.onnx|prompts\//;

interface Watched {
  page: Page;
  problems: string[];
  requests: string[];
}

async function open(path: string): Promise<Watched> {
  const page = await site.browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
  // Aborted requests are the engine's own (it reads a model file's first bytes, then cancels): not a failure.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()}`);
  });
  // A 404 for a weight format the folder does not have is the engine probing which formats exist (an HTTP folder
  // has no listing): expected. Any other error status is a problem.
  const probe = /\/onnx\/model_[a-z0-9]+\.onnx$/;
  page.on('response', (r) => {
    if (r.status() >= 400 && !(r.status() === 404 && probe.test(new URL(r.url()).pathname)))
      problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('request', (r) => requests.push(r.url()));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(site.preview.url + path, { waitUntil: 'load' });
  return { page, problems, requests };
}

/** Scrolls each element into view in turn and waits for its ready (or error) event; returns what each showed. */
function showAll(page: Page) {
  return page.evaluate(async () => {
    const out: { tag: string; error?: string; header?: string; distance?: number[][]; labels?: string[] }[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('model-diff, model-diff-matrix')) {
      const x = el as HTMLElement & { report?: unknown; nway?: { distance: number[][]; models: { label: string }[] } };
      el.scrollIntoView();
      const error = await new Promise<string | undefined>((resolve) => {
        if (x.report || x.nway) return resolve(undefined);
        el.addEventListener('model-diff-ready', () => resolve(undefined), { once: true });
        el.addEventListener('model-diff-error', (e) => resolve((e as CustomEvent).detail.message), { once: true });
      });
      await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      // The chart library loads after the report: wait, frame by frame, until each forest plot has drawn.
      for (const plot of el.shadowRoot!.querySelectorAll('md-forest-plot'))
        while (!plot.shadowRoot?.querySelector('svg')) await new Promise((r) => requestAnimationFrame(r));
      const header = el.shadowRoot!.querySelector('md-report-header')?.shadowRoot?.querySelector('h2')?.textContent;
      out.push({
        tag: el.tagName.toLowerCase(),
        ...(error ? { error } : {}),
        ...(header ? { header } : {}),
        ...(x.nway ? { distance: x.nway.distance, labels: x.nway.models.map((m) => m.label) } : {}),
      });
    }
    return out;
  });
}

for (const file of PAGES) {
  test(`examples/${file}: loads cleanly and every element shows its report`, async () => {
    const w = await open(`examples/${file}`);
    if (file === 'lazy.html') {
      const early = w.requests.filter((u) => ENGINE.test(u));
      assert.deepEqual(early, [], `the lazy page asked for ${early.join(', ')} before it was scrolled`);
    }
    const shown = await showAll(w.page);
    for (const s of shown) assert.equal(s.error, undefined, `${s.tag}: ${s.error}`);
    for (const s of shown.filter((x) => x.tag === 'model-diff')) assert.match(s.header ?? '', /forged-base ⟷ forged-/);
    if (file !== 'index.html') assert.ok(shown.length > 0, 'no element on the page');
    if (file === 'lesson.html') assert.equal(shown.length, 2);
    if (file === 'precomputed.html' || file === 'theming.html' || file === 'lesson.html') {
      const engine = w.requests.filter((u) => ENGINE.test(u));
      assert.deepEqual(engine, [], `engine or model requests: ${engine.join(', ')}`);
    }
    if (file === 'n-way.html') {
      const m = shown[0]!;
      const i = (label: string) => m.labels!.indexOf(label);
      assert.equal(m.distance![i('forged-base')]![i('forged-null')], 0);
      assert.ok(m.distance![i('forged-base')]![i('forged-trigger')]! > 0);
      assert.ok(m.distance![i('forged-base')]![i('forged-boost')]! > 0);
    }
    assert.deepEqual(w.problems, []);
    await screenshot(w.page, `example-${file.replace('.html', '')}`);
    await w.page.close();
  });
}
