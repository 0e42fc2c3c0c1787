// `npm run runtime`: copies onnxruntime-web's WASM runtime into public/ort/ so the site serves it itself (no CDN at
// run time, works offline). Ignored by git; rebuilt before dev, build and tests.

import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'ort');
mkdirSync(target, { recursive: true });
// The Asyncify build serves transformers.js (WebGPU and WASM) and the crosscoder on WebGPU; the plain build serves
// the crosscoder's WASM training (workers/crosscoder-runtime.ts), fetched only when a crosscoder trains on WASM.
const files = ['ort-wasm-simd-threaded.asyncify', 'ort-wasm-simd-threaded'].flatMap((f) => [`${f}.mjs`, `${f}.wasm`]);
for (const name of files) {
  const from = require.resolve(`onnxruntime-web/${name}`);
  const to = join(target, name);
  const fresh = (() => {
    try {
      return statSync(to).size === statSync(from).size && statSync(to).mtimeMs >= statSync(from).mtimeMs;
    } catch {
      return false;
    }
  })();
  if (!fresh) copyFileSync(from, to);
}
console.log('runtime: onnxruntime-web WASM files in public/ort');
