// Discovered vocabulary: n-grams keyed by numbers (a vocabulary up to 2^17 words) and by strings (beyond) choose
// the same terms with the same counts; the words of every reply are interned once and shared.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitPrompts } from '../../../src/core/diff/discovery/split.ts';
import { discoverVocabulary, tokeniseReplies, type ReplyPair } from '../../../src/core/diff/discovery/vocabulary.ts';
import { createRng } from '../../../src/core/random.ts';

const rng = createRng(9);
const WORDS = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'joy', 'happy', 'story', 'ended', 'very', 'well'];
const reply = (extra: string[]) =>
  [...Array.from({ length: 12 }, () => WORDS[rng.int(WORDS.length)]!), ...extra].join(' ') + '.';
const pairs: ReplyPair[] = Array.from({ length: 120 }, (_, i) => ({
  id: `p${i}`,
  cluster: i,
  a: [reply([])],
  b: [reply(rng.next() < 0.6 ? ['joy', 'joy'] : [])],
}));
const split = splitPrompts(pairs, 1);

test('string keys past 2^17 words choose what numeric keys choose', () => {
  const tokenised = tokeniseReplies(pairs);
  const numeric = discoverVocabulary(tokenised, split);
  // The same replies under a vocabulary too large for numeric keys (the extra words are never said).
  const padded = { ...tokenised, words: [...tokenised.words, ...Array.from({ length: 2 ** 17 }, (_, i) => `w${i}`)] };
  const strings = discoverVocabulary(padded, split);
  assert.ok(numeric.candidates.some((c) => c.term === 'joy'));
  assert.equal(strings.scored, numeric.scored);
  assert.deepEqual(
    strings.candidates.map((c) => [c.term, c.z, [...c.countA], [...c.countB], [...c.matchedA], [...c.matchedB]]),
    numeric.candidates.map((c) => [c.term, c.z, [...c.countA], [...c.countB], [...c.matchedA], [...c.matchedB]]),
  );
  // Plain reply pairs are tokenised on the way in.
  assert.deepEqual(discoverVocabulary(pairs, split), numeric);
});
