// Checks Benjamini–Hochberg q-values on the 1995 paper's example, by hand, and on random invariants.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src/core/random.ts';
import { benjaminiHochberg } from '../../../src/core/stats/multiple-comparisons.ts';
import { assertClose } from './assert-close.ts';

test('Benjamini & Hochberg (1995), §4 example: 15 p-values, four discoveries at 0.05', () => {
  const p = [
    0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1,
  ];
  // q_(i) = min_{j ≥ i} 15·p_(j)/j, e.g. q_(4) = 15·0.0095/4 = 0.035625, q_(6) = q_(7) = 15·0.0298/7.
  // Same as scipy.stats.false_discovery_control(p) and R's p.adjust(p, "BH").
  const expected = [
    0.0015,
    0.003,
    0.0095,
    0.035625,
    0.0603,
    (15 * 0.0298) / 7,
    (15 * 0.0298) / 7,
    0.0645,
    0.0765,
    0.486,
    (15 * 0.4262) / 11,
    0.714875,
    (15 * 0.6528) / 13,
    (15 * 0.759) / 14,
    1,
  ];
  const q = benjaminiHochberg(p);
  expected.forEach((e, i) => assertClose(q[i]!, e, 1e-12, `q[${i}]`));
  assert.equal(q.filter((v) => v < 0.05).length, 4);
});

test('keeps input order and steps down', () => {
  // Sorted: 0.005 (rank 1) → 0.02, 0.01 (2) → 0.02, 0.03 (3) → 0.04, 0.04 (4) → 0.04.
  assert.deepEqual(
    Array.from(benjaminiHochberg([0.01, 0.04, 0.03, 0.005])).map((v) => +v.toFixed(12)),
    [0.02, 0.04, 0.04, 0.02],
  );
  // All equal to the largest once scaled: 5·p_(j)/j = 0.05 for every j.
  assert.deepEqual(
    Array.from(benjaminiHochberg([0.05, 0.04, 0.03, 0.02, 0.01])).map((v) => +v.toFixed(12)),
    [0.05, 0.05, 0.05, 0.05, 0.05],
  );
});

test('NaN stays NaN and does not count towards m', () => {
  const q = benjaminiHochberg([0.01, NaN, 0.04]);
  assertClose(q[0]!, 0.02, 1e-15);
  assert.ok(Number.isNaN(q[1]!));
  assertClose(q[2]!, 0.04, 1e-15);
  assert.equal(benjaminiHochberg([]).length, 0);
  assert.throws(() => benjaminiHochberg([0.5, 1.2]), RangeError);
  assert.throws(() => benjaminiHochberg([-0.1]), RangeError);
});

test('q ≥ p, q ≤ 1, and q is monotone in p, on random inputs with ties', () => {
  const rng = createRng(3);
  for (let t = 0; t < 200; t++) {
    const n = 1 + rng.int(80);
    const p = Array.from({ length: n }, () => (rng.next() < 0.2 ? 0.05 : rng.next() ** 3));
    const q = benjaminiHochberg(p);
    for (let i = 0; i < n; i++) {
      assert.ok(q[i]! >= p[i]! && q[i]! <= 1, `q ${q[i]} vs p ${p[i]}`);
      for (let j = 0; j < n; j++) if (p[i]! <= p[j]!) assert.ok(q[i]! <= q[j]!);
    }
  }
});
