// `npm run forge`: writes the forged model folders into public/forged/ (ignored by git, rebuilt before dev, build
// and tests). Deterministic: the same seed gives byte-identical files.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forgeFamily, forgedFolder } from '../src/core/forge/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'forged');
const started = performance.now();
const { base, models } = forgeFamily();
rmSync(root, { recursive: true, force: true });
const index = [];
for (const model of models) {
  const files = forgedFolder(base, model);
  let bytes = 0;
  for (const [path, data] of files) {
    const target = join(root, model.name, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    bytes += data.byteLength;
  }
  index.push({ name: model.name, description: model.description, planted: model.planted, bytes });
}
writeFileSync(join(root, 'index.json'), JSON.stringify({ models: index }, null, 1));
const summary = index.map((m) => `${m.name} ${(m.bytes / 1024).toFixed(0)} KiB`).join(', ');
console.log(
  `forge: wrote ${index.length} models to public/forged in ${(performance.now() - started).toFixed(0)} ms (${summary})`,
);
