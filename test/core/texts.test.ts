// The generic text sets for the activation-difference lens are well-formed and topic-neutral: 300 short documents
// each, no duplicates, varied openings, and no content word common enough to tilt the lens toward one theme.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

interface TextSet {
  name: string;
  license: string;
  description: string;
  documents: string[];
}

const load = (file: string): TextSet =>
  JSON.parse(readFileSync(new URL(`../../public/texts/${file}`, import.meta.url), 'utf8')) as TextSet;

// Function words (and the reporting verb "said") that may legitimately appear in many documents.
const FUNCTION_WORDS = new Set(
  (
    'about after also been before being both could does each even from have here into just like many more most ' +
    'much must only other over said should some such than that their them then there these they this those ' +
    'very were what when where which while will with would your'
  ).split(' '),
);

const words = (doc: string) => doc.split(/\s+/).filter(Boolean);
const firstWord = (doc: string) => (words(doc)[0] ?? '').toLowerCase().replace(/[^a-z0-9']/g, '');
const contentWords = (doc: string) =>
  new Set(
    (doc.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? []).filter((w) => w.length >= 4 && !FUNCTION_WORDS.has(w)),
  );

const sets: [file: string, maxWords: number][] = [
  ['generic.json', 60],
  ['stories.json', 50],
];

for (const [file, maxWords] of sets) {
  test(`${file}: parses, CC0, 300 unique ASCII documents of 15-${maxWords} words`, () => {
    const set = load(file);
    assert.equal(set.license, 'CC0-1.0');
    assert.ok(set.name && set.description);
    assert.equal(set.documents.length, 300);
    assert.equal(new Set(set.documents).size, set.documents.length, 'duplicate documents');
    for (const doc of set.documents) {
      assert.equal(typeof doc, 'string');
      assert.equal(doc, doc.trim(), doc);
      assert.match(doc, /^[\x20-\x7e]+$/, `non-ASCII or control character: ${doc}`);
      const n = words(doc).length;
      assert.ok(n >= 15 && n <= maxWords, `${n} words: ${doc}`);
    }
  });

  test(`${file}: no opening word starts more than 15% of documents`, () => {
    const { documents } = load(file);
    const counts = new Map<string, number>();
    for (const doc of documents) counts.set(firstWord(doc), (counts.get(firstWord(doc)) ?? 0) + 1);
    for (const [word, n] of counts) assert.ok(n <= 0.15 * documents.length, `"${word}" starts ${n} documents`);
  });

  test(`${file}: no content word appears in more than 8% of documents`, () => {
    const { documents } = load(file);
    const counts = new Map<string, number>();
    for (const doc of documents) for (const w of contentWords(doc)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const over = [...counts].filter(([, n]) => n > 0.08 * documents.length);
    assert.deepEqual(over, [], `topic-biased words: ${over.map(([w, n]) => `${w}=${n}`).join(', ')}`);
  });
}

test('stories.json: "Once upon a time" opens at most 15% of stories', () => {
  const { documents } = load('stories.json');
  const n = documents.filter((d) => d.startsWith('Once upon a time')).length;
  assert.ok(n <= 0.15 * documents.length, `${n} stories open with "Once upon a time"`);
});
