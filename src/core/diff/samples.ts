// Several seeded samples per prompt and model: records grouped by prompt, and each feature's mean over a prompt's
// samples (a binary feature becomes a proportion), so the prompt stays the unit of every paired test.

import type { FeatureValue } from '../features/index.ts';

/** Records grouped by prompt, each group in sample order; prompts in first-seen order. */
export function bySample<T extends { promptId: string; sample?: number }>(xs: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) out.set(x.promptId, [...(out.get(x.promptId) ?? []), x]);
  for (const group of out.values()) group.sort((x, y) => (x.sample ?? 0) - (y.sample ?? 0));
  return out;
}

/** The mean of each numeric or boolean feature over samples (booleans as 0/1); other values from the first sample. */
export function meanFeatures(samples: readonly Record<string, FeatureValue>[]): Record<string, FeatureValue> {
  const out: Record<string, FeatureValue> = { ...samples[0]! };
  for (const key of Object.keys(out)) {
    const xs = samples.map((f) => f[key]);
    if (xs.every((x) => typeof x === 'boolean')) out[key] = xs.reduce((s, x) => s + (x ? 1 : 0), 0) / xs.length;
    else if (xs.every((x) => typeof x === 'number' && Number.isFinite(x)))
      out[key] = (xs as number[]).reduce((s, x) => s + x, 0) / xs.length;
    else if (xs.some((x) => x === null)) out[key] = null;
  }
  return out;
}

/** x per n, 0 for an empty text. */
export const perByte = (x: number, n: number) => (n > 0 ? x / n : 0);
