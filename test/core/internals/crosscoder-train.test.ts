// Training end to end on synthetic activations with known structure: shared features (each with its own direction
// in A and in B) and features only B has. The crosscoder must recover B's own features as B-only latents with a
// small ν, keep shared ones shared, explain most variance; resume must replay the same run; fp16 export must round
// trip. A pair that differs in nothing must give (almost) no exclusive latents.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareActivations } from '../../../src/core/internals/crosscoder/activations.ts';
import { crosscoderConfig } from '../../../src/core/internals/crosscoder/config.ts';
import {
  exportDictionary,
  importDictionary,
  type CrosscoderDictionary,
} from '../../../src/core/internals/crosscoder/dictionary.ts';
import { initParams, paramList, zeroAdam } from '../../../src/core/internals/crosscoder/params.ts';
import { bandOf, countExclusives, relativeNorms, scanLatents } from '../../../src/core/internals/crosscoder/reading.ts';
import { ReferenceStepper } from '../../../src/core/internals/crosscoder/stepper.ts';
import { freshTrainerState, train, type TrainProgress } from '../../../src/core/internals/crosscoder/trainer.ts';
import { maxAbsDiff } from '../helpers.ts';
import { SYNTHETIC_DIM, syntheticActivations } from './crosscoder-fixtures.ts';

const D = SYNTHETIC_DIM;
function synthetic(bOnly: boolean, seed = 5) {
  const { sets, own } = syntheticActivations(bOnly, seed);
  return { data: prepareActivations(sets), own };
}

const config = crosscoderConfig([D, D], { latents: 48, k: 3, batchSize: 60, exclusiveShare: 0.125, lr: 1e-2, seed: 3 });
const STEPS = 600;

async function trainSynthetic(bOnly: boolean) {
  const { data, own } = synthetic(bOnly);
  const p = initParams(config, data.mean);
  const stepper = new ReferenceStepper(config, p, zeroAdam(p));
  const progress: TrainProgress[] = [];
  const { state } = await train(config, data, stepper, freshTrainerState(config), {
    steps: STEPS,
    onProgress: (x) => progress.push(x),
    progressEvery: 100,
    now: () => performance.now(),
  });
  const { params } = await stepper.state();
  const dict: CrosscoderDictionary = { config, params, threshold: state.threshold, scale: data.scale, steps: STEPS };
  return { dict, data, own, progress };
}

test('BOS dropped, each model at mean norm √d', () => {
  const { data } = synthetic(true);
  assert.equal(data.tokens, 40 * 30);
  for (let m = 0; m < 2; m++) {
    let s = 0;
    for (let t = 0; t < data.tokens; t++) s += Math.hypot(...data.x[m]!.subarray(t * D, (t + 1) * D));
    assert.ok(Math.abs(s / data.tokens - Math.sqrt(D)) < 1e-4);
  }
});

test('features only B has become B-only latents with small ν; shared ones stay shared', async () => {
  const { dict, data, own, progress } = await trainSynthetic(true);
  const last = progress.at(-1)!;
  assert.ok(last.explained[0] > 0.8 && last.explained[1] > 0.8, `explained ${last.explained}`);
  assert.ok(Math.abs(last.l0 - config.k) < 0.5, `L0 ${last.l0}`);
  assert.ok(last.threshold > 0);
  const scan = scanLatents(dict, data);
  const r = relativeNorms(dict);
  const L = config.latents;
  for (const u of own) {
    // The latent whose B decoder direction is closest to the planted one.
    let best = -1;
    let bestCos = -2;
    for (let j = 0; j < L; j++) {
      const dB = dict.params.decoder[1].subarray(j * D, (j + 1) * D);
      const n = Math.hypot(...dB);
      if (n === 0 || scan.frequency[j]! === 0) continue;
      const cos = dB.reduce((s, v, i) => s + v * u[i]!, 0) / n;
      if (cos > bestCos) [best, bestCos] = [j, cos];
    }
    assert.ok(bestCos > 0.9, `planted B feature found (cos ${bestCos})`);
    assert.equal(bandOf(r[best]!), 'b-only', `r = ${r[best]}`);
    assert.ok(
      Math.abs(scan.nu!.eps[best]!) < 0.2 && Math.abs(scan.nu!.r[best]!) < 0.2,
      `ν ${scan.nu!.eps[best]} ${scan.nu!.r[best]}`,
    );
  }
  const counts = countExclusives(dict, scan);
  console.log(
    'planted B-only pair:',
    JSON.stringify(counts),
    'explained',
    last.explained.map((e) => e.toFixed(3)),
  );
  assert.ok(counts.bOnlyGenuine >= 2, JSON.stringify(counts));
  assert.ok(counts.shared >= 10, JSON.stringify(counts));
  assert.ok(counts.aOnlyGenuine <= 1, JSON.stringify(counts));
});

test('identical models: no exclusive latent survives latent scaling', async () => {
  const { dict, data } = await trainSynthetic(false);
  const counts = countExclusives(dict, scanLatents(dict, data));
  console.log('identical pair:', JSON.stringify(counts));
  assert.ok(counts.aOnlyGenuine + counts.bOnlyGenuine <= 1, JSON.stringify(counts));
});

test('a resumed run equals an uninterrupted one; fp16 export round-trips', async () => {
  const { data } = synthetic(true);
  const c = { ...config, latents: 24 };
  const run = async (stopAt: number | null) => {
    const p = initParams(c, data.mean);
    let stepper = new ReferenceStepper(c, p, zeroAdam(p));
    let saved: {
      state: ReturnType<typeof freshTrainerState>;
      model: Awaited<ReturnType<ReferenceStepper['state']>>;
    } | null = null;
    let state = freshTrainerState(c);
    const first = await train(c, data, stepper, state, {
      steps: 50,
      now: () => performance.now(),
      shouldStop: () => stopAt !== null && (saved === null ? false : true),
      checkpointEvery: stopAt ?? undefined,
      onCheckpoint: async (s) => void (saved = { state: s, model: await stepper.state() }),
    });
    if (first.status === 'done') return { state: first.state, model: await stepper.state() };
    assert.equal(first.state.step, stopAt);
    stepper = new ReferenceStepper(c, saved!.model.params, saved!.model.adam);
    state = saved!.state;
    const second = await train(c, data, stepper, state, { steps: 50, now: () => performance.now() });
    return { state: second.state, model: await stepper.state() };
  };
  const whole = await run(null);
  const resumed = await run(20);
  paramList(whole.model.params).forEach((a, k) => assert.equal(maxAbsDiff(a, paramList(resumed.model.params)[k]!), 0));
  assert.equal(whole.state.threshold, resumed.state.threshold);
  const dict: CrosscoderDictionary = {
    config: c,
    params: whole.model.params,
    threshold: whole.state.threshold,
    scale: data.scale,
    steps: 50,
  };
  const bytes = exportDictionary(dict);
  const back = importDictionary(bytes);
  assert.deepEqual(back.config, c);
  assert.equal(back.threshold, dict.threshold);
  paramList(back.params).forEach((a, k) => {
    const orig = paramList(dict.params)[k]!;
    assert.ok(maxAbsDiff(a, orig) <= 1e-3 * Math.max(1, ...orig.map(Math.abs)));
  });
  assert.ok(bytes.length < 2 * paramList(dict.params).reduce((s, a) => s + a.length, 0) + 2000);
  const small = importDictionary(exportDictionary(dict, { encoder: false }));
  assert.equal(small.hasEncoder, false);
  assert.ok(maxAbsDiff(relativeNorms(small), relativeNorms(dict)) < 1e-3);
});

test('bad inputs: no aligned positions is refused with why; sinks and subsampling are said', () => {
  const one = (n: number, d = 4, fill = 1) => new Float32Array(n * d).fill(fill);
  assert.throws(
    () =>
      prepareActivations([
        { dim: 4, chunks: [one(1)] },
        { dim: 4, chunks: [one(1)] },
      ]),
    /no aligned positions/,
  );
  assert.throws(
    () =>
      prepareActivations([
        { dim: 4, chunks: [one(3)] },
        { dim: 4, chunks: [one(2)] },
      ]),
    /chunk 0 holds 3 positions for A and 2 for B/,
  );
  const big = one(40);
  big.fill(100, 20, 24); // position 5: a massive activation, as attention sinks have
  const d = prepareActivations(
    [
      { dim: 4, chunks: [big] },
      { dim: 4, chunks: [one(40)] },
    ],
    { maxTokens: 10 },
  );
  assert.equal(d.tokens, 10);
  assert.match(d.notes.join(' '), /1 attention-sink positions/);
  assert.match(d.notes.join(' '), /38 positions: a seeded subsample of 10 was used/);
});
