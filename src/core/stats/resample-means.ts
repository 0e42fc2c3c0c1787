// The inner loop of the paired bootstrap of a mean difference, shared by pairedBootstrap and pairedBootstrapMany:
// each resample's mean of per-cluster sums, with the draws and the additions of the plain loop, in its order.

import type { Rng } from '../random.ts';
import type { UniformStream } from './uniform-stream.ts';

/** Resamples drawn and summed together: four independent sums keep the CPU's adders busy where one waits on each. */
const BLOCK = 4;

/**
 * replicates[j][r] = Σ columns[j][g] over the clusters g drawn in resample r, in draw order, / Σ size[g] over them:
 * bit for bit what `for (t < count) { g = rng.int(count); s += column[g]; m += size[g] } s / m` gives, resample
 * after resample. The same numbers come faster four ways:
 * - the draws are the stream's uniforms (uniform-stream.ts: made once for the report), turned into cluster indices
 *   a block of resamples at a time, or one fillInts call per block (the same sequence as int());
 * - the resamples of a block are summed side by side (each its own sum, in its own draw order), two columns per
 *   pass over the block's draws;
 * - a column whose sums are exact in any order (integers, see exactInteger) and mostly 0 (a binary feature) is
 *   Σ multiplicity × value over its non-zero clusters only, in partial sums that need not wait on each other;
 * - each resample's pair count (an integer sum, exact in any order) is made once for every column.
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
  const sparse: ({ at: Int32Array; value: Float64Array } | null)[] = [];
  const sparseColumns: number[] = [];
  const denseColumns: number[] = [];
  for (let j = 0; j < columns.length; j++) {
    const s = exactInteger(columns[j]!, count);
    sparse.push(s);
    // Sparse columns cost their non-zero clusters and a tally of the draws per resample; dense ones a pass over the
    // draws (integers of either kind add exactly in any order).
    if (s && s.at.length <= count / 3) sparseColumns.push(j);
    else denseColumns.push(j);
  }
  // With the stream, its uniforms (resample r's at r·count), turned into cluster indices one block of resamples at a
  // time as Math.floor(u · count) (a whole index sequence per cluster count, kept, was 4 bytes per draw: 32 MB for a
  // report's scopes); otherwise the generator's draws, one block at a time.
  const u = uniforms ? uniforms.take(resamples * count) : null;
  const block = new Int32Array(BLOCK * count);
  const times = new Float64Array(count);
  const m = new Float64Array(BLOCK);
  const sums = new Float64Array(2 * BLOCK);
  const unitSizes = size.every((x) => x === 1);
  const pairs = sparseColumns.length;
  for (let r0 = 0; r0 < resamples; r0 += BLOCK) {
    const b = Math.min(BLOCK, resamples - r0);
    if (u) {
      // Math.floor of a product in [0, count), count < 2^31: truncation to an int32 is the same number.
      const start = r0 * count;
      const n = b * count;
      for (let i = 0; i < n; i++) block[i] = (u[start + i]! * count) | 0;
    } else rng.fillInts(b === BLOCK ? block : block.subarray(0, b * count), count);
    // Pairs drawn per resample: integers, exact in any order.
    if (unitSizes) m.fill(count);
    else if (b === BLOCK) {
      gathered4(block, 0, count, size, sums);
      for (let q = 0; q < BLOCK; q++) m[q] = sums[q]!;
    } else for (let q = 0; q < b; q++) m[q] = gathered(block, q * count, count, size);
    if (pairs > 0)
      for (let q = 0; q < b; q++) {
        const start = q * count;
        for (let t = start; t < start + count; t++) times[block[t]!]!++;
        for (let s = 0; s < pairs; s++) {
          const j = sparseColumns[s]!;
          replicates[j]![r0 + q] = weighted(times, sparse[j]!) / m[q]!;
        }
        for (let t = start; t < start + count; t++) times[block[t]!] = 0;
      }
    let d = 0;
    if (b === BLOCK)
      for (; d + 1 < denseColumns.length; d += 2) {
        const jx = denseColumns[d]!;
        const jy = denseColumns[d + 1]!;
        gathered4x2(block, 0, count, columns[jx]!, columns[jy]!, sums);
        const ox = replicates[jx]!;
        const oy = replicates[jy]!;
        for (let q = 0; q < BLOCK; q++) {
          ox[r0 + q] = sums[q]! / m[q]!;
          oy[r0 + q] = sums[BLOCK + q]! / m[q]!;
        }
      }
    for (; d < denseColumns.length; d++) {
      const j = denseColumns[d]!;
      const out = replicates[j]!;
      if (b === BLOCK) {
        gathered4(block, 0, count, columns[j]!, sums);
        for (let q = 0; q < BLOCK; q++) out[r0 + q] = sums[q]! / m[q]!;
      } else for (let q = 0; q < b; q++) out[r0 + q] = gathered(block, q * count, count, columns[j]!) / m[q]!;
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

/** Four resamples' draw-order sums at once (draws of resample q at from + q·count …). */
function gathered4(drawn: Int32Array, from: number, count: number, column: Float64Array, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const c1 = from + count;
  const c2 = from + 2 * count;
  const c3 = from + 3 * count;
  for (let t = 0; t < count; t++) {
    s0 += column[drawn[from + t]!]!;
    s1 += column[drawn[c1 + t]!]!;
    s2 += column[drawn[c2 + t]!]!;
    s3 += column[drawn[c3 + t]!]!;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

/** gathered4 for two columns in one pass over the draws: out[0..3] for x, out[4..7] for y. */
function gathered4x2(
  drawn: Int32Array,
  from: number,
  count: number,
  x: Float64Array,
  y: Float64Array,
  out: Float64Array,
): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let u0 = 0;
  let u1 = 0;
  let u2 = 0;
  let u3 = 0;
  const c1 = from + count;
  const c2 = from + 2 * count;
  const c3 = from + 3 * count;
  for (let t = 0; t < count; t++) {
    const i0 = drawn[from + t]!;
    const i1 = drawn[c1 + t]!;
    const i2 = drawn[c2 + t]!;
    const i3 = drawn[c3 + t]!;
    s0 += x[i0]!;
    s1 += x[i1]!;
    s2 += x[i2]!;
    s3 += x[i3]!;
    u0 += y[i0]!;
    u1 += y[i1]!;
    u2 += y[i2]!;
    u3 += y[i3]!;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
  out[4] = u0;
  out[5] = u1;
  out[6] = u2;
  out[7] = u3;
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
  for (let g = 0; g < column.length; g++) {
    const x = column[g]!;
    if (!Number.isInteger(x)) return null;
    largest = Math.max(largest, Math.abs(x));
    if (x !== 0) nonZero++;
  }
  if (largest * count > Number.MAX_SAFE_INTEGER) return null;
  const at = new Int32Array(nonZero);
  const value = new Float64Array(nonZero);
  let k = 0;
  for (let g = 0; g < column.length; g++)
    if (column[g] !== 0) {
      at[k] = g;
      value[k++] = column[g]!;
    }
  return { at, value };
}
