// Checks the Hodges–Lehmann estimator against hand-computed Walsh-average medians and a brute-force reference.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src/core/random.ts';
import { hodgesLehmann } from '../../../src/core/stats/hodges-lehmann.ts';

/** Materialises all Walsh averages: O(n²), fine for a reference. */
function bruteForce(d: number[]): number {
  const w: number[] = [];
  for (let i = 0; i < d.length; i++) for (let j = i; j < d.length; j++) w.push((d[i]! + d[j]!) * 0.5);
  w.sort((p, q) => p - q);
  const m = w.length;
  return m % 2 === 1 ? w[(m - 1) / 2]! : (w[m / 2 - 1]! + w[m / 2]!) / 2;
}

const zeros = (n: number) => new Array<number>(n).fill(0);

test('hand-computed small cases', () => {
  // d = [1, 2, 4]: Walsh averages 1, 1.5, 2, 2.5, 3, 4; median (2 + 2.5)/2 = 2.25.
  assert.equal(hodgesLehmann(zeros(3), [1, 2, 4]), 2.25);
  // Zeros are kept: d = [0, 0, 0, 0, 5] has 10 zero averages among 15, so the median is 0.
  assert.equal(hodgesLehmann(zeros(5), [0, 0, 0, 0, 5]), 0);
  assert.equal(hodgesLehmann([2], [7]), 5);
  assert.ok(Number.isNaN(hodgesLehmann([], [])));
});

test("R's wilcox.test depression data (Hollander & Wolfe): estimate 0.46", () => {
  // d = x - y = 0.952, -0.147, 1.022, 0.43, 0.62, 0.59, 0.49, -0.08, 0.01. The 23rd of the 45 sorted Walsh
  // averages is (0.43 + 0.49)/2 = 0.46 (neighbours 0.4375 and 0.471).
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
  assert.ok(Math.abs(hodgesLehmann(y, x) - 0.46) < 1e-12);
  assert.equal(hodgesLehmann(x, y), -hodgesLehmann(y, x));
});

test('agrees exactly with brute force on random data with ties and zeros', () => {
  const rng = createRng(11);
  for (let t = 0; t < 120; t++) {
    const n = 1 + rng.int(t < 100 ? 60 : 400);
    const d = Array.from({ length: n }, () => {
      const u = rng.next();
      if (u < 0.3) return 0;
      if (u < 0.6) return rng.int(5) - 2;
      return rng.normal() * 10 ** rng.int(3);
    });
    assert.equal(hodgesLehmann(zeros(n), d), bruteForce(d), `n = ${n}`);
  }
});

test('swapping A and B flips the sign; bad input throws', () => {
  const a = [3, 1, 4, 1, 5, 9, 2, 6];
  const b = [2, 7, 1, 8, 2, 8, 1, 8];
  assert.equal(hodgesLehmann(b, a), -hodgesLehmann(a, b));
  assert.throws(() => hodgesLehmann([1], []), RangeError);
  assert.throws(() => hodgesLehmann([1], [Infinity]), RangeError);
});
