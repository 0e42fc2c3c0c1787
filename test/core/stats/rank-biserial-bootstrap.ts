// Test oracle: a seeded paired (cluster) bootstrap interval for the matched-pairs rank-biserial correlation, the effect size of
// the Wilcoxon signed-rank test. The same replicates as pairedBootstrap with the statistic
// (a, b) => wilcoxonSignedRank(a, b).rankBiserial — the same draws, each resample re-ranked — but without copying
// pairs or sorting per resample: the non-zero differences are sorted by |d| once, and a resample only changes how
// many times each pair is present, so its mid-ranks follow from running counts over that order, O(n) each.

import { createRng } from '../../../src/core/random.ts';
import {
  indexClusters,
  summarise,
  type BootstrapInterval,
  type PairedBootstrapOptions,
} from '../../../src/core/stats/bootstrap.ts';

export function rankBiserialBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: Omit<PairedBootstrapOptions, 'statistic'> = {},
): BootstrapInterval {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`bootstrap: length mismatch ${n} vs ${b.length}`);
  if (n === 0) throw new RangeError('bootstrap: needs at least one pair');
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: level must be in (0, 1), got ${level}`);

  const { count, start, members } = indexClusters(n, options.clusters);
  const clusterOf = new Int32Array(n);
  for (let g = 0; g < count; g++) for (let k = start[g]!; k < start[g + 1]!; k++) clusterOf[members[k]!] = g;

  // Non-zero differences by |d|, ties together: tie group t spans order[tieStart[t] .. tieStart[t + 1]).
  const d = Float64Array.from({ length: n }, (_, i) => b[i]! - a[i]!);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i]!)) throw new RangeError(`wilcoxon: difference ${i} is not finite (${d[i]})`);
  }
  const order = Int32Array.from(
    [...d.keys()].filter((i) => d[i] !== 0).sort((i, j) => Math.abs(d[i]!) - Math.abs(d[j]!) || i - j),
  );
  const tieStart: number[] = [];
  order.forEach((i, k) => {
    if (k === 0 || Math.abs(d[i]!) !== Math.abs(d[order[k - 1]!]!)) tieStart.push(k);
  });
  tieStart.push(order.length);
  const cluster = Int32Array.from(order, (i) => clusterOf[i]!);
  const positive = Uint8Array.from(order, (i) => (d[i]! > 0 ? 1 : 0));
  const ties = Int32Array.from(tieStart);

  /** r = (R+ − R−) / (R+ + R−) for the sample in which cluster g is present times[g] times. */
  const statistic = (times: Float64Array): number => {
    let below = 0; // pairs of smaller |d| in this resample
    let rPlus = 0;
    for (let t = 0; t + 1 < ties.length; t++) {
      let c = 0;
      let cPlus = 0;
      for (let k = ties[t]!; k < ties[t + 1]!; k++) {
        const m = times[cluster[k]!]!;
        c += m;
        if (positive[k]) cPlus += m;
      }
      if (c === 0) continue;
      rPlus += (below + (c + 1) / 2) * cPlus; // the tie's mid-rank, once per positive member
      below += c;
    }
    if (below === 0) return 0; // no non-zero difference: as wilcoxonSignedRank
    const total = (below * (below + 1)) / 2;
    return (2 * rPlus - total) / total;
  };

  const estimate = statistic(new Float64Array(count).fill(1)); // every cluster once: the sample itself
  const times = new Float64Array(count);
  const rng = createRng(options.seed ?? 1);
  const drawn = new Int32Array(count);
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    rng.fillInts(drawn, count);
    for (let t = 0; t < count; t++) times[drawn[t]!]!++;
    replicates[r] = statistic(times);
    for (let t = 0; t < count; t++) times[drawn[t]!] = 0;
  }
  return summarise(estimate, replicates, level);
}
