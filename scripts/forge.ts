// `npm run forge`: writes the forged model folders into public/forged/ (ignored by git, rebuilt before dev, build
// and tests): each forged model as the project's own graph, and again in every export shape users load (Optimum
// fp32, with external data, q4, q8, genai builder), as <model>-<shape>/. Deterministic: the same seed gives
// byte-identical files. Files are rewritten in place and only stale ones removed, so a test reading the folder
// while it is rebuilt never finds it missing.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forgeFamily, forgedFolder, forgedShapeFolder, shapedName } from '../src/core/forge/index.ts';
import { EXPORT_SHAPES, SHAPE_INFO } from '../src/core/forge/shapes.ts';
import type { ModelFiles } from '../src/core/hf/folder.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'forged');
const started = performance.now();
const { base, models } = forgeFamily();
const written = new Set<string>();
const index = [];

function write(name: string, files: ModelFiles): number {
  let bytes = 0;
  for (const [path, data] of files) {
    const target = join(root, name, path);
    written.add(target);
    bytes += data.byteLength;
    if (existsSync(target) && Buffer.compare(readFileSync(target), data) === 0) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  return bytes;
}

for (const model of models) {
  const bytes = write(model.name, forgedFolder(base, model));
  index.push({ name: model.name, description: model.description, planted: model.planted, shape: 'forge', bytes });
}
for (const model of models) {
  for (const shape of EXPORT_SHAPES) {
    const name = shapedName(model.name, shape);
    const bytes = write(name, forgedShapeFolder(base, model, shape));
    const info = SHAPE_INFO[shape];
    index.push({
      name,
      description: `${model.description} ${info.description}`,
      planted: model.planted,
      shape,
      of: model.name,
      dtype: info.dtype,
      bytes,
    });
  }
}
const indexFile = join(root, 'index.json');
written.add(indexFile);
writeFileSync(indexFile, JSON.stringify({ models: index }, null, 1));

/** Removes files (and then empty folders) this run did not write. */
function prune(dir: string): boolean {
  let empty = true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? prune(path) : !written.has(path)) rmSync(path, { recursive: true, force: true });
    else empty = false;
  }
  return empty;
}
prune(root);

const total = index.reduce((sum, m) => sum + m.bytes, 0);
const shapes = index.filter((m) => m.shape !== 'forge');
console.log(
  `forge: wrote ${index.length - shapes.length} models and ${shapes.length} shaped copies (${EXPORT_SHAPES.join(', ')}) ` +
    `to ${relative(process.cwd(), root) || root} in ${(performance.now() - started).toFixed(0)} ms, ` +
    `${(total / 2 ** 20).toFixed(1)} MiB (${index
      .filter((m) => m.of === undefined || m.of === 'forged-base')
      .map((m) => `${m.name} ${(m.bytes / 1024).toFixed(0)} KiB`)
      .join(', ')})`,
);
