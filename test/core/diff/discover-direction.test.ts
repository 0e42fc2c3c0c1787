// A discovered candidate is confirmed in the direction it was chosen for (discovery/discover.ts oneSided): the held-out
// signed-rank p is halved when the held-out ranks and mean lean that way and becomes 1 − p/2 otherwise, so a held-out
// reversal is never a discovery and a real effect needs half the evidence of a two-sided test.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discover, oneSided } from '../../../src/core/diff/discovery/discover.ts';
import { pairedTestsOf } from '../../../src/core/diff/paired-tests.ts';

/** The confirmation test of a "likelier" row: A's side 0, B's the per-prompt values. */
function confirmation(values: number[]) {
  const spec = {
    name: 'likelier:x',
    extractor: 'discovery',
    kind: 'continuous' as const,
    category: 'vocabulary' as const,
    description: 'x',
  };
  const measured = [
    {
      spec,
      values: {
        promptIds: values.map((_, i) => `p${i}`),
        a: values.map(() => 0),
        b: values,
        clusters: values.map((_, i) => i),
      },
    },
  ];
  return pairedTestsOf(measured, null, { resamples: 200, seed: 1 })[0]!.test;
}

test('the held-out p is one-sided in the chosen direction', () => {
  const up = confirmation([0.5, 1.2, 0.8, 2.1, 0.3, 1.7, 0.9, 1.1]);
  assert.equal(up.test, 'wilcoxon-exact');
  assert.equal(up.p, 2 / 256, 'two-sided: all 8 held-out prompts lean one way');
  assert.equal(oneSided(up, +1), 1 / 256, 'chosen for B larger, confirmed: half the two-sided p');
  assert.equal(oneSided(up, -1), 1 - 1 / 256, 'chosen for B smaller, the held-out prompts say larger: no discovery');
  // Leaning one way on some prompts only: the two directions' p sum to 1.
  const mixed = confirmation([0.5, -1.2, 0.8, -2.1, 0.3, 1.7, 0.9, 1.1]);
  assert.ok(mixed.p > 0.05 && mixed.p < 1);
  assert.equal(oneSided(mixed, +1), mixed.p / 2);
  assert.equal(oneSided(mixed, -1), 1 - mixed.p / 2);
  // Ranks exactly balanced (V at its centre): no evidence either way.
  assert.equal(oneSided(confirmation([0.5, -1.2, 0.8, -2.1, 0.3, 1.7, -0.9, 1.1]), +1), 1);
  assert.equal(oneSided(confirmation([0, 0, 0, 0]), +1), 1, 'no difference anywhere: p = 1 either way');
  // Ranks leaning up, the mean pulled down by one large value: the report would state "lower", so "higher" is not
  // confirmed — and neither is "lower", whose ranks do not lean that way.
  const pulled = confirmation([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, -30]);
  assert.ok(pulled.effectSize.value > 0 && pulled.effect < 0 && pulled.p < 0.05);
  assert.equal(oneSided(pulled, +1), 1 - pulled.p / 2);
  assert.equal(oneSided(pulled, -1), 1 - pulled.p / 2);
});

test('discover(): a word chosen one way and reversed on the held-out half is no discovery; one that holds is', () => {
  // 40 prompts, halves of 20. "walrus": A says it in every reply, B in none — chosen as "B says it less" on either
  // half and confirmed on the other. "zebra": B says it on the first half, A on the second — chosen one way on each
  // half, reversed on the other.
  const ids = Array.from({ length: 40 }, (_, i) => `p${i}`);
  const first = new Set(ids.slice(0, 20));
  const filler = (i: number) => `the cat number ${i} sat on a mat and looked at the door`;
  const replies = ids.map((id, i) => ({
    id,
    cluster: i,
    a: [`${filler(i)} walrus${first.has(id) ? '' : ' zebra zebra'}`],
    b: [`${filler(i)}${first.has(id) ? ' zebra zebra' : ''}`],
  }));
  const rows = ids.map((id, i) => ({ id, cluster: i, category: 'stories' }));
  const split = { seed: 1, discovery: first, confirmation: new Set(ids.slice(20)) };
  const found = discover({ rows, replies, positions: [], scored: [], textOf: (x) => `#${x}`, same: false }, split, {
    resamples: 200,
    seed: 1,
  });
  const walrus = found.tests.find((t) => t.test.feature === 'says:walrus');
  assert.ok(walrus, 'walrus was tested');
  assert.ok(walrus.test.effect < 0 && walrus.test.p < 1e-4, `walrus confirmed: p ${walrus.test.p}`);
  const zebra = found.tests.find((t) => t.test.feature === 'says:zebra');
  assert.ok(zebra, 'zebra was chosen and tested');
  assert.ok(zebra.test.p > 0.5, `a held-out reversal is no discovery: p ${zebra.test.p}`);
});
