// Wilcoxon signed-rank test on paired differences B - A, matching R's wilcox.test(paired = TRUE) two-sided.

import { normalCdf } from './distributions.ts';

export interface WilcoxonOptions {
  /**
   * 'auto' (default) uses the exact null distribution when there are fewer than 50 non-zero differences
   * and neither ties nor zeros, as R does; otherwise the normal approximation.
   */
  exact?: boolean | 'auto';
  /** Continuity correction in the normal approximation (default true, as R's `correct = TRUE`). */
  correct?: boolean;
}

export interface WilcoxonResult {
  /** Non-zero differences used (zeros are dropped: Wilcoxon's method, R's and scipy's default). */
  n: number;
  /** V: sum of the ranks of positive differences B - A (R's statistic). */
  statistic: number;
  /** Two-sided p-value. */
  p: number;
  /** Matched-pairs rank-biserial correlation (R+ - R-)/(R+ + R-), in [-1, 1]; positive when B > A. */
  rankBiserial: number;
  method: 'exact' | 'normal' | 'none';
}

/** R's rule for the exact test: fewer than 50 observations. */
const EXACT_MAX_N = 49;

/**
 * Null distribution of V for n untied non-zero differences: P(V = s), s = 0..n(n+1)/2. Dynamic programming
 * over ranks (each rank is positive with probability 1/2), halving at every step so values stay ≤ 1; O(n³).
 */
export function signedRankPmf(n: number): Float64Array {
  const pmf = new Float64Array((n * (n + 1)) / 2 + 1);
  pmf[0] = 1;
  for (let r = 1; r <= n; r++) {
    const top = (r * (r + 1)) / 2;
    for (let s = top; s >= 0; s--) pmf[s] = (pmf[s]! + (s >= r ? pmf[s - r]! : 0)) / 2;
  }
  return pmf;
}

/**
 * Average ranks (1-based) of the values, ties sharing the mean of their positions; also Σ(t³ - t) over tie groups.
 * The values (finite) are sorted as a typed array, and each one's tie group found by binary search: the same ranks
 * as any stable sort of indices gives, without a comparator call per comparison.
 */
function averageRanks(values: Float64Array): { ranks: Float64Array; tieTerm: number } {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && sorted[end] === sorted[start]) end++;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    let end = lo + 1;
    if (end < n && sorted[end] === x) {
      hi = n;
      while (end < hi) {
        const mid = (end + hi) >>> 1;
        if (sorted[mid]! <= x) end = mid + 1;
        else hi = mid;
      }
    }
    ranks[i] = (lo + 1 + end) / 2;
  }
  return { ranks, tieTerm };
}

/**
 * Tests whether the paired differences B - A are symmetric about zero. Differences are taken exactly as
 * given (like R, no rounding), so callers should round features whose float noise would break true ties.
 * Non-finite differences throw (R silently drops them): a missing feature is the caller's decision.
 * With every difference zero there is no evidence of a difference: p = 1, V = 0, rank-biserial 0.
 */
export function wilcoxonSignedRank(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: WilcoxonOptions = {},
): WilcoxonResult {
  if (a.length !== b.length) throw new RangeError(`wilcoxon: length mismatch ${a.length} vs ${b.length}`);
  const nonZero: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const d = b[i]! - a[i]!;
    if (!Number.isFinite(d)) throw new RangeError(`wilcoxon: difference ${i} is not finite (${d})`);
    if (d !== 0) nonZero.push(d);
  }
  const hadZeros = nonZero.length < a.length;
  const n = nonZero.length;
  if (n === 0) return { n, statistic: 0, p: 1, rankBiserial: 0, method: 'none' };

  const { ranks, tieTerm } = averageRanks(Float64Array.from(nonZero, Math.abs));
  let v = 0;
  for (let i = 0; i < n; i++) if (nonZero[i]! > 0) v += ranks[i]!;
  const total = (n * (n + 1)) / 2;
  const rankBiserial = (v - (total - v)) / total;

  const exactAllowed = tieTerm === 0 && !hadZeros;
  const mode = options.exact ?? 'auto';
  const useExact = exactAllowed && (mode === true || (mode === 'auto' && n <= EXACT_MAX_N));
  if (useExact) {
    const pmf = signedRankPmf(n);
    // As R: the tail on the side V falls, doubled and capped. Summing the tail itself keeps small p precise.
    let tail = 0;
    if (v > total / 2) for (let s = v; s <= total; s++) tail += pmf[s]!;
    else for (let s = 0; s <= v; s++) tail += pmf[s]!;
    const p = Math.min(1, 2 * tail);
    return { n, statistic: v, p, rankBiserial, method: 'exact' };
  }

  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  const z0 = v - total / 2;
  const correction = (options.correct ?? true) ? Math.sign(z0) * 0.5 : 0;
  const z = (z0 - correction) / sigma;
  const p = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  return { n, statistic: v, p, rankBiserial, method: 'normal' };
}
