import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinct, extractRepetition, longestLoop } from '../../../src/core/features/repetition.ts';

test('distinct-n ratios', () => {
  const w = ['a', 'b', 'a', 'b'];
  assert.equal(distinct(w, 1), 0.5);
  assert.equal(distinct(w, 2), 2 / 3);
  assert.equal(distinct(w, 3), 1);
  assert.equal(distinct(w, 5), null);
});

test('longest back-to-back loop', () => {
  assert.deepEqual(longestLoop('x a b c a b c a b c y'.split(' ')), { period: 3, repeats: 3, words: 9 });
  assert.deepEqual(longestLoop('no repeats here at all'.split(' ')), { period: 1, repeats: 1, words: 0 });
  // "a b a b a b a b": period 2 ×4 and period 4 ×2 cover the same words; the shorter period wins.
  assert.deepEqual(longestLoop('a b a b a b a b'.split(' ')), { period: 2, repeats: 4, words: 8 });
});

test('a 4-gram repeated three times in a row is degenerate', () => {
  const r = extractRepetition({ text: 'Once upon a time. The cat sat down. The cat sat down. The cat sat down.' });
  assert.equal(r.loopPeriod, 4);
  assert.equal(r.loopRepeats, 3);
  assert.equal(r.loopWords, 12);
  assert.equal(r.degenerate, true);
});

test('low distinct-2 on a long response is degenerate', () => {
  const text = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'the dog' : 'a dog')).join(' and ');
  const r = extractRepetition({ text });
  assert.ok(r.distinct2! < 0.3);
  assert.equal(r.degenerate, true);
});

test('ordinary prose is not degenerate, even with a repeated word pair', () => {
  const r = extractRepetition({
    text: 'I think that that is right. The quick brown fox jumps over the lazy dog, and then it runs back home to sleep.',
  });
  assert.equal(r.degenerate, false);
  assert.equal(r.loopRepeats, 2);
  assert.equal(r.loopPeriod, 1);
  const empty = extractRepetition({ text: '' });
  assert.deepEqual(empty, {
    distinct1: null,
    distinct2: null,
    distinct3: null,
    loopPeriod: null,
    loopRepeats: 1,
    loopWords: 0,
    degenerate: false,
  });
});
