// rankBiserialInterval (the U-statistic projection interval on the atanh scale) against a re-ranking bootstrap of
// the same statistic — itself checked against pairedBootstrap with wilcoxonSignedRank as the statistic — and its
// coverage in simulation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src/core/random.ts';
import { pairedBootstrap } from '../../../src/core/stats/bootstrap.ts';
import { rankBiserialInterval } from '../../../src/core/stats/rank-biserial-interval.ts';
import { wilcoxonSignedRank } from '../../../src/core/stats/wilcoxon.ts';
import { rankBiserialBootstrap } from './rank-biserial-bootstrap.ts';

const rng = createRng(23);
/** Paired data with a skewed noise, shifted by `shift`; `round` makes ties and zero differences. */
function sample(n: number, shift: number, round = false) {
  const a = Array.from({ length: n }, () => rng.normal());
  const b = a.map((x) => x + shift + Math.exp(rng.normal()) - 1.6);
  return round ? { a: a.map((x) => Math.round(2 * x)), b: b.map((x) => Math.round(2 * x)) } : { a, b };
}
const generic = (x: ArrayLike<number>, y: ArrayLike<number>) => wilcoxonSignedRank(x, y).rankBiserial;

test('the bootstrap oracle re-ranks every resample as pairedBootstrap does, to 1e-12', () => {
  for (const round of [false, true]) {
    const { a, b } = sample(90, 0.3, round);
    for (const clusters of [undefined, a.map((_, i) => Math.floor(i / 3))]) {
      const options = { resamples: 300, seed: 9, ...(clusters ? { clusters } : {}) };
      const fast = rankBiserialBootstrap(a, b, options);
      const slow = pairedBootstrap(a, b, { ...options, statistic: generic });
      for (const key of ['estimate', 'lower', 'upper', 'se'] as const) {
        assert.ok(Math.abs(fast[key] - slow[key]) < 1e-12, `${key} ${fast[key]} vs ${slow[key]}`);
      }
    }
  }
});

test('agrees with the bootstrap interval: within 0.02 at 300 pairs, 0.01 at 1,000 (clusters, ties and zeros too)', () => {
  for (const [n, tolerance] of [
    [300, 0.02],
    [1000, 0.01],
  ] as const) {
    for (const shift of [0, 0.4, 1]) {
      for (const round of [false, true]) {
        const { a, b } = sample(n, shift, round);
        const clusters = a.map((_, i) => Math.floor(i / 2)); // linked prompts in pairs
        const got = rankBiserialInterval(a, b, { clusters });
        const want = rankBiserialBootstrap(a, b, { clusters, resamples: 4000, seed: 3 });
        const what = `n ${n}, shift ${shift}${round ? ', rounded' : ''}: [${got.lower}, ${got.upper}] vs [${want.lower}, ${want.upper}]`;
        assert.equal(got.estimate, generic(a, b), what);
        assert.ok(Math.abs(got.lower - want.lower) < tolerance && Math.abs(got.upper - want.upper) < tolerance, what);
      }
    }
  }
});

test('covers the population value about 95% of the time (300 simulated samples of 60 skewed differences)', () => {
  const draw = (k: number) => Array.from({ length: k }, () => Math.exp(rng.normal()) - 1.2);
  // The population r: 2·P(D1 + D2 > 0) − 1, from every pair of a large sample.
  const big = draw(3000);
  let positive = 0;
  let pairs = 0;
  for (let i = 0; i < big.length; i++) {
    for (let j = i + 1; j < big.length; j++, pairs++) positive += big[i]! + big[j]! > 0 ? 1 : 0;
  }
  const truth = (2 * positive) / pairs - 1;
  let covered = 0;
  const runs = 300;
  for (let r = 0; r < runs; r++) {
    const d = draw(60);
    const ci = rankBiserialInterval(
      d.map(() => 0),
      d,
    );
    if (ci.lower <= truth && truth <= ci.upper) covered++;
  }
  // 95% ± 3 binomial standard deviations (1.3 points each).
  assert.ok(covered / runs > 0.91 && covered / runs < 0.99, `coverage ${covered / runs} (truth ${truth})`);
});

test('bounds: in [−1, 1], mirrored when A and B swap, a binomial bound where every difference has one sign', () => {
  const { a, b } = sample(120, 0.5);
  const ab = rankBiserialInterval(a, b);
  const ba = rankBiserialInterval(b, a);
  assert.ok(ab.lower >= -1 && ab.lower <= ab.estimate && ab.estimate <= ab.upper && ab.upper <= 1);
  assert.ok(Math.abs(ab.lower + ba.upper) < 1e-12 && Math.abs(ab.upper + ba.lower) < 1e-12);
  const none = rankBiserialInterval(a, [...a]);
  assert.deepEqual([none.estimate, none.lower, none.upper], [0, 0, 0]);
  // Every difference positive: not [1, 1] (the bootstrap's answer) but down to the binomial bound 2p² − 1,
  // p = 0.025^(1/120); mirrored for every difference negative.
  const all = rankBiserialInterval(
    a,
    a.map((x) => x + 10),
  );
  const bound = 2 * 0.025 ** (2 / 120) - 1;
  assert.deepEqual([all.estimate, all.upper], [1, 1]);
  assert.ok(Math.abs(all.lower - bound) < 1e-12 && bound > 0.85 && bound < 0.9, `${all.lower}`);
  const below = rankBiserialInterval(
    a,
    a.map((x) => x - 10),
  );
  assert.deepEqual([below.estimate, below.lower, below.upper], [-1, -1, -all.lower]);
  assert.ok(rankBiserialInterval([0, 0, 0], [1, 2, 3]).lower < 0, 'three differences bound r only loosely');
});

test('bad input is refused with the reason', () => {
  assert.throws(() => rankBiserialInterval([1, 2], [1]), /length mismatch 2 vs 1/);
  assert.throws(() => rankBiserialInterval([], []), /at least one pair/);
  assert.throws(() => rankBiserialInterval([1], [Infinity]), /difference 0 is not finite/);
  assert.throws(() => rankBiserialInterval([1], [2], { level: 1 }), /level must be in \(0, 1\)/);
  assert.throws(() => rankBiserialInterval([1, 2], [2, 3], { clusters: [1] }), /1 cluster ids for 2 pairs/);
});
