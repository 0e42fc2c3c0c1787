// Checks the Hyndman & Fan definition-6 quantile against R's quantile(type = 6) values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantileSorted } from '../../../src/core/stats/quantile.ts';
import { assertClose } from './assert-close.ts';

test('matches R quantile(1:10, type = 6)', () => {
  // R: quantile(1:10, c(.025, .25, .5, .975), type = 6) gives 1, 2.75, 5.5, 10 (NumPy method="weibull" agrees).
  const x = Float64Array.from({ length: 10 }, (_, i) => i + 1);
  assert.equal(quantileSorted(x, 0.025), 1);
  assert.equal(quantileSorted(x, 0.25), 2.75);
  assert.equal(quantileSorted(x, 0.5), 5.5);
  assert.equal(quantileSorted(x, 0.975), 10);
});

test('interpolates at h = (N + 1)p', () => {
  // [1, 1, 3, 4, 5], p = 0.4: h = 6·0.4 = 2.4, so x(2) + 0.4·(x(3) - x(2)) = 1 + 0.4·2 = 1.8.
  assertClose(quantileSorted([1, 1, 3, 4, 5], 0.4), 1.8, 1e-15);
  // N = 19, p = 0.05 and 0.95: h = 1 and 19 exactly, the sample extremes.
  const y = Array.from({ length: 19 }, (_, i) => i * i);
  assert.equal(quantileSorted(y, 0.05), 0);
  assert.equal(quantileSorted(y, 0.95), 324);
});

test('empty input or a bad p gives NaN', () => {
  assert.ok(Number.isNaN(quantileSorted([], 0.5)));
  assert.ok(Number.isNaN(quantileSorted([1, 2], 1.2)));
});
