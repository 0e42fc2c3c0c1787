// The paired bootstrap of the default statistic for many measurements of the same pairs at once (one per feature of
// a report), equal bit for bit to pairedBootstrap on each, at a fraction of the cost.

import { createRng } from '../random.ts';
import { indexClusters, pairedBootstrap, streamFor, summarise } from './bootstrap.ts';
import type { BootstrapInterval, PairedBootstrapOptions } from './bootstrap.ts';
import { resampleMeans } from './resample-means.ts';

/**
 * {@link pairedBootstrap} with the default statistic (mean(b) − mean(a)) for several measurements of the same
 * pairs, with identical results:
 * - the draws depend only on the seed and the cluster count, so one draw sequence serves every measurement;
 * - each replicate sums the drawn clusters' differences in draw order, as pairedBootstrap does, so it rounds the
 *   same way; where every per-cluster sum is an integer (binary features, counts) and no partial sum can pass
 *   2^53, every order gives the exact sum, and the replicate is Σ multiplicity × sum over the non-zero clusters
 *   only (most clusters of a binary feature are 0);
 * - a measurement with no difference anywhere has every replicate 0 and is not resampled; one equal to an earlier
 *   measurement reuses its interval.
 */
export function pairedBootstrapMany(
  pairs: readonly { a: ArrayLike<number>; b: ArrayLike<number> }[],
  options: Omit<PairedBootstrapOptions, 'statistic'> = {},
): BootstrapInterval[] {
  const n = pairs[0]?.a.length ?? 0;
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  if (pairs.length <= 1 || n === 0) return pairs.map((p) => pairedBootstrap(p.a, p.b, options));
  if (pairs.some((p) => p.a.length !== n || p.b.length !== n))
    throw new RangeError('bootstrap: every measurement needs the same pairs');
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: level must be in (0, 1), got ${level}`);
  const { count, start, members } = indexClusters(n, options.clusters);
  const size = new Float64Array(count);
  for (let g = 0; g < count; g++) size[g] = start[g + 1]! - start[g]!;

  // Per-cluster sums of b − a, summed as pairedBootstrap sums them.
  const columns: Float64Array[] = [];
  const source = pairs.map(({ a, b }) => {
    const sum = new Float64Array(count);
    for (let g = 0; g < count; g++) {
      for (let k = start[g]!; k < start[g + 1]!; k++) sum[g]! += b[members[k]!]! - a[members[k]!]!;
    }
    if (equal(sum, null)) return -1;
    for (let j = 0; j < columns.length; j++) if (equal(sum, columns[j]!)) return j;
    return columns.push(sum) - 1;
  });
  const replicates = columns.map(() => new Float64Array(resamples));
  if (columns.length > 0) resampleMeans(createRng(options.seed ?? 1), size, columns, replicates, streamFor(options));
  const summaries = columns.map((column, j) => {
    let total = 0;
    for (let g = 0; g < count; g++) total += column[g]!;
    return summarise(total / n, replicates[j]!, level);
  });
  return source.map((j) => (j < 0 ? summarise(0, new Float64Array(resamples), level) : { ...summaries[j]! }));
}

/** Whether two columns hold the same values (`null`: all 0), stopping at the first that differs. */
function equal(x: Float64Array, y: Float64Array | null): boolean {
  for (let g = 0; g < x.length; g++) if (x[g] !== (y ? y[g] : 0)) return false;
  return true;
}
