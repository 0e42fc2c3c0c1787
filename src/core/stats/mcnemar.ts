// McNemar's test for a paired binary feature (model A vs model B on the same prompts): exact for few discordant pairs.

import { binomialCdf, chiSquare1Sf } from './distributions.ts';

export interface McNemarOptions {
  /**
   * Yates-style continuity correction of the chi-square statistic, (|b - c| - 1)²/(b + c). Off by default:
   * small tables already get the exact test, and for larger ones the uncorrected statistic keeps the
   * type I error closer to nominal while the corrected one is conservative (Fagerland, Lydersen & Laake
   * 2013, "The McNemar test for binary matched-pairs data: mid-p and asymptotic are better than exact
   * conditional", BMC Med. Res. Methodol. 13:91). Set true to reproduce R's `mcnemar.test` default.
   */
  correct?: boolean;
  /** Use the exact binomial test while b + c is below this (default 25, the usual rule of thumb). */
  exactBelow?: number;
}

export interface McNemarResult {
  /** Number of pairs. */
  n: number;
  /** Pairs where A is true and B is false. */
  b: number;
  /** Pairs where A is false and B is true. */
  c: number;
  /** mean(B) - mean(A) = (c - b)/n: positive when B has the feature more often. */
  diff: number;
  /** Two-sided p-value. */
  p: number;
  /** Chi-square statistic (1 df), or NaN when the exact test was used. */
  statistic: number;
  method: 'exact' | 'chi-square' | 'none';
}

/**
 * Tests whether A and B differ in how often a binary feature holds on the same prompts. Only discordant
 * pairs carry information; under H0 each is equally likely to go either way, so b ~ Bin(b + c, 1/2).
 * The exact p-value is 2·P(X ≤ min(b, c)), capped at 1 (equal to R's `binom.test(b, b + c)` because the
 * null distribution is symmetric). With no discordant pairs there is no evidence at all: p = 1.
 */
export function mcnemar(a: ArrayLike<boolean>, b: ArrayLike<boolean>, options: McNemarOptions = {}): McNemarResult {
  if (a.length !== b.length) throw new RangeError(`mcnemar: length mismatch ${a.length} vs ${b.length}`);
  const n = a.length;
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x && !y) onlyA++;
    else if (!x && y) onlyB++;
  }
  return mcnemarFromCounts(n, onlyA, onlyB, options);
}

/** The same test from counts: n pairs, b = A-only, c = B-only. */
export function mcnemarFromCounts(n: number, b: number, c: number, options: McNemarOptions = {}): McNemarResult {
  if (![n, b, c].every((v) => Number.isInteger(v) && v >= 0) || b + c > n) {
    throw new RangeError(`mcnemar: invalid counts n=${n} b=${b} c=${c}`);
  }
  const diff = n === 0 ? 0 : (c - b) / n;
  const discordant = b + c;
  if (discordant === 0) return { n, b, c, diff, p: 1, statistic: NaN, method: 'none' };
  if (discordant < (options.exactBelow ?? 25)) {
    const p = Math.min(1, 2 * binomialCdf(Math.min(b, c), discordant, 0.5));
    return { n, b, c, diff, p, statistic: NaN, method: 'exact' };
  }
  const gap = options.correct ? Math.max(0, Math.abs(b - c) - 1) : Math.abs(b - c);
  const statistic = (gap * gap) / discordant;
  return { n, b, c, diff, p: chiSquare1Sf(statistic), statistic, method: 'chi-square' };
}
