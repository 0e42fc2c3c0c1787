// The shared resampling kernel gives, bit for bit, what the plain loop gives (one rng.int per draw, each resample's
// sum in draw order): real, sparse and dense integer columns, clusters of several sizes, resample counts that do not
// fill a block of four; and a shared stream of uniforms gives the same intervals as drawing them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src/core/random.ts';
import { pairedBootstrap } from '../../../src/core/stats/bootstrap.ts';
import { pairedBootstrapMany } from '../../../src/core/stats/bootstrap-many.ts';
import { resampleMeans } from '../../../src/core/stats/resample-means.ts';
import { uniformStream } from '../../../src/core/stats/uniform-stream.ts';

/** The loop pairedBootstrap ran before the kernel: the reference. */
function plain(seed: number, size: Float64Array, column: Float64Array, resamples: number): Float64Array {
  const rng = createRng(seed);
  const count = size.length;
  const out = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    let m = 0;
    for (let t = 0; t < count; t++) {
      const g = rng.int(count);
      s += column[g]!;
      m += size[g]!;
    }
    out[r] = s / m;
  }
  return out;
}

test('every column equals the plain loop, bit for bit', () => {
  const rng = createRng(23);
  for (const count of [1, 7, 64, 301]) {
    const columns = [
      Float64Array.from({ length: count }, () => rng.normal()), // real
      Float64Array.from({ length: count }, () => (rng.next() < 0.1 ? (rng.next() < 0.5 ? -1 : 2) : 0)), // sparse integers
      Float64Array.from({ length: count }, () => Math.round(40 * rng.normal())), // dense integers
      Float64Array.from({ length: count }, () => (rng.next() < 0.5 ? 2 ** 52 : 0)), // too large to add in any order
      new Float64Array(count), // all zero
    ];
    for (const size of [new Float64Array(count).fill(1), Float64Array.from({ length: count }, () => 1 + rng.int(3))]) {
      for (const resamples of [1, 3, 4, 9, 250]) {
        const replicates = columns.map(() => new Float64Array(resamples));
        resampleMeans(createRng(5), size, columns, replicates);
        columns.forEach((column, j) =>
          assert.deepEqual(replicates[j], plain(5, size, column, resamples), `count ${count}, column ${j}`),
        );
      }
    }
  }
});

test('a shared uniform stream gives the intervals drawing gives, for one bootstrap or many, at any seed', () => {
  const rng = createRng(41);
  const n = 90;
  const a = Array.from({ length: n }, () => rng.normal());
  const pairs = [
    { a, b: a.map((x) => x + rng.normal()) },
    { a: a.map((x) => (x > 0 ? 1 : 0)), b: a.map((x) => (x > 0.3 ? 1 : 0)) },
  ];
  const clusters = a.map((_, i) => Math.floor(i / 2));
  const uniforms = uniformStream(3);
  for (const seed of [3, 4]) {
    const options = { resamples: 301, seed, clusters };
    assert.deepEqual(pairedBootstrapMany(pairs, { ...options, uniforms }), pairedBootstrapMany(pairs, options));
    assert.deepEqual(
      pairedBootstrap(pairs[0]!.a, pairs[0]!.b, { ...options, uniforms }),
      pairedBootstrap(pairs[0]!.a, pairs[0]!.b, options),
    );
  }
});
