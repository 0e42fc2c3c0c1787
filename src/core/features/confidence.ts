// Confidence: mean and minimum token log-probability, perplexity and mean entropy, from the engine's per-token numbers.

import type { FeatureMeta, ResponseInput } from './types.ts';

export type ConfidenceFeatures = {
  meanLogprob: number | null;
  minLogprob: number | null;
  perplexity: number | null;
  meanEntropy: number | null;
  maxEntropy: number | null;
};

export const confidenceMeta: { [K in keyof ConfidenceFeatures]: FeatureMeta } = {
  meanLogprob: {
    kind: 'continuous',
    category: 'confidence',
    description: 'mean log-probability (nats) of the generated tokens',
  },
  minLogprob: {
    kind: 'continuous',
    category: 'confidence',
    description: 'log-probability of the least likely generated token',
  },
  perplexity: { kind: 'continuous', category: 'confidence', description: 'exp(−mean log-probability)' },
  meanEntropy: {
    kind: 'continuous',
    category: 'confidence',
    description: 'mean next-token entropy (nats) over the steps',
  },
  maxEntropy: {
    kind: 'continuous',
    category: 'confidence',
    description: 'largest next-token entropy (nats) of any step',
  },
};

/** Null where the engine gave no numbers. Non-finite entries (a −Infinity logprob, NaN) are skipped, not propagated. */
export function extractConfidence(input: ResponseInput): ConfidenceFeatures {
  const lp = finite(input.tokenLogprobs);
  const ent = finite(input.entropies);
  const meanLp = mean(lp);
  return {
    meanLogprob: meanLp,
    minLogprob: lp.length ? lp.reduce((a, b) => Math.min(a, b)) : null,
    perplexity: meanLp === null ? null : Math.exp(-meanLp),
    meanEntropy: mean(ent),
    maxEntropy: ent.length ? ent.reduce((a, b) => Math.max(a, b)) : null,
  };
}

function finite(xs: readonly number[] | undefined): number[] {
  return (xs ?? []).filter((x) => Number.isFinite(x));
}

function mean(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
