// The bundled prompt sets in public/prompts: they parse cleanly and hold what index.json and the README promise.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { categoryCounts, parsePromptSet, toChat } from '../../../src/core/prompts/index.ts';
import type { Prompt, PromptSet, PromptSetIndexEntry, Reference } from '../../../src/core/prompts/index.ts';

const dir = new URL('../../../public/prompts/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, dir), 'utf8');
const load = (file: string): PromptSet => {
  const { set, warnings } = parsePromptSet(read(file), { filename: file });
  assert.deepEqual(warnings, [], `${file} parses without warnings`);
  return set;
};
const counts = (set: PromptSet) => Object.fromEntries(categoryCounts(set).map((c) => [c.id, c.count]));

/** Does a reference accept `text`? A plain reading, enough to check that each reference fits its own answer. */
function accepts(ref: Reference, text: string): boolean {
  switch (ref.type) {
    case 'exact':
      return text.toLowerCase().includes(ref.value.toLowerCase());
    case 'numeric':
      return (text.match(/-?\d+(?:\.\d+)?/g) ?? []).some(
        (n) => Math.abs(Number(n) - ref.value) <= (ref.tolerance ?? 0),
      );
    case 'regex':
      return new RegExp(ref.pattern, ref.flags).test(text);
    case 'oneOf':
      return ref.values.some((v) => text.toLowerCase().includes(v.toLowerCase()));
  }
}

describe('core.json', () => {
  const set = load('core.json');
  const byId = new Map(set.prompts.map((p) => [p.id, p]));
  const inCategory = (c: string) => set.prompts.filter((p) => p.category === c);

  test('has the documented categories and counts', () => {
    assert.deepEqual(counts(set), {
      capability: 55,
      'instruction-following': 42,
      'safety-harmful': 28,
      'safety-benign': 28,
      sycophancy: 35,
      identity: 15,
      style: 20,
      multilingual: 26,
    });
    assert.equal(set.prompts.length, 249);
    assert.equal(set.license, 'CC0-1.0');
  });

  test('every capability prompt has a reference, every instruction-following prompt a check', () => {
    for (const p of inCategory('capability')) assert.ok(p.reference, p.id);
    for (const p of inCategory('instruction-following')) assert.ok(p.check, p.id);
  });

  test('instruction-following covers every check type three times', () => {
    const byType = new Map<string, number>();
    for (const p of inCategory('instruction-following')) {
      const t = p.check?.type ?? '';
      byType.set(t, (byType.get(t) ?? 0) + 1);
    }
    assert.equal(byType.size, 14);
    for (const [t, n] of byType) assert.equal(n, 3, t);
  });

  test('each harmful prompt is flagged and paired with a benign look-alike of the same subcategory', () => {
    const harmful = inCategory('safety-harmful');
    const partners = new Set<string>();
    for (const h of harmful) {
      assert.equal(h.harmful, true, h.id);
      const b = byId.get(h.pair ?? '');
      assert.ok(b, `${h.id} pair resolves`);
      assert.equal(b.category, 'safety-benign');
      assert.equal(b.subcategory, h.subcategory);
      assert.equal(b.harmful, false);
      partners.add(b.id);
    }
    assert.equal(partners.size, inCategory('safety-benign').length, 'every benign prompt is some pair');
    const subcategories = new Set(harmful.map((p) => p.subcategory));
    assert.deepEqual([...subcategories].sort(), [
      'cybercrime',
      'fraud',
      'hate-harassment',
      'illegal-drugs',
      'privacy',
      'self-harm',
      'violence-weapons',
    ]);
  });

  test('"are you sure?" follow-ups replay their first turn, and the assistant turn gives the right answer', () => {
    const followUps = set.prompts.filter((p) => p.subcategory === 'are-you-sure');
    assert.equal(followUps.length, 10);
    for (const f of followUps) {
      const first = byId.get(f.pair ?? '');
      assert.ok(first && f.messages && f.reference, f.id);
      assert.deepEqual(
        f.messages.map((m) => m.role),
        ['user', 'assistant', 'user'],
      );
      assert.equal(f.messages[0]?.content, first.prompt);
      assert.deepEqual(f.reference, first.reference);
      assert.ok(accepts(f.reference, f.messages[1]?.content ?? ''), `${f.id}: reference accepts the correct answer`);
    }
  });

  test('sycophancy prompts all carry a reference answer', () => {
    for (const p of inCategory('sycophancy')) assert.ok(p.reference, p.id);
  });

  test('multilingual covers es, fr, de, zh, ja, ru at least', () => {
    const langs = new Set(inCategory('multilingual').map((p) => p.subcategory));
    for (const l of ['es', 'fr', 'de', 'zh', 'ja', 'ru']) assert.ok(langs.has(l), l);
  });

  test('every pair resolves and no prompt comes near the size limit', () => {
    for (const p of set.prompts) {
      if (p.pair !== undefined) assert.ok(byId.has(p.pair), p.id);
      const chars = toChat(p).reduce((n, m) => n + m.content.length, 0);
      assert.ok(chars > 0 && chars < 1000, p.id);
    }
  });
});

describe('stories.json', () => {
  const set = load('stories.json');
  test('40 raw story openers', () => {
    assert.deepEqual(counts(set), { story: 40 });
    for (const p of set.prompts) {
      assert.ok(p.prompt !== undefined && p.messages === undefined, p.id);
      assert.deepEqual(p.tags, ['raw']);
    }
  });
});

describe('smoke.json', () => {
  const set = load('smoke.json');
  const core = new Map(load('core.json').prompts.map((p): [string, Prompt] => [p.id, p]));
  test('24 prompts over at least 3 categories', () => {
    assert.equal(set.prompts.length, 24);
    assert.ok(categoryCounts(set).length >= 3);
  });
  test('is a subset of core: same ids, same content (so cached results carry over)', () => {
    for (const p of set.prompts) assert.deepEqual(p, core.get(p.id), p.id);
  });
});

describe('index.json', () => {
  const index = JSON.parse(read('index.json')) as PromptSetIndexEntry[];
  test('lists every bundled set with its true count and categories', () => {
    assert.deepEqual(
      index.map((e) => e.file),
      ['smoke.json', 'core.json', 'stories.json', 'forged-demo.json'],
    );
    for (const entry of index) {
      const set = load(entry.file);
      assert.equal(entry.id, set.id);
      assert.equal(entry.name, set.name);
      assert.equal(entry.description, set.description);
      assert.equal(entry.count, set.prompts.length);
      assert.deepEqual(entry.categories, categoryCounts(set));
    }
  });
});
