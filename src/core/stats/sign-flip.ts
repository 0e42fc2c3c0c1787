// The sign-flip permutation test of a paired (one-sample) statistic: under exchangeability of each pair's two
// values, every difference is as likely to have either sign, so the mean of the signed differences is compared
// with its distribution over random sign flips (Fisher 1935, ch. 21; Good, "Permutation Tests", 2005, §3.1). Exact
// enumeration up to 2^16 sign patterns, seeded Monte Carlo with the +1 correction beyond. Clusters (linked
// prompts) flip together: their differences are summed first.

import { createRng } from '../random.ts';

export interface SignFlipOptions {
  /** One-sided ("greater": the mean is positive) or two-sided. */
  alternative?: 'greater' | 'two-sided';
  resamples?: number;
  seed?: number;
  /** Cluster id per difference; differences of one cluster flip together. */
  clusters?: readonly number[];
}

export function signFlipTest(diffs: readonly number[], options: SignFlipOptions = {}): { p: number; exact: boolean } {
  const { alternative = 'greater', resamples = 10_000, seed = 1 } = options;
  let units = diffs.slice();
  if (options.clusters) {
    const sums = new Map<number, number>();
    diffs.forEach((d, i) => sums.set(options.clusters![i]!, (sums.get(options.clusters![i]!) ?? 0) + d));
    units = [...sums.values()];
  }
  units = units.filter((d) => d !== 0);
  const m = units.length;
  if (m === 0) return { p: 1, exact: true };
  const stat = (s: number) => (alternative === 'greater' ? s : Math.abs(s));
  const observed = stat(units.reduce((s, d) => s + d, 0));
  // A relative tolerance so floating-point sums of the same numbers in another order count as equal.
  const tol = 1e-12 * units.reduce((s, d) => s + Math.abs(d), 0);
  if (m <= 16) {
    let atLeast = 0;
    const total = 1 << m;
    for (let mask = 0; mask < total; mask++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += mask & (1 << i) ? -units[i]! : units[i]!;
      if (stat(s) >= observed - tol) atLeast++;
    }
    return { p: atLeast / total, exact: true };
  }
  const rng = createRng(seed);
  let atLeast = 0;
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    // One 32-bit draw gives 32 fair signs.
    for (let i = 0; i < m; i += 32) {
      const bits = (rng.next() * 4294967296) >>> 0;
      const end = Math.min(m, i + 32);
      for (let j = i; j < end; j++) s += (bits >>> (j - i)) & 1 ? -units[j]! : units[j]!;
    }
    if (stat(s) >= observed - tol) atLeast++;
  }
  return { p: (atLeast + 1) / (resamples + 1), exact: false };
}
