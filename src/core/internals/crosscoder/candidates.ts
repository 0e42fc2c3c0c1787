// After training: which latents are candidates (A-only or B-only that fire and that latent scaling does not flag),
// the windows of training positions around each one's strongest activations (for snippets), and their held-out
// check (confirm.ts) on the prompts kept out of training. Pure: dictionary and activations in, numbers out.

import { prepareActivations, type ActivationChunks, type TrainingData } from './activations.ts';
import type { Pair } from './config.ts';
import {
  confirmCandidates,
  directionShare,
  jointConfirmations,
  type Candidate,
  type Confirmation,
  type HeldOutRows,
} from './confirm.ts';
import { encodeRows, type CrosscoderDictionary } from './dictionary.ts';
import { bandOf, relativeNorms, type LatentScan } from './reading.ts';

export const MIN_FREQUENCY = 1e-3;
export const NU_MAX = 0.5;
/** Candidates read and tested at most (strongest first); the rest are counted, not shown. */
export const MAX_CANDIDATES = 12;

/** A shifted latent whose r is at most this far from 0 or 1 leans strongly enough to be tested (r ≤ ⅓ or ≥ ⅔). */
export const STRONG_SHIFT = 1 / 3;
/** Shared latents tested besides the exclusives (those with the largest training-side lean). */
export const MAX_SHARED = 8;
/** Training rows the shared latents' lean is measured on at most (evenly spaced). */
const LEAN_ROWS = 8192;

/**
 * Each latent's lean on the TRAINING data, the held-out statistic (confirm.ts directionShare) measured where the
 * dictionary was fitted: with û the latent's unit decoder row in the model it leans to (r > ½: B), the share of
 * that model's variance along û minus the other model's share along the same û. Computed from each model's
 * covariance (one pass over at most LEAN_ROWS rows), so every latent costs d² instead of a pass over the data.
 * NaN across hidden sizes (no shared direction).
 */
export function trainingLean(
  dict: CrosscoderDictionary,
  data: Pick<TrainingData, 'tokens' | 'x' | 'mean' | 'variance'>,
  maxRows = LEAN_ROWS,
): Float64Array {
  const L = dict.config.latents;
  const out = new Float64Array(L).fill(NaN);
  const [dA, dB] = dict.config.dims;
  if (dA !== dB || data.tokens === 0) return out;
  const d = dA;
  const stride = Math.max(1, Math.ceil(data.tokens / maxRows));
  const cov = [0, 1].map((m) => {
    const x = data.x[m as 0 | 1];
    const mu = data.mean[m as 0 | 1];
    const c = new Float64Array(d * d);
    const v = new Float64Array(d);
    let n = 0;
    for (let t = 0; t < data.tokens; t += stride, n++) {
      for (let i = 0; i < d; i++) v[i] = x[t * d + i]! - mu[i]!;
      for (let i = 0; i < d; i++) {
        const vi = v[i]!;
        if (vi === 0) continue;
        for (let k = i; k < d; k++) c[i * d + k] = c[i * d + k]! + vi * v[k]!;
      }
    }
    const scale = 1 / (n * data.variance[m as 0 | 1]);
    for (let i = 0; i < d; i++)
      for (let k = i; k < d; k++) {
        c[i * d + k] = c[i * d + k]! * scale;
        c[k * d + i] = c[i * d + k]!;
      }
    return c;
  });
  const r = relativeNorms(dict);
  const u = new Float64Array(d);
  for (let j = 0; j < L; j++) {
    if (Number.isNaN(r[j]!)) continue;
    const own = r[j]! > 0.5 ? 1 : 0;
    const dec = dict.params.decoder[own];
    let norm = 0;
    for (let i = 0; i < d; i++) norm += dec[j * d + i]! ** 2;
    if (norm === 0) continue;
    norm = Math.sqrt(norm);
    for (let i = 0; i < d; i++) u[i] = dec[j * d + i]! / norm;
    const share = cov.map((c) => {
      let q = 0;
      for (let i = 0; i < d; i++) {
        let row = 0;
        for (let k = 0; k < d; k++) row += c[i * d + k]! * u[k]!;
        q += u[i]! * row;
      }
      return q;
    });
    out[j] = share[own]! - share[1 - own]!;
  }
  return out;
}

/**
 * Genuine exclusives (Minder et al.'s bands, ν below NU_MAX; all exclusives where ν is unknown), by frequency, at
 * most `max`; then shared and shifted latents — both models write them — chosen by looking at the training data: the
 * MAX_SHARED with the largest training lean (trainingLean, > 0), whatever their r. That choice is the discovery half
 * of the report's split; the held-out test (confirm.ts, on prompts the choice never saw) is what stands behind it.
 * Across hidden sizes (no lean to measure) the shared slots go to strongly shifted latents (r ≤ ⅓ or ≥ ⅔), by
 * frequency. ν is not asked of shared latents: it tells an exclusive from a shared latent that only looks exclusive.
 */
export function pickCandidates(
  dict: CrosscoderDictionary,
  scan: LatentScan,
  lean: Float64Array | null = null,
  max = MAX_CANDIDATES,
): Candidate[] {
  const r = relativeNorms(dict);
  const exclusive: (Candidate & { f: number })[] = [];
  const shared: (Candidate & { score: number })[] = [];
  for (let j = 0; j < dict.config.latents; j++) {
    const f = scan.frequency[j]!;
    if (!(f >= MIN_FREQUENCY) || Number.isNaN(r[j]!)) continue;
    const band = bandOf(r[j]!);
    const own = r[j]! > 0.5 ? 1 : 0;
    if (band === 'shifted' || band === 'shared') {
      const l = lean?.[j];
      if (l !== undefined && !Number.isNaN(l)) {
        if (l > 0) shared.push({ latent: j, own, score: l });
      } else if (r[j]! <= STRONG_SHIFT || r[j]! >= 1 - STRONG_SHIFT) shared.push({ latent: j, own, score: f });
      continue;
    }
    const nu = scan.nu;
    if (nu && !(Math.abs(nu.eps[j]!) < NU_MAX && Math.abs(nu.r[j]!) < NU_MAX)) continue;
    exclusive.push({ latent: j, own, f });
  }
  const strip = ({ latent, own }: Candidate) => ({ latent, own });
  return [
    ...exclusive
      .sort((x, y) => y.f - x.f || x.latent - y.latent)
      .slice(0, max)
      .map(strip),
    ...shared
      .sort((x, y) => y.score - x.score || x.latent - y.latent)
      .slice(0, MAX_SHARED)
      .map(strip),
  ];
}

/** Latents tested for firing more on one model's own replies (those with the largest training-side |t|). */
export const MAX_REPLY = 6;
/** Training prompts with both replies needed before reply use is measured at all. */
const MIN_REPLY_PROMPTS = 4;

/**
 * Which chunks are replies: per chunk, whose reply it carries (0 A's, 1 B's, −1 none: corpus) after its prompt,
 * the prompt's index (pairing A's and B's reply to one prompt), and the first position of the reply.
 */
export interface ReplyLayout {
  side: readonly number[];
  prompt: readonly number[];
  from: readonly number[];
}

/**
 * Per prompt and latent, its mean activation over each model's own reply (both models' streams read that text,
 * the dictionary encodes them together; the prompt's positions, identical in the two texts, are left out). A
 * latent that a fine-tune's subject wakes fires more on that model's replies: the dictionary names what changed in
 * what the models say, where no extractor was written for it. Returns per prompt [mean on A's reply, on B's], for
 * the prompts that have both; `latents` limits the latents read (all when null).
 */
export function replyUse(
  dict: CrosscoderDictionary,
  data: Pick<TrainingData, 'tokens' | 'x' | 'origin'>,
  layout: ReplyLayout,
  latents: readonly number[] | null = null,
): { prompts: number[]; use: Pair<Float64Array>[] } {
  const L = dict.config.latents;
  const [dA, dB] = dict.config.dims;
  const which = latents ?? Array.from({ length: L }, (_, j) => j);
  const W = which.length;
  const sums = new Map<number, [Float64Array, Float64Array, [number, number]]>();
  const rows: number[] = [];
  for (let t = 0; t < data.tokens; t++) {
    const c = data.origin[2 * t]!;
    if ((layout.side[c] ?? -1) < 0 || data.origin[2 * t + 1]! < layout.from[c]!) continue;
    rows.push(t);
  }
  const BLOCK = 256;
  const xa = new Float32Array(BLOCK * dA);
  const xb = new Float32Array(BLOCK * dB);
  for (let s = 0; s < rows.length; s += BLOCK) {
    const n = Math.min(BLOCK, rows.length - s);
    for (let k = 0; k < n; k++) {
      const t = rows[s + k]!;
      xa.set(data.x[0].subarray(t * dA, (t + 1) * dA), k * dA);
      xb.set(data.x[1].subarray(t * dB, (t + 1) * dB), k * dB);
    }
    const acts = encodeRows(dict, [xa.subarray(0, n * dA), xb.subarray(0, n * dB)], n);
    for (let k = 0; k < n; k++) {
      const c = data.origin[2 * rows[s + k]!]!;
      const p = layout.prompt[c]!;
      const side = layout.side[c]! as 0 | 1;
      let e = sums.get(p);
      if (!e) sums.set(p, (e = [new Float64Array(W), new Float64Array(W), [0, 0]]));
      e[2][side]++;
      const out = e[side];
      for (let w = 0; w < W; w++) out[w] = out[w]! + acts[k * L + which[w]!]!;
    }
  }
  const prompts: number[] = [];
  const use: Pair<Float64Array>[] = [];
  for (const [p, [a, b, n]] of [...sums].sort((x, y) => x[0] - y[0])) {
    if (n[0] === 0 || n[1] === 0) continue;
    prompts.push(p);
    use.push([a.map((v) => v / n[0]), b.map((v) => v / n[1])]);
  }
  return { prompts, use };
}

/**
 * Latents chosen by looking at the TRAINING prompts' replies: per latent, the paired t of (mean activation on B's
 * reply − on A's) over training prompts; the MAX_REPLY with the largest |t| (≥ 2), leaning to the side that fires
 * more, skipping latents already candidates. The held-out prompts, which the choice never saw, test them.
 */
export function pickReplyCandidates(
  dict: CrosscoderDictionary,
  scan: LatentScan,
  data: Pick<TrainingData, 'tokens' | 'x' | 'origin'>,
  layout: ReplyLayout,
  taken: ReadonlySet<number>,
): Candidate[] {
  const live = Array.from({ length: dict.config.latents }, (_, j) => j).filter(
    (j) => scan.frequency[j]! >= MIN_FREQUENCY && !taken.has(j),
  );
  const { use } = replyUse(dict, data, layout, live);
  const n = use.length;
  if (n < MIN_REPLY_PROMPTS) return [];
  const scored: { latent: number; t: number }[] = [];
  live.forEach((latent, w) => {
    let sum = 0;
    let sq = 0;
    for (const [a, b] of use) {
      const diff = b[w]! - a[w]!;
      sum += diff;
      sq += diff * diff;
    }
    const mean = sum / n;
    const sd = Math.sqrt(Math.max(0, (sq - n * mean * mean) / (n - 1)));
    const t = sd > 0 ? mean / (sd / Math.sqrt(n)) : 0;
    if (Math.abs(t) >= 2) scored.push({ latent, t });
  });
  return scored
    .sort((x, y) => Math.abs(y.t) - Math.abs(x.t) || x.latent - y.latent)
    .slice(0, MAX_REPLY)
    .map(({ latent, t }) => ({ latent, own: t > 0 ? 1 : 0, statistic: 'replies' as const }));
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
  /** Per chunk: whose reply it carries (−1 none) and the reply's first position (chunkPrompt pairs them). */
  replies?: { side: readonly number[]; from: readonly number[] };
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
): (Confirmation | undefined)[] {
  // Across hidden sizes there is no shared direction to measure in the other model (an earlier removal-based test,
  // each model against its own decoder, confirmed every exclusive trivially: stories260K vs forged-base, 12 of 12).
  if (dict.config.dims[0] !== dict.config.dims[1]) return [];
  if (candidates.length === 0 || held.prompts.length < 2) return [];
  const byDirection = candidates.filter((k) => k.statistic !== 'replies');
  const byReplies = candidates.filter((k) => k.statistic === 'replies');
  const rows = heldOutRows(dict, held).filter((r) => r.n > 0);
  const shares = rows.map((r) => directionShare(dict, r, byDirection, data));
  const direction = byDirection.length ? confirmCandidates(rows, shares, byDirection, options) : [];
  let replies: Confirmation[] = [];
  if (byReplies.length && held.replies) {
    const prepared = prepareActivations(held.activations, { maxTokens: Number.MAX_SAFE_INTEGER });
    const ratio = [0, 1].map((m) => dict.scale[m]! / prepared.scale[m]!);
    const x = [0, 1].map((m) => prepared.x[m]!.map((v) => v * ratio[m]!)) as unknown as Pair<Float32Array>;
    const layout = { side: held.replies.side, from: held.replies.from, prompt: held.chunkPrompt };
    const measured = replyUse(
      dict,
      { tokens: prepared.tokens, x, origin: prepared.origin },
      layout,
      byReplies.map((k) => k.latent),
    );
    const prompts = measured.prompts.map((p) => held.prompts[p]!);
    const pairs = measured.use.map(([a, b]) => byReplies.map((_, c) => [a[c]!, b[c]!] as [number, number]));
    if (prompts.length >= 2) replies = confirmCandidates(prompts, pairs, byReplies, options);
  }
  // One family: the report replaces q with its own family's, this keeps the worker's verdicts honest meanwhile.
  const joint = jointConfirmations([direction, replies], options.alpha);
  return candidates.map((k) => joint.find((t) => t.latent === k.latent && t.own === k.own));
}
