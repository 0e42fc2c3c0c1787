// The crosscoder's parameters and Adam state as flat float32 arrays, in one fixed order the reference and the ONNX
// training step share, and their initialisation (decoder bias from the data mean, encoder = decoder transposed).

import { createRng } from '../../random.ts';
import { latentMasks, type CrosscoderConfig, type Pair } from './config.ts';

export interface CrosscoderParams {
  /** encoder[m]: [d_m, L] row-major, so pre = Σ_m x^m · encoder[m] + encoderBias. */
  encoder: Pair<Float32Array>;
  encoderBias: Float32Array; // [L]
  /** decoder[m]: [L, d_m]; row j is latent j's direction d_j^m in model m. */
  decoder: Pair<Float32Array>;
  decoderBias: Pair<Float32Array>; // [d_m]
}

/** The order every list of parameters (gradients, Adam moments, graph inputs) follows. */
export const PARAM_NAMES = ['enc0', 'enc1', 'encBias', 'dec0', 'dec1', 'decBias0', 'decBias1'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export function paramList(p: CrosscoderParams): Float32Array[] {
  return [p.encoder[0], p.encoder[1], p.encoderBias, p.decoder[0], p.decoder[1], p.decoderBias[0], p.decoderBias[1]];
}

export function fromList(l: readonly Float32Array[]): CrosscoderParams {
  if (l.length !== PARAM_NAMES.length) throw new Error(`crosscoder: ${l.length} parameter arrays, not 7.`);
  const [e0, e1, eb, d0, d1, b0, b1] = l as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  return { encoder: [e0, e1], encoderBias: eb, decoder: [d0, d1], decoderBias: [b0, b1] };
}

export function paramShapes(c: CrosscoderConfig): number[][] {
  const [dA, dB] = c.dims;
  const L = c.latents;
  return [[dA, L], [dB, L], [L], [L, dA], [L, dB], [dA], [dB]];
}

export function cloneParams(p: CrosscoderParams): CrosscoderParams {
  return fromList(paramList(p).map((a) => new Float32Array(a)));
}

export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

export function zeroAdam(p: CrosscoderParams): AdamState {
  const l = paramList(p);
  return { step: 0, m: l.map((a) => new Float32Array(a.length)), v: l.map((a) => new Float32Array(a.length)) };
}

/**
 * Random unit directions scaled to initNorm per model (masked rows zero), the encoder as the decoder's transpose,
 * zero encoder bias, and each decoder bias the mean of that model's data (so the first steps fit structure, not
 * the offset).
 */
export function initParams(c: CrosscoderConfig, means: Pair<Float32Array>): CrosscoderParams {
  const rng = createRng(c.seed);
  const L = c.latents;
  const masks = latentMasks(c);
  const dec = c.dims.map((d, m) => {
    const w = new Float32Array(L * d);
    for (let j = 0; j < L; j++) {
      if (!masks[m]![j]) continue;
      let ss = 0;
      for (let i = 0; i < d; i++) {
        const v = rng.normal();
        w[j * d + i] = v;
        ss += v * v;
      }
      const s = c.initNorm / Math.sqrt(ss);
      for (let i = 0; i < d; i++) w[j * d + i] = w[j * d + i]! * s;
    }
    return w;
  }) as unknown as Pair<Float32Array>;
  const enc = c.dims.map((d, m) => {
    const e = new Float32Array(d * L);
    for (let j = 0; j < L; j++) for (let i = 0; i < d; i++) e[i * L + j] = dec[m]![j * d + i]!;
    return e;
  }) as unknown as Pair<Float32Array>;
  means.forEach((mu, m) => {
    if (mu.length !== c.dims[m]) throw new Error(`crosscoder: mean of model ${m} has ${mu.length} values.`);
  });
  return {
    encoder: enc,
    encoderBias: new Float32Array(L),
    decoder: dec,
    decoderBias: [new Float32Array(means[0]), new Float32Array(means[1])],
  };
}
