// Checks minimum detectable effects against their closed forms (normal approximation, Connor 1987).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mdePairedBinary, mdePairedContinuous } from '../../../src/core/stats/power.ts';
import { assertClose } from './assert-close.ts';

// qnorm(0.975) and qnorm(0.8) (R / scipy.special.ndtri; 1.96 and 0.84 in every table).
const Z_ALPHA = 1.959963984540054;
const Z_BETA = 0.8416212335729143;

test('continuous: (z_{.975} + z_{.8})/√n in d_z units', () => {
  // n = 100: (1.959963984540054 + 0.8416212335729143)/10 = 0.28015852181129686.
  assertClose(mdePairedContinuous(100), 0.28015852181129686, 1e-12);
  // alpha 0.01, power 0.9: (qnorm(0.995) + qnorm(0.9))/√50 = (2.5758293035489004 + 1.2815515655446004)/√50.
  assertClose(
    mdePairedContinuous(50, { alpha: 0.01, power: 0.9 }),
    (2.5758293035489004 + 1.2815515655446004) / Math.sqrt(50),
    1e-12,
  );
  assert.ok(Number.isNaN(mdePairedContinuous(0)));
});

test("binary: inverts Connor's sample-size formula", () => {
  // ψ = 0.2, δ = 0.1: n = (z_α·√0.2 + z_β·√(0.2 - 0.01))²/0.01 = 154.59856956021105; so the MDE at that
  // n is δ = 0.1.
  const n = (Z_ALPHA * Math.sqrt(0.2) + Z_BETA * Math.sqrt(0.19)) ** 2 / 0.01;
  assertClose(n, 154.59856956021105, 1e-9);
  assertClose(mdePairedBinary(n, 0.2), 0.1, 1e-12);
  for (const [delta, psi] of [
    [0.05, 0.1],
    [0.2, 0.5],
    [0.3, 0.3],
  ]) {
    const m = (Z_ALPHA * Math.sqrt(psi!) + Z_BETA * Math.sqrt(psi! - delta! ** 2)) ** 2 / delta! ** 2;
    assertClose(mdePairedBinary(m, psi!), delta!, 1e-12, `ψ ${psi} δ ${delta}`);
  }
});

test('binary: shrinks with n, Infinity when not even ψ is detectable, NaN when nothing can differ', () => {
  assert.ok(mdePairedBinary(1000, 0.2) < mdePairedBinary(100, 0.2));
  assert.ok(mdePairedBinary(100, 0.1) < mdePairedBinary(100, 0.4));
  // n = 1, ψ = 0.5: √1·0.5 - z_β·√0.25 - z_α·√0.5 < 0.
  assert.equal(mdePairedBinary(1, 0.5), Infinity);
  assert.ok(Number.isNaN(mdePairedBinary(100, 0)));
  assert.ok(Number.isNaN(mdePairedBinary(0, 0.3)));
  assert.throws(() => mdePairedBinary(10, 1.5), RangeError);
  assert.throws(() => mdePairedContinuous(10, { alpha: 0 }), RangeError);
});
