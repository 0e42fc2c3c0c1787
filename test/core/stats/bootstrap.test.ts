// Checks the paired bootstrap: determinism, interval rule, cluster resampling, symmetry and coverage.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src/core/random.ts';
import { pairedBootstrap } from '../../../src/core/stats/bootstrap.ts';
import type { PairedStatistic } from '../../../src/core/stats/bootstrap.ts';
import { assertClose } from './assert-close.ts';

function sample(n: number, shift: number, seed: number): { a: Float64Array; b: Float64Array } {
  const rng = createRng(seed);
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const b = Float64Array.from(a, (x) => x + shift + rng.normal());
  return { a, b };
}

const meanDiff: PairedStatistic = (a, b) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += b[i]! - a[i]!;
  return s / a.length;
};

const { a, b } = sample(200, 0.2, 5);

test('same seed, same interval; another seed, another interval', () => {
  const first = pairedBootstrap(a, b, { seed: 42 });
  assert.deepEqual(pairedBootstrap(a, b, { seed: 42 }), first);
  const other = pairedBootstrap(a, b, { seed: 43 });
  assert.notEqual(other.lower, first.lower);
  assert.notEqual(other.upper, first.upper);
  assert.equal(other.estimate, first.estimate);
});

test('the estimate is mean(b) - mean(a) and lies inside the interval', () => {
  const r = pairedBootstrap(a, b, { seed: 1 });
  assertClose(r.estimate, meanDiff(a, b), 1e-12);
  assert.ok(r.lower < r.estimate && r.estimate < r.upper, JSON.stringify(r));
  assert.equal(r.level, 0.95);
  assert.equal(r.resamples, 2000);
  assert.equal(r.nonFinite, 0);
  // The bootstrap se of a mean difference is close to sd(d)/√n.
  let ss = 0;
  for (let i = 0; i < a.length; i++) ss += (b[i]! - a[i]! - r.estimate) ** 2;
  assertClose(r.se, Math.sqrt(ss / (a.length - 1) / a.length), 0.1, 'se', true);
  const narrow = pairedBootstrap(a, b, { seed: 1, level: 0.8 });
  assert.ok(narrow.upper - narrow.lower < r.upper - r.lower);
});

test('a custom statistic sees the same resamples as the fast default path', () => {
  const fast = pairedBootstrap(a, b, { seed: 9 });
  const custom = pairedBootstrap(a, b, { seed: 9, statistic: meanDiff });
  assertClose(custom.lower, fast.lower, 1e-12);
  assertClose(custom.upper, fast.upper, 1e-12);
  assertClose(custom.se, fast.se, 1e-12);
});

test('percentiles are Hyndman & Fan type 6: with 19 resamples a 90% interval spans min to max', () => {
  // (N + 1)·0.05 = 1 and (N + 1)·0.95 = 19: exactly the extreme replicates.
  const seen: number[] = [];
  const record: PairedStatistic = (x, y) => {
    const v = meanDiff(x, y);
    seen.push(v);
    return v;
  };
  const r = pairedBootstrap(a, b, { seed: 2, resamples: 19, level: 0.9, statistic: record });
  const replicates = seen.slice(1); // the first call is the point estimate on the original pairs
  assert.equal(replicates.length, 19);
  assert.equal(r.lower, Math.min(...replicates));
  assert.equal(r.upper, Math.max(...replicates));
});

test('swapping A and B mirrors the interval', () => {
  const ab = pairedBootstrap(a, b, { seed: 4 });
  const ba = pairedBootstrap(b, a, { seed: 4 });
  assert.equal(ba.estimate, -ab.estimate);
  assertClose(ba.lower, -ab.upper, 1e-12);
  assertClose(ba.upper, -ab.lower, 1e-12);
});

test('clustered resampling keeps linked prompts together', () => {
  // 40 clusters of 1 to 4 prompts, members interleaved in the input. a[i] holds the cluster id and b[i] the
  // prompt index, so a statistic can check every resample is made of whole clusters, members in order.
  const sizes = Array.from({ length: 40 }, (_, g) => 1 + (g % 4));
  const ids: number[] = [];
  for (let round = 0; round < 4; round++) sizes.forEach((size, g) => round < size && ids.push(g));
  const members = sizes.map((_, g) => ids.flatMap((id, i) => (id === g ? [i] : [])));
  const prompt = Float64Array.from(ids, (_, i) => i);
  let checked = 0;
  const wholeClusters: PairedStatistic = (clusterOf, index) => {
    let m = 0;
    let drawn = 0;
    while (m < clusterOf.length) {
      const expected = members[clusterOf[m]!]!;
      for (const i of expected) if (clusterOf[m] !== ids[i] || index[m++] !== i) return 0;
      drawn++;
    }
    checked++;
    return drawn === 40 ? 1 : 0;
  };
  const r = pairedBootstrap(Float64Array.from(ids), prompt, {
    seed: 8,
    resamples: 300,
    clusters: ids,
    statistic: wholeClusters,
  });
  // The point estimate sees the input order (interleaved, so not whole blocks); all 300 resamples pass.
  assert.equal(checked, 300);
  assert.deepEqual([r.lower, r.upper, r.nonFinite], [1, 1, 0]);
});

test('duplicated prompts resampled as clusters give the interval of the undoubled data', () => {
  // Each pair twice, linked: drawing cluster g is drawing pair g of the original with weight 2, so with
  // the same seed the replicates, and the interval, are identical. Ignoring the links understates the
  // uncertainty by about √2.
  const small = sample(80, 0.3, 12);
  const twiceA = Float64Array.from({ length: 160 }, (_, i) => small.a[i >> 1]!);
  const twiceB = Float64Array.from({ length: 160 }, (_, i) => small.b[i >> 1]!);
  const links = Array.from({ length: 160 }, (_, i) => `prompt-${i >> 1}`);
  const original = pairedBootstrap(small.a, small.b, { seed: 6 });
  const clustered = pairedBootstrap(twiceA, twiceB, { seed: 6, clusters: links });
  assert.equal(clustered.lower, original.lower);
  assert.equal(clustered.upper, original.upper);
  const naive = pairedBootstrap(twiceA, twiceB, { seed: 6 });
  const ratio = (clustered.upper - clustered.lower) / (naive.upper - naive.lower);
  assert.ok(ratio > 1.25 && ratio < 1.6, `width ratio ${ratio}`);
  const custom = pairedBootstrap(twiceA, twiceB, { seed: 6, clusters: links, statistic: meanDiff });
  assertClose(custom.lower, original.lower, 1e-12);
  assertClose(custom.upper, original.upper, 1e-12);
});

test('a 95% interval covers the true difference about 95% of the time', () => {
  // 400 data sets of 60 pairs with true mean difference 0.3; the percentile interval of a mean is a touch
  // narrow at n = 60 (its spread uses the n, not n - 1, variance), so about 94% is expected.
  let covered = 0;
  const trials = 400;
  for (let t = 0; t < trials; t++) {
    const s = sample(60, 0.3, 1000 + t);
    const r = pairedBootstrap(s.a, s.b, { seed: t, resamples: 1000 });
    if (r.lower <= 0.3 && 0.3 <= r.upper) covered++;
  }
  const coverage = covered / trials;
  assert.ok(coverage > 0.91 && coverage < 0.98, `coverage ${coverage}`);
});

test('non-finite replicates are counted and left out', () => {
  const r = pairedBootstrap(a, b, { seed: 3, statistic: (x, y) => (x[0]! > 0.5 ? NaN : meanDiff(x, y)) });
  assert.ok(r.nonFinite > 0 && r.nonFinite < r.resamples, `${r.nonFinite}`);
  assert.ok(Number.isFinite(r.lower) && Number.isFinite(r.upper));
});

test('rejects bad input', () => {
  assert.throws(() => pairedBootstrap([1, 2], [1]), RangeError);
  assert.throws(() => pairedBootstrap([], []), RangeError);
  assert.throws(() => pairedBootstrap([1, 2], [1, 2], { clusters: [1] }), RangeError);
  assert.throws(() => pairedBootstrap([1, 2], [1, 2], { resamples: 0 }), RangeError);
  assert.throws(() => pairedBootstrap([1, 2], [1, 2], { level: 1 }), RangeError);
});
