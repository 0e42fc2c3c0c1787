// The sign-flip permutation test and the one-sided Mann–Whitney test against values computed by hand and R.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mannWhitneyGreater, signFlipTest } from '../../../src/core/stats/index.ts';

test('sign flip: exact enumeration counts the patterns at least as extreme', () => {
  // 4 positive differences: only the observed pattern reaches the sum, 1 of 16.
  assert.equal(signFlipTest([1, 2, 3, 4]).p, 1 / 16);
  // [3, -1]: patterns with sums 2, -4, 4, -2 → sums ≥ 2: {2, 4}, 2 of 4.
  assert.equal(signFlipTest([3, -1]).p, 2 / 4);
  assert.equal(signFlipTest([3, -1], { alternative: 'two-sided' }).p, 1);
  assert.equal(signFlipTest([0, 0, 0]).p, 1);
  // Linked prompts flip together: two clusters of two.
  assert.equal(signFlipTest([1, 1, 1, 1], { clusters: [0, 0, 1, 1] }).p, 1 / 4);
});

test('sign flip: Monte Carlo beyond 16 units is seeded, never 0, and close to the normal approximation', () => {
  const d = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (1 + (i % 5)));
  const r1 = signFlipTest(d, { resamples: 5000, seed: 7 });
  const r2 = signFlipTest(d, { resamples: 5000, seed: 7 });
  assert.equal(r1.p, r2.p);
  assert.equal(r1.exact, false);
  assert.ok(r1.p > 0);
  const all = signFlipTest(
    Array.from({ length: 30 }, () => 1),
    { resamples: 999 },
  );
  assert.equal(all.p, 1 / 1000);
  // Normal approximation of the same sum: z = Σd / √Σd².
  const s = d.reduce((x, y) => x + y, 0);
  const z = s / Math.sqrt(d.reduce((x, y) => x + y * y, 0));
  const approx = 0.5 * (1 - Math.tanh(0.7978845608 * (z + 0.044715 * z ** 3))); // Φ̄(z), tanh form
  assert.ok(Math.abs(r1.p - approx) < 0.03, `${r1.p} vs ${approx}`);
});

test('Mann–Whitney, one-sided, normal approximation with tie and continuity corrections (worked by hand)', () => {
  // Ranks 3.5, 6, 7, 8, 9 for x: U = 33.5 − 15 = 18.5; σ² = (20/12)(10 − 6/72) = 16.528;
  // z = (18.5 − 10 − 0.5)/4.0655 = 1.9678, p = Φ̄(z) = 0.02455.
  const r = mannWhitneyGreater([3.1, 4.2, 5.5, 6.0, 7.3], [1.0, 2.2, 3.1, 4.0]);
  assert.equal(r.u, 18.5);
  assert.ok(Math.abs(r.p - 0.02455) < 1e-4, String(r.p));
  assert.ok(Math.abs(r.rankBiserial - ((2 * 18.5) / 20 - 1)) < 1e-12);
  // Mostly ties: U = 15 + 1.5 + 5 = 21.5; σ² = 2.5 (12 − 396/110) = 21; z = 6/4.583 = 1.3093, p = 0.0952.
  const t = mannWhitneyGreater([1, 1, 1, 0, 0], [0, 0, 0, 0, 1, 0]);
  assert.equal(t.u, 21.5);
  assert.ok(Math.abs(t.p - 0.0952) < 2e-4, String(t.p));
  assert.equal(mannWhitneyGreater([], [1]).p, 1);
});
