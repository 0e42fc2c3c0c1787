// rankBiserialInterval equals the generic paired bootstrap of wilcoxonSignedRank's rank-biserial correlation (the
// same draws, each resample re-ranked from scratch): with and without clusters, with ties, zero differences and
// none at all.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src/core/random.ts';
import { pairedBootstrap } from '../../../src/core/stats/bootstrap.ts';
import { rankBiserialInterval } from '../../../src/core/stats/rank-biserial-interval.ts';
import { wilcoxonSignedRank } from '../../../src/core/stats/wilcoxon.ts';

const rng = createRng(23);
const n = 90;
const a = Array.from({ length: n }, () => rng.normal());
const cases = {
  'shifted, continuous': { a, b: a.map((x) => x + 0.4 + rng.normal()) },
  'counts (ties and zeros)': { a: a.map((x) => Math.round(2 * x)), b: a.map((x) => Math.round(2 * x + rng.normal())) },
  'mostly zero': { a: a.map(() => 0), b: a.map((x) => (x > 1.2 ? 3 : x < -1.6 ? -1 : 0)) },
  'no difference': { a, b: [...a] },
};
const generic = (x: ArrayLike<number>, y: ArrayLike<number>) => wilcoxonSignedRank(x, y).rankBiserial;

test('the same interval as pairedBootstrap re-ranking every resample', () => {
  for (const [name, { a: x, b: y }] of Object.entries(cases)) {
    for (const clusters of [undefined, x.map((_, i) => Math.floor(i / 3)), x.map((_, i) => `c${i % 11}`)]) {
      const options = { resamples: 400, seed: 9, ...(clusters ? { clusters } : {}) };
      const fast = rankBiserialInterval(x, y, options);
      const slow = pairedBootstrap(x, y, { ...options, statistic: generic });
      const what = `${name}, ${clusters ? `${new Set<string | number>(clusters).size} clusters` : 'no clusters'}`;
      for (const key of ['estimate', 'lower', 'upper', 'se'] as const) {
        const [f, s] = [fast[key], slow[key]];
        assert.ok((Number.isNaN(f) && Number.isNaN(s)) || Math.abs(f - s) < 1e-12, `${what}: ${key} ${f} vs ${s}`);
      }
      assert.equal(fast.nonFinite, slow.nonFinite, what);
      assert.equal(fast.estimate, generic(x, y), `${what}: estimate is the sample's rank-biserial`);
    }
  }
});

test('the interval holds the estimate, lies in [-1, 1], and moves with the effect', () => {
  const none = rankBiserialInterval(a, [...a]);
  assert.deepEqual([none.estimate, none.lower, none.upper], [0, 0, 0]);
  const up = rankBiserialInterval(cases['shifted, continuous'].a, cases['shifted, continuous'].b);
  assert.ok(up.lower > 0 && up.lower <= up.estimate && up.estimate <= up.upper && up.upper <= 1, JSON.stringify(up));
  const swapped = rankBiserialInterval(cases['shifted, continuous'].b, cases['shifted, continuous'].a);
  assert.ok(Math.abs(swapped.estimate + up.estimate) < 1e-12, 'B − A and A − B are mirror images');
  const all = rankBiserialInterval(
    a,
    a.map((x) => x + 10),
  );
  assert.deepEqual([all.estimate, all.lower, all.upper], [1, 1, 1]);
});

test('bad input is refused with the reason', () => {
  assert.throws(() => rankBiserialInterval([1, 2], [1]), /length mismatch 2 vs 1/);
  assert.throws(() => rankBiserialInterval([], []), /at least one pair/);
  assert.throws(() => rankBiserialInterval([1], [Infinity]), /difference 0 is not finite/);
  assert.throws(() => rankBiserialInterval([1], [2], { resamples: 0 }), /positive integer/);
});
