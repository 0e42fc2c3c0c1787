// Small random crosscoders and batches for the crosscoder tests: odd sizes, different hidden sizes per model, some
// latents dead so the AuxK term is exercised.

import { crosscoderConfig, latentMasks, type CrosscoderConfig } from '../../../src/core/internals/crosscoder/config.ts';
import { fromList, paramShapes, type CrosscoderParams } from '../../../src/core/internals/crosscoder/params.ts';
import type { Batch } from '../../../src/core/internals/crosscoder/reference.ts';
import { createRng } from '../../../src/core/random.ts';

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
