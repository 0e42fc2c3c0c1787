// Browser tests: Debian Chromium (never a downloaded browser), WebGPU on (SwiftShader adapter), cross-origin
// isolation for threaded WASM, ../shared/data served at /__shared__/ for tests that use real checkpoints, and the
// folder commands (real folders handed to the page through Chromium's file APIs) of test/browser/folder-commands.mjs.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.config.mjs';
import { countingFiles, folderCommands } from './test/browser/folder-commands.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sharedData = resolve(here, '..', 'shared', 'data');

/** Serves ../shared/data read-only under /__shared__/ (404 when absent, so tests can skip). */
function sharedDataMiddleware(ctx, next) {
  if (!ctx.path.startsWith('/__shared__/')) return next();
  const file = resolve(sharedData, '.' + decodeURIComponent(ctx.path.slice('/__shared__'.length)));
  if (!file.startsWith(sharedData) || !existsSync(file) || !statSync(file).isFile()) {
    ctx.status = 404;
    return;
  }
  ctx.body = readFileSync(file);
  ctx.type = file.endsWith('.md') ? 'text/markdown' : 'application/octet-stream';
}

/** onnxruntime-web's runtime must reach the browser untouched: the dev server would rewrite its imports. */
function rawRuntimeMiddleware(ctx, next) {
  if (!ctx.path.startsWith('/public/ort/')) return next();
  const file = resolve(here, 'public', 'ort', ctx.path.slice('/public/ort/'.length));
  if (!file.startsWith(resolve(here, 'public', 'ort')) || !existsSync(file)) {
    ctx.status = 404;
    return;
  }
  ctx.body = readFileSync(file);
  ctx.type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
}

function isolation(ctx, next) {
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  ctx.set('Cross-Origin-Embedder-Policy', 'require-corp');
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
  return next();
}

/**
 * A port free on every interface. The runner's default check (from 8000 up) can hand two runners on one machine the
 * same port, one on IPv4 and one on IPv6, and a browser then loads the other runner's tests.
 */
const port =
  Number(process.env.WTR_PORT) ||
  (await new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  }));

/** After the run, the slowest test files and tests (durations as mocha measured them): where CI's minutes go. */
function slowestReporter(top = 12) {
  return {
    onTestRunFinished({ sessions }) {
      const files = [];
      const tests = [];
      const walk = (suite, file, path) => {
        for (const t of suite?.tests ?? [])
          tests.push({ file, name: [...path, t.name].join(' › '), ms: t.duration ?? 0 });
        for (const s of suite?.suites ?? []) walk(s, file, [...path, s.name]);
      };
      for (const s of sessions) {
        const file = s.testFile.replace(here + '/', '').replace(/^\//, '');
        const before = tests.length;
        walk(s.testResults, file, []);
        files.push({ file, ms: tests.slice(before).reduce((sum, t) => sum + t.ms, 0) });
      }
      const line = (ms, what) => `${(ms / 1000).toFixed(1).padStart(7)} s  ${what}`;
      const total = files.reduce((sum, f) => sum + f.ms, 0);
      console.log(`\nslowest browser test files (of ${(total / 1000).toFixed(0)} s in tests):`);
      for (const f of files.sort((x, y) => y.ms - x.ms).slice(0, top)) console.log(line(f.ms, f.file));
      console.log('slowest browser tests:');
      for (const t of tests.sort((x, y) => y.ms - x.ms).slice(0, top)) console.log(line(t.ms, `${t.file}: ${t.name}`));
    },
  };
}

export default {
  reporters: [defaultReporter(), slowestReporter()],
  rootDir: here,
  port,
  files: [process.env.WTR_FILES ?? 'test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: join(here, 'tsconfig.json') }), folderCommands(here)],
  middleware: [isolation, rawRuntimeMiddleware, sharedDataMiddleware, countingFiles(here)],
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60000,
  testsStartTimeout: 120000,
  testsFinishTimeout: 900000,
  testFramework: { config: { timeout: 300000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
};
