// Confirming crosscoder candidates on prompts the dictionary was not trained on (issue 16, item 4). A latent chosen as
// A-only or B-only on the training prompts is a claim: "this direction is in one model's residual stream and not in
// the other's". On each held-out prompt it is measured as the growth of each model's reconstruction error (a share
// of that model's variance, per position) when the latent is taken out:
//   g_m = (Σ_t ‖e_t^m + f_t d^m‖² − ‖e_t^m + f_t d^m − f_t u^m‖²) / (n · var_m),  e = x − x̂,
// where u^m is the latent's direction as written to model m. Same hidden size: u^m is the exclusive model's own
// decoder direction in both models — for the exclusive model exactly its removal, for the other how much of the
// same direction, at the same strength, that model's stream also holds (the held-out form of latent scaling, Minder
// et al. 2025, arXiv 2504.02922: identical streams give identical growth). Different hidden sizes: u^m = d^m, each
// model's own decoder — which confirms any exclusive trivially, so candidates.ts does not test across sizes. The statistic per prompt is g_own − g_other; a one-sided
// sign-flip permutation test over prompts (linked prompts flip together), a paired cluster bootstrap 95% interval,
// Benjamini–Hochberg within the candidates (the report replaces it with its single family's q when joined).

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
import { encodeRows, type CrosscoderDictionary } from './dictionary.ts';

export interface Candidate {
  latent: number;
  /** The model the latent is exclusive to: 0 A, 1 B. */
  own: 0 | 1;
}

/** One held-out prompt's normalised positions (the dictionary's scale applied; BOS and sinks dropped). */
export interface HeldOutRows {
  id: string;
  cluster: number;
  n: number;
  x: Pair<Float32Array>;
}

/** Per candidate, each model's error growth [g_A, g_B] on these rows. */
export function removalGrowth(
  dict: CrosscoderDictionary,
  rows: HeldOutRows,
  candidates: readonly Candidate[],
  variance: Pair<number>,
): [number, number][] {
  const { config: c, params: p } = dict;
  const L = c.latents;
  const same = c.dims[0] === c.dims[1];
  const out = candidates.map(() => [0, 0] as [number, number]);
  if (rows.n === 0) return out;
  const acts = encodeRows(dict, rows.x, rows.n);
  const err = c.dims.map((d) => new Float64Array(d));
  for (let t = 0; t < rows.n; t++) {
    for (let m = 0; m < 2; m++) {
      const d = c.dims[m]!;
      const e = err[m]!;
      const dec = p.decoder[m]!;
      for (let i = 0; i < d; i++) e[i] = rows.x[m]![t * d + i]! - p.decoderBias[m]![i]!;
      for (let j = 0; j < L; j++) {
        const f = acts[t * L + j]!;
        if (f === 0) continue;
        for (let i = 0; i < d; i++) e[i] = e[i]! - f * dec[j * d + i]!;
      }
    }
    candidates.forEach((k, ci) => {
      const f = acts[t * L + k.latent]!;
      if (f === 0) return;
      for (let m = 0; m < 2; m++) {
        const d = c.dims[m]!;
        const dm = p.decoder[m]!;
        const u = same ? p.decoder[k.own]! : dm;
        // ‖e + f d‖² − ‖e + f d − f u‖² = 2f⟨e + f d, u⟩ − f²‖u‖²
        let dot = 0;
        let uu = 0;
        for (let i = 0; i < d; i++) {
          const ui = u[k.latent * d + i]!;
          dot += (err[m]![i]! + f * dm[k.latent * d + i]!) * ui;
          uu += ui * ui;
        }
        out[ci]![m] = out[ci]![m]! + 2 * f * dot - f * f * uu;
      }
    });
  }
  for (const g of out) for (let m = 0; m < 2; m++) g[m] = g[m]! / (rows.n * variance[m]!);
  return out;
}

/**
 * The report's CrosscoderConfirmation (effect: mean of g_own − g_other over held-out prompts, with its bootstrap 95%
 * interval; q: BH within the candidates until the report's family replaces it) and what computing it keeps.
 */
export interface Confirmation extends CrosscoderConfirmation {
  latent: number;
  own: 0 | 1;
  /** Per prompt: a = g_A, b = g_B (the report's B − A orientation). */
  values: PairedValues;
  rankBiserial: number;
}

/**
 * The held-out test of every candidate. `growth[p][c]` is removalGrowth's pair for prompt p and candidate c. A
 * candidate is confirmed where q < alpha, the interval lies above 0 and the effect size is not negligible — the
 * same rule the report applies to its rows.
 */
export function confirmCandidates(
  prompts: readonly { id: string; cluster: number }[],
  growth: readonly (readonly (readonly [number, number])[])[],
  candidates: readonly Candidate[],
  options: { resamples?: number; seed?: number; alpha?: number } = {},
): Confirmation[] {
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? 1;
  const resamples = options.resamples ?? 2000;
  if (prompts.length < 2) return [];
  const clusters = prompts.map((p) => p.cluster);
  const tests = candidates.map((k, c) => {
    const a = growth.map((g) => g[c]![0]);
    const b = growth.map((g) => g[c]![1]);
    const s = a.map((x, i) => (k.own === 1 ? b[i]! - x : x - b[i]!));
    const test = signFlipTest(s, { alternative: 'greater', clusters, seed });
    const boot = pairedBootstrap(a, b, { clusters, resamples, seed });
    const ci: [number, number] = k.own === 1 ? [boot.lower, boot.upper] : [-boot.upper, -boot.lower];
    const rb = wilcoxonSignedRank(a, b).rankBiserial;
    return {
      latent: k.latent,
      own: k.own,
      n: prompts.length,
      effect: s.reduce((x, y) => x + y, 0) / s.length,
      ci,
      p: test.p,
      values: { promptIds: prompts.map((p) => p.id), a, b, clusters },
      rankBiserial: rb,
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
