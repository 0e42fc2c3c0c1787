// Diff amplification for two models that share a vocabulary: sample from logits_B + α·(logits_B − logits_A), which
// exaggerates whatever B does differently from A (α = 0 is B itself, α = −1 is A). Pure maths, no engine.

import { sample } from '../engine/distribution.ts';
import type { Rng } from '../random.ts';

/**
 * logitsB + alpha · (logitsB − logitsA), element by element. α = 0 returns B's logits exactly. A token B rules out
 * (−∞) stays ruled out; where only A rules a token out the difference is unbounded, so that is an error unless α is
 * 0. Throws on a length mismatch (the two models must share a vocabulary).
 */
export function amplifiedLogits(logitsA: ArrayLike<number>, logitsB: ArrayLike<number>, alpha: number): Float64Array {
  if (logitsA.length !== logitsB.length) {
    throw new RangeError(
      `amplifiedLogits: ${logitsA.length} logits for A but ${logitsB.length} for B; amplification needs one vocabulary`,
    );
  }
  if (!Number.isFinite(alpha)) throw new RangeError(`amplifiedLogits: alpha must be finite, got ${alpha}`);
  const out = Float64Array.from(logitsB);
  if (alpha === 0) return out;
  for (let i = 0; i < out.length; i++) {
    const a = logitsA[i]!;
    const b = logitsB[i]!;
    if (b === -Infinity) continue;
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      throw new RangeError(`amplifiedLogits: token ${i} has logits A = ${a}, B = ${b}; the difference is undefined`);
    }
    out[i] = b + alpha * (b - a);
  }
  return out;
}

/**
 * One token id sampled from softmax(amplifiedLogits / temperature), restricted to `restrict` when given, with the
 * engines' sampler (temperature ≤ 0: greedy). Deterministic for a given rng state.
 */
export function sampleAmplified(
  logitsA: ArrayLike<number>,
  logitsB: ArrayLike<number>,
  alpha: number,
  temperature: number,
  rng: Rng,
  restrict?: readonly number[],
): number {
  return sample(amplifiedLogits(logitsA, logitsB, alpha), temperature, rng, restrict);
}
