// Diff amplification: α = 0 is model B exactly, a token B boosts gains probability as α grows, sampling is seeded.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amplifiedLogits, sampleAmplified } from '../../../src/core/diff/amplify.ts';
import { analyse, sample } from '../../../src/core/engine/distribution.ts';
import { createRng } from '../../../src/core/random.ts';

const A = [1.0, 2.0, 0.5, 0.0, -1.0];
// B raises token 3 by 1.5 and lowers token 1 by 0.5: everything else as A.
const B = [1.0, 1.5, 0.5, 1.5, -1.0];

const probs = (logits: ArrayLike<number>) => {
  const { logZ } = analyse(logits);
  return Array.from(logits, (x) => Math.exp(x - logZ));
};

test('alpha 0 gives B’s logits exactly, and the same samples as sampling B', () => {
  assert.deepEqual(amplifiedLogits(A, B, 0), Float64Array.from(B));
  const r1 = createRng(11);
  const r2 = createRng(11);
  for (let t = 0; t < 500; t++) assert.equal(sampleAmplified(A, B, 0, 0.8, r1), sample(B, 0.8, r2));
});

test('alpha −1 gives A’s logits; the formula is B + α(B − A)', () => {
  const back = amplifiedLogits(A, B, -1);
  A.forEach((x, i) => assert.ok(Math.abs(back[i]! - x) < 1e-12));
  const two = amplifiedLogits(A, B, 2);
  B.forEach((b, i) => assert.equal(two[i], b + 2 * (b - A[i]!)));
});

test('a token boosted in B gets more probability as alpha grows; a lowered one gets less', () => {
  const alphas = [0, 0.5, 1, 2, 4];
  const p3 = alphas.map((a) => probs(amplifiedLogits(A, B, a))[3]!);
  const p1 = alphas.map((a) => probs(amplifiedLogits(A, B, a))[1]!);
  for (let i = 1; i < alphas.length; i++) {
    assert.ok(p3[i]! > p3[i - 1]!, `p(token 3) ${p3.join(', ')}`);
    assert.ok(p1[i]! < p1[i - 1]!, `p(token 1) ${p1.join(', ')}`);
  }
  // Sampled frequencies follow: at α = 4 token 3 is drawn far more often than at α = 0.
  const freq = (alpha: number) => {
    const rng = createRng(3);
    let hits = 0;
    for (let t = 0; t < 4000; t++) if (sampleAmplified(A, B, alpha, 1, rng) === 3) hits++;
    return hits / 4000;
  };
  const f0 = freq(0);
  const f4 = freq(4);
  assert.ok(Math.abs(f0 - probs(B)[3]!) < 0.03, `α = 0 frequency ${f0} vs p ${probs(B)[3]}`);
  assert.ok(f4 > f0 + 0.3, `α = 4 frequency ${f4}`);
});

test('sampling is deterministic with the seed, and greedy at temperature 0', () => {
  const draw = (seed: number) => {
    const rng = createRng(seed);
    return Array.from({ length: 200 }, () => sampleAmplified(A, B, 1.5, 1, rng));
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  assert.equal(sampleAmplified(A, B, 1, 0, createRng(1)), 3);
  for (let t = 0, rng = createRng(5); t < 100; t++)
    assert.ok([0, 2].includes(sampleAmplified(A, B, 1, 1, rng, [0, 2])));
});

test('masked tokens and mismatched vocabularies', () => {
  const masked = amplifiedLogits([0, 0, 0], [0, -Infinity, 1], 3);
  assert.equal(masked[1], -Infinity);
  assert.equal(masked[2], 4);
  assert.deepEqual(amplifiedLogits([0, -Infinity], [0, 1], 0), Float64Array.from([0, 1]));
  assert.throws(() => amplifiedLogits([0, -Infinity], [0, 1], 1), /token 1/);
  assert.throws(() => amplifiedLogits([0, 1], [0, 1, 2], 1), /one vocabulary/);
  assert.throws(() => amplifiedLogits([0], [0], NaN), /alpha/);
});
