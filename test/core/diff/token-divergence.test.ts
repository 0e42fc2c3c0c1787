// Token-level divergence on {top-k, rest}: KL and JS properties, the coarse-graining bound, and diff mining.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignPositions, divergence, mineBoosts, type PositionPair } from '../../../src/core/diff/token-divergence.ts';
import type { ScoredStep, TokenStep } from '../../../src/core/engine/types.ts';
import { createRng } from '../../../src/core/random.ts';

const log = Math.log;
const klFull = (p: number[], q: number[]) => p.reduce((s, x, i) => s + (x > 0 ? x * log(x / q[i]!) : 0), 0);

/** A position over the given ids, from two full distributions (one probability per id of a 5-token vocabulary). */
const at = (ids: number[], pA: number[], pB: number[]): PositionPair => ({
  ids,
  lpA: ids.map((i) => log(pA[i]!)),
  lpB: ids.map((i) => log(pB[i]!)),
});

test('KL and JS of identical distributions are 0', () => {
  const p = [0.5, 0.2, 0.1, 0.1, 0.1];
  const d = divergence(at([0, 1, 2], p, p));
  assert.equal(d.kl, 0);
  assert.equal(d.js, 0);
});

test('KL on the {top-k, rest} partition is at most the full KL (5-token example)', () => {
  const pA = [0.4, 0.3, 0.15, 0.1, 0.05];
  const pB = [0.2, 0.35, 0.05, 0.1, 0.3];
  const full = klFull(pB, pA);
  for (const ids of [[0], [0, 1], [0, 1, 2], [1, 4], [0, 1, 2, 3]]) {
    const coarse = divergence(at(ids, pA, pB)).kl;
    assert.ok(coarse > 0 && coarse <= full + 1e-12, `ids ${ids}: ${coarse} vs full ${full}`);
  }
  // With every id in the top-k, the partition loses nothing (the rest bucket holds ~0).
  assert.ok(Math.abs(divergence(at([0, 1, 2, 3, 4], pA, pB)).kl - full) < 1e-9);
});

test('JS is symmetric and at most ln 2', () => {
  const rng = createRng(4);
  for (let t = 0; t < 200; t++) {
    const draw = () => {
      const w = Array.from({ length: 5 }, () => rng.next() ** 4 + 1e-9);
      const s = w.reduce((x, y) => x + y, 0);
      return w.map((x) => x / s);
    };
    const pA = draw();
    const pB = draw();
    const ab = divergence(at([0, 1, 2, 3], pA, pB));
    const ba = divergence(at([0, 1, 2, 3], pB, pA));
    assert.ok(Math.abs(ab.js - ba.js) < 1e-12);
    assert.ok(ab.js >= 0 && ab.js <= Math.LN2 + 1e-12);
  }
  // Disjoint supports reach the bound.
  const far = divergence({ ids: [0, 1], lpA: [log(1 - 1e-13), -40], lpB: [-40, log(1 - 1e-13)] });
  assert.ok(Math.abs(far.js - Math.LN2) < 1e-6, String(far.js));
});

test('mineBoosts centres on the median shift: one token falling boosts nothing else', () => {
  // Token 10's logit falls by 3 under B; softmax renormalisation lifts the other four by the same amount.
  const logitsA = [2, 1, 0.5, 0, -0.5];
  const logitsB = [-1, 1, 0.5, 0, -0.5];
  const lsm = (l: number[]) => {
    const z = log(l.reduce((s, x) => s + Math.exp(x), 0));
    return l.map((x) => x - z);
  };
  const pos: PositionPair = { ids: [10, 11, 12, 13, 14], lpA: lsm(logitsA), lpB: lsm(logitsB) };
  const r = mineBoosts([pos, pos, pos], (id) => `t${id}`);
  assert.deepEqual(r.boostedInB, []);
  assert.deepEqual(
    r.boostedInA.map((b) => [b.token, b.count]),
    [['t10', 3]],
  );
  assert.ok(Math.abs(r.boostedInA[0]!.score - 3) < 1e-9);
});

test('a token raised by +2 at every position tops boostedInB', () => {
  const rng = createRng(9);
  const positions: PositionPair[] = [];
  for (let t = 0; t < 50; t++) {
    const ids = [7, ...Array.from({ length: 9 }, (_, j) => 100 + ((t * 13 + j * 7) % 60))];
    const lpA = ids.map(() => -1 - 3 * rng.next());
    const lpB = lpA.map((x, j) => (j === 0 ? x + 2 : x + 0.1 * rng.normal()));
    // Put the boosted token at a varying index: the mining must not depend on order.
    const k = t % 10;
    [ids[0], ids[k]] = [ids[k]!, ids[0]!];
    [lpA[0], lpA[k]] = [lpA[k]!, lpA[0]!];
    [lpB[0], lpB[k]] = [lpB[k]!, lpB[0]!];
    positions.push({ ids, lpA, lpB });
  }
  const r = mineBoosts(positions, (id) => `#${id}`);
  assert.equal(r.boostedInB[0]!.id, 7);
  assert.equal(r.boostedInB[0]!.count, 50);
  assert.ok(Math.abs(r.boostedInB[0]!.score - 2) < 0.2, String(r.boostedInB[0]!.score));
  assert.ok(!r.boostedInA.some((b) => b.id === 7));
});

test('mineBoosts handles −∞ log-probabilities and empty positions without throwing', () => {
  const r = mineBoosts(
    [
      { ids: [1, 2, 3], lpA: [-1, -Infinity, -2], lpB: [-1, -Infinity, -0.5] },
      { ids: [], lpA: [], lpB: [] },
    ],
    String,
  );
  // A NaN shift (−∞ − −∞) poisons that position's median, so it counts nothing: the behaviour as first written.
  assert.deepEqual(r, { boostedInA: [], boostedInB: [] });
});

test('alignPositions pairs the owner’s top-k with the scorer’s candidates, by side', () => {
  const owner: TokenStep[] = [
    {
      id: 5,
      logprob: -0.1,
      entropy: 1,
      top: [
        { id: 5, logprob: -0.1 },
        { id: 6, logprob: -2.5 },
      ],
    },
    {
      id: 8,
      logprob: -0.3,
      entropy: 1,
      top: [
        { id: 8, logprob: -0.3 },
        { id: 9, logprob: -1.4 },
      ],
    },
  ];
  const scored: ScoredStep[] = [
    {
      id: 5,
      logprob: -0.4,
      entropy: 1,
      top: [],
      candidates: [
        { id: 5, logprob: -0.4 },
        { id: 6, logprob: -1.2 },
      ],
    },
    { id: 8, logprob: -0.2, entropy: 1, top: [] }, // no candidates: skipped
  ];
  assert.deepEqual(alignPositions(owner, scored, true), [{ ids: [5, 6], lpA: [-0.1, -2.5], lpB: [-0.4, -1.2] }]);
  assert.deepEqual(alignPositions(owner, scored, false), [{ ids: [5, 6], lpA: [-0.4, -1.2], lpB: [-0.1, -2.5] }]);
});
