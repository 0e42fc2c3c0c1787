// Confirming crosscoder candidates on prompts the dictionary was not trained on (issue 16, item 4). A latent chosen as
// A-only or B-only on the training prompts is a claim: "this direction is in one model's residual stream and not in
// the other's". On each held-out prompt both models' streams are projected on the same unit vector û, the latent's
// decoder direction in the model it is exclusive to, and each model's share of its variance along û is taken:
//   s_m = (1/n) Σ_t ⟨x_t^m − μ^m, û⟩² / var_m      (μ, var: each model's training mean and per-token variance),
// the held-out form of latent scaling's question (Minder et al. 2025, arXiv 2504.02922: how much of this direction
// does the other model's data hold?). The statistic per prompt is s_own − s_other. Every position counts, not only
// those where the latent fires: the encoder that decides where it fires was fitted to read the exclusive model, so
// choosing positions by it would favour that model even where the two streams are exchangeable; unweighted, identical
// streams give exactly 0 and exchangeable ones 0 on average. (An earlier statistic, the growth of each model's
// reconstruction error when the latent is removed, was driven by reconstruction error on held-out prompts: on
// forged-trigger its sign was wrong on half the prompts that carry the trigger.) Same hidden size only: across sizes
// there is no shared direction to project on, so candidates.ts tests nothing there. A one-sided sign-flip permutation
// test over prompts (linked prompts flip together), a paired cluster bootstrap 95% interval, Benjamini–Hochberg within
// the candidates (the report replaces it with its single family's q when joined). With k groups of prompts where the
// two shares differ at all, no p below 2^−k is possible: `groups` says how many there were.

import {
  benjaminiHochberg,
  classifyEffect,
  pairedBootstrap,
  signFlipTest,
  wilcoxonSignedRank,
} from '../../stats/index.ts';
import type { PairedValues } from '../../diff/paired-tests.ts';
import type { CrosscoderConfirmation } from '../../diff/report-types.ts';
import type { Pair } from './config.ts';
import type { CrosscoderDictionary } from './dictionary.ts';

export interface Candidate {
  latent: number;
  /** The model the latent is exclusive to, or leans to: 0 A, 1 B. */
  own: 0 | 1;
  /**
   * What its held-out test measures: 'direction' (default), each model's share of variance along its decoder
   * direction; 'replies', how strongly it fires on each model's own replies (candidates.ts replyUse).
   */
  statistic?: 'direction' | 'replies';
}

/** One held-out prompt's normalised positions (the dictionary's scale applied; BOS and sinks dropped). */
export interface HeldOutRows {
  id: string;
  cluster: number;
  n: number;
  x: Pair<Float32Array>;
}

/** Per candidate, each model's share of its variance along the exclusive model's decoder direction: [s_A, s_B]. */
export function directionShare(
  dict: CrosscoderDictionary,
  rows: HeldOutRows,
  candidates: readonly Candidate[],
  data: { mean: Pair<Float32Array>; variance: Pair<number> },
): [number, number][] {
  const { config: c, params: p } = dict;
  if (c.dims[0] !== c.dims[1]) throw new Error('crosscoder: held-out shares need one hidden size.');
  const d = c.dims[0];
  return candidates.map((k) => {
    const dec = p.decoder[k.own]!;
    let norm = 0;
    for (let i = 0; i < d; i++) norm += dec[k.latent * d + i]! ** 2;
    norm = Math.sqrt(norm);
    const out: [number, number] = [0, 0];
    if (rows.n === 0 || norm === 0) return out;
    for (let m = 0; m < 2; m++) {
      const x = rows.x[m]!;
      const mu = data.mean[m]!;
      let sum = 0;
      for (let t = 0; t < rows.n; t++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += (x[t * d + i]! - mu[i]!) * dec[k.latent * d + i]!;
        sum += (dot / norm) ** 2;
      }
      out[m] = sum / (rows.n * data.variance[m]!);
    }
    return out;
  });
}

/**
 * The report's CrosscoderConfirmation (effect: mean of s_own − s_other over held-out prompts, with its bootstrap 95%
 * interval; q: BH within the candidates until the report's family replaces it) and what computing it keeps.
 */
export interface Confirmation extends CrosscoderConfirmation {
  latent: number;
  own: 0 | 1;
  /** Per prompt: a = s_A, b = s_B (the report's B − A orientation). */
  values: PairedValues;
  rankBiserial: number;
  /** Independent groups of held-out prompts (linked prompts are one) where the two shares differ: p ≥ 2^−groups. */
  groups: number;
}

/**
 * The held-out test of every candidate. `shares[p][c]` is directionShare's pair for prompt p and candidate c. A
 * candidate is confirmed where q < alpha, the interval lies above 0 and the effect size is not negligible — the
 * same rule the report applies to its rows.
 */
export function confirmCandidates(
  prompts: readonly { id: string; cluster: number }[],
  shares: readonly (readonly (readonly [number, number])[])[],
  candidates: readonly Candidate[],
  options: { resamples?: number; seed?: number; alpha?: number } = {},
): Confirmation[] {
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? 1;
  const resamples = options.resamples ?? 2000;
  if (prompts.length < 2) return [];
  const clusters = prompts.map((p) => p.cluster);
  const tests = candidates.map((k, c) => {
    const a = shares.map((g) => g[c]![0]);
    const b = shares.map((g) => g[c]![1]);
    const s = a.map((x, i) => (k.own === 1 ? b[i]! - x : x - b[i]!));
    const test = signFlipTest(s, { alternative: 'greater', clusters, seed });
    const boot = pairedBootstrap(a, b, { clusters, resamples, seed });
    const ci: [number, number] = k.own === 1 ? [boot.lower, boot.upper] : [-boot.upper, -boot.lower];
    const rb = wilcoxonSignedRank(a, b).rankBiserial;
    const byCluster = new Map<number, number>();
    s.forEach((x, i) => byCluster.set(clusters[i]!, (byCluster.get(clusters[i]!) ?? 0) + x));
    return {
      latent: k.latent,
      own: k.own,
      n: prompts.length,
      effect: s.reduce((x, y) => x + y, 0) / s.length,
      ci,
      p: test.p,
      values: { promptIds: prompts.map((p) => p.id), a, b, clusters },
      rankBiserial: rb,
      groups: [...byCluster.values()].filter((x) => x !== 0).length,
    };
  });
  const q = benjaminiHochberg(tests.map((t) => t.p));
  return tests.map((t, i) => ({
    ...t,
    q: q[i]!,
    confirmed: isConfirmed(t.effect, t.ci, q[i]!, t.rankBiserial, t.own, alpha),
  }));
}

/** The report's rule for a row, in the candidate's own direction. */
/** BH over several lists of held-out tests at once (one family), each verdict taken again with the joint q. */
export function jointConfirmations(lists: readonly Confirmation[][], alpha = 0.05): Confirmation[] {
  const all = lists.flat();
  const q = benjaminiHochberg(all.map((t) => t.p));
  return all.map((t, i) => ({
    ...t,
    q: q[i]!,
    confirmed: isConfirmed(t.effect, t.ci, q[i]!, t.rankBiserial, t.own, alpha),
  }));
}

export function isConfirmed(
  effect: number,
  ci: [number, number],
  q: number,
  rankBiserial: number,
  own: 0 | 1,
  alpha: number,
): boolean {
  const directed = own === 1 ? rankBiserial : -rankBiserial;
  return (
    q < alpha &&
    effect > 0 &&
    ci[0] > 0 &&
    directed > 0 &&
    classifyEffect(rankBiserial, 'rank-biserial') !== 'negligible'
  );
}
