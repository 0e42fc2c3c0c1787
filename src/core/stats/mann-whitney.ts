// Mann–Whitney U (Wilcoxon rank-sum) test of two independent samples, one-sided (is x stochastically larger than
// y?), by the normal approximation with the tie correction and a continuity correction (as R's wilcox.test with
// exact = FALSE, correct = TRUE). Used to ask whether a paired difference is larger on prompts that share a trait.

import { normalSf } from './distributions.ts';

export interface MannWhitneyResult {
  /** U of x: the number of (x, y) pairs with x > y, ties counting one half. */
  u: number;
  /** One-sided p-value for x > y. */
  p: number;
  /** The rank-biserial correlation 2U/(n·m) − 1, in [−1, 1]: positive when x tends to be larger. */
  rankBiserial: number;
}

export function mannWhitneyGreater(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return { u: 0, p: 1, rankBiserial: 0 };
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((p, q) => p.v - q.v);
  const N = n + m;
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < N;) {
    let j = i;
    while (j + 1 < N && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]!.g === 0) rankSumX += rank;
    i = j + 1;
  }
  const u = rankSumX - (n * (n + 1)) / 2;
  const mean = (n * m) / 2;
  const variance = ((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  const rankBiserial = (2 * u) / (n * m) - 1;
  if (variance <= 0) return { u, p: 1, rankBiserial };
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, normalSf(z)), rankBiserial };
}
