// How a run chooses the crosscoder latents it tests beyond the exclusives (candidates.ts), on planted data: the
// training lean (the held-out statistic measured on the training data) is exactly 0 on identical streams and picks a
// shared latent whose direction carries more of B's variance; reply use picks a latent that fires on B's own replies
// and not A's, and its held-out test confirms it, while on replies where the two models are exchangeable it does not
// (beyond the test's level), and identical replies choose nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareActivations, type ActivationChunks } from '../../../src/core/internals/crosscoder/activations.ts';
import {
  confirmOnHeldOut,
  pickCandidates,
  pickReplyCandidates,
  trainingLean,
  type ReplyLayout,
} from '../../../src/core/internals/crosscoder/candidates.ts';
import type { CrosscoderDictionary } from '../../../src/core/internals/crosscoder/dictionary.ts';
import { scanLatents } from '../../../src/core/internals/crosscoder/reading.ts';
import { createRng } from '../../../src/core/random.ts';
import { plantedDictionary } from './planted-dictionary.ts';

const D = 4;
const L = 3;

/**
 * Latent 0: reads e0 from both, writes e0 a little more in B (r ≈ 0.52: shared). Latent 1: reads and writes e1 in
 * both alike (shared). Latent 2: reads e2 from both, writes it in both (shared) — the "subject" latent.
 */
function dictionary(): CrosscoderDictionary {
  return plantedDictionary(D, L, (enc, dec) => {
    for (const j of [0, 1, 2]) {
      enc[0][j * L + j] = enc[1][j * L + j] = 0.5;
      dec[0][j * D + j] = 1;
      dec[1][j * D + j] = j === 0 ? 1.1 : 1;
    }
  });
}

/**
 * 2 × `prompts` chunks, each prompt followed by A's reply then by B's: 10 positions, the first (BOS) dropped by the
 * harvest, positions 1–3 the prompt. Background: e0 and e1 noise in both. `extraB`: B's stream holds more of e0.
 * `subject`: where e2 (latent 2) appears — in B's replies only, in both models' replies at random, or nowhere.
 */
function replies(
  prompts: number,
  options: { seed: number; extraB?: boolean; subject: 'b' | 'exchangeable' | 'none' },
): { activations: [ActivationChunks, ActivationChunks]; layout: ReplyLayout } {
  const rng = createRng(options.seed);
  const chunks: [Float32Array[], Float32Array[]] = [[], []];
  const layout = { side: [] as number[], prompt: [] as number[], from: [] as number[] };
  for (let p = 0; p < prompts; p++)
    for (const side of [0, 1]) {
      const a = new Float32Array(10 * D);
      for (let t = 0; t < 10; t++) {
        a[t * D + 0] = 1 + 0.3 * rng.normal();
        a[t * D + 1] = 1 + 0.3 * rng.normal();
        a[t * D + 3] = 0.2 * rng.normal();
      }
      const b = new Float32Array(a);
      if (options.extraB) for (let t = 0; t < 10; t++) b[t * D + 0] = 1 + (0.6 * (b[t * D + 0]! - 1)) / 0.3 / 1.5;
      const hasSubject =
        options.subject === 'b' ? side === 1 : options.subject === 'exchangeable' ? rng.next() < 0.5 : false;
      if (hasSubject)
        for (let t = 4; t < 10; t += 2) {
          const v = 1 + rng.next();
          a[t * D + 2] = v;
          b[t * D + 2] = v;
        }
      chunks[0].push(a);
      chunks[1].push(b);
      layout.side.push(side);
      layout.prompt.push(p);
      layout.from.push(4);
    }
  return {
    activations: chunks.map((c) => ({ dim: D, chunks: c })) as unknown as [ActivationChunks, ActivationChunks],
    layout,
  };
}

const prepare = (activations: [ActivationChunks, ActivationChunks]) =>
  prepareActivations(activations, { maxTokens: Number.MAX_SAFE_INTEGER });

test('training lean: exactly 0 where both streams are the same; positive for the latent whose direction B holds more', () => {
  const dict = dictionary();
  const same = prepare(replies(8, { seed: 1, subject: 'none' }).activations);
  assert.deepEqual([...trainingLean(dict, same)], [0, 0, 0]);
  const data = prepare(replies(8, { seed: 1, subject: 'none', extraB: true }).activations);
  const lean = trainingLean(dict, data);
  assert.ok(lean[0]! > 0.01, `lean ${[...lean]}`);
  const scan = scanLatents(dict, data);
  const picked = pickCandidates(dict, scan, lean);
  assert.deepEqual(picked[0], { latent: 0, own: 1 });
  // Without a lean that is positive, a shared latent is not a candidate.
  assert.deepEqual(pickCandidates(dict, scanLatents(dict, same), trainingLean(dict, same)), []);
});

test('reply use: the latent that fires on B’s own replies is chosen on training prompts and confirmed on held-out ones', () => {
  const dict = dictionary();
  const train = replies(12, { seed: 2, subject: 'b' });
  const data = prepare(train.activations);
  const scan = scanLatents(dict, data);
  const picked = pickReplyCandidates(dict, scan, data, train.layout, new Set());
  assert.deepEqual(picked, [{ latent: 2, own: 1, statistic: 'replies' }]);
  const held = replies(16, { seed: 3, subject: 'b' });
  const heldOut = {
    activations: held.activations,
    chunkPrompt: held.layout.prompt,
    prompts: Array.from({ length: 16 }, (_, i) => ({ id: `h${i}`, cluster: i })),
    replies: { side: held.layout.side, from: held.layout.from },
  };
  const [t] = confirmOnHeldOut(dict, data, heldOut, picked);
  assert.ok(t);
  assert.equal(t.n, 16);
  assert.ok(
    t.values.a.every((x) => x === 0),
    'latent 2 never fires on A’s replies here',
  );
  assert.ok(t.effect > 0 && t.p < 0.01 && t.confirmed, `effect ${t.effect}, p ${t.p}`);
  // Already a candidate (an exclusive, say): not chosen twice.
  assert.deepEqual(pickReplyCandidates(dict, scan, data, train.layout, new Set([2])), []);
});

test('reply use on identical replies chooses nothing; on exchangeable replies it confirms at about the test level', () => {
  const dict = dictionary();
  const same = replies(12, { seed: 4, subject: 'none' });
  const sameData = prepare(same.activations);
  assert.deepEqual(pickReplyCandidates(dict, scanLatents(dict, sameData), sameData, same.layout, new Set()), []);
  const train = prepare(replies(12, { seed: 5, subject: 'b' }).activations);
  let confirmed = 0;
  for (let seed = 10; seed < 50; seed++) {
    const held = replies(16, { seed, subject: 'exchangeable' });
    const [t] = confirmOnHeldOut(
      dict,
      train,
      {
        activations: held.activations,
        chunkPrompt: held.layout.prompt,
        prompts: Array.from({ length: 16 }, (_, i) => ({ id: `h${i}`, cluster: i })),
        replies: { side: held.layout.side, from: held.layout.from },
      },
      [{ latent: 2, own: 1, statistic: 'replies' }],
    );
    if (t?.confirmed) confirmed++;
  }
  console.log(`reply use: ${confirmed} of 40 exchangeable nulls confirmed`);
  // At α = 0.05 about 2 of 40 by chance; 7 or more has probability < 1% under a correct test.
  assert.ok(confirmed < 7, `${confirmed} of 40 exchangeable nulls confirmed`);
});
