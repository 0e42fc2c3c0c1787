// Paired feature tests: swapping the models flips effects and intervals and keeps p; intervals hold their
// estimate; q ≥ p in a built report; the batched tests equal the one-at-a-time ones exactly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusters, diff } from '../../../src/core/diff/build-report.ts';
import { pairValues, pairedTest, pairedTests } from '../../../src/core/diff/paired-tests.ts';
import { responseInput } from '../../../src/core/diff/prompt-features.ts';
import { FEATURES, extractAll } from '../../../src/core/features/index.ts';
import { rankBiserialInterval } from '../../../src/core/stats/index.ts';
import { style, syntheticPair, syntheticSet } from './synthetic.ts';

const set = syntheticSet(80, 5);
const pair = syntheticPair(set, style('A'), style('B', { refuseHarmful: 0.95, hedge: 0.5, extra: [2, 5] }), 5);
const rows = set.prompts.map((p, i) => ({
  id: p.id,
  cluster: Math.floor(i / 2), // pairs of prompts linked, as harmful prompts and their look-alikes are
  a: extractAll(responseInput(pair.a.records[i]!, p, pair.a.tokenTexts)),
  b: extractAll(responseInput(pair.b.records[i]!, p, pair.b.tokenTexts)),
}));
const swapped = rows.map((r) => ({ ...r, a: r.b, b: r.a }));
const opts = { resamples: 500, seed: 3 };

test('swapping A and B flips effect, interval and effect size, and keeps p', () => {
  const ab = pairedTests(FEATURES, rows, null, opts);
  const ba = pairedTests(FEATURES, swapped, null, opts);
  assert.equal(ab.length, ba.length);
  assert.ok(
    ab.some((x) => x.test.p < 0.01),
    'some feature differs',
  );
  ab.forEach(({ test: t }, i) => {
    const s = ba[i]!.test;
    assert.equal(s.feature, t.feature);
    assert.equal(s.n, t.n);
    assert.equal(s.meanA, t.meanB);
    assert.equal(s.meanB, t.meanA);
    assert.ok(Math.abs(s.effect + t.effect) < 1e-12, t.feature);
    assert.ok(Math.abs(s.ci[0] + t.ci[1]) < 1e-9 && Math.abs(s.ci[1] + t.ci[0]) < 1e-9, `${t.feature} ${t.ci} ${s.ci}`);
    assert.ok(Math.abs(s.p - t.p) < 1e-12, `${t.feature}: p ${t.p} vs ${s.p}`);
    assert.equal(s.test, t.test);
    assert.ok(Math.abs(s.effectSize.value + t.effectSize.value) < 1e-12);
    assert.equal(s.effectSize.magnitude, t.effectSize.magnitude);
  });
});

test('the interval contains the estimate', () => {
  for (const { test: t } of pairedTests(FEATURES, rows, null, opts)) {
    assert.ok(t.ci[0] <= t.effect && t.effect <= t.ci[1], `${t.feature}: ${t.effect} not in ${t.ci}`);
  }
});

test('batched tests equal pairedTest one feature at a time, exactly', () => {
  const batched = pairedTests(FEATURES, rows, 'all', opts);
  const single = FEATURES.flatMap((spec) => {
    const t = pairedTest(spec, pairValues(spec.name, rows), 'all', opts);
    return t ? [t] : [];
  });
  assert.deepEqual(
    batched.map((x) => x.test),
    single,
  );
});

test('q ≥ p for every difference of a built report, and reported ones have q < alpha', () => {
  const report = diff(pair, set, { resamples: 300 });
  assert.ok(report.differences.length > 100);
  for (const d of report.differences) {
    assert.ok(d.q >= d.p, `${d.feature}: q ${d.q} < p ${d.p}`);
    if (d.significant) assert.ok(d.q < report.options.alpha && (d.ci[0] > 0 || d.ci[1] < 0));
  }
  assert.ok(report.differences.some((d) => d.significant));
});

test('a built report gives the rank-biserial its own interval where the forest plot draws it', () => {
  const report = diff(pair, set, { resamples: 300 });
  const links = clusters(set.prompts);
  const linked = rows.map((r) => ({ ...r, cluster: links.get(r.id)! }));
  const drawn = report.differences.filter(
    (d) => d.kind === 'continuous' && (d.significant || d.promptCategory === null),
  );
  assert.ok(drawn.some((d) => d.significant) && drawn.some((d) => !d.significant), 'both kinds of drawn rows');
  for (const d of report.differences) {
    const ci = d.effectSize.ci;
    if (!drawn.includes(d)) {
      assert.equal(ci, undefined, `${d.feature} · ${d.promptCategory}: no interval where none is drawn`);
      continue;
    }
    assert.ok(ci && ci[0] <= d.effectSize.value && d.effectSize.value <= ci[1], `${d.feature}: ${ci} ∌ value`);
    assert.ok(ci[0] >= -1 && ci[1] <= 1);
    // Discovered rows (words tested on the confirmation half, the end-of-text shift) are not in the fixture's rows.
    if (d.category === 'vocabulary' || d.feature === 'endOfText') continue;
    // The interval of the same pairs, with the report's clusters of linked prompts.
    const values = pairValues(
      d.feature,
      linked.filter(
        (r) => d.promptCategory === null || set.prompts.find((p) => p.id === r.id)!.category === d.promptCategory,
      ),
    );
    const want = rankBiserialInterval(values.a, values.b, { clusters: values.clusters });
    assert.deepEqual(ci, [want.lower, want.upper], d.feature);
  }
});
