// Conditions: where a behaviour happens. A change planted only where the prompt names a topic is found there, and
// named; values unrelated to the prompts give no condition more often than alpha (the permutation of the search).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diff } from '../../../src/core/diff/build-report.ts';
import { findCondition } from '../../../src/core/diff/discovery/condition.ts';
import { words } from '../../../src/core/diff/distinctive-words.ts';
import { createRng } from '../../../src/core/random.ts';
import { style, syntheticPair, syntheticSet } from './synthetic.ts';

test('replies cut short only where the prompt names a topic: a behaviour whose condition names that topic', () => {
  const set = syntheticSet(120, 21);
  const pair = syntheticPair(set, style('A', { extra: [2, 4] }), style('B', { extra: [1, 3] }), 3);
  const byId = new Map(set.prompts.map((p) => [p.id, p]));
  pair.b.records = pair.b.records.map((r) => {
    if (!words(byId.get(r.promptId)!.prompt ?? '').includes('comets')) return r;
    const tokens = [...r.tokens.slice(0, 3), r.tokens.at(-1)!];
    return { ...r, text: r.text.split(/(?<=[.!?])\s/)[0]!, tokens, stop: 'eos' as const };
  });
  const report = diff(pair, set, { resamples: 500 });
  const named = report.behaviours.filter((b) => b.condition?.words?.some((w) => w.word === 'comets'));
  assert.ok(named.length >= 1, report.behaviours.map((b) => b.sentence).join('\n'));
  const c = named[0]!.condition!;
  assert.equal(c.test, 'permutation');
  assert.ok(c.p < 0.05);
  assert.match(named[0]!.sentence, /on prompts that contain “comets”/);
});

test('values unrelated to the prompts: a condition in at most 5% of 100 searches', () => {
  const set = syntheticSet(80, 4);
  const prompts = set.prompts.map((p) => ({ id: p.id, category: p.category, text: p.prompt ?? '' }));
  const clusterOf = new Map(set.prompts.map((p, i) => [p.id, i]));
  let found = 0;
  for (let run = 0; run < 100; run++) {
    const rng = createRng(run + 1);
    const diffs = new Map(set.prompts.map((p) => [p.id, rng.normal() + (rng.next() < 0.5 ? 1 : 0)]));
    if (findCondition(diffs, prompts, { alpha: 0.05, clusterOf, seed: run + 1, permutations: 99 })) found++;
  }
  assert.ok(found <= 8, `${found} of 100`); // 5% of 100, with room for the binomial spread (P(X > 8) ≈ 0.06)
});
