// Standardised effect sizes for paired comparisons (Cohen's h, d_z, rank-biserial) and their verbal magnitude.

/**
 * Cohen's h between two proportions: 2·asin√p2 - 2·asin√p1 (Cohen 1988, §6.2). The arcsine transform makes
 * equal h equally detectable anywhere in [0, 1], unlike a raw difference. Positive when p2 (model B) > p1.
 */
export function cohensH(p1: number, p2: number): number {
  if (!(p1 >= 0 && p1 <= 1 && p2 >= 0 && p2 <= 1))
    throw new RangeError(`cohensH: proportions must be in [0, 1], got ${p1}, ${p2}`);
  return 2 * Math.asin(Math.sqrt(p2)) - 2 * Math.asin(Math.sqrt(p1));
}

/**
 * Cohen's d_z for paired data: mean(B - A) / sd(B - A), sd with the n - 1 denominator (Cohen 1988, §2.3;
 * Lakens 2013, eq. 7). With all differences equal, sd = 0: a constant shift is ±Infinity, no shift 0.
 * NaN for fewer than two pairs (no spread to standardise by).
 */
export function cohensDz(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cohensDz: length mismatch ${a.length} vs ${b.length}`);
  const n = a.length;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += b[i]! - a[i]!;
  mean /= n;
  // Two passes: the one-pass sum-of-squares formula cancels badly when the mean is large relative to sd.
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const dev = b[i]! - a[i]! - mean;
    ss += dev * dev;
  }
  const sd = Math.sqrt(ss / (n - 1));
  if (sd === 0) return mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
  return mean / sd;
}

export type EffectKind = 'h' | 'd' | 'rank-biserial';
export type EffectMagnitude = 'negligible' | 'small' | 'medium' | 'large';

/** Cohen's (1988) conventional small / medium / large thresholds; the rank-biserial r uses his r thresholds. */
const THRESHOLDS: Record<EffectKind, readonly [number, number, number]> = {
  h: [0.2, 0.5, 0.8],
  d: [0.2, 0.5, 0.8],
  'rank-biserial': [0.1, 0.3, 0.5],
};

/**
 * Verbal size of an effect, by its absolute value: below the small threshold is negligible, and a value at
 * a threshold counts as the larger class. NaN (an undefined effect) is negligible, so the report's rule
 * "significant and not negligible" never surfaces an effect that could not be computed.
 */
export function classifyEffect(value: number, kind: EffectKind): EffectMagnitude {
  const size = Math.abs(value);
  const [small, medium, large] = THRESHOLDS[kind];
  if (Number.isNaN(size) || size < small) return 'negligible';
  if (size < medium) return 'small';
  if (size < large) return 'medium';
  return 'large';
}
