// Checks McNemar's test against R's mcnemar.test example (Agresti's approval data) and exact binomial sums.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mcnemar, mcnemarFromCounts } from '../../../src/core/stats/mcnemar.ts';
import { assertClose } from './assert-close.ts';

/** Paired booleans with the given cell counts: both, A only, B only, neither. */
function pairs(both: number, onlyA: number, onlyB: number, neither: number): { a: boolean[]; b: boolean[] } {
  const a: boolean[] = [];
  const b: boolean[] = [];
  const push = (count: number, x: boolean, y: boolean) => {
    for (let i = 0; i < count; i++) {
      a.push(x);
      b.push(y);
    }
  };
  push(both, true, true);
  push(onlyA, true, false);
  push(onlyB, false, true);
  push(neither, false, false);
  return { a, b };
}

// R's ?mcnemar.test example (Agresti 1990, p. 350): presidential approval of 1600 people in two surveys,
// matrix(c(794, 86, 150, 570), nrow = 2): approve both 794, approve 1st only 150, 2nd only 86, neither 570.
// A = approval at the 1st survey, B = at the 2nd.
const approval = pairs(794, 150, 86, 570);

test("R's mcnemar.test example with continuity correction", () => {
  const r = mcnemar(approval.a, approval.b, { correct: true });
  assert.equal(r.n, 1600);
  assert.equal(r.b, 150);
  assert.equal(r.c, 86);
  assert.equal(r.method, 'chi-square');
  // R prints "McNemar's chi-squared = 16.818, df = 1, p-value = 4.115e-05"; exactly (|150 - 86| - 1)²/236.
  assertClose(r.statistic, 3969 / 236, 1e-12);
  assertClose(r.statistic, 16.818, 5e-4, 'R printout');
  assertClose(r.p, 4.115e-5, 5e-9, 'R printout');
  // Unrounded: pchisq(3969/236, 1, lower.tail = FALSE) = 4.114562281345944e-05 (scipy.stats.chi2.sf).
  assertClose(r.p, 4.114562281345944e-5, 1e-9, 'p', true);
  // Approval fell from 944/1600 = 59% to 880/1600 = 55% (Agresti's reading of the table).
  assertClose(r.diff, -0.04, 1e-15);
});

test('default is the uncorrected statistic (Agresti 2002, §10.1.1: z = -4.17)', () => {
  const r = mcnemar(approval.a, approval.b);
  // (150 - 86)²/236 = 4096/236 = 17.356 = 4.166²; p = chi2.sf(4096/236, 1) = 3.099293441045215e-05 (scipy).
  assertClose(r.statistic, 4096 / 236, 1e-12);
  assertClose(Math.sqrt(r.statistic), 4.17, 5e-3, 'Agresti z');
  assertClose(r.p, 3.099293441045215e-5, 1e-9, 'p', true);
});

test('exact binomial test below 25 discordant pairs', () => {
  // b = 1, c = 9: 2·P(X ≤ 1 | Bin(10, 1/2)) = 2·11/1024 = 0.021484375 (R: binom.test(1, 10) p = 0.02148).
  const r = mcnemarFromCounts(30, 1, 9);
  assert.equal(r.method, 'exact');
  assertClose(r.p, 22 / 1024, 1e-15);
  assertClose(r.diff, 8 / 30, 1e-15);
  // b = 3, c = 10: 2·(1 + 13 + 78 + 286)/8192 = 756/8192 = 0.0922851562 (scipy.stats.binomtest(3, 13)).
  assertClose(mcnemarFromCounts(13, 3, 10).p, 756 / 8192, 1e-15);
  // Balanced discordance is no evidence: p = 1.
  assert.equal(mcnemarFromCounts(10, 5, 5).p, 1);
});

test('switches to chi-square at b + c = 25', () => {
  assert.equal(mcnemarFromCounts(100, 4, 20).method, 'exact');
  const r = mcnemarFromCounts(100, 5, 20);
  assert.equal(r.method, 'chi-square');
  assertClose(r.statistic, 225 / 25, 1e-12);
  assert.equal(mcnemarFromCounts(100, 5, 20, { exactBelow: 1000 }).method, 'exact');
});

test('no discordant pairs gives p = 1', () => {
  const r = mcnemar([true, false, true], [true, false, true]);
  assert.deepEqual([r.b, r.c, r.p, r.diff, r.method], [0, 0, 1, 0, 'none']);
  assert.equal(mcnemar([], []).p, 1);
});

test('swapping A and B swaps b and c, flips diff, keeps p', () => {
  for (const [x, y] of [
    [approval.a, approval.b],
    [pairs(3, 2, 9, 6).a, pairs(3, 2, 9, 6).b],
  ] as const) {
    const ab = mcnemar(x, y);
    const ba = mcnemar(y, x);
    assert.equal(ba.b, ab.c);
    assert.equal(ba.c, ab.b);
    assert.equal(ba.diff, -ab.diff);
    assert.equal(ba.p, ab.p);
  }
});

test('rejects mismatched or impossible input', () => {
  assert.throws(() => mcnemar([true], [true, false]), RangeError);
  assert.throws(() => mcnemarFromCounts(5, 4, 4), RangeError);
  assert.throws(() => mcnemarFromCounts(5, -1, 2), RangeError);
});
