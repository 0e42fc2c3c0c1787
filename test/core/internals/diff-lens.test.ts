// The activation-difference lens read at every stream point: a mean difference planted at one point only is
// significant there and at no other point; BH runs over every position × point as one family (each q is that
// family's, not its point's alone); the points read fit the memory budget and keep the steering point; the tokens every
// document starts with are found and nothing past the shortest document is.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DiffLensAccumulator,
  commonPrefix,
  jointQ,
  lensPoints,
  type LensStatistics,
} from '../../../src/core/internals/diff-lens.ts';
import { createRng } from '../../../src/core/random.ts';
import { benjaminiHochberg } from '../../../src/core/stats/multiple-comparisons.ts';

const D = 16;
const K = 4;
const POINTS = 3;
const DOCS = 60;

/** Per point an accumulator fed A and B = A + noise, and at `planted` a shared shift on top of the noise. */
function planted(at: number, shift: number): LensStatistics[] {
  const rng = createRng(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const direction = Float32Array.from({ length: D }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const accs = Array.from({ length: POINTS }, () => new DiffLensAccumulator(K, D));
  for (let d = 0; d < DOCS; d++)
    accs.forEach((acc, point) => {
      const a = Float32Array.from({ length: K * D }, () => 3 * normal());
      const b = a.map((x, i) => x + normal() + (point === at ? shift * direction[i % D]! : 0));
      acc.add(a, b, K);
    });
  return accs.map((acc) => acc.result());
}

test('a difference planted at one point is significant there only, with q over positions × points', () => {
  const stats = planted(1, 0.8);
  jointQ(stats);
  const rows = stats.flatMap((s) => s.positions);
  const family = benjaminiHochberg(rows.map((r) => r.p));
  rows.forEach((r, i) => assert.equal(r.q, family[i], 'q is BH over every position at every point'));
  for (const [point, s] of stats.entries()) {
    const held = s.positions.filter((r) => r.q < 0.05).length;
    assert.equal(held, point === 1 ? K : 0, `point ${point}: ${s.positions.map((r) => r.p).join(' ')}`);
  }
  assert.ok(stats.every((s) => !s.identical));
});

test('a family with one point is BH over positions, as before', () => {
  const [only] = planted(0, 0.8).slice(0, 1);
  const before = only!.positions.map((r) => r.q);
  jointQ([only!]);
  assert.deepEqual(
    only!.positions.map((r) => r.q),
    before,
  );
});

test('the points read: all when they fit, else evenly spaced with the first, the last and the steering point', () => {
  assert.deepEqual(lensPoints(5, 3, 10, 1000), [0, 1, 2, 3, 4, 5]);
  const few = lensPoints(30, 13, 100, 500);
  assert.ok(few.length <= 5, `${few}`);
  assert.ok(few.includes(0) && few.includes(30) && few.includes(13), `${few}`);
  assert.deepEqual(lensPoints(30, 13, 100, 100), [13]);
});

test('the tokens every document starts with, never past the shortest one', () => {
  assert.equal(
    commonPrefix([
      [1, 5, 9, 4],
      [1, 5, 7],
      [1, 5, 9],
    ]),
    2,
  );
  assert.equal(
    commonPrefix([
      [1, 5],
      [1, 5, 7],
    ]),
    1,
  );
  assert.equal(commonPrefix([[1, 5, 7]]), 0);
  assert.equal(
    commonPrefix([
      [2, 5],
      [1, 5],
    ]),
    0,
  );
});
