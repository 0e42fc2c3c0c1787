// The benchmark page in Debian Chromium: built with Vite from bench/page/, served with cross-origin isolation next to
// the model folders and onnxruntime-web's runtime, and driven through puppeteer-core.

import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.config.mjs';
import type { BenchPage } from '../page/main.ts';
import { RESULTS, ROOT } from './common.ts';
import { MODELS } from './models.ts';
import { serveStatic, type StaticServer } from './server.ts';

const PAGE_OUT = join(RESULTS, 'page');

export async function buildPage(): Promise<void> {
  await build({
    root: ROOT,
    configFile: false,
    base: '/',
    logLevel: 'warn',
    publicDir: false,
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      outDir: PAGE_OUT,
      emptyOutDir: true,
      chunkSizeWarningLimit: 5000,
      rolldownOptions: { input: join(ROOT, 'bench', 'page', 'index.html'), checks: { pluginTimings: false } },
    },
  });
}

/**
 * Chromium flags for WebGPU on a real GPU under Linux, headless (`npm run bench -- --gpu`): Vulkan through ANGLE,
 * no window surface, and the GPU blocklist ignored (headless Chromium otherwise falls back to SwiftShader).
 */
export const GPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=vulkan',
  '--use-vulkan',
  '--disable-vulkan-surface',
  '--ignore-gpu-blocklist',
];

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Eager memory measurement: performance.measureUserAgentSpecificMemory() answers at once, not at the next GC.
    args: [...CHROMIUM_ARGS, '--enable-blink-features=ForceEagerMeasureMemory', ...extraArgs],
    protocolTimeout: 0,
  });
}

export interface BenchSession {
  page: Page;
  call<K extends keyof BenchPage>(
    name: K,
    ...args: Parameters<BenchPage[K]>
  ): Promise<Awaited<ReturnType<BenchPage[K]>>>;
  close(): Promise<void>;
}

/** Builds the page, serves it with the models and runtime, and opens it in a fresh browser. */
export async function openBenchPage(extraArgs: readonly string[] = []): Promise<BenchSession> {
  await buildPage();
  const server: StaticServer = await serveStatic(
    {
      '/': PAGE_OUT,
      '/ort/': join(ROOT, 'public', 'ort'),
      '/models/': MODELS,
    },
    ['/'],
  );
  const browser = await launchChromium(extraArgs);
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`bench page error: ${String(e)}`));
  await page.goto(`${server.url}/bench/page/index.html`);
  await page.waitForFunction(() => document.body.dataset['ready'] === '1');
  return {
    page,
    call: (name, ...args) =>
      page.evaluate(
        (n, a) => (window as unknown as { bench: Record<string, (...x: unknown[]) => unknown> }).bench[n]!(...a),
        name,
        args,
      ) as never,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
