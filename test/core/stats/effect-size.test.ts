// Checks Cohen's h, d_z and the magnitude labels against hand-derived values and Cohen's thresholds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyEffect, cohensDz, cohensH } from '../../../src/core/stats/effect-size.ts';
import { assertClose } from './assert-close.ts';

test("Cohen's h", () => {
  // 2·asin√0.75 - 2·asin√0.25 = 2π/3 - π/3 = π/3.
  assertClose(cohensH(0.25, 0.75), Math.PI / 3, 1e-15);
  // 2·asin√0.8 - 2·asin√0.5 = 2·atan 2 - π/2 = acos 0.8 = 0.6435011087932844.
  assertClose(cohensH(0.5, 0.8), 0.6435011087932844, 1e-15);
  assertClose(cohensH(0, 1), Math.PI, 1e-15);
  assert.equal(cohensH(0.3, 0.3), 0);
  assert.equal(cohensH(0.8, 0.5), -cohensH(0.5, 0.8));
  assert.throws(() => cohensH(-0.1, 0.5), RangeError);
  assert.throws(() => cohensH(0.5, NaN), RangeError);
});

test("Cohen's d_z", () => {
  // d = [1, 2, 3, 4, 5]: mean 3, sd √(10/4) = √2.5, d_z = 3/√2.5 = 1.8973665961010275.
  const a = [0, 0, 0, 0, 0];
  const b = [1, 2, 3, 4, 5];
  assertClose(cohensDz(a, b), 1.8973665961010275, 1e-14);
  assert.equal(cohensDz(b, a), -cohensDz(a, b));
  // Only differences matter: shifting both models by the same amount changes nothing.
  assertClose(cohensDz([10, 20, 30, 40, 50], [11, 22, 33, 44, 55]), 1.8973665961010275, 1e-14);
  assert.equal(cohensDz([1, 2], [1, 2]), 0);
  assert.equal(cohensDz([1, 2], [2, 3]), Infinity);
  assert.equal(cohensDz([1, 2], [0, 1]), -Infinity);
  assert.ok(Number.isNaN(cohensDz([1], [2])));
  assert.throws(() => cohensDz([1, 2], [1]), RangeError);
});

test("classifyEffect uses Cohen's thresholds on |effect|", () => {
  // h and d: 0.2 / 0.5 / 0.8 (Cohen 1988, §2.2 and §6.2); a value at a threshold takes the larger class.
  const hd: [number, string][] = [
    [0, 'negligible'],
    [0.19, 'negligible'],
    [0.2, 'small'],
    [-0.49, 'small'],
    [0.5, 'medium'],
    [0.79, 'medium'],
    [-0.8, 'large'],
    [Infinity, 'large'],
  ];
  for (const [v, label] of hd) {
    assert.equal(classifyEffect(v, 'h'), label, `h = ${v}`);
    assert.equal(classifyEffect(v, 'd'), label, `d = ${v}`);
  }
  // Rank-biserial r: 0.1 / 0.3 / 0.5.
  const r: [number, string][] = [
    [0.09, 'negligible'],
    [0.1, 'small'],
    [-0.3, 'medium'],
    [0.5, 'large'],
    [1, 'large'],
  ];
  for (const [v, label] of r) assert.equal(classifyEffect(v, 'rank-biserial'), label, `r = ${v}`);
  assert.equal(classifyEffect(NaN, 'd'), 'negligible');
});
