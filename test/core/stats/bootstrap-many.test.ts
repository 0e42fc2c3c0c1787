// pairedBootstrapMany equals pairedBootstrap on each measurement, bit for bit: with and without clusters, for
// real-valued, sparse and dense integer, huge-integer, constant and duplicate measurements.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src/core/random.ts';
import { pairedBootstrapMany } from '../../../src/core/stats/bootstrap-many.ts';
import { pairedBootstrap } from '../../../src/core/stats/bootstrap.ts';

const rng = createRng(17);
const n = 120;
const a = Array.from({ length: n }, () => rng.normal());
const measurements = [
  { a, b: a.map((x) => x + 0.3 + rng.normal()) },
  { a: a.map((x) => (x > 0 ? 1 : 0)), b: a.map((x) => (x > 0.2 ? 1 : 0)) }, // sparse integer differences
  { a, b: [...a] }, // no difference anywhere
  { a, b: a.map((x) => x + 0.3 + rng.normal()) },
];
measurements.push(
  { ...measurements[0]! }, // a duplicate of the first
  { a: a.map((x) => Math.round(3 * x)), b: a.map((x) => Math.round(3 * x + 2 + rng.normal())) }, // dense counts
  { a: a.map(() => 0), b: a.map((x) => (x > 1 ? 2 ** 52 + 1 : 0)) }, // integers too large to sum exactly
  { a: a.map(() => 0), b: a.map((x) => (x > 1.5 ? -7 : x < -1.5 ? 7 : 0)) }, // sums that cancel to 0
);

test('same intervals as one pairedBootstrap per measurement', () => {
  for (const clusters of [undefined, a.map((_, i) => Math.floor(i / 3)), a.map((_, i) => `c${i % 7}`)]) {
    for (const resamples of [1, 50, 999]) {
      const options = { resamples, seed: 5, ...(clusters ? { clusters } : {}) };
      const many = pairedBootstrapMany(measurements, options);
      assert.deepEqual(
        many,
        measurements.map((m) => pairedBootstrap(m.a, m.b, options)),
      );
    }
  }
});

test('edge cases: one measurement, bad options, mismatched lengths', () => {
  assert.deepEqual(pairedBootstrapMany([measurements[0]!]), [pairedBootstrap(a, measurements[0]!.b)]);
  assert.deepEqual(pairedBootstrapMany([]), []);
  assert.throws(() => pairedBootstrapMany(measurements, { resamples: 0 }), /resamples/);
  assert.throws(() => pairedBootstrapMany([measurements[0]!, { a: [1], b: [2] }]), /same pairs/);
});
