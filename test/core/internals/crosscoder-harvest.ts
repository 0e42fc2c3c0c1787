// Real model pairs for the crosscoder tests: a corpus (the bundled prompts and both models' seeded samples),
// residual activations harvested with the TypeScript reference decoder at the middle layer
// (blocks.{L}.hook_resid_post, L = ⌊layers/2⌋), and training on onnxruntime-node with the very graph the browser runs.
// One set of settings for every pair.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  prepareActivations,
  type ActivationChunks,
  type TrainingData,
} from '../../../src/core/internals/crosscoder/activations.ts';
import { crosscoderConfig, type CrosscoderConfig } from '../../../src/core/internals/crosscoder/config.ts';
import type { CrosscoderDictionary } from '../../../src/core/internals/crosscoder/dictionary.ts';
import { buildTrainingStep } from '../../../src/core/internals/crosscoder/onnx-step.ts';
import { ortStepRuntime, type OrtLike, type SessionLike } from '../../../src/core/internals/crosscoder/ort-runtime.ts';
import { initParams, zeroAdam } from '../../../src/core/internals/crosscoder/params.ts';
import {
  countExclusives,
  scanLatents,
  type ExclusiveCounts,
  type LatentScan,
} from '../../../src/core/internals/crosscoder/reading.ts';
import { GraphStepper } from '../../../src/core/internals/crosscoder/stepper.ts';
import { freshTrainerState, train, type TrainProgress } from '../../../src/core/internals/crosscoder/trainer.ts';
import { ReferenceDecoder } from '../../../src/core/llama/reference.ts';
import type { LlamaWeights } from '../../../src/core/llama/weights.ts';
import { createRng } from '../../../src/core/random.ts';

export const ROOT = join(import.meta.dirname, '..', '..', '..');

export function promptSet(name: string): { id: string; prompt?: string; category: string }[] {
  return (JSON.parse(readFileSync(join(ROOT, 'public', 'prompts', `${name}.json`), 'utf8')) as { prompts: [] }).prompts;
}

/** Temperature-1 sampling from the reference decoder, seeded; stops at a stop id (kept) or after n tokens. */
export function sample(w: LlamaWeights, prompt: readonly number[], n: number, seed: number): number[] {
  const rng = createRng(seed);
  const dec = new ReferenceDecoder(w);
  let logits = dec.forward(prompt).at(-1)!;
  const out: number[] = [];
  while (out.length < n) {
    let max = -Infinity;
    for (const v of logits) max = Math.max(max, v);
    let z = 0;
    for (const v of logits) z += Math.exp(v - max);
    let u = rng.next() * z;
    let next = logits.length - 1;
    for (let t = 0; t < logits.length; t++) {
      u -= Math.exp(logits[t]! - max);
      if (u <= 0) {
        next = t;
        break;
      }
    }
    out.push(next);
    if (w.config.eosTokenIds.includes(next)) break;
    logits = dec.forward([next])[0]!;
  }
  return out;
}

/** hidden[layer + 1] (the stream after decoder layer `layer`) at every position of each text. */
export function harvest(w: LlamaWeights, texts: readonly (readonly number[])[], layer: number): ActivationChunks {
  const d = w.config.hiddenSize;
  const chunks = texts.map((ids) => {
    const { hidden } = new ReferenceDecoder(w).forwardWithHidden(ids);
    const out = new Float32Array(ids.length * d);
    hidden.forEach((h, t) => out.set(h[layer + 1]!, t * d));
    return out;
  });
  return { dim: d, chunks };
}

export const middleLayer = (w: LlamaWeights) => Math.floor(w.config.numLayers / 2);

/** The settings every pair is trained with. */
export function pairConfig(dims: readonly [number, number], seed: number): CrosscoderConfig {
  return crosscoderConfig(dims, { seed, latents: 8 * Math.max(...dims), k: 8 });
}
export const PAIR_STEPS = 1500;

export interface TrainedPair {
  dict: CrosscoderDictionary;
  data: TrainingData;
  scan: LatentScan;
  counts: ExclusiveCounts;
  last: TrainProgress;
}

export async function trainPair(sets: readonly [ActivationChunks, ActivationChunks], seed = 1): Promise<TrainedPair> {
  const data = prepareActivations(sets);
  const c = pairConfig([sets[0].dim, sets[1].dim], seed);
  const session = await ort.InferenceSession.create(buildTrainingStep(c));
  const p = initParams(c, data.mean);
  const stepper = new GraphStepper(
    c,
    ortStepRuntime(ort as unknown as OrtLike, session as SessionLike),
    p,
    zeroAdam(p),
  );
  let last: TrainProgress | null = null;
  const { state } = await train(c, data, stepper, freshTrainerState(c), {
    steps: PAIR_STEPS,
    now: () => performance.now(),
    progressEvery: 100,
    onProgress: (x) => (last = x),
  });
  const { params } = await stepper.state();
  await session.release();
  const dict: CrosscoderDictionary = {
    config: c,
    params,
    threshold: state.threshold,
    scale: data.scale,
    steps: PAIR_STEPS,
  };
  const scan = scanLatents(dict, data);
  return { dict, data, scan, counts: countExclusives(dict, scan), last: last! };
}
