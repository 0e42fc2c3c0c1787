// Checks the signed-rank test against R's wilcox.test example (Hollander & Wolfe) and scipy's documented example.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signedRankPmf, wilcoxonSignedRank } from '../../../src/core/stats/wilcoxon.ts';
import { assertClose } from './assert-close.ts';

// R's ?wilcox.test example (Hollander & Wolfe 1973, p. 29f): Hamilton depression scale at the first (x)
// and second (y) visit of 9 patients.
const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

test("R's wilcox.test(x, y, paired = TRUE) example: V = 40, p = 0.03906", () => {
  // Differences B - A = x - y. P(V ≥ 40) counts subsets of {1..9} whose complement sums to ≤ 5: {}, {1}…{5},
  // {1,2}, {1,3}, {1,4}, {2,3} = 10 of 512, so two-sided p = 20/512 = 0.0390625 (R prints 0.03906; the
  // one-sided "greater" p in R's example is 0.01953).
  const r = wilcoxonSignedRank(y, x);
  assert.equal(r.n, 9);
  assert.equal(r.statistic, 40);
  assert.equal(r.method, 'exact');
  assertClose(r.p, 20 / 512, 1e-15);
  assertClose(r.p, 0.03906, 5e-6, 'R printout');
  // (40 - 5)/45.
  assertClose(r.rankBiserial, 35 / 45, 1e-15);
});

test('normal approximation on the same data, with and without continuity correction', () => {
  // R's example also runs exact = FALSE, correct = FALSE. z = (40 - 22.5)/√(9·10·19/24) = 17.5/√71.25;
  // two-sided p = 2Φ(-2.0732) = 0.038151710173415135 (scipy wilcoxon(x, y, method='approx')).
  const plain = wilcoxonSignedRank(y, x, { exact: false, correct: false });
  assert.equal(plain.method, 'normal');
  assertClose(plain.p, 0.038151710173415135, 1e-12);
  // With correction: z = 17/√71.25, p = 0.04401098401295143 (scipy, correction=True).
  assertClose(wilcoxonSignedRank(y, x, { exact: false }).p, 0.04401098401295143, 1e-12);
});

test("scipy's wilcoxon example (Fisher's cucumber differences): p = 0.041259765625", () => {
  // scipy.stats.wilcoxon docs: d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75] gives
  // statistic 24 (= min(R+, R-); the negative ranks are 10 and 14) and exact two-sided p 0.041259765625.
  const d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
  const r = wilcoxonSignedRank(new Array(d.length).fill(0), d);
  assert.equal(r.statistic, 120 - 24);
  assert.equal(r.method, 'exact');
  assertClose(r.p, 0.041259765625, 1e-15);
});

test('zeros are dropped and ties get average ranks with the tie-corrected variance', () => {
  // d = [0, 1, -1, 2, 2, -3, 4, 4, 4, 5]: the zero is dropped (n = 9). |d| ranks: 1.5, 1.5, 3.5, 3.5, 5,
  // 7, 7, 7, 9. V = 1.5 + 3.5 + 3.5 + 7·3 + 9 = 38.5, R- = 1.5 + 5 = 6.5. Ties 2, 2, 3: Σ(t³ - t) = 36,
  // σ² = 71.25 - 36/48 = 70.5, z = (38.5 - 22.5 - 0.5)/√70.5, p = 2Φ(-1.84601) = 0.06488884618515063
  // (scipy wilcoxon(d, correction=True, method='approx')).
  const d = [0, 1, -1, 2, 2, -3, 4, 4, 4, 5];
  const r = wilcoxonSignedRank(new Array(d.length).fill(0), d);
  assert.equal(r.n, 9);
  assert.equal(r.statistic, 38.5);
  assert.equal(r.method, 'normal');
  assertClose(r.p, 0.06488884618515063, 1e-12);
  assertClose(r.rankBiserial, 32 / 45, 1e-15);
});

test('exact null distribution', () => {
  // n = 3: subset sums of {1, 2, 3} are 0, 1, 2, 3, 3, 4, 5, 6.
  assert.deepEqual(
    Array.from(signedRankPmf(3), (p) => p * 8),
    [1, 1, 1, 2, 1, 1, 1],
  );
  const pmf = signedRankPmf(40);
  assertClose(
    pmf.reduce((s, p) => s + p, 0),
    1,
    1e-13,
  );
});

test("'auto' is exact below 50 untied differences, like R", () => {
  const d49 = Array.from({ length: 49 }, (_, i) => (i % 3 === 0 ? -(i + 1) : i + 1));
  const d50 = [...d49, 50];
  assert.equal(wilcoxonSignedRank(new Array(49).fill(0), d49).method, 'exact');
  assert.equal(wilcoxonSignedRank(new Array(50).fill(0), d50).method, 'normal');
  assert.equal(wilcoxonSignedRank(new Array(50).fill(0), d50, { exact: true }).method, 'exact');
});

test('swapping A and B mirrors V and the rank-biserial, keeps p', () => {
  for (const [a, b] of [
    [y, x],
    [
      [0, 0, 0, 0, 0, 0],
      [1, -1, 2, 2, -3, 0],
    ],
  ]) {
    const ab = wilcoxonSignedRank(a!, b!);
    const ba = wilcoxonSignedRank(b!, a!);
    assert.equal(ba.statistic, (ab.n * (ab.n + 1)) / 2 - ab.statistic);
    assert.equal(ba.rankBiserial, -ab.rankBiserial);
    assertClose(ba.p, ab.p, 1e-15);
  }
});

test('all-zero differences give p = 1; bad input throws', () => {
  const r = wilcoxonSignedRank([1, 2, 3], [1, 2, 3]);
  assert.deepEqual([r.n, r.statistic, r.p, r.rankBiserial], [0, 0, 1, 0]);
  assert.throws(() => wilcoxonSignedRank([1], [1, 2]), RangeError);
  assert.throws(() => wilcoxonSignedRank([1, 2], [NaN, 2]), RangeError);
});
