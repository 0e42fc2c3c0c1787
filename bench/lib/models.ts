// The model folders the benchmarks load, written under bench/results/models/ (ignored by git) on first use and
// reused while their stamp matches: stories260K converted from ../shared with our llama2.c import, and a model
// forged with SmolLM2-135M's shape (random weights, ~540 MB fp32; forging takes about half a minute).

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SMOLLM2_135M_SHAPE, forgeShaped } from '../../src/core/forge/shaped.ts';
import { importLlama2c } from '../../src/core/llama2c/import.ts';
import type { ModelFiles } from '../../src/core/hf/folder.ts';
import { RESULTS, ROOT } from './common.ts';

export const MODELS = join(RESULTS, 'models');
const STORIES = join(ROOT, '..', 'shared', 'data', 'stories260K');
/** Bump when the forge or the import changes what they write. */
const VERSION = 2;

function writeFolder(name: string, files: ModelFiles, stamp: unknown): void {
  const dir = join(MODELS, name);
  rmSync(dir, { recursive: true, force: true });
  for (const [path, data] of files) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  writeFileSync(join(dir, 'stamp.json'), JSON.stringify(stamp));
}

function fresh(name: string, stamp: unknown): boolean {
  try {
    return readFileSync(join(MODELS, name, 'stamp.json'), 'utf8') === JSON.stringify(stamp);
  } catch {
    return false;
  }
}

/** The stories260K folder's name, or null when ../shared/data/stories260K is absent. */
export function prepareStories(): string | null {
  if (!existsSync(join(STORIES, 'stories260K.bin'))) return null;
  const name = 'stories260K';
  const stamp = { VERSION, source: 'llama2.c import of ../shared/data/stories260K' };
  if (!fresh(name, stamp)) {
    const model = importLlama2c(
      readFileSync(join(STORIES, 'stories260K.bin')),
      readFileSync(join(STORIES, 'tok512.bin')),
      {
        checkpoint: 'stories260K.bin',
        tokenizer: 'tok512.bin',
      },
    );
    writeFolder(name, model.files, stamp);
  }
  return name;
}

/** Weight formats of the SmolLM2-135M-shaped model: fp32 (onnx/model.onnx), MatMulNBits q4 and q8. */
export type ShapedDtype = 'fp32' | 'q4' | 'q8';

/** The ONNX file transformers.js loads for a weight format. */
export const ONNX_FILE: Record<ShapedDtype, string> = {
  fp32: 'onnx/model.onnx',
  q4: 'onnx/model_q4.onnx',
  q8: 'onnx/model_quantized.onnx',
};

/**
 * The SmolLM2-135M-shaped folder's name; forged now unless an up-to-date copy is on disk. fp32: the forge's own
 * graph (~540 MB); q4 / q8: the Optimum export shape with every projection as MatMulNBits (~170 / ~250 MB).
 */
export function prepareShaped(log: (s: string) => void, dtype: ShapedDtype = 'fp32'): string {
  const name = dtype === 'fp32' ? SMOLLM2_135M_SHAPE.name : `${SMOLLM2_135M_SHAPE.name}-${dtype}`;
  const stamp = { VERSION, shape: SMOLLM2_135M_SHAPE, seed: 1, ...(dtype === 'fp32' ? {} : { export: dtype }) };
  if (!fresh(name, stamp)) {
    log(`forging ${name} (random weights, ${dtype}) into bench/results/models/ …`);
    const t = performance.now();
    const { files, parameters } =
      dtype === 'fp32' ? forgeShaped(SMOLLM2_135M_SHAPE, 1) : forgeShaped(SMOLLM2_135M_SHAPE, 1, dtype);
    writeFolder(name, files, stamp);
    log(`  ${(parameters / 1e6).toFixed(1)} M parameters in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  return name;
}

/** Parameters of the SmolLM2-135M-shaped model (tied embeddings counted once), as the forge counts them. */
export function shapedParameters(): { total: number; embedding: number } {
  const s = SMOLLM2_135M_SHAPE;
  const h = s.hiddenSize;
  const kv = s.headDim * s.numKvHeads;
  const q = s.headDim * s.numHeads;
  const layer = h * q * 2 + h * kv * 2 + 3 * h * s.intermediateSize + 2 * h;
  const embedding = s.vocabSize * h;
  return { total: embedding + s.numLayers * layer + h, embedding };
}
