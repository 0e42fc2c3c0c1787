// Small random crosscoders and batches for the crosscoder tests: odd sizes, different hidden sizes per model, some
// latents dead so the AuxK term is exercised.

import { crosscoderConfig, latentMasks, type CrosscoderConfig } from '../../../src/core/internals/crosscoder/config.ts';
import { fromList, paramShapes, type CrosscoderParams } from '../../../src/core/internals/crosscoder/params.ts';
import type { Batch } from '../../../src/core/internals/crosscoder/reference.ts';
import type { ActivationChunks } from '../../../src/core/internals/crosscoder/activations.ts';
import { createRng, type Rng } from '../../../src/core/random.ts';

export function smallConfig(over: Partial<CrosscoderConfig> = {}): CrosscoderConfig {
  return crosscoderConfig([5, 7], { latents: 12, k: 3, batchSize: 6, exclusiveShare: 0.17, auxK: 3, ...over });
}

/** Random parameters with the partition's masked entries zero (as training keeps them). */
export function randomParams(c: CrosscoderConfig, seed: number): CrosscoderParams {
  const rng = createRng(seed);
  const p = fromList(
    paramShapes(c).map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal() * 0.5)),
  );
  const masks = latentMasks(c);
  const L = c.latents;
  c.dims.forEach((d, m) => {
    for (let j = 0; j < L; j++) {
      if (masks[m]![j]) continue;
      for (let i = 0; i < d; i++) {
        p.encoder[m]![i * L + j] = 0;
        p.decoder[m]![j * d + i] = 0;
      }
    }
  });
  return p;
}

export function randomBatch(c: CrosscoderConfig, seed: number, size = c.batchSize): Batch {
  const rng = createRng(seed);
  const x = c.dims.map((d) => Float32Array.from({ length: size * d }, () => rng.normal())) as unknown as Batch['x'];
  return { size, x };
}

export function deadMask(c: CrosscoderConfig, which: readonly number[]): Uint8Array {
  const dead = new Uint8Array(c.latents);
  for (const j of which) dead[j] = 1;
  return dead;
}

export const SYNTHETIC_DIM = 16;
const D = SYNTHETIC_DIM;
function unit(rng: Rng): Float32Array {
  const v = Float32Array.from({ length: D }, () => rng.normal());
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/**
 * Two models' activations with known structure: 12 shared features (each its own direction in A and in B) and,
 * when bOnly, 2 features only B has; magnitudes 1–2, ~3 active per position, small noise; 40 texts of 31
 * positions, position 0 a huge BOS that preparation must drop.
 */
export function syntheticActivations(bOnly: boolean, seed = 5) {
  const rng = createRng(seed);
  const shared = Array.from({ length: 12 }, () => [unit(rng), unit(rng)] as const);
  const own = bOnly ? [unit(rng), unit(rng)] : [];
  const chunks: [Float32Array[], Float32Array[]] = [[], []];
  for (let text = 0; text < 40; text++) {
    const n = 31;
    const a = new Float32Array(n * D);
    const b = new Float32Array(n * D);
    for (let p = 1; p < n; p++) {
      for (let f = 0; f < shared.length; f++) {
        if (rng.next() > 0.2) continue;
        const v = 1 + rng.next();
        for (let i = 0; i < D; i++) {
          a[p * D + i] = a[p * D + i]! + v * shared[f]![0][i]!;
          b[p * D + i] = b[p * D + i]! + v * shared[f]![1][i]!;
        }
      }
      for (const u of own) {
        if (rng.next() > 0.15) continue;
        const v = 1 + rng.next();
        for (let i = 0; i < D; i++) b[p * D + i] = b[p * D + i]! + v * u[i]!;
      }
      for (let i = 0; i < D; i++) {
        a[p * D + i] = a[p * D + i]! + 0.02 * rng.normal();
        b[p * D + i] = b[p * D + i]! + 0.02 * rng.normal();
      }
    }
    a.fill(50, 0, D); // position 0 plays BOS: huge, and dropped
    b.fill(50, 0, D);
    chunks[0].push(a);
    chunks[1].push(bOnly ? b : a);
  }
  const sets = chunks.map((c) => ({ dim: D, chunks: c })) as unknown as [ActivationChunks, ActivationChunks];
  return { sets, own };
}
