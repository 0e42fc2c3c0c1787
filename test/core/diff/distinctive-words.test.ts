// Distinctive words (log-odds with an informative Dirichlet prior): no words for equal corpora, a B-only word is
// distinctive of B, and swapping the corpora swaps the lists.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distinctiveWords, words } from '../../../src/core/diff/distinctive-words.ts';

const base = [
  'The cat sat on the mat and looked at the door.',
  'A dog ran in the park with a red ball.',
  'It is sunny today, so we walk to the river.',
  'Bread is made from flour, water and salt.',
];
const corpusA = Array.from({ length: 10 }, (_, i) => base[i % base.length]!);
const corpusB = corpusA.map((t, i) => (i % 2 === 0 ? `${t} What joy!` : `${t} Such joy, pure joy.`));

test('words: lower case, inner apostrophes and hyphens kept, trailing ones dropped', () => {
  assert.deepEqual(words("Don't STOP – well-known dogs' toys"), ["don't", 'stop', 'well-known', 'dogs', 'toys']);
});

test('identical corpora give no distinctive words', () => {
  assert.deepEqual(distinctiveWords(corpusA, corpusA), { distinctiveA: [], distinctiveB: [] });
});

test('a word only in B, often enough, is distinctive of B with z < −1.96', () => {
  const r = distinctiveWords(corpusA, corpusB);
  const joy = r.distinctiveB.find((w) => w.word === 'joy');
  assert.ok(joy, JSON.stringify(r));
  assert.ok(joy.z < -1.96, String(joy.z));
  assert.equal(joy.countA, 0);
  assert.equal(joy.countB, 15);
  assert.equal(r.distinctiveB[0]!.word, 'joy');
  assert.ok(r.distinctiveA.every((w) => w.z > 1.96));
  // Below minCount a word is never reported, however lopsided.
  assert.deepEqual(distinctiveWords(corpusA, [...corpusA.slice(1), `${corpusA[0]} rare`]).distinctiveB, []);
});

test('swapping A and B swaps the lists and negates z', () => {
  const ab = distinctiveWords(corpusA, corpusB);
  const ba = distinctiveWords(corpusB, corpusA);
  const flip = (ws: typeof ab.distinctiveA) =>
    ws.map((w) => ({ word: w.word, z: -w.z, countA: w.countB, countB: w.countA }));
  const close = (x: typeof ab.distinctiveA, y: typeof ab.distinctiveA) => {
    assert.deepEqual(
      x.map((w) => [w.word, w.countA, w.countB]),
      y.map((w) => [w.word, w.countA, w.countB]),
    );
    x.forEach((w, i) => assert.ok(Math.abs(w.z - y[i]!.z) < 1e-12));
  };
  close(ba.distinctiveA, flip(ab.distinctiveB));
  close(ba.distinctiveB, flip(ab.distinctiveA));
  assert.ok(ab.distinctiveB.length > 0);
});
