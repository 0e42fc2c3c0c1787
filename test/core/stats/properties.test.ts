// Property-based checks (fast-check) of the statistics on arbitrary paired data: swapping A and B flips signs and
// keeps p; the bootstrap interval contains the estimate; BH q-values are never below p and stay in [0, 1].

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { benjaminiHochberg, mcnemar, pairedBootstrap, wilcoxonSignedRank } from '../../../src/core/stats/index.ts';

const pairs = (value: fc.Arbitrary<number>) =>
  fc
    .integer({ min: 2, max: 60 })
    .chain((n) =>
      fc.tuple(fc.array(value, { minLength: n, maxLength: n }), fc.array(value, { minLength: n, maxLength: n })),
    );
const real = fc.double({ min: -1e3, max: 1e3, noNaN: true });
const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));

test('Wilcoxon: swapping A and B keeps p and flips the rank-biserial correlation', () => {
  fc.assert(
    fc.property(pairs(fc.integer({ min: -5, max: 5 })), ([a, b]) => {
      const ab = wilcoxonSignedRank(a, b);
      const ba = wilcoxonSignedRank(b, a);
      assert.ok(close(ab.p, ba.p));
      assert.ok(close(ab.rankBiserial, -ba.rankBiserial));
      assert.ok(ab.p >= 0 && ab.p <= 1);
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('McNemar: swapping A and B keeps p and flips the difference', () => {
  fc.assert(
    fc.property(pairs(fc.boolean().map((x) => (x ? 1 : 0))), ([a, b]) => {
      const ab = mcnemar(a.map(Boolean), b.map(Boolean));
      const ba = mcnemar(b.map(Boolean), a.map(Boolean));
      assert.ok(close(ab.p, ba.p));
      assert.ok(close(ab.diff, -ba.diff));
      assert.ok(ab.p >= 0 && ab.p <= 1);
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('paired bootstrap: the interval contains the estimate, and swapping A and B mirrors it', () => {
  fc.assert(
    fc.property(pairs(real), fc.integer({ min: 1, max: 1e6 }), ([a, b], seed) => {
      const ab = pairedBootstrap(a, b, { resamples: 200, seed });
      const ba = pairedBootstrap(b, a, { resamples: 200, seed });
      const slack = 1e-9 * Math.max(1, Math.abs(ab.estimate));
      assert.ok(
        ab.lower <= ab.estimate + slack && ab.estimate - slack <= ab.upper,
        `${ab.lower} ${ab.estimate} ${ab.upper}`,
      );
      assert.ok(close(ab.estimate, -ba.estimate));
      assert.ok(close(ab.lower, -ba.upper) && close(ab.upper, -ba.lower));
    }),
    { numRuns: 150, seed: 7 },
  );
});

test('Benjamini–Hochberg: q ≥ p, q ≤ 1, and the order of p is kept', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 200 }), (p) => {
      const q = benjaminiHochberg(p);
      p.forEach((pi, i) => {
        assert.ok(q[i]! >= pi - 1e-15 && q[i]! <= 1);
        p.forEach((pj, j) => {
          if (pi < pj) assert.ok(q[i]! <= q[j]! + 1e-15);
        });
      });
    }),
    { numRuns: 200, seed: 7 },
  );
});
