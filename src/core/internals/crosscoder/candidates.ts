// After training: which latents are candidates (A-only or B-only that fire and that latent scaling does not flag),
// the windows of training positions around each one's strongest activations (for snippets), and their held-out
// check (confirm.ts) on the prompts kept out of training. Pure: dictionary and activations in, numbers out.

import { prepareActivations, type ActivationChunks, type TrainingData } from './activations.ts';
import type { Pair } from './config.ts';
import { confirmCandidates, directionShare, type Candidate, type Confirmation, type HeldOutRows } from './confirm.ts';
import { encodeRows, type CrosscoderDictionary } from './dictionary.ts';
import { bandOf, relativeNorms, type LatentScan } from './reading.ts';

export const MIN_FREQUENCY = 1e-3;
export const NU_MAX = 0.5;
/** Candidates read and tested at most (strongest first); the rest are counted, not shown. */
export const MAX_CANDIDATES = 12;

/** A shifted latent whose r is at most this far from 0 or 1 leans strongly enough to be tested (r ≤ ⅓ or ≥ ⅔). */
export const STRONG_SHIFT = 1 / 3;

/**
 * Genuine exclusives (Minder et al.'s bands, ν below NU_MAX; all exclusives where ν is unknown), by frequency, then
 * strongly shifted latents (r ≤ ⅓ or ≥ ⅔ outside the exclusive bands: both models write them, one much more), by
 * frequency. ν is not asked of shifted latents: it tells an exclusive from a shared latent that only looks exclusive,
 * and a shifted one does not claim exclusivity — the held-out test is what stands behind either.
 */
export function pickCandidates(dict: CrosscoderDictionary, scan: LatentScan, max = MAX_CANDIDATES): Candidate[] {
  const r = relativeNorms(dict);
  const out: (Candidate & { f: number; shifted: boolean })[] = [];
  for (let j = 0; j < dict.config.latents; j++) {
    const f = scan.frequency[j]!;
    if (!(f >= MIN_FREQUENCY) || Number.isNaN(r[j]!)) continue;
    const band = bandOf(r[j]!);
    if (band === 'shifted') {
      if (r[j]! <= STRONG_SHIFT || r[j]! >= 1 - STRONG_SHIFT)
        out.push({ latent: j, own: r[j]! > 0.5 ? 1 : 0, f, shifted: true });
      continue;
    }
    if (band !== 'a-only' && band !== 'b-only') continue;
    const nu = scan.nu;
    if (nu && !(Math.abs(nu.eps[j]!) < NU_MAX && Math.abs(nu.r[j]!) < NU_MAX)) continue;
    out.push({ latent: j, own: band === 'b-only' ? 1 : 0, f, shifted: false });
  }
  return out
    .sort((x, y) => Number(x.shifted) - Number(y.shifted) || y.f - x.f || x.latent - y.latent)
    .slice(0, max)
    .map(({ latent, own }) => ({ latent, own }));
}

export interface Window {
  chunk: number;
  /** Positions in the chunk (as the training data numbers them) and the latent's activation at each. */
  positions: number[];
  activations: number[];
  peak: number;
}

/** For each hit (a row of the data), the latent's activation on the rows of the same chunk within `before`/`after`. */
export function windows(
  dict: CrosscoderDictionary,
  data: TrainingData,
  latent: number,
  hits: readonly { row: number }[],
  before = 12,
  after = 4,
): Window[] {
  const L = dict.config.latents;
  const [dA, dB] = dict.config.dims;
  return hits.map(({ row }) => {
    const chunk = data.origin[2 * row]!;
    const pos = data.origin[2 * row + 1]!;
    let lo = row;
    while (lo > 0 && data.origin[2 * (lo - 1)] === chunk && data.origin[2 * (lo - 1) + 1]! >= pos - before) lo--;
    let hi = row + 1;
    while (hi < data.tokens && data.origin[2 * hi] === chunk && data.origin[2 * hi + 1]! <= pos + after) hi++;
    const n = hi - lo;
    const x: Pair<Float32Array> = [data.x[0].subarray(lo * dA, hi * dA), data.x[1].subarray(lo * dB, hi * dB)];
    const acts = encodeRows(dict, x, n);
    const positions: number[] = [];
    const activations: number[] = [];
    for (let t = 0; t < n; t++) {
      positions.push(data.origin[2 * (lo + t) + 1]!);
      activations.push(acts[t * L + latent]!);
    }
    return { chunk, positions, activations, peak: pos };
  });
}

export interface HeldOut {
  activations: Pair<ActivationChunks>;
  /** Which held-out prompt each chunk belongs to (a prompt has several texts). */
  chunkPrompt: readonly number[];
  prompts: readonly { id: string; cluster: number }[];
}

/** Held-out chunks in the dictionary's space: BOS and sinks dropped as in training, scaled by the training scale. */
export function heldOutRows(dict: CrosscoderDictionary, held: HeldOut): HeldOutRows[] {
  const prepared = prepareActivations(held.activations, { maxTokens: Number.MAX_SAFE_INTEGER });
  const dims = dict.config.dims;
  const ratio = [0, 1].map((m) => dict.scale[m]! / prepared.scale[m]!);
  const byPrompt = held.prompts.map(() => [] as number[]);
  for (let r = 0; r < prepared.tokens; r++) byPrompt[held.chunkPrompt[prepared.origin[2 * r]!]!]!.push(r);
  return held.prompts.map((p, i) => {
    const rows = byPrompt[i]!;
    const x = dims.map((d, m) => {
      const out = new Float32Array(rows.length * d);
      rows.forEach((r, k) => {
        for (let j = 0; j < d; j++) out[k * d + j] = prepared.x[m]![r * d + j]! * ratio[m]!;
      });
      return out;
    }) as unknown as Pair<Float32Array>;
    return { id: p.id, cluster: p.cluster, n: rows.length, x };
  });
}

/** Every candidate's held-out test (an empty list when fewer than two held-out prompts have positions). */
export function confirmOnHeldOut(
  dict: CrosscoderDictionary,
  data: { mean: Pair<Float32Array>; variance: Pair<number> },
  held: HeldOut,
  candidates: readonly Candidate[],
  options: { resamples?: number; seed?: number; alpha?: number } = {},
): Confirmation[] {
  // Across hidden sizes there is no shared direction to measure in the other model (an earlier removal-based test,
  // each model against its own decoder, confirmed every exclusive trivially: stories260K vs forged-base, 12 of 12).
  if (dict.config.dims[0] !== dict.config.dims[1]) return [];
  if (candidates.length === 0 || held.prompts.length < 2) return [];
  const rows = heldOutRows(dict, held).filter((r) => r.n > 0);
  const shares = rows.map((r) => directionShare(dict, r, candidates, data));
  return confirmCandidates(rows, shares, candidates, options);
}
