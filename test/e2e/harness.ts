// End-to-end harness: serves the built site with `vite preview` and drives Debian Chromium with puppeteer-core.
// Waits on events and server output, never on timers.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.config.mjs';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';

export const ROOT = join(import.meta.dirname, '..', '..');
export const OUTPUT = join(ROOT, 'test', 'output');

export interface Preview {
  url: string;
  close(): void;
}

/** `vite preview` of dist/ on a free port; resolves when it prints its local URL. */
export function startPreview(): Promise<Preview> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--port', '0', '--host', '127.0.0.1'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      // eslint-disable-next-line no-control-regex
      const m = /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out.replace(/\u001b\[[0-9;]*m/g, ''));
      if (m) resolve({ url: m[1]!, close: () => child.kill() });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`vite preview exited (${code}): ${out}`)));
  });
}

/** The built site and one browser for a test file: started before its tests, closed after them. */
export function useSite(): { readonly preview: Preview; readonly browser: Browser } {
  const site = {} as { preview: Preview; browser: Browser };
  before(async () => {
    site.preview = await startPreview();
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    site.preview?.close();
  });
  return site;
}

/**
 * Debian Chromium; `webgpu: false` leaves out the flag that gives headless Chromium its WebGPU adapter, `args` adds
 * flags, `userDataDir` keeps the profile (and its storage) across launches.
 */
export function launch(options: { userDataDir?: string; webgpu?: boolean; args?: string[] } = {}): Promise<Browser> {
  const args = options.webgpu === false ? CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu') : CHROMIUM_ARGS;
  return puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...args, ...(options.args ?? [])],
    ...(options.userDataDir !== undefined && { userDataDir: options.userDataDir }),
  });
}

/** Opens a page that records model-diff-ready / model-diff-error events from the first script on. */
export async function openRecorded(
  browser: Browser | BrowserContext,
  url: string,
  viewport = { width: 1280, height: 900 },
): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  return openRecordedOn(page, url);
}

/** Opens url in a given page, recording model-diff-ready / model-diff-error events from the first script on. */
export async function openRecordedOn(page: Page, url: string): Promise<Page> {
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as Record<string, unknown>;
    document.addEventListener('model-diff-ready', (e) => {
      w['__mdReport'] = (e as CustomEvent).detail.report;
      w['__mdStats'] = (e as CustomEvent).detail.stats;
    });
    document.addEventListener('model-diff-error', (e) => (w['__mdError'] = (e as CustomEvent).detail.message));
  });
  await page.goto(url);
  return page;
}

/**
 * Resolves with the report, or rejects with the page's own error message: waits on the element's events. After
 * `timeoutMs` with neither (below puppeteer's 180 s protocol limit, whose own error names no cause) it rejects and
 * says which stage the element reached.
 */
export async function waitForReport<T>(page: Page, timeoutMs = 150_000): Promise<T> {
  const outcome = await page.evaluate(
    (timeoutMs: number) =>
      new Promise<{ report?: unknown; error?: string; timedOut?: string }>((resolve) => {
        const w = window as unknown as Record<string, unknown>;
        if (w['__mdReport']) return resolve({ report: w['__mdReport'] });
        if (w['__mdError']) return resolve({ error: String(w['__mdError']) });
        setTimeout(() => {
          const app = document.querySelector('model-diff-app');
          const md = app?.shadowRoot?.querySelector('model-diff') ?? document.querySelector('model-diff');
          const shown = (md?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
          resolve({ timedOut: shown || '(the element shows nothing)' });
        }, timeoutMs);
        document.addEventListener('model-diff-ready', (e) => resolve({ report: (e as CustomEvent).detail.report }), {
          once: true,
        });
        document.addEventListener('model-diff-error', (e) => resolve({ error: (e as CustomEvent).detail.message }), {
          once: true,
        });
      }),
    timeoutMs,
  );
  if (outcome.timedOut !== undefined)
    throw new Error(
      `no model-diff-ready or model-diff-error within ${timeoutMs} ms; the element shows: ${outcome.timedOut}`,
    );
  if (outcome.error) throw new Error(`model-diff-error: ${outcome.error}`);
  return outcome.report as T;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT, { recursive: true });
  const path = join(OUTPUT, `${name}.png`);
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  return path;
}

/**
 * A static file server on loopback, for model folders and prompt sets that are not part of the site. With
 * `cors: false` it sends no Access-Control-Allow-Origin, as a server that does not allow cross-origin reads.
 */
export function serveFiles(
  files: Record<string, Uint8Array>,
  options: { cors?: boolean } = {},
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\//, '');
    const body = files[path];
    if (options.cors !== false) res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (!body) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Length', body.byteLength);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`, server });
    }),
  );
}
