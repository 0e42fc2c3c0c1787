// Prompt-set hashes: FNV-1a 64 known values, canonical JSON, and stability under key order, not under content.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson, fnv1a64, parsePromptSet, promptHash, promptSetHash } from '../../../src/core/prompts/index.ts';
import type { PromptSet } from '../../../src/core/prompts/index.ts';

/** The textbook definition, with BigInt: slow but obviously right. */
function fnv1a64Reference(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

describe('fnv1a64', () => {
  test('published test vectors', () => {
    assert.equal(fnv1a64(''), 'cbf29ce484222325');
    assert.equal(fnv1a64('a'), 'af63dc4c8601ec8c');
    assert.equal(fnv1a64('foobar'), '85944171f73967e8');
  });
  test('agrees with a BigInt implementation on any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => fnv1a64(s) === fnv1a64Reference(s)));
  });
});

describe('canonicalJson', () => {
  test('sorts keys at every depth, drops undefined, keeps array order', () => {
    assert.equal(
      canonicalJson({ b: 1, a: [{ d: null, c: 'x' }, 2], u: undefined }),
      '{"a":[{"c":"x","d":null},2],"b":1}',
    );
  });
  test('parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => assert.deepEqual(JSON.parse(canonicalJson(v)), JSON.parse(JSON.stringify(v)))),
    );
  });
});

describe('promptSetHash', () => {
  const set: PromptSet = {
    id: 'a',
    name: 'A',
    prompts: [
      { id: 'p1', category: 'capability', prompt: 'What is 2 + 2?', reference: { type: 'numeric', value: 4 } },
      { id: 'p2', category: 'style', messages: [{ role: 'user', content: 'Hi' }], tags: ['x'] },
    ],
  };

  test('same content, same hash: key order and whitespace in the file do not matter', () => {
    const shuffled = `{"prompts": [
      {"reference": {"value": 4, "type": "numeric"}, "prompt": "What is 2 + 2?", "category": "capability", "id": "p1"},
      {"tags": ["x"], "messages": [{"content": "Hi", "role": "user"}], "category": "style", "id": "p2"}
    ], "name": "A", "id": "a"}`;
    const parsed = parsePromptSet(shuffled).set;
    assert.equal(promptSetHash(parsed), promptSetHash(set));
    assert.match(promptSetHash(set), /^[0-9a-f]{16}$/);
  });

  test('is pinned: a change here means every cached profile is invalidated', () => {
    assert.equal(promptSetHash(set), fnv1a64(canonicalJson(set.prompts)));
    assert.equal(promptSetHash(set), promptSetHash(structuredClone(set)));
  });

  test('set metadata is not hashed; prompt order is', () => {
    const renamed: PromptSet = { ...set, id: 'b', name: 'B', description: 'd' };
    assert.equal(promptSetHash(renamed), promptSetHash(set));
    assert.notEqual(promptSetHash({ ...set, prompts: [...set.prompts].reverse() }), promptSetHash(set));
  });

  test('one changed character changes the hash', () => {
    const text = JSON.stringify(set);
    const base = promptSetHash(parsePromptSet(text).set);
    for (const [from, to] of [
      ['2 + 2?', '2 + 3?'],
      ['"Hi"', '"hi"'],
      ['"p2"', '"p3"'],
      ['"value":4', '"value":5'],
    ] as const) {
      const changed = parsePromptSet(text.replace(from, to)).set;
      assert.notEqual(promptSetHash(changed), base, `${from} -> ${to}`);
    }
  });

  test('promptHash identifies one prompt', () => {
    const [p1, p2] = set.prompts;
    assert.ok(p1 && p2);
    assert.equal(promptHash(p1), promptHash({ ...p1 }));
    assert.notEqual(promptHash(p1), promptHash(p2));
  });
});
