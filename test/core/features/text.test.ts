import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  normalise,
  segmentWords,
  segmentWordsFallback,
  splitSentences,
  stripCode,
  stripQuoted,
} from '../../../src/core/features/text.ts';

test('normalise folds case, quotes and spaces', () => {
  assert.equal(normalise('I\u2019M  \u201CHere\u201D'), 'i\'m "here"');
});

test('stripCode removes fences and inline code', () => {
  assert.equal(stripCode('a `b` c\n```\nd\n```\ne').replace(/\s+/g, ' ').trim(), 'a c e');
});

test('stripQuoted removes quoted speech but keeps apostrophes', () => {
  assert.equal(stripQuoted('He said "no way" and left.').replace(/\s+/g, ' '), 'He said and left.');
  assert.equal(stripQuoted("'I won't go,' she said. Don't worry.").trim(), "she said. Don't worry.");
  assert.equal(stripQuoted("the students' books and Tom's pen"), "the students' books and Tom's pen");
});

test('word segmentation, with and without Intl.Segmenter', () => {
  assert.deepEqual(segmentWords("Don't stop: 3.5 apples!"), ["Don't", 'stop', '3.5', 'apples']);
  assert.deepEqual(segmentWordsFallback("Don't stop: 3.5 apples, 1,234!"), ["Don't", 'stop', '3.5', 'apples', '1,234']);
  assert.deepEqual(segmentWordsFallback('我喜欢 tea'), ['我', '喜', '欢', 'tea']);
});

test('sentences: punctuation, line breaks, abbreviations, CJK', () => {
  assert.deepEqual(splitSentences('Dr. Smith came, e.g. at 3.5 p.m. today. Did he? Yes!\n- item one\n你好。再见！'), [
    'Dr. Smith came, e.g. at 3.5 p.m. today.',
    'Did he?',
    'Yes!',
    '- item one',
    '你好。',
    '再见！',
  ]);
  assert.deepEqual(splitSentences(''), []);
});
