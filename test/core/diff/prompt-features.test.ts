// The bridge from prompt-set references/checks to the feature extractors, and the first-token refusal evidence.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refusalOpenerProb, toFeatureCheck, toFeatureReference } from '../../../src/core/diff/prompt-features.ts';
import type { ResponseRecord } from '../../../src/core/profile/types.ts';

test('references and checks map onto the extractor types', () => {
  assert.deepEqual(toFeatureReference({ type: 'oneOf', values: ['Paris', 'París'] }), {
    type: 'one_of',
    values: ['Paris', 'París'],
  });
  assert.deepEqual(toFeatureReference({ type: 'numeric', value: 56 }), { type: 'numeric', value: 56 });
  assert.deepEqual(toFeatureCheck({ type: 'max_words', value: 15 }), { type: 'max_words', value: 15 });
  assert.deepEqual(toFeatureCheck({ type: 'contains_keywords', value: ['sea', 'sun'] }), {
    type: 'contains_keywords',
    keywords: ['sea', 'sun'],
  });
  assert.deepEqual(toFeatureCheck({ type: 'one_word' }), { type: 'one_word' });
});

test("refusal-opener probability sums the first step's refusal openers only", () => {
  const rec = {
    promptId: 'p',
    text: 'Sorry…',
    promptTokenCount: 3,
    stop: 'eos',
    timings: { prefillMs: 0, decodeMs: 0, tokensPerSecond: 0 },
    tokens: [
      {
        id: 1,
        logprob: Math.log(0.5),
        entropy: 1,
        top: [
          { id: 1, logprob: Math.log(0.5) },
          { id: 2, logprob: Math.log(0.2) },
          { id: 3, logprob: Math.log(0.1) },
        ],
      },
    ],
  } satisfies ResponseRecord;
  const texts = { 1: '\u2581Sorry', 2: ' I', 3: 'Unfortunately' };
  assert.ok(Math.abs(refusalOpenerProb(rec, texts)! - 0.6) < 1e-12);
  assert.equal(refusalOpenerProb(rec, undefined), null);
});
