// Hodges–Lehmann estimate of the paired shift B - A: the median of the Walsh averages of the differences.

/**
 * Median of the n(n+1)/2 Walsh averages (d_i + d_j)/2, i ≤ j, of d = B - A: the estimate that goes with the
 * signed-rank test (Hodges & Lehmann 1963; Hollander & Wolfe, §3.2). Zero differences are kept, as in the
 * textbook estimator: dropping them (R's `wilcox.test(conf.int = TRUE)` does) pushes the estimate away from
 * zero exactly when many prompts show no change. NaN for no pairs; non-finite differences throw.
 *
 * Computed without materialising the O(n²) averages (1,000 prompts would need 500,000 of them), by a
 * selection on their values: O(n log n) per step, a few dozen steps.
 */
export function hodgesLehmann(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`hodgesLehmann: length mismatch ${a.length} vs ${b.length}`);
  const n = a.length;
  if (n === 0) return NaN;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    d[i] = b[i]! - a[i]!;
    if (!Number.isFinite(d[i]!)) throw new RangeError(`hodgesLehmann: difference ${i} is not finite`);
  }
  d.sort();
  const total = (n * (n + 1)) / 2;
  const upper = kthWalshAverage(d, Math.floor(total / 2) + 1);
  return total % 2 === 1 ? upper : (kthWalshAverage(d, total / 2) + upper) / 2;
}

/** (d_i + d_j)/2 written once so counting and enumerating round identically (rounding is monotone). */
const walsh = (x: number, y: number): number => (x + y) * 0.5;

/** Number of Walsh averages ≤ t; two pointers over ascending d. */
function countAtMost(d: Float64Array, t: number): number {
  let count = 0;
  let j = d.length - 1;
  for (let i = 0; i < d.length; i++) {
    while (j >= i && walsh(d[i]!, d[j]!) > t) j--;
    if (j < i) break;
    count += j - i + 1;
  }
  return count;
}

/** Smallest and largest Walsh average in (lo, hi]. */
function windowRange(d: Float64Array, lo: number, hi: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  const n = d.length;
  for (let i = 0; i < n; i++) {
    // First j ≥ i with average > lo, last j with average ≤ hi: binary searches keep this O(n log n).
    const first = firstAbove(d, i, lo);
    const last = firstAbove(d, i, hi) - 1;
    if (first > last) continue;
    min = Math.min(min, walsh(d[i]!, d[first]!));
    max = Math.max(max, walsh(d[i]!, d[last]!));
  }
  return { min, max };
}

/** First index j ≥ i with walsh(d[i], d[j]) > t, or d.length. */
function firstAbove(d: Float64Array, i: number, t: number): number {
  let lo = i;
  let hi = d.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (walsh(d[i]!, d[mid]!) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The averages in (lo, hi], sorted; called once the window is small. */
function windowValues(d: Float64Array, lo: number, hi: number, size: number): Float64Array {
  const out = new Float64Array(size);
  let k = 0;
  for (let i = 0; i < d.length; i++) {
    const last = firstAbove(d, i, hi);
    for (let j = firstAbove(d, i, lo); j < last; j++) out[k++] = walsh(d[i]!, d[j]!);
  }
  return out.sort();
}

/** k-th smallest (1-based) Walsh average of ascending d. */
function kthWalshAverage(d: Float64Array, k: number): number {
  const n = d.length;
  // Invariant: count(≤ lo) < k ≤ count(≤ hi). The smallest average is d[0], the largest d[n - 1].
  let lo = d[0]!;
  let countLo = countAtMost(d, lo);
  if (countLo >= k) return lo;
  let hi = d[n - 1]!;
  let countHi = (n * (n + 1)) / 2;
  for (;;) {
    if (countHi - countLo <= 4 * n + 16) return windowValues(d, lo, hi, countHi - countLo)[k - countLo - 1]!;
    const { min, max } = windowRange(d, lo, hi);
    if (min === max) return min;
    // Split between the window's extreme values: either branch drops at least one of them, so this ends.
    let mid = min + (max - min) / 2;
    if (!Number.isFinite(mid)) mid = min / 2 + max / 2;
    // Adjacent doubles: the midpoint can round up to max, which would not shrink the window.
    if (mid >= max) mid = min;
    const countMid = countAtMost(d, mid);
    if (countMid >= k) {
      hi = mid;
      countHi = countMid;
    } else {
      lo = mid;
      countLo = countMid;
    }
  }
}
