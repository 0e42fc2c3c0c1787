// Seeded paired (optionally cluster) bootstrap percentile intervals for a difference between models A and B.

import { createRng } from '../random.ts';
import { quantileSorted } from './quantile.ts';
import { resampleMeans } from './resample-means.ts';
import type { UniformStream } from './uniform-stream.ts';

/**
 * A statistic of resampled pairs (a[i], b[i]). The arrays are scratch buffers reused across resamples: the
 * function may reorder them in place but must not keep them.
 */
export type PairedStatistic = (a: Float64Array, b: Float64Array) => number;

export interface PairedBootstrapOptions {
  /** Default: mean(b) - mean(a), computed on a fast path that never copies pairs. */
  statistic?: PairedStatistic;
  /**
   * Cluster id per pair. Linked prompts (a harmful prompt and its benign look-alike, paraphrases of one
   * question) are not independent, so whole clusters are resampled as units (the cluster bootstrap,
   * Davison & Hinkley 1997, §3.8); pairs without links get ids of their own. Ids compare with `Map` keys.
   */
  clusters?: ArrayLike<string | number>;
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** Interval coverage (default 0.95). */
  level?: number;
  /** PRNG seed (default 1): the same inputs and seed always give the same interval. */
  seed?: number;
  /**
   * The seed's uniform draws made once for many bootstraps (uniform-stream.ts); used by the default statistic when
   * its seed is this one, with the same results as drawing them.
   */
  uniforms?: UniformStream;
}

export interface BootstrapInterval {
  /** The statistic on the original pairs. */
  estimate: number;
  lower: number;
  upper: number;
  level: number;
  resamples: number;
  /** Standard deviation of the bootstrap replicates (a bootstrap standard error). */
  se: number;
  /** Replicates where the statistic was not finite; they are left out of the interval and se. */
  nonFinite: number;
}

/** Pairs grouped by cluster, CSR-style: cluster g owns members[start[g] .. start[g + 1]). */
export interface ClusterIndex {
  count: number;
  start: Int32Array;
  members: Int32Array;
}

/** @internal Shared with bootstrap-many.ts. */
export function indexClusters(n: number, clusters: ArrayLike<string | number> | undefined): ClusterIndex {
  if (clusters === undefined) {
    const start = new Int32Array(n + 1);
    const members = new Int32Array(n);
    for (let i = 0; i < n; i++) members[i] = i;
    for (let i = 0; i <= n; i++) start[i] = i;
    return { count: n, start, members };
  }
  if (clusters.length !== n) throw new RangeError(`bootstrap: ${clusters.length} cluster ids for ${n} pairs`);
  // Clusters are numbered in order of first appearance, so the draws do not depend on id spelling.
  const ids = new Map<string | number, number>();
  const of = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = clusters[i]!;
    let g = ids.get(id);
    if (g === undefined) ids.set(id, (g = ids.size));
    of[i] = g;
  }
  const count = ids.size;
  const start = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) start[of[i]! + 1]!++;
  for (let g = 0; g < count; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, count);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[fill[of[i]!]!++] = i;
  return { count, start, members };
}

/**
 * Percentile bootstrap interval for a paired statistic: resample the pairs (or clusters of pairs) with
 * replacement `resamples` times, and take the α/2 and 1 - α/2 quantiles of the replicates by Hyndman &
 * Fan definition 6 (see quantile.ts for why that rule keeps a 95% interval at 95%).
 */
export function pairedBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: PairedBootstrapOptions = {},
): BootstrapInterval {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`bootstrap: length mismatch ${n} vs ${b.length}`);
  if (n === 0) throw new RangeError('bootstrap: needs at least one pair');
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: level must be in (0, 1), got ${level}`);

  const groups = indexClusters(n, options.clusters);
  const count = groups.count;
  const { start, members } = groups;
  // Draw with rng.int's exact formula, hoisted out of the object: this loop runs resamples × count times.
  const rng = createRng(options.seed ?? 1);
  const next = rng.next;
  const replicates = new Float64Array(resamples);
  const statistic = options.statistic;
  let estimate: number;

  if (statistic === undefined) {
    // mean(b*) - mean(a*) = Σ d over the drawn pairs / their number: per-cluster sums make each draw O(1).
    const sum = new Float64Array(count);
    const size = new Float64Array(count);
    let total = 0;
    for (let g = 0; g < count; g++) {
      for (let k = start[g]!; k < start[g + 1]!; k++) {
        const i = members[k]!;
        sum[g]! += b[i]! - a[i]!;
      }
      size[g] = start[g + 1]! - start[g]!;
      total += sum[g]!;
    }
    estimate = total / n;
    resampleMeans(rng, size, [sum], [replicates], streamFor(options));
  } else {
    estimate = statistic(Float64Array.from(a), Float64Array.from(b));
    // Without clusters every resample has n pairs and the buffers are passed whole; with clusters the
    // size varies, and a subarray view (no copy) of the filled part is passed.
    let bufA = new Float64Array(n);
    let bufB = new Float64Array(n);
    for (let r = 0; r < resamples; r++) {
      let m = 0;
      for (let t = 0; t < count; t++) {
        const g = Math.floor(next() * count);
        const from = start[g]!;
        const to = start[g + 1]!;
        if (m + to - from > bufA.length) {
          const grown = Math.max(2 * bufA.length, m + to - from);
          const nextA = new Float64Array(grown);
          const nextB = new Float64Array(grown);
          nextA.set(bufA);
          nextB.set(bufB);
          bufA = nextA;
          bufB = nextB;
        }
        for (let k = from; k < to; k++) {
          const i = members[k]!;
          bufA[m] = a[i]!;
          bufB[m] = b[i]!;
          m++;
        }
      }
      replicates[r] = m === bufA.length ? statistic(bufA, bufB) : statistic(bufA.subarray(0, m), bufB.subarray(0, m));
    }
  }
  return summarise(estimate, replicates, level);
}

/** @internal Shared with bootstrap-many.ts: the options' uniforms where they are the options' seed's. */
export const streamFor = (options: { seed?: number; uniforms?: UniformStream }): UniformStream | undefined =>
  options.uniforms && options.uniforms.seed === (options.seed ?? 1) ? options.uniforms : undefined;

/** @internal Shared with bootstrap-many.ts. Sorts `replicates` in place. */
export function summarise(estimate: number, replicates: Float64Array, level: number): BootstrapInterval {
  let finite = 0;
  for (let r = 0; r < replicates.length; r++)
    if (Number.isFinite(replicates[r]!)) replicates[finite++] = replicates[r]!;
  const sorted = replicates.subarray(0, finite).sort();
  let mean = 0;
  for (let r = 0; r < finite; r++) mean += sorted[r]!;
  mean /= finite;
  let ss = 0;
  for (let r = 0; r < finite; r++) ss += (sorted[r]! - mean) ** 2;
  const alpha = 1 - level;
  return {
    estimate,
    lower: quantileSorted(sorted, alpha / 2),
    upper: quantileSorted(sorted, 1 - alpha / 2),
    level,
    resamples: replicates.length,
    se: finite > 1 ? Math.sqrt(ss / (finite - 1)) : NaN,
    nonFinite: replicates.length - finite,
  };
}
