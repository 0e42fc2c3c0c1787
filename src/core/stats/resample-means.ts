// The inner loop of the paired bootstrap of a mean difference, shared by pairedBootstrap and pairedBootstrapMany:
// each resample's mean of per-cluster sums, with the draws and the additions of the plain loop, in its order.

import type { Rng } from '../random.ts';
import type { UniformStream } from './uniform-stream.ts';

/** Resamples drawn and summed together: four independent sums keep the CPU's adders busy where one waits on each. */
const BLOCK = 4;

/**
 * replicates[j][r] = Σ columns[j][g] over the clusters g drawn in resample r, in draw order, / Σ size[g] over them:
 * bit for bit what `for (t < count) { g = rng.int(count); s += column[g]; m += size[g] } s / m` gives, resample
 * after resample. The same numbers come faster three ways:
 * - one fillInts call draws a block of resamples (the same sequence as one int() call per draw);
 * - the resamples of a block are summed side by side (each its own sum, in its own draw order);
 * - a column whose sums are exact in any order (integers, see exactInteger) and mostly 0 (a binary feature) is
 *   Σ multiplicity × value over its non-zero clusters only, in partial sums that need not wait on each other.
 */
export function resampleMeans(
  rng: Rng,
  size: Float64Array,
  columns: readonly Float64Array[],
  replicates: readonly Float64Array[],
  /** The same generator's values made already (uniform-stream.ts): read instead of drawn again. */
  uniforms?: UniformStream,
): void {
  const count = size.length;
  const resamples = replicates[0]?.length ?? 0;
  const sparse = columns.map((c) => exactInteger(c, count));
  // Sparse columns cost their non-zero clusters and a tally of the draws per resample; dense ones a pass over the
  // draws, four resamples at a time (integers of either kind add exactly in any order).
  const sparseColumns = columns.flatMap((_, j) => (sparse[j] && sparse[j].at.length <= count / 3 ? [j] : []));
  const denseColumns = columns.flatMap((_, j) => (sparseColumns.includes(j) ? [] : [j]));
  const drawn = new Int32Array(BLOCK * count);
  const times = new Float64Array(count);
  const m = new Float64Array(BLOCK);
  const sums = new Float64Array(BLOCK);
  const unitSizes = size.every((x) => x === 1);
  // rng.int(n) is Math.floor(next() * n): the stream's values give the very same draws.
  const stream = uniforms?.take(resamples * count);
  for (let r0 = 0; r0 < resamples; r0 += BLOCK) {
    const b = Math.min(BLOCK, resamples - r0);
    if (stream) for (let t = 0, at = r0 * count; t < b * count; t++) drawn[t] = Math.floor(stream[at + t]! * count);
    else rng.fillInts(b === BLOCK ? drawn : drawn.subarray(0, b * count), count);
    // Pairs drawn per resample: integers, exact in any order.
    if (unitSizes) m.fill(count);
    else if (b === BLOCK) gathered4(drawn, count, size, m);
    else for (let q = 0; q < b; q++) m[q] = gathered(drawn, q * count, count, size);
    if (sparseColumns.length > 0)
      for (let q = 0; q < b; q++) {
        const from = q * count;
        for (let t = from; t < from + count; t++) times[drawn[t]!]!++;
        for (const j of sparseColumns) replicates[j]![r0 + q] = weighted(times, sparse[j]!) / m[q]!;
        for (let t = from; t < from + count; t++) times[drawn[t]!] = 0;
      }
    for (const j of denseColumns) {
      const out = replicates[j]!;
      if (b === BLOCK) {
        gathered4(drawn, count, columns[j]!, sums);
        for (let q = 0; q < BLOCK; q++) out[r0 + q] = sums[q]! / m[q]!;
      } else for (let q = 0; q < b; q++) out[r0 + q] = gathered(drawn, q * count, count, columns[j]!) / m[q]!;
    }
  }
}

/** Σ multiplicity × value over a column's non-zero clusters, in four partial sums: integers, so exact. */
function weighted(times: Float64Array, { at, value }: { at: Int32Array; value: Float64Array }): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = at.length;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += times[at[k]!]! * value[k]!;
    s1 += times[at[k + 1]!]! * value[k + 1]!;
    s2 += times[at[k + 2]!]! * value[k + 2]!;
    s3 += times[at[k + 3]!]! * value[k + 3]!;
  }
  for (; k < n; k++) s0 += times[at[k]!]! * value[k]!;
  return s0 + s1 + (s2 + s3);
}

/** Four resamples' draw-order sums at once (draws of resample q at q·count …). */
function gathered4(drawn: Int32Array, count: number, column: Float64Array, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const c1 = count;
  const c2 = 2 * count;
  const c3 = 3 * count;
  for (let t = 0; t < count; t++) {
    s0 += column[drawn[t]!]!;
    s1 += column[drawn[c1 + t]!]!;
    s2 += column[drawn[c2 + t]!]!;
    s3 += column[drawn[c3 + t]!]!;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

/** One resample's draw-order sum. */
function gathered(drawn: Int32Array, from: number, count: number, column: Float64Array): number {
  let s = 0;
  for (let t = from; t < from + count; t++) s += column[drawn[t]!]!;
  return s;
}

/**
 * The non-zero entries of a column whose draw-order sums are exact whatever the order: integers whose partial sums
 * (at most `count` draws of the largest entry) stay within 2^53. Null otherwise.
 */
function exactInteger(column: Float64Array, count: number): { at: Int32Array; value: Float64Array } | null {
  let largest = 0;
  let nonZero = 0;
  for (const x of column) {
    if (!Number.isInteger(x)) return null;
    largest = Math.max(largest, Math.abs(x));
    if (x !== 0) nonZero++;
  }
  if (largest * count > Number.MAX_SAFE_INTEGER) return null;
  const at = new Int32Array(nonZero);
  const value = new Float64Array(nonZero);
  let k = 0;
  column.forEach((x, g) => {
    if (x !== 0) [at[k], value[k++]] = [g, x];
  });
  return { at, value };
}
