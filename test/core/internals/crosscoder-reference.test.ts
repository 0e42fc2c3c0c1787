// The reference training step: its hand-derived gradients against central finite differences (selections and the
// AuxK target frozen at the base point, as the method holds them), masks respected, and the clipped Adam update.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latentMasks } from '../../../src/core/internals/crosscoder/config.ts';
import { paramList, zeroAdam } from '../../../src/core/internals/crosscoder/params.ts';
import { ADAM, adamUpdate, forward, gradients } from '../../../src/core/internals/crosscoder/reference.ts';
import { kthLargest } from '../../../src/core/internals/crosscoder/select.ts';
import { deadMask, randomBatch, randomParams, smallConfig } from './crosscoder-fixtures.ts';

test('kthLargest agrees with sorting', () => {
  const xs = Float64Array.from({ length: 101 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
  const sorted = [...xs].sort((a, b) => b - a);
  for (const k of [1, 2, 50, 100, 101]) assert.equal(kthLargest(new Float64Array(xs), xs.length, k), sorted[k - 1]);
});

test('BatchTopK keeps k·B latents, A-only latents never write to B, B-only never to A', () => {
  const c = smallConfig();
  const p = randomParams(c, 3);
  const fw = forward(c, p, randomBatch(c, 4), deadMask(c, []));
  const kept = fw.active.reduce((a, b) => a + b, 0);
  assert.equal(kept, c.k * c.batchSize);
  assert.equal(fw.auxLoss, 0);
  const masks = latentMasks(c);
  assert.deepEqual([...masks[0]].slice(-2), [0, 0]);
  assert.deepEqual([...masks[1]].slice(8, 10), [0, 0]);
});

test('gradients match central finite differences, AuxK term included', () => {
  const c = smallConfig();
  const p = randomParams(c, 11);
  const batch = randomBatch(c, 12);
  const dead = deadMask(c, [1, 4, 7, 9, 11]);
  const masks = latentMasks(c);
  const base = forward(c, p, batch, dead);
  assert.ok(base.auxLoss > 0, 'the AuxK term is active');
  assert.ok(base.aux.some((x) => x));
  const grads = gradients(c, p, batch, base, masks);
  const list = paramList(p);
  let worst = 0;
  let checked = 0;
  const L = c.latents;
  // Masked entries are not free parameters (fixed at 0): finite differences skip them.
  const free = (k: number, i: number) =>
    k === 0 || k === 1
      ? masks[k]![i % L] === 1
      : k === 3 || k === 4
        ? masks[k - 3]![Math.floor(i / c.dims[k - 3]!)] === 1
        : true;
  list.forEach((theta, k) => {
    for (let i = 0; i < theta.length; i++) {
      if (!free(k, i)) continue;
      const orig = theta[i]!;
      theta[i] = orig + 1e-3;
      const up = theta[i]!;
      const lossUp = forward(c, p, batch, dead, base).loss;
      theta[i] = orig - 1e-3;
      const down = theta[i]!;
      const lossDown = forward(c, p, batch, dead, base).loss;
      theta[i] = orig;
      const fd = (lossUp - lossDown) / (up - down);
      const g = grads[k]![i]!;
      worst = Math.max(worst, Math.abs(fd - g) / Math.max(1, Math.abs(g)));
      checked++;
    }
  });
  assert.equal(checked, 312 - 2 * (5 + 7) * 2);
  assert.ok(worst < 1e-4, `worst relative error ${worst}`);
  // Masked entries have exactly zero gradient, so Adam never moves them off zero.
  for (let j = 0; j < L; j++) {
    c.dims.forEach((d, m) => {
      if (masks[m]![j]) return;
      for (let i = 0; i < d; i++) {
        assert.equal(grads[3 + m]![j * d + i], 0);
        assert.equal(grads[m]![i * L + j], 0);
      }
    });
  }
});

test('Adam: the global norm is clipped, and the first step moves each coordinate by about lr·sign(g)', () => {
  const c = smallConfig({ clipNorm: 1 });
  const p = randomParams(c, 5);
  const grads = paramList(p).map((a, k) =>
    Float64Array.from(a, (_, i) => (k === 2 && i === 0 ? 30 : i % 3 === 0 ? 0 : 0.4)),
  );
  const { params, adam, gradNorm } = adamUpdate(c, p, zeroAdam(p), grads, 0.01);
  assert.ok(gradNorm > 30);
  const scale = 1 / gradNorm;
  const before = paramList(p);
  const after = paramList(params);
  assert.ok(Math.abs(adam.m[2]![0]! - (1 - ADAM.beta1) * 30 * scale) < 1e-7);
  for (let k = 0; k < before.length; k++) {
    for (let i = 0; i < before[k]!.length; i++) {
      const g = grads[k]![i]! * scale;
      const want = g === 0 ? 0 : -0.01 * (Math.abs(g) / (Math.abs(g) + ADAM.eps)) * Math.sign(g);
      assert.ok(Math.abs(after[k]![i]! - before[k]![i]! - want) < 1e-6);
    }
  }
  assert.equal(adam.step, 1);
});
