// Node-side profiling of the forged family with the same engine and profiler the browser uses (onnxruntime-node
// instead of WASM): for `npm run validate-diff`, benchmarks and Node integration tests.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { OnnxEngine } from '../../workers/onnx-engine.ts';
import type { GenerationSettings } from '../core/engine/types.ts';
import type { PairProfile } from '../core/profile/types.ts';
import { parsePromptSet, type PromptSet } from '../core/prompts/index.ts';
import { profilePair, type EngineLike } from '../services/profiler.ts';

export function readFolder(dir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(dir, p).split('\\').join('/')] = new Uint8Array(readFileSync(p));
    }
  };
  walk(dir);
  return files;
}

export async function loadFolder(dir: string, name: string): Promise<EngineLike & { engine: OnnxEngine }> {
  const engine = new OnnxEngine();
  const info = await engine.load({ kind: 'files', name, files: readFolder(dir) }, { runtimeBase: '', device: 'wasm' });
  return { engine, info };
}

/** A llama2.c checkpoint and tokenizer.bin from disk, converted in the engine like a `llama2c:` model in the page. */
export async function loadLlama2c(checkpoint: string, tokenizer: string): Promise<EngineLike & { engine: OnnxEngine }> {
  const engine = new OnnxEngine();
  const name = checkpoint
    .split('/')
    .pop()!
    .replace(/\.bin$/, '');
  const info = await engine.load(
    {
      kind: 'llama2c',
      name,
      checkpoint: new Uint8Array(readFileSync(checkpoint)),
      tokenizer: new Uint8Array(readFileSync(tokenizer)),
    },
    { runtimeBase: '', device: 'wasm' },
  );
  return { engine, info };
}

export function readPromptSet(file: string): PromptSet {
  return parsePromptSet(readFileSync(file, 'utf8'), { filename: file }).set;
}

export const DEFAULT_SETTINGS: GenerationSettings = { maxNewTokens: 48, temperature: 0, seed: 1, topK: 10 };

export async function profileFolders(
  dirA: string,
  dirB: string,
  set: PromptSet,
  settings: GenerationSettings = DEFAULT_SETTINGS,
  batchSize = 8,
): Promise<PairProfile> {
  const nameA = dirA.split('/').filter(Boolean).pop()!;
  const nameB = dirB.split('/').filter(Boolean).pop()!;
  return profileLoaded(
    await loadFolder(dirA, nameA),
    nameA,
    await loadFolder(dirB, nameB),
    nameB,
    set,
    settings,
    batchSize,
  );
}

/** Profiles two loaded engines against each other and disposes of both. */
export async function profileLoaded(
  a: EngineLike & { engine: OnnxEngine },
  nameA: string,
  b: EngineLike & { engine: OnnxEngine },
  nameB: string,
  set: PromptSet,
  settings: GenerationSettings = DEFAULT_SETTINGS,
  batchSize = 8,
): Promise<PairProfile> {
  try {
    return await profilePair({ handle: a, spec: nameA, label: nameA }, { handle: b, spec: nameB, label: nameB }, set, {
      settings,
      batchSize,
    });
  } finally {
    await a.engine.dispose();
    await b.engine.dispose();
  }
}
