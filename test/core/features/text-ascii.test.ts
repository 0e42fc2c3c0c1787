// The ASCII fast path of segmentWords gives exactly Intl.Segmenter's word-like segments (what it replaced).

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { refusalHeldOut, refusalLabelled } from '../../../src/core/features/refusal-labelled.ts';
import { segmentWords } from '../../../src/core/features/text.ts';

const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
/** The reference: Intl.Segmenter on the same pieces segmentWords cuts (no cut below 1,024 characters). */
const icu = (text: string) => [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);

// Every character class UAX #29 treats specially in ASCII, several times over, plus ordinary punctuation.
const TRICKY = [...'aZ09_.:\',;"- \n\r\t!?()#@$%&*+/<=>[]\\^`{|}~', 'e', 'x', '1', '7', '\v', '\f', '\0'];

test('ASCII fast path equals Intl.Segmenter on random ASCII strings', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 60 }), (text) => {
      assert.deepEqual(segmentWords(text), icu(text), JSON.stringify(text));
    }),
    { numRuns: 20_000, seed: 7 },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), (text) => {
      assert.deepEqual(segmentWords(text), icu(text), JSON.stringify(text));
    }),
    { numRuns: 5_000, seed: 8 },
  );
});

test('ASCII fast path equals Intl.Segmenter on the labelled responses and the bundled prompts', () => {
  const dir = join(import.meta.dirname, '..', '..', '..', 'public', 'prompts');
  const texts = [...refusalLabelled, ...refusalHeldOut].map((r) => r.text);
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const walk = (x: unknown): void => {
      if (typeof x === 'string') texts.push(x);
      else if (x && typeof x === 'object') Object.values(x).forEach(walk);
    };
    walk(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  }
  let ascii = 0;
  for (const t of texts) {
    if (/[^\p{ASCII}]/u.test(t) || t.length > 1024) continue;
    ascii++;
    assert.deepEqual(segmentWords(t), icu(t), JSON.stringify(t));
  }
  assert.ok(ascii > 500, `only ${ascii} ASCII texts`);
});

test('non-ASCII text still goes through Intl.Segmenter', () => {
  assert.deepEqual(segmentWords('Ça coûte 3,5 € — naïve café'), icu('Ça coûte 3,5 € — naïve café'));
  assert.deepEqual(segmentWords('我喜欢 tea'), icu('我喜欢 tea'));
});
