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
    if (!s.candidates || s.candidates.length !== o.top.length || s.id !== o.id) continue;
    const ids = o.top.map((t) => t.id);
    const own = o.top.map((t) => t.logprob);
    const other = s.candidates.map((t) => t.logprob);
    out.push(ownerIsA ? { ids, lpA: own, lpB: other } : { ids, lpA: other, lpB: own });
  }
  return out;
}

/** Probabilities over {ids…, rest}; the rest bucket is clamped at a tiny floor for numerical safety. */
function partition(lp: readonly number[]): number[] {
  const p = lp.map(Math.exp);
  const rest = Math.max(1e-12, 1 - p.reduce((a, b) => a + b, 0));
  return [...p, rest];
}

function kl(p: readonly number[], q: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) s += p[i]! * Math.log(p[i]! / Math.max(q[i]!, 1e-300));
  return Math.max(0, s);
}

/** KL(B‖A) and Jensen–Shannon divergence (nats) at one position. */
export function divergence(pos: PositionPair): { kl: number; js: number } {
  const pa = partition(pos.lpA);
  const pb = partition(pos.lpB);
  const m = pa.map((x, i) => (x + pb[i]!) / 2);
  return { kl: kl(pb, pa), js: (kl(pa, m) + kl(pb, m)) / 2 };
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
  const inB = new Map<number, { sum: number; count: number }>();
  const inA = new Map<number, { sum: number; count: number }>();
  const bump = (m: typeof inB, id: number, d: number) => {
    const e = m.get(id) ?? { sum: 0, count: 0 };
    e.sum += d;
    e.count += 1;
    m.set(id, e);
  };
  for (const pos of positions) {
    // Centre on the median shift: when one token falls, the normaliser lifts every other token alike, and that
    // common lift is not a boost of any of them.
    const raw = pos.ids.map((_, i) => pos.lpB[i]! - pos.lpA[i]!);
    const sorted = [...raw].sort((x, y) => x - y);
    const median = sorted.length ? (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2 : 0;
    const d = pos.ids.map((id, i) => ({ id, d: raw[i]! - median }));
    d.sort((x, y) => y.d - x.d || x.id - y.id);
    for (const x of d.slice(0, perPosition)) if (x.d > minShift) bump(inB, x.id, x.d);
    for (const x of d.slice(-perPosition)) if (x.d < -minShift) bump(inA, x.id, -x.d);
  }
  const rank = (m: typeof inB): TokenBoost[] =>
    [...m.entries()]
      .map(([id, e]) => ({ token: tokenText(id), id, score: e.sum / e.count, count: e.count }))
      .sort((x, y) => y.count * y.score - x.count * x.score || x.id - y.id)
      .slice(0, limit);
  return { boostedInA: rank(inA), boostedInB: rank(inB) };
}
