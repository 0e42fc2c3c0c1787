// Reading a trained crosscoder: relative decoder norms and their bands, how often each latent fires and where most
// strongly, latent scaling (Minder et al. 2025: ν, which flags latents that only look exclusive because of
// shrinkage or decoupling), decoder directions through an unembedding, and shared latents whose directions moved.

import type { Pair } from './config.ts';
import type { TrainingData } from './activations.ts';
import { encodeRows, type CrosscoderDictionary } from './dictionary.ts';

export interface Bands {
  /** r ≤ aOnly: A-only. */
  aOnly: number;
  /** r ≥ bOnly: B-only. */
  bOnly: number;
  /** sharedLow ≤ r ≤ sharedHigh: shared; anything else between is "shifted". */
  sharedLow: number;
  sharedHigh: number;
}
/**
 * Minder et al. 2025's bands on their Δnorm = ½((‖d^B‖ − ‖d^A‖)/max(‖d^A‖, ‖d^B‖) + 1): exclusive past 0.1 / 0.9,
 * shared within 0.4–0.6. In r these are r ≤ 1/6 (one decoder at least 5× the other), r ≥ 5/6, and 4/9 ≤ r ≤ 5/9.
 */
export const DEFAULT_BANDS: Bands = { aOnly: 1 / 6, bOnly: 5 / 6, sharedLow: 4 / 9, sharedHigh: 5 / 9 };
export type Band = 'a-only' | 'b-only' | 'shared' | 'shifted';

/** ‖d_j^m‖ per latent and model. */
export function decoderRowNorms(dict: CrosscoderDictionary): Pair<Float64Array> {
  const { config: c, params: p } = dict;
  return [0, 1].map((m) => {
    const d = c.dims[m]!;
    const w = p.decoder[m]!;
    return Float64Array.from({ length: c.latents }, (_, j) => {
      let s = 0;
      for (let i = 0; i < d; i++) s += w[j * d + i]! ** 2;
      return Math.sqrt(s);
    });
  }) as unknown as Pair<Float64Array>;
}

/** r_j = ‖d_j^B‖ / (‖d_j^A‖ + ‖d_j^B‖): 0 A-only, 1 B-only, ½ equally in both (NaN for an all-zero latent). */
export function relativeNorms(dict: CrosscoderDictionary): Float64Array {
  const [a, b] = decoderRowNorms(dict);
  return a.map((na, j) => b[j]! / (na + b[j]!));
}

export function bandOf(r: number, bands: Bands = DEFAULT_BANDS): Band {
  if (r <= bands.aOnly) return 'a-only';
  if (r >= bands.bOnly) return 'b-only';
  return r >= bands.sharedLow && r <= bands.sharedHigh ? 'shared' : 'shifted';
}

export interface LatentScan {
  /** Share of positions where each latent is on. */
  frequency: Float64Array;
  /** top[j]: the rows of the data where latent j is strongest, descending. */
  top: { row: number; value: number }[][];
  /**
   * Latent scaling per latent, or null when the models' residual spaces differ in size (the decoder direction of
   * one model means nothing in the other). ν = β(other model) / β(own model), own = the larger decoder norm, with
   * β the least-squares scale of f_j·d_j that explains the target: the reconstruction (ν_r, latent decoupling) or
   * the reconstruction error with latent j left out (ν_ε, complete shrinkage). Near 0: the other model really
   * lacks it; near 1: it is there too.
   */
  nu: { r: Float64Array; eps: Float64Array } | null;
}

/** One pass over the data: frequency, top rows, latent-scaling sums. */
export function scanLatents(dict: CrosscoderDictionary, data: TrainingData, top = 10, chunk = 512): LatentScan {
  const { config: c, params: p } = dict;
  const L = c.latents;
  const sameSpace = c.dims[0] === c.dims[1];
  const d = c.dims[0];
  const [na, nb] = decoderRowNorms(dict);
  const own = Uint8Array.from({ length: L }, (_, j) => (nb[j]! > na[j]! ? 1 : 0));
  const count = new Float64Array(L);
  const tops: { row: number; value: number }[][] = Array.from({ length: L }, () => []);
  const ff = new Float64Array(L);
  const sums = { r: [new Float64Array(L), new Float64Array(L)], e: [new Float64Array(L), new Float64Array(L)] };
  const dd = [new Float64Array(L), new Float64Array(L)]; // ⟨d_own, d_j^m⟩
  if (sameSpace) {
    for (let j = 0; j < L; j++) {
      const dOwn = p.decoder[own[j]!]!;
      for (let m = 0; m < 2; m++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += dOwn[j * d + i]! * p.decoder[m]![j * d + i]!;
        dd[m]![j] = s;
      }
    }
  }
  const xhat = c.dims.map((dm) => new Float64Array(dm));
  for (let start = 0; start < data.tokens; start += chunk) {
    const n = Math.min(chunk, data.tokens - start);
    const x = data.x.map((xm, m) =>
      xm.subarray(start * c.dims[m]!, (start + n) * c.dims[m]!),
    ) as unknown as Pair<Float32Array>;
    const acts = encodeRows(dict, x, n);
    for (let t = 0; t < n; t++) {
      const row = start + t;
      const active: number[] = [];
      for (let j = 0; j < L; j++) if (acts[t * L + j]! > 0) active.push(j);
      for (const j of active) {
        const v = acts[t * L + j]!;
        count[j] = count[j]! + 1;
        const list = tops[j]!;
        if (list.length < top || v > list[list.length - 1]!.value) {
          list.push({ row, value: v });
          list.sort((u, w) => w.value - u.value);
          if (list.length > top) list.pop();
        }
      }
      if (!sameSpace) continue;
      for (let m = 0; m < 2; m++) {
        const xm = xhat[m]!;
        xm.set(p.decoderBias[m]!);
        for (const j of active) {
          const v = acts[t * L + j]!;
          for (let i = 0; i < d; i++) xm[i] = xm[i]! + v * p.decoder[m]![j * d + i]!;
        }
      }
      for (const j of active) {
        const v = acts[t * L + j]!;
        ff[j] = ff[j]! + v * v;
        const dOwn = p.decoder[own[j]!]!;
        for (let m = 0; m < 2; m++) {
          let sr = 0;
          let se = 0;
          const xm = x[m]!;
          for (let i = 0; i < d; i++) {
            const di = dOwn[j * d + i]!;
            sr += di * xhat[m]![i]!;
            se += di * (xm[t * d + i]! - xhat[m]![i]!);
          }
          sums.r[m]![j] = sums.r[m]![j]! + v * sr;
          sums.e[m]![j] = sums.e[m]![j]! + v * se + v * v * dd[m]![j]!; // latent j's own term added back
        }
      }
    }
  }
  const frequency = count.map((k) => k / data.tokens);
  if (!sameSpace) return { frequency, top: tops, nu: null };
  const ratio = (s: Float64Array[], j: number) => {
    const o = own[j]!;
    return s[o]![j]! === 0 ? NaN : s[1 - o]![j]! / s[o]![j]!;
  };
  return {
    frequency,
    top: tops,
    nu: {
      r: Float64Array.from({ length: L }, (_, j) => ratio(sums.r, j)),
      eps: Float64Array.from({ length: L }, (_, j) => ratio(sums.e, j)),
    },
  };
}

/** Token ids whose logits latent j's decoder direction in model m raises most: U · (d ⊙ final-norm weight). */
export function decoderTokens(
  dict: CrosscoderDictionary,
  m: 0 | 1,
  j: number,
  unembedding: Float32Array,
  finalNorm: Float32Array,
  n = 10,
): { id: number; logit: number }[] {
  const d = dict.config.dims[m];
  const dir = dict.params.decoder[m].subarray(j * d, (j + 1) * d);
  const V = unembedding.length / d;
  const logits: { id: number; logit: number }[] = [];
  for (let t = 0; t < V; t++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += unembedding[t * d + i]! * dir[i]! * finalNorm[i]!;
    logits.push({ id: t, logit: s });
  }
  return logits.sort((a, b) => b.logit - a.logit).slice(0, n);
}

/** Shared-band latents that fire, by the cosine of their two decoder directions, lowest first (same space only). */
export function changedShared(
  dict: CrosscoderDictionary,
  frequency: Float64Array,
  n = 10,
  bands: Bands = DEFAULT_BANDS,
): { latent: number; cosine: number; r: number }[] | null {
  const c = dict.config;
  if (c.dims[0] !== c.dims[1]) return null;
  const d = c.dims[0];
  const r = relativeNorms(dict);
  const [na, nb] = decoderRowNorms(dict);
  const out: { latent: number; cosine: number; r: number }[] = [];
  for (let j = 0; j < c.latents; j++) {
    if (bandOf(r[j]!) !== 'shared' || !(frequency[j]! > 0)) continue;
    let s = 0;
    for (let i = 0; i < d; i++) s += dict.params.decoder[0][j * d + i]! * dict.params.decoder[1][j * d + i]!;
    out.push({ latent: j, cosine: s / (na[j]! * nb[j]!), r: r[j]! });
  }
  void bands;
  return out.sort((a, b) => a.cosine - b.cosine).slice(0, n);
}

export interface ExclusiveCounts {
  /** Latents in each band that fire on at least minFrequency of positions. */
  shared: number;
  shifted: number;
  aOnly: number;
  bOnly: number;
  /** Exclusives that latent scaling does not flag (ν_ε and ν_r below nuMax), or all exclusives when ν is unknown. */
  aOnlyGenuine: number;
  bOnlyGenuine: number;
  dead: number;
}

export function countExclusives(
  dict: CrosscoderDictionary,
  scan: LatentScan,
  o: { minFrequency?: number; nuMax?: number; bands?: Bands } = {},
): ExclusiveCounts {
  const minF = o.minFrequency ?? 1e-3;
  const nuMax = o.nuMax ?? 0.5;
  const r = relativeNorms(dict);
  const out: ExclusiveCounts = { shared: 0, shifted: 0, aOnly: 0, bOnly: 0, aOnlyGenuine: 0, bOnlyGenuine: 0, dead: 0 };
  for (let j = 0; j < dict.config.latents; j++) {
    if (!(scan.frequency[j]! >= minF) || Number.isNaN(r[j]!)) {
      out.dead++;
      continue;
    }
    const b = bandOf(r[j]!, o.bands);
    const genuine = !scan.nu || (Math.abs(scan.nu.eps[j]!) < nuMax && Math.abs(scan.nu.r[j]!) < nuMax);
    if (b === 'shared') out.shared++;
    else if (b === 'shifted') out.shifted++;
    else if (b === 'a-only') {
      out.aOnly++;
      if (genuine) out.aOnlyGenuine++;
    } else {
      out.bOnly++;
      if (genuine) out.bOnlyGenuine++;
    }
  }
  return out;
}
