import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractLength } from '../../../src/core/features/length.ts';

test('counts characters, bytes, words and sentences', () => {
  const r = extractLength({ text: "Hello, world! It's 3.5 degrees. Done" });
  assert.equal(r.charCount, 36);
  assert.equal(r.byteCount, 36);
  assert.equal(r.wordCount, 6);
  assert.equal(r.sentenceCount, 3);
  assert.equal(r.tokenCount, null);
});

test('characters are code points, bytes are UTF-8', () => {
  const r = extractLength({ text: 'naïve 😀' });
  assert.equal(r.charCount, 7);
  assert.equal(r.byteCount, 11);
  assert.equal(r.wordCount, 1);
});

test('words in unspaced scripts are segmented', () => {
  assert.ok(extractLength({ text: '我喜欢学习中文' }).wordCount >= 3);
});

test('tokens come from tokenCount, else from the logprobs', () => {
  assert.equal(extractLength({ text: 'a b', tokenCount: 5, tokenLogprobs: [-1, -1] }).tokenCount, 5);
  assert.equal(extractLength({ text: 'a b', tokenLogprobs: [-1, -1] }).tokenCount, 2);
});

test('code blocks are not sentences; empty text is zero', () => {
  assert.equal(extractLength({ text: 'Run this.\n```\nx = 1. y = 2.\n```' }).sentenceCount, 1);
  assert.deepEqual(extractLength({ text: '' }), {
    charCount: 0,
    byteCount: 0,
    wordCount: 0,
    tokenCount: null,
    sentenceCount: 0,
  });
});
