// The crosscoder's held-out confirmation (confirm.ts, candidates.ts) on a planted dictionary: a B-only latent
// whose direction only B's held-out streams hold is confirmed (a share of B's variance lies along it, none of A's);
// the same latent on streams that are identical in both models is not (A's stream holds the direction just as much),
// nor on streams that are exchangeable (both hold it, with independent noise) beyond the test's level.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActivationChunks } from '../../../src/core/internals/crosscoder/activations.ts';
import { confirmOnHeldOut, pickCandidates } from '../../../src/core/internals/crosscoder/candidates.ts';
import { crosscoderConfig } from '../../../src/core/internals/crosscoder/config.ts';
import type { CrosscoderDictionary } from '../../../src/core/internals/crosscoder/dictionary.ts';
import { createRng } from '../../../src/core/random.ts';
import { plantedDictionary } from './planted-dictionary.ts';

const D = 4;
const L = 3;
/** Training mean and per-token variance of the planted data (centred at 0, unit variance: the shares are raw). */
const data = { mean: [new Float32Array(D), new Float32Array(D)] as const, variance: [1, 1] as const };

/** Latent 0: shared, reads and writes e0 in both. Latent 1: B-only, reads e1 from B, writes e1 to B alone. */
function planted(): CrosscoderDictionary {
  return plantedDictionary(D, L, (enc, dec) => {
    enc[0][0 * L + 0] = enc[1][0 * L + 0] = 0.5;
    dec[0][0 * D + 0] = dec[1][0 * D + 0] = 1;
    enc[1][1 * L + 1] = 1;
    dec[1][1 * D + 1] = 1;
  });
}

/** Held-out prompts: 16 in 16 clusters, 8 positions each (and a leading BOS row, which the harvest drops). */
function heldOut(bOnlyHasIt: boolean, options: { seed?: number; exchangeable?: boolean } = {}) {
  const rng = createRng(options.seed ?? 3);
  const prompts = Array.from({ length: 16 }, (_, i) => ({ id: `p${i}`, cluster: i }));
  const chunks: [Float32Array[], Float32Array[]] = [[], []];
  prompts.forEach((_, i) => {
    const a = new Float32Array(9 * D);
    for (let t = 0; t < 9; t++) {
      a[t * D + 0] = 1 + rng.next();
      a[t * D + 2] = rng.normal() * 0.3;
      a[t * D + 3] = rng.normal() * 0.3;
    }
    const b = new Float32Array(a);
    // Half the prompts carry the feature (e1) at some positions, in B — and in A too when the streams are the same.
    if (i % 2 === 0)
      for (let t = 3; t < 9; t += 2) {
        b[t * D + 1] = 1 + rng.next();
        if (options.exchangeable) a[t * D + 1] = 1 + rng.next();
        else if (!bOnlyHasIt) a[t * D + 1] = b[t * D + 1]!;
      }
    chunks[0].push(a);
    chunks[1].push(b);
  });
  const activations = chunks.map((c) => ({ dim: D, chunks: c })) as unknown as [ActivationChunks, ActivationChunks];
  return { activations, chunkPrompt: prompts.map((_, i) => i), prompts };
}

test('a planted B-only latent is confirmed on held-out prompts where only B holds its direction', () => {
  const [t] = confirmOnHeldOut(planted(), data, heldOut(true), [{ latent: 1, own: 1 }]);
  assert.ok(t);
  assert.equal(t.n, 16);
  assert.equal(t.groups, 8);
  assert.ok(t.effect > 0 && t.ci[0] > 0, `effect ${t.effect}, CI ${t.ci}`);
  assert.ok(t.p < 0.01, `p ${t.p}`);
  assert.equal(t.confirmed, true);
  // Per prompt: none of A's variance lies along e1 (it never holds it); B's does where it carries the feature.
  t.values.promptIds.forEach((id, i) => {
    assert.equal(t.values.a[i], 0);
    if (Number(id.slice(1)) % 2 === 1) assert.equal(t.values.b[i], 0);
    else assert.ok(t.values.b[i]! > 0);
  });
});

test('the same latent on streams both models share is not confirmed (a null)', () => {
  const [t] = confirmOnHeldOut(planted(), data, heldOut(false), [{ latent: 1, own: 1 }]);
  assert.ok(t);
  assert.equal(t.effect, 0);
  assert.equal(t.groups, 0);
  assert.equal(t.p, 1);
  assert.equal(t.confirmed, false);
});

test('on exchangeable streams (both hold the direction, independent noise) it is confirmed at about the test level', () => {
  const seeds = Array.from({ length: 60 }, (_, i) => i + 10);
  const confirmed = seeds.filter(
    (seed) =>
      confirmOnHeldOut(planted(), data, heldOut(true, { seed, exchangeable: true }), [{ latent: 1, own: 1 }])[0]!
        .confirmed,
  );
  // At α = 0.05 about 3 of 60 by chance; 8 or more has probability < 1% under a correct test.
  assert.ok(confirmed.length < 8, `${confirmed.length} of 60 exchangeable nulls confirmed`);
});

test('candidates without a training lean (across hidden sizes): exclusives first, then strongly shifted latents (r ≥ ⅔ or ≤ ⅓)', () => {
  const config = crosscoderConfig([D, D], { latents: 5, k: 1, exclusiveShare: 0 });
  const dec = [new Float32Array(5 * D), new Float32Array(5 * D)] as const;
  // r = ‖d_B‖ / (‖d_A‖ + ‖d_B‖): latent 0 shared (½), 1 B-only (1), 2 strongly towards B (0.8), 3 mildly (0.6),
  // 4 strongly towards A (0.2).
  const norms: [number, number][] = [
    [1, 1],
    [0, 1],
    [0.25, 1],
    [1, 1.5],
    [1, 0.25],
  ];
  norms.forEach(([a, b], j) => {
    dec[0][j * D] = a;
    dec[1][j * D] = b;
  });
  const dict: CrosscoderDictionary = {
    config,
    params: {
      encoder: [new Float32Array(D * 5), new Float32Array(D * 5)],
      encoderBias: new Float32Array(5),
      decoder: dec,
      decoderBias: [new Float32Array(D), new Float32Array(D)],
    },
    threshold: 0,
    scale: [1, 1],
    steps: 0,
  };
  const scan = {
    frequency: Float32Array.of(0.5, 0.01, 0.2, 0.3, 0.1),
    nu: { r: new Float32Array(5), eps: new Float32Array(5) },
    top: [],
  } as unknown as Parameters<typeof pickCandidates>[1];
  assert.deepEqual(pickCandidates(dict, scan), [
    { latent: 1, own: 1 },
    { latent: 2, own: 1 },
    { latent: 4, own: 0 },
  ]);
});
