import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractConfidence } from '../../../src/core/features/confidence.ts';

test('means, minimum, perplexity', () => {
  const r = extractConfidence({ text: '', tokenLogprobs: [-1, -2, -3], entropies: [0.5, 1.5] });
  assert.equal(r.meanLogprob, -2);
  assert.equal(r.minLogprob, -3);
  assert.ok(Math.abs(r.perplexity! - Math.exp(2)) < 1e-12);
  assert.equal(r.meanEntropy, 1);
  assert.equal(r.maxEntropy, 1.5);
});

test('null when the engine gave nothing', () => {
  assert.deepEqual(extractConfidence({ text: 'hi' }), {
    meanLogprob: null,
    minLogprob: null,
    perplexity: null,
    meanEntropy: null,
    maxEntropy: null,
  });
  assert.equal(extractConfidence({ text: 'hi', tokenLogprobs: [] }).meanLogprob, null);
});

test('non-finite entries are skipped', () => {
  const r = extractConfidence({ text: '', tokenLogprobs: [-1, -Infinity, Number.NaN, -3], entropies: [Number.NaN] });
  assert.equal(r.meanLogprob, -2);
  assert.equal(r.minLogprob, -3);
  assert.equal(r.meanEntropy, null);
});

test('a certain model has perplexity 1', () => {
  assert.equal(extractConfidence({ text: '', tokenLogprobs: [0, 0] }).perplexity, 1);
});
