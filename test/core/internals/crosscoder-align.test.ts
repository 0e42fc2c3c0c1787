// Cross-tokenizer alignment for the crosscoder's harvest (align.ts): one vocabulary pairs every position with
// itself; different tokenizations pair positions where both end a token at the same character (dropped spaces and
// byte pieces allowed for), and the rate counts those over the longer tokenization.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  alignByCharacters,
  alignIdentical,
  gatherRows,
  tokenEnds,
} from '../../../src/core/internals/crosscoder/align.ts';

test('same vocabulary: token-identical, every position its own pair, rate 1', () => {
  const a = alignIdentical([1, 17, 4, 9]);
  assert.deepEqual([...a.pairs], [0, 0, 1, 1, 2, 2, 3, 3]);
  assert.equal(a.rate, 1);
  assert.equal(a.counted, 4);
});

test('token ends: dropped leading spaces, a BOS at character 0, byte pieces that end nowhere known', () => {
  // Single-token decoding of a SentencePiece vocabulary drops the leading space ("upon" for "▁upon").
  assert.deepEqual([...tokenEnds('Once upon a time', ['<s>', 'Once', 'upon', 'a', 'time'])], [0, 4, 9, 11, 16]);
  // "é" as two byte pieces: only the last of them ends at a known character.
  assert.deepEqual([...tokenEnds('café!', ['caf', '\ufffd', '\ufffd', '!'])], [-1, -1, 4, 5]);
});

test('different tokenizations align where both end a token at the same character; the rate over the longer', () => {
  const text = 'the cat sat down';
  const a = tokenEnds(text, ['<s>', 'the', ' cat', ' sat', ' down']); // 0, 3, 7, 11, 16
  const b = tokenEnds(text, ['<|bos|>', 'th', 'e', ' c', 'at', ' sat', ' do', 'wn']); // 0, 2, 3, 5, 7, 11, 14, 16
  const al = alignByCharacters(a, b, { pairStart: true });
  // The two first positions (each model's sink) pair whatever they hold; then "the", " cat"/"at", " sat", "wn".
  assert.deepEqual([...al.pairs], [0, 0, 1, 2, 2, 4, 3, 5, 4, 7]);
  assert.equal(al.counted, 4);
  assert.equal(al.rate, 4 / 7);
  // Nothing in common but the end: one pair, and a token ending at 0 never counts.
  const none = alignByCharacters([0, 5, 10], [0, 3, 7, 10]);
  assert.deepEqual([...none.pairs], [2, 3]);
  assert.equal(none.rate, 1 / 4);
  // Rows gathered per side follow the pairs.
  const x = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  assert.deepEqual([...gatherRows(x, 2, al.pairs, 0)], [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  const y = Float32Array.from({ length: 16 }, (_, i) => Math.floor(i / 2));
  assert.deepEqual([...gatherRows(y, 2, al.pairs, 1)], [0, 0, 2, 2, 4, 4, 5, 5, 7, 7]);
});
