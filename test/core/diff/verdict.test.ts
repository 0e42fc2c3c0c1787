// The verdict: identical when both models give every position the same distribution; on a runtime that adds noise,
// a pair that differs in nothing but that noise is "indistinguishable" once the noise floor is measured (each model
// re-scoring its own replies), while a real change still "differs"; without a measurement the floor is rounding.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diff } from '../../../src/core/diff/build-report.ts';
import { textSteps } from '../../../src/core/diff/cross-likelihood.ts';
import type { ScoredStep } from '../../../src/core/engine/types.ts';
import type { CrossScore, ModelProfile, PairProfile } from '../../../src/core/profile/types.ts';
import { createRng } from '../../../src/core/random.ts';
import { style, syntheticPair, syntheticProfile, syntheticSet } from './synthetic.ts';

const set = syntheticSet(60, 11);

/** A model's replies scored by the same model on a runtime that adds independent noise of `sigma` nats. */
function scoredBySelf(p: ModelProfile, seed: number, sigma: number): CrossScore[] {
  const rng = createRng(seed);
  const jitter = () => (sigma > 0 ? sigma * rng.normal() : 0);
  return p.records.map((r) => ({
    promptId: r.promptId,
    bytes: new TextEncoder().encode(r.text).byteLength,
    tokens: textSteps(r).map((t): ScoredStep => ({
      ...t,
      logprob: Math.min(0, t.logprob + jitter()),
      candidates: t.top.map((x) => ({ id: x.id, logprob: Math.min(0, x.logprob + jitter()) })),
    })),
  }));
}

/** One model as A and as B (same replies), scored across with noise; `measured`: self-scores with the same noise. */
function samePair(sigma: number, measured: boolean): PairProfile {
  const a = syntheticProfile(set, style('M'), 3);
  const b: ModelProfile = { ...a, label: 'M again', spec: 'synthetic:M2' };
  return {
    promptSet: { id: set.id, name: set.name, hash: 'h', n: set.prompts.length },
    a,
    b,
    aUnderB: scoredBySelf(a, 1, sigma),
    bUnderA: scoredBySelf(b, 2, sigma),
    ...(measured ? { noise: { a: scoredBySelf(a, 3, sigma), b: scoredBySelf(b, 4, sigma) } } : {}),
  };
}

test('the same model on an exact runtime: identical, not "no significant difference"', () => {
  const r = diff(samePair(0, false), set, { resamples: 500 });
  assert.equal(r.verdict!.status, 'identical');
  assert.match(r.verdict!.sentence, /^Identical on this prompt set/);
  assert.equal(r.behaviours.length, 0);
});

test('the same model on a noisy runtime: indistinguishable once the noise floor is measured', () => {
  const r = diff(samePair(0.05, true), set, { resamples: 500 });
  assert.equal(r.verdict!.noiseFloor.measured, true);
  assert.equal(r.verdict!.noiseFloor.n, set.prompts.length);
  assert.ok(r.verdict!.noiseFloor.value > 1e-6);
  assert.equal(r.verdict!.status, 'indistinguishable', r.verdict!.sentence);
  assert.ok(r.verdict!.p > 0.05);
  // Roughly half the prompts are above their own noise by chance.
  assert.ok(r.verdict!.promptsAbove > 10 && r.verdict!.promptsAbove < 50, String(r.verdict!.promptsAbove));
  assert.equal(r.behaviours.length, 0);
});

test('unmeasured, the same noise looks like a difference: the floor is then rounding, and the report says so', () => {
  const r = diff(samePair(0.05, false), set, { resamples: 500 });
  assert.equal(r.verdict!.noiseFloor.measured, false);
  assert.equal(r.verdict!.status, 'differs');
});

test('a real change (KL ≈ 0.009) on a runtime with smaller noise (σ = 0.01) differs, above the measured floor', () => {
  const pair = syntheticPair(set, style('A'), style('B', { refuseBenign: 0.6, boost: { joy: 2 } }), 5);
  const noisy: PairProfile = {
    ...pair,
    noise: { a: scoredBySelf(pair.a, 7, 0.01), b: scoredBySelf(pair.b, 8, 0.01) },
  };
  const r = diff(noisy, set, { resamples: 500 });
  assert.equal(r.verdict!.noiseFloor.measured, true);
  assert.equal(r.verdict!.status, 'differs', r.verdict!.sentence);
  assert.ok(r.verdict!.ci[0] > 0);
  assert.ok(r.verdict!.effect > r.verdict!.noiseFloor.value);
});
