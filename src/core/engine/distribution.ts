// Per-step distribution maths shared by every engine's decode loop: log-softmax, entropy, top-k and sampling.

import type { Rng } from '../random.ts';
import type { ScoredStep, TokenAlternative } from './types.ts';

export interface StepDistribution {
  /** log-sum-exp of the raw logits: logprob(i) = logits[i] - logZ. */
  logZ: number;
  entropy: number;
}

export function analyse(logits: ArrayLike<number>): StepDistribution {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i]! - max);
    sum += e;
    weighted += e * (logits[i]! - max);
  }
  const logZ = max + Math.log(sum);
  // H = -Σ p log p = logZ' - Σ p x' with x' = x - max and logZ' = log Σ e^{x'}
  const entropy = Math.log(sum) - weighted / sum;
  return { logZ, entropy };
}

/** The k largest logits as log-probabilities, largest first; ties broken by lower id. */
export function topK(logits: ArrayLike<number>, k: number, logZ: number): TokenAlternative[] {
  const n = Math.min(k, logits.length);
  const ids: number[] = [];
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (ids.length < n) {
      ids.push(i);
      ids.sort((a, b) => logits[b]! - logits[a]! || a - b);
    } else if (v > logits[ids[n - 1]!]!) {
      ids[n - 1] = i;
      ids.sort((a, b) => logits[b]! - logits[a]! || a - b);
    }
  }
  return ids.map((id) => ({ id, logprob: logits[id]! - logZ }));
}

export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/** Samples from softmax(logits / temperature) restricted to the `restrict` candidates (or all when absent). */
export function sample(logits: ArrayLike<number>, temperature: number, rng: Rng, restrict?: readonly number[]): number {
  if (temperature <= 0) return argmax(logits);
  const ids = restrict ?? Array.from({ length: logits.length }, (_, i) => i);
  let max = -Infinity;
  for (const i of ids) max = Math.max(max, logits[i]!);
  const weights = ids.map((i) => Math.exp((logits[i]! - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let j = 0; j < ids.length; j++) {
    u -= weights[j]!;
    if (u <= 0) return ids[j]!;
  }
  return ids[ids.length - 1]!;
}

/**
 * One decoding step on raw logits, as every local engine does it: the chosen id (greedy at temperature 0, else
 * sampled from the temperature-scaled top-max(k, 40)), with its raw log-probability, the entropy and the top-k.
 */
export function decodeStep(
  logits: ArrayLike<number>,
  settings: { temperature: number; topK: number },
  rng: Rng,
): { id: number; logprob: number; entropy: number; top: TokenAlternative[] } {
  const dist = analyse(logits);
  const top = topK(logits, settings.topK, dist.logZ);
  const restrict =
    settings.temperature > 0 ? topK(logits, Math.max(settings.topK, 40), dist.logZ).map((t) => t.id) : undefined;
  const id = sample(logits, settings.temperature, rng, restrict);
  return { id, logprob: logits[id]! - dist.logZ, entropy: dist.entropy, top };
}

/**
 * One teacher-forced step on raw logits, as every local engine scores it: the given id's log-probability, the
 * entropy, the top-k, and the log-probabilities of the asked `candidates` (the other model's top-k ids) when given.
 */
export function scoreStep(
  logits: ArrayLike<number>,
  id: number,
  k: number,
  candidates?: readonly number[],
): ScoredStep {
  const dist = analyse(logits);
  const step: ScoredStep = {
    id,
    logprob: logits[id]! - dist.logZ,
    entropy: dist.entropy,
    top: topK(logits, k, dist.logZ),
  };
  if (candidates) step.candidates = candidates.map((c) => ({ id: c, logprob: logits[c]! - dist.logZ }));
  return step;
}
