// A crosscoder dictionary written by hand for the planted tests: D-wide streams in both models, L latents, no
// biases, threshold 0, scale 1; `plant` sets the encoder ([D, L] per model) and decoder ([L, D] per model) entries.

import { crosscoderConfig } from '../../../src/core/internals/crosscoder/config.ts';
import type { CrosscoderDictionary } from '../../../src/core/internals/crosscoder/dictionary.ts';

type Weights = readonly [Float32Array, Float32Array];

export function plantedDictionary(
  D: number,
  L: number,
  plant: (encoder: Weights, decoder: Weights) => void,
): CrosscoderDictionary {
  const config = crosscoderConfig([D, D], { latents: L, k: 1, exclusiveShare: 0 });
  const encoder = [new Float32Array(D * L), new Float32Array(D * L)] as const;
  const decoder = [new Float32Array(L * D), new Float32Array(L * D)] as const;
  plant(encoder, decoder);
  return {
    config,
    params: {
      encoder,
      encoderBias: new Float32Array(L),
      decoder,
      decoderBias: [new Float32Array(D), new Float32Array(D)],
    },
    threshold: 0,
    scale: [1, 1],
    steps: 0,
  };
}
