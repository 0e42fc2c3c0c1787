// Token-level divergence between two models that share a vocabulary, from what profiling records: at every
// position of a response, the owner's top-k ids with both models' log-probabilities of them. KL and JS are
// computed on the partition {top-k ids, everything else}: coarse-graining never increases a divergence, so these
// are lower bounds of the full-vocabulary values (exact when the top-k holds nearly all the mass).

import type { ScoredStep, TokenStep } from '../engine/types.ts';
import type { TokenBoost } from './report-types.ts';

export interface PositionPair {
  /** Log-probabilities of the same ids under A and under B (the owner's top-k at this position). */
  ids: number[];
  lpA: number[];
  lpB: number[];
}

/** Pairs the owner's generation steps with the other model's scores of the same tokens. */
export function alignPositions(
  owner: readonly TokenStep[],
  scored: readonly ScoredStep[],
  ownerIsA: boolean,
): PositionPair[] {
  const out: PositionPair[] = [];
  const n = Math.min(owner.length, scored.length);
  for (let j = 0; j < n; j++) {
    const o = owner[j]!;
    const s = scored[j]!;
    const c = s.candidates;
    const k = o.top.length;
    if (!c || c.length !== k || s.id !== o.id) continue;
    // Filled by push: packed arrays (new Array(k) makes holey ones, slower for every reader).
    const ids: number[] = [];
    const own: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < k; i++) {
      ids.push(o.top[i]!.id);
      own.push(o.top[i]!.logprob);
      other.push(c[i]!.logprob);
    }
    out.push(ownerIsA ? { ids, lpA: own, lpB: other } : { ids, lpA: other, lpB: own });
  }
  return out;
}

// Scratch buffers: divergence and mineBoosts run once per position (10⁵ in a large report) and allocate nothing.
let pa = new Float64Array(16);
let pb = new Float64Array(16);
let shift = new Float64Array(16);
let sorted = new Float64Array(16);
let order = new Int32Array(16);

function ensure(k: number): void {
  if (pa.length > k) return;
  const size = 2 * (k + 1);
  [pa, pb, shift, sorted, order] = [
    new Float64Array(size),
    new Float64Array(size),
    new Float64Array(size),
    new Float64Array(size),
    new Int32Array(size),
  ];
}

/** Probabilities over {ids…, rest} into `out`; the rest bucket is clamped at a tiny floor for numerical safety. */
function partition(lp: readonly number[], out: Float64Array): void {
  let total = 0;
  for (let i = 0; i < lp.length; i++) total += out[i] = Math.exp(lp[i]!);
  out[lp.length] = Math.max(1e-12, 1 - total);
}

/** log(1e-300): the floor a zero probability is clamped to inside a logarithm. */
const LOG_FLOOR = Math.log(1e-300);

/**
 * KL(B‖A) and Jensen–Shannon divergence (nats) at one position. The top-k entries' logarithms are the recorded
 * log-probabilities themselves, so each entry takes one logarithm (of the mixture) instead of three.
 */
export function divergence(pos: PositionPair): { kl: number; js: number } {
  const k = pos.lpA.length;
  ensure(k + 1);
  partition(pos.lpA, pa);
  partition(pos.lpB, pb);
  let kl = 0;
  let jsA = 0;
  let jsB = 0;
  for (let i = 0; i <= k; i++) {
    const p = pa[i]!;
    const q = pb[i]!;
    if (!(p > 0) && !(q > 0)) continue;
    const la = i < k ? pos.lpA[i]! : Math.log(p);
    const lb = i < k ? pos.lpB[i]! : Math.log(q);
    const lm = Math.log(Math.max((p + q) / 2, 1e-300));
    if (p > 0) jsA += p * (la - lm);
    if (q > 0) {
      jsB += q * (lb - lm);
      kl += q * (lb - Math.max(la, LOG_FLOOR));
    }
  }
  return { kl: Math.max(0, kl), js: (Math.max(0, jsA) + Math.max(0, jsB)) / 2 };
}

/**
 * Diff mining: at each position, the ids whose log-probability rose most from A to B (and fell most) among the
 * owner's top-k, relative to the median shift there; a token's count is how often it is among the `perPosition`
 * most boosted, its score the mean rise.
 */
export function mineBoosts(
  positions: readonly PositionPair[],
  tokenText: (id: number) => string,
  perPosition = 3,
  limit = 20,
  /** Shifts smaller than this (nats) are numerical noise, not a boost. */
  minShift = 0.01,
): { boostedInA: TokenBoost[]; boostedInB: TokenBoost[] } {
  const tallies = boostTallies();
  tallyBoosts(positions, tallies, perPosition, minShift);
  return rankBoosts(tallies, tokenText, limit);
}

/** mineBoosts' counts so far: positions can be tallied a few at a time (a report does it prompt by prompt). */
export interface BoostTallies {
  inA: Tally;
  inB: Tally;
}

export const boostTallies = (): BoostTallies => ({ inA: new Map(), inB: new Map() });

/** Adds positions to mineBoosts' tallies, in order (the same sums as one call over all of them). */
export function tallyBoosts(
  positions: readonly PositionPair[],
  { inA, inB }: BoostTallies,
  perPosition = 3,
  minShift = 0.01,
): void {
  for (const pos of positions) {
    const k = pos.ids.length;
    ensure(k);
    let finite = true;
    for (let i = 0; i < k; i++) finite &&= Number.isFinite((shift[i] = pos.lpB[i]! - pos.lpA[i]!));
    // NaN shifts (−∞ log-probabilities) have no consistent order: the general path keeps Array.sort's behaviour.
    if (!finite) {
      minePosition(pos, perPosition, minShift, inA, inB);
      continue;
    }
    // Centre on the median shift: when one token falls, the normaliser lifts every other token alike, and that
    // common lift is not a boost of any of them.
    for (let i = 0; i < k; i++) {
      const x = shift[i]!;
      let j = i;
      for (; j > 0 && sorted[j - 1]! > x; j--) sorted[j] = sorted[j - 1]!;
      sorted[j] = x;
    }
    const median = k ? (sorted[(k - 1) >> 1]! + sorted[k >> 1]!) / 2 : 0;
    // Positions by centred shift, largest first, ties by lower id (an insertion sort: k is about 10).
    for (let i = 0; i < k; i++) {
      const d = (shift[i] = shift[i]! - median);
      const id = pos.ids[i]!;
      let j = i;
      for (; j > 0; j--) {
        const o = order[j - 1]!;
        if (shift[o]! > d || (shift[o] === d && pos.ids[o]! < id)) break;
        order[j] = o;
      }
      order[j] = i;
    }
    for (let j = 0; j < Math.min(perPosition, k); j++) {
      const i = order[j]!;
      if (shift[i]! > minShift) bump(inB, pos.ids[i]!, shift[i]!);
    }
    for (let j = Math.max(0, k - perPosition); j < k; j++) {
      const i = order[j]!;
      if (shift[i]! < -minShift) bump(inA, pos.ids[i]!, -shift[i]!);
    }
  }
}

/** The tallies' most boosted tokens each way. */
export function rankBoosts(
  { inA, inB }: BoostTallies,
  tokenText: (id: number) => string,
  limit = 20,
): { boostedInA: TokenBoost[]; boostedInB: TokenBoost[] } {
  const rank = (m: Tally): TokenBoost[] =>
    [...m.entries()]
      .map(([id, e]) => ({ token: tokenText(id), id, score: e.sum / e.count, count: e.count }))
      .sort((x, y) => y.count * y.score - x.count * x.score || x.id - y.id)
      .slice(0, limit);
  return { boostedInA: rank(inA), boostedInB: rank(inB) };
}

type Tally = Map<number, { sum: number; count: number }>;

function bump(m: Tally, id: number, d: number): void {
  const e = m.get(id);
  if (e) {
    e.sum += d;
    e.count += 1;
  } else m.set(id, { sum: d, count: 1 });
}

/** One position of mineBoosts as first written (Array.sort), for positions whose shifts are not all finite. */
function minePosition(pos: PositionPair, perPosition: number, minShift: number, inA: Tally, inB: Tally): void {
  const raw = pos.ids.map((_, i) => pos.lpB[i]! - pos.lpA[i]!);
  const byValue = [...raw].sort((x, y) => x - y);
  const median = byValue.length ? (byValue[(byValue.length - 1) >> 1]! + byValue[byValue.length >> 1]!) / 2 : 0;
  const d = pos.ids.map((id, i) => ({ id, d: raw[i]! - median }));
  d.sort((x, y) => y.d - x.d || x.id - y.id);
  for (const x of d.slice(0, perPosition)) if (x.d > minShift) bump(inB, x.id, x.d);
  for (const x of d.slice(-perPosition)) if (x.d < -minShift) bump(inA, x.id, -x.d);
}
