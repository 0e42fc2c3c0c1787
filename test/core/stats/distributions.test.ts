// Checks the distribution functions against published values of Φ, its quantiles, chi-square(1) and binomial tails.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  binomialCdf,
  binomialPmf,
  binomialSf,
  chiSquare1Sf,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSf,
} from '../../../src/core/stats/distributions.ts';
import { assertClose } from './assert-close.ts';

test('normalCdf matches reference values to 1e-12 relative, far into the tails', () => {
  // Reference: scipy.special.ndtr (scipy 1.17.1; same digits as R's pnorm). Φ(1) = (1 + erf(1/√2))/2,
  // Φ(1.96) = 0.9750021 as in every normal table.
  const reference: [number, number][] = [
    [0, 0.5],
    [0.3, 0.6179114221889526],
    [0.5, 0.6914624612740131],
    [0.66, 0.7453730853286639],
    [0.67, 0.7485711049046899],
    [1, 0.8413447460685429],
    [1.96, 0.9750021048517795],
    [-1, 0.15865525393145707],
    [-1.96, 0.024997895148220435],
    [-3, 0.0013498980316300933],
    [-5, 2.866515718791933e-7],
    [-8, 6.22096057427174e-16],
    [-10, 7.61985302416047e-24],
    [5.7, 0.9999999940096286],
  ];
  for (const [x, p] of reference) assertClose(normalCdf(x), p, 1e-12, `Φ(${x})`, true);
  // Beyond -10 scipy's own erfc is the limiting factor; 1e-12 relative still holds.
  assertClose(normalCdf(-20), 2.7536241186061556e-89, 1e-12, 'Φ(-20)', true);
});

test('normalCdf is symmetric and saturates', () => {
  for (const x of [0.1, 0.7, 2.5, 6, 12]) assertClose(normalCdf(x) + normalCdf(-x), 1, 1e-15);
  assert.equal(normalSf(1.3), normalCdf(-1.3));
  assert.equal(normalCdf(60), 1);
  assert.equal(normalCdf(-60), 0);
  assert.ok(Number.isNaN(normalCdf(NaN)));
});

test('normalQuantile inverts Φ to full precision', () => {
  // qnorm(0.975) = 1.959963984540054 and qnorm(0.8) = 0.8416212335729143 (R / scipy.special.ndtri).
  assertClose(normalQuantile(0.975), 1.959963984540054, 1e-14);
  assertClose(normalQuantile(0.8), 0.8416212335729143, 1e-14);
  assertClose(normalQuantile(1e-10), -6.361340902404056, 1e-12, 'ndtri(1e-10)', true);
  for (const p of [1e-300, 1e-12, 0.001, 0.02, 0.1, 0.3, 0.5, 0.7, 0.97, 0.9999]) {
    assertClose(normalCdf(normalQuantile(p)), p, 1e-12, `Φ(Φ⁻¹(${p}))`, true);
  }
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(1.5)));
});

test('chiSquare1Sf gives the familiar critical value and McNemar tail', () => {
  // qchisq(0.95, 1) = 1.959963984540054² = 3.8414588206941254.
  assertClose(chiSquare1Sf(3.8414588206941254), 0.05, 1e-12);
  // pchisq(3969/236, 1, lower = FALSE) = 4.114562281345944e-05 (scipy.stats.chi2.sf); R prints 4.115e-05.
  assertClose(chiSquare1Sf(3969 / 236), 4.114562281345944e-5, 1e-9, 'chi2 sf', true);
  assert.equal(chiSquare1Sf(0), 1);
});

test('logGamma matches log-factorials and Γ(1/2) = √π', () => {
  assertClose(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
  assertClose(logGamma(10), Math.log(362880), 1e-13); // Γ(10) = 9!
  assertClose(logGamma(100), 359.1342053695754, 1e-12, 'ln 99!', true); // Python math.lgamma(100)
  assertClose(logGamma(1), 0, 1e-14);
  assertClose(logGamma(2), 0, 1e-14);
});

test('binomial tails match hand-computed sums', () => {
  // Bin(10, 1/2): P(X ≤ 1) = (C(10,0) + C(10,1))/2^10 = 11/1024.
  assertClose(binomialCdf(1, 10, 0.5), 11 / 1024, 1e-15);
  assertClose(binomialSf(8, 10, 0.5), 11 / 1024, 1e-15);
  // Bin(13, 1/2): P(X ≤ 3) = (1 + 13 + 78 + 286)/8192 = 378/8192.
  assertClose(binomialCdf(3, 13, 0.5), 378 / 8192, 1e-15);
  // Bin(5, 0.3): pmf(2) = 10·0.09·0.343 = 0.3087; P(X ≤ 2) = 0.16807 + 0.36015 + 0.3087 = 0.83692.
  assertClose(binomialPmf(2, 5, 0.3), 0.3087, 1e-14);
  assertClose(binomialCdf(2, 5, 0.3), 0.83692, 1e-14);
  assertClose(binomialSf(2, 5, 0.3), 0.16308, 1e-14);
  assert.equal(binomialCdf(-1, 5, 0.3), 0);
  assert.equal(binomialCdf(5, 5, 0.3), 1);
  assert.equal(binomialPmf(0, 4, 0), 1);
  assert.equal(binomialPmf(4, 4, 1), 1);
});

test('binomial tails of a large n add up and are symmetric at p = 1/2', () => {
  const lower = binomialCdf(499, 1000, 0.5);
  const upper = binomialSf(500, 1000, 0.5);
  assertClose(lower, upper, 1e-13, 'symmetry', true);
  assertClose(lower + binomialPmf(500, 1000, 0.5) + upper, 1, 1e-12);
  assert.throws(() => binomialCdf(1, 2.5, 0.5), RangeError);
  assert.throws(() => binomialCdf(1, 5, 1.5), RangeError);
});
