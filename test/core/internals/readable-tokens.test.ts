// The internals read directions as tokens among those that read as text: byte pieces (empty alone, part of a UTF-8
// sequence, or a control byte) are passed over in rank order, and the texts are asked for only as far as needed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extremes, isReadableToken, readableExtremes } from '../../../src/core/internals/top-direction.ts';

test('isReadableToken: words, fragments, punctuation, spaces and line breaks read; byte pieces do not', () => {
  for (const t of ['the', 'ir', 'd', 'Q', '9', '$', '“', ' ', '\n', '\t', 'café', '日本', '<s>', '</s>', '<|im_end|>'])
    assert.equal(isReadableToken(t), true, JSON.stringify(t));
  for (const t of ['', '\ufffd', 'ab\ufffd', '\u0000', '\u0002', '\u001e', '\u007f', '\u0085', 'x\u001dy'])
    assert.equal(isReadableToken(t), false, JSON.stringify(t));
});

test('readableExtremes: the strongest readable tokens each way, in extremes() order, texts asked for in chunks', async () => {
  // 40 tokens: ids 0–19 are byte pieces with the largest |scores|, 20–39 words with smaller ones.
  const scores = Float64Array.from({ length: 40 }, (_, i) =>
    i < 20 ? (i % 2 ? -1 : 1) * (100 - i) : (i % 2 ? -1 : 1) * (60 - i),
  );
  const text = (id: number) => (id < 20 ? String.fromCharCode(id % 2 ? 0xfffd : 0x1e) : `w${id}`);
  const asked: number[][] = [];
  const texts = async (ids: number[]) => {
    asked.push(ids);
    return ids.map(text);
  };
  const all = extremes(scores, 40);
  const got = await readableExtremes(scores, 3, texts);
  assert.deepEqual(got.up, all.up.filter((id) => id >= 20).slice(0, 3));
  assert.deepEqual(got.down, all.down.filter((id) => id >= 20).slice(0, 3));
  assert.deepEqual(got.up, [20, 22, 24]);
  assert.deepEqual(got.down, [21, 23, 25]);
  assert.equal(got.left, 20, 'every byte piece was stronger than the words and passed over');
  assert.ok(
    asked.every((ids) => ids.length <= 12),
    'texts asked for 4k at a time',
  );
  // With every token readable it is extremes() itself, and asks for one chunk each way.
  let calls = 0;
  const plain = await readableExtremes(scores, 3, async (ids) => (calls++, ids.map((id) => `t${id}`)));
  const { text: plainText, ...plainRest } = plain;
  assert.deepEqual(plainRest, { ...extremes(scores, 3), left: 0 });
  assert.deepEqual(
    [...plainText.keys()].sort((x, y) => x - y),
    [...plain.up, ...plain.down].sort((x, y) => x - y),
  );
  assert.equal(calls, 2);
});

test('readableExtremes: fewer readable tokens than asked gives what there is', async () => {
  const scores = Float64Array.from([5, 4, -3, 2]);
  const got = await readableExtremes(scores, 10, async (ids) => ids.map((id) => (id === 1 ? '' : `t${id}`)));
  const { text, ...rest } = got;
  assert.deepEqual(rest, { up: [0, 3], down: [2], left: 1 });
  // The kept tokens' texts come back with them (no second decoding).
  assert.deepEqual(
    [...text],
    [
      [0, 't0'],
      [3, 't3'],
      [2, 't2'],
    ],
  );
});
