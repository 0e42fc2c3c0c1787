// Part 4: cold start of an embed in precomputed-report mode. The built site (dist/, as `npm run build` makes it)
// served like a static host (gzip, cross-origin isolation), a fresh browser context per repetition (empty HTTP
// cache), embed.html?report=<URL of a real report>: time from navigation to the report painted (two animation frames
// after model-diff-ready, or the first contentful paint if later), bytes transferred, and gzipped script bytes,
// with no model or engine file asked for. Baseline in the same run: a blank page's first painted frame.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { diff } from '../src/core/diff/build-report.ts';
import { profileFolders, readPromptSet } from '../src/node/profile-forged.ts';
import { launchChromium } from './lib/browser.ts';
import { RESULTS, ROOT, median, type BenchOptions, type PartResult } from './lib/common.ts';
import { serveStatic } from './lib/server.ts';

const OUT = join(RESULTS, 'embed');
const ENGINE = /onnx\.worker|session-|ort-wasm|\/forged\/|\.onnx|tokenizer\.json/;

interface Load {
  paintMs: number;
  readyMs: number;
  fcpMs: number | null;
  transferred: number;
  scriptGzip: number;
  requests: string[];
  /** Each script and its bytes on the wire (gzipped). */
  scripts: { url: string; bytes: number }[];
}

async function coldLoad(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  url: string,
  waitFor: string,
): Promise<Load> {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const types = new Map<string, { url: string; type: string; bodyBytes: number }>();
    let transferred = 0;
    cdp.on('Network.responseReceived', (e) => {
      const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      types.set(e.requestId, { url: e.response.url, type: e.type, bodyBytes: Number(h['content-length'] ?? 0) });
    });
    cdp.on('Network.loadingFinished', (e) => (transferred += e.encodedDataLength));
    // A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
    await page.evaluateOnNewDocument(`
      const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => (window.__painted = performance.now())));
      if (${JSON.stringify(waitFor)} === 'load') addEventListener('load', painted);
      else document.addEventListener(${JSON.stringify(waitFor)}, () => { window.__ready = performance.now(); painted(); });
      document.addEventListener('model-diff-error', (e) => (window.__error = String(e.detail.message)));
    `);
    await page.goto(url);
    await page.waitForFunction(() => {
      const w = window as unknown as Record<string, unknown>;
      return w['__painted'] !== undefined || w['__error'] !== undefined;
    });
    const got = await page.evaluate(() => {
      const w = window as unknown as Record<string, number | string | undefined>;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { painted: w['__painted'], ready: w['__ready'], error: w['__error'], fcp: fcp ? fcp.startTime : null };
    });
    if (got.error !== undefined) throw new Error(`embed bench: the page failed: ${got.error}`);
    const all = [...types.values()];
    return {
      // The later of the frame after model-diff-ready and the browser's first contentful paint: headless Chromium
      // may run animation frames before it paints.
      paintMs: Math.max(Number(got.painted), got.fcp ?? 0),
      readyMs: Number(got.ready ?? got.painted),
      fcpMs: got.fcp,
      transferred,
      scriptGzip: all.filter((r) => r.type === 'Script').reduce((s, r) => s + r.bodyBytes, 0),
      requests: all.map((r) => r.url),
      scripts: all.filter((r) => r.type === 'Script').map((r) => ({ url: r.url, bytes: r.bodyBytes })),
    };
  } finally {
    await context.close();
  }
}

export async function embedColdStart(opts: BenchOptions, reps: number): Promise<PartResult> {
  opts.log('embed: building the site and a report (forged-base vs forged-boost, forged-demo, in Node) …');
  await build({ root: ROOT, logLevel: 'warn', build: { rolldownOptions: { checks: { pluginTimings: false } } } });
  const set = readPromptSet(join(ROOT, 'public', 'prompts', 'forged-demo.json'));
  const forged = join(ROOT, 'public', 'forged');
  const pair = await profileFolders(join(forged, 'forged-base'), join(forged, 'forged-boost'), set, {
    maxNewTokens: 16,
    temperature: 0,
    seed: 1,
    topK: 10,
  });
  mkdirSync(OUT, { recursive: true });
  const report = JSON.stringify(diff(pair, set));
  writeFileSync(join(OUT, 'diff.json'), report);
  writeFileSync(join(OUT, 'blank.html'), '<!doctype html><html lang="en"><title>blank</title><p>blank</p></html>');
  const server = await serveStatic({ '/': join(ROOT, 'dist'), '/bench/': OUT }, ['/', '/bench/']);
  const browser = await launchChromium();
  try {
    const embedUrl = `${server.url}/embed.html?report=${encodeURIComponent(`${server.url}/bench/diff.json`)}`;
    await coldLoad(browser, embedUrl, 'model-diff-ready'); // warm-up: the browser process, not the page's cache
    const embeds: Load[] = [];
    const blanks: Load[] = [];
    for (let r = 0; r < reps; r++) {
      embeds.push(await coldLoad(browser, embedUrl, 'model-diff-ready'));
      blanks.push(await coldLoad(browser, `${server.url}/bench/blank.html`, 'load'));
      opts.log(
        `  rep ${r + 1}/${reps}: report painted at ${embeds.at(-1)!.paintMs.toFixed(0)} ms, blank page ${blanks.at(-1)!.paintMs.toFixed(0)} ms`,
      );
    }
    const engine = [...new Set(embeds.flatMap((e) => e.requests.filter((u) => ENGINE.test(u))))];
    const paint = embeds.map((e) => e.paintMs);
    const script = embeds.map((e) => e.scriptGzip / 1000);
    const bytes = embeds.map((e) => e.transferred / 1000);
    return {
      part: 'embed',
      figures: [
        {
          part: 'embed',
          what: 'embed.html?report=…: navigation → report painted (cold)',
          unit: 'ms',
          value: median(paint),
          reps: paint,
          baseline: {
            what: 'blank page painted',
            value: median(blanks.map((b) => b.paintMs)),
            reps: blanks.map((b) => b.paintMs),
          },
          target: '< 1500 ms',
          met: median(paint) < 1500,
        },
        {
          part: 'embed',
          what: 'gzipped script before any model is asked for',
          unit: 'kB',
          value: median(script),
          reps: script,
          target: '≤ 150 KB',
          met: median(script) <= 150 && engine.length === 0,
          notes: engine.length ? [`engine/model requests: ${engine.join(', ')}`] : ['no engine or model request'],
        },
        {
          part: 'embed',
          what: 'bytes transferred (all, report JSON included)',
          unit: 'kB',
          value: median(bytes),
          reps: bytes,
        },
      ],
      details: {
        reportBytes: report.length,
        readyMs: embeds.map((e) => e.readyMs),
        fcpMs: embeds.map((e) => e.fcpMs),
        requests: embeds[0]!.requests.map((u) => u.replace(server.url, '')),
        scripts: embeds[0]!.scripts.map((x) => ({ url: x.url.replace(server.url, ''), bytes: x.bytes })),
        engineRequests: engine,
      },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
