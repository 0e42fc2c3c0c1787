// `npm run runtime`: copies onnxruntime-web's WASM runtime into public/ort/ so the site serves it itself (no CDN at
// run time, works offline). Ignored by git; rebuilt before dev, build and tests.

import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'ort');
mkdirSync(target, { recursive: true });
for (const name of ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm']) {
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
