// The verdict: do the two models behave differently at all on this prompt set, and by how much? A per-prompt
// divergence — with one vocabulary the mean per-token KL(B‖A) over both replies (on {owner's top-k, rest}, a lower
// bound), otherwise the log-likelihood ratio of each model's reply under both models in bits per byte — is tested
// against the runtime's noise floor by a one-sided sign-flip permutation test over prompts (linked prompts flip
// together): under "B is A plus runtime noise" the prompt's divergence and its noise are exchangeable.

import { pairedBootstrap, signFlipTest, type UniformStream } from '../stats/index.ts';
import type { NoiseFloor, Verdict } from './report-types.ts';

export interface PromptDivergence {
  id: string;
  cluster: number;
  /** The prompt's divergence (nats per token for KL; bits per byte for the likelihood ratio). */
  value: number;
  /** The same model against itself on this prompt, where measured (its noise). */
  noise?: number;
  /** Largest per-token KL on this prompt (one vocabulary only). */
  maxKl?: number;
  /** Both replies are the same token sequence. */
  sameReplies: boolean;
}

/** Below this, a per-token KL is floating-point rounding (fp32 log-softmax of the same logits in another order). */
export const ROUNDING_KL = 1e-6;

export function verdictOf(
  rows: readonly PromptDivergence[],
  statistic: Verdict['statistic'],
  floor: NoiseFloor,
  { resamples, seed, alpha, uniforms }: { resamples: number; seed: number; alpha: number; uniforms?: UniformStream },
): Verdict {
  const n = rows.length;
  const unit = statistic === 'kl' ? 'nats per token' : 'bits per byte';
  const tolerance = Math.max(floor.value, statistic === 'kl' ? ROUNDING_KL : 0);
  const floorOf = (r: PromptDivergence) => (r.noise !== undefined ? r.noise : tolerance);
  const excess = rows.map((r) => r.value - floorOf(r));
  const above = excess.filter((x) => x > 0).length;
  const maxKl = rows.reduce((m, r) => Math.max(m, r.maxKl ?? 0), 0);
  const base = { statistic, unit, n, noiseFloor: floor, promptsAbove: above } as const;
  if (n === 0) {
    return {
      ...base,
      status: 'indistinguishable',
      effect: 0,
      ci: [0, 0],
      p: 1,
      sentence: 'No prompt was answered by both models, so nothing can be compared.',
    };
  }
  const mean = rows.reduce((s, r) => s + r.value, 0) / n;
  if (statistic === 'kl' && rows.every((r) => r.sameReplies) && maxKl <= tolerance) {
    return {
      ...base,
      status: 'identical',
      effect: mean,
      ci: [mean, mean],
      p: 1,
      sentence:
        `Identical on this prompt set: both models wrote the same replies and every next-token distribution agrees ` +
        `(largest per-token KL ${fmt(maxKl)} nats, within ${floor.measured ? 'the measured noise floor' : 'rounding'} ` +
        `of ${fmt(tolerance)}).`,
    };
  }
  const clusters = rows.map((r) => r.cluster);
  const { p } = signFlipTest(excess, { alternative: 'greater', resamples, seed, clusters });
  const ci = pairedBootstrap(
    rows.map(floorOf),
    rows.map((r) => r.value),
    { resamples, seed, clusters, ...(uniforms ? { uniforms } : {}) },
  );
  const differs = p < alpha && ci.lower > 0;
  const size = `mean ${statistic === 'kl' ? 'per-token KL(B‖A)' : 'log-likelihood ratio'} ${fmt(mean)} ${unit}`;
  const interval = `95% CI of the excess over the floor ${fmt(ci.lower)} to ${fmt(ci.upper)}`;
  const floorText = `noise floor ${fmt(tolerance)}${floor.measured ? ' (measured)' : ''}`;
  return {
    ...base,
    status: differs ? 'differs' : 'indistinguishable',
    effect: ci.estimate,
    ci: [ci.lower, ci.upper],
    p,
    sentence: differs
      ? `The models differ on this prompt set: ${size}; ${above} of ${n} prompts above the ${floorText}; ${interval}; sign-flip p ${p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`}.`
      : `No difference beyond the noise floor: ${size}, ${above} of ${n} prompts above the ${floorText}; sign-flip p = ${p.toFixed(2)}.`,
  };
}

function fmt(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) < 1e-3) return x.toExponential(1);
  return x.toPrecision(2);
}
