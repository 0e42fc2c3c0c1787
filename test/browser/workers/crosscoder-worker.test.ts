// The crosscoder worker for real (module Worker, Comlink, onnxruntime-web WASM, IndexedDB): trains on synthetic
// two-model activations with two features only B has, reports progress, stops softly with a checkpoint, resumes from
// it, and returns an fp16 dictionary whose reading finds the B-only feature.

import { expect } from '@esm-bundle/chai';
import { importDictionary } from '../../../src/core/internals/crosscoder/dictionary.ts';
import type { TrainProgress } from '../../../src/core/internals/crosscoder/trainer.ts';
import { startCrosscoder } from '../../../src/services/crosscoder.ts';
import { deleteCheckpoint } from '../../../workers/crosscoder-store.ts';
import { SYNTHETIC_DIM, syntheticActivations } from '../../core/internals/crosscoder-fixtures.ts';

const RUNTIME = new URL('/public/ort/', location.origin).href;
describe('crosscoder worker', () => {
  const id = 'test-crosscoder-worker';
  before(() => deleteCheckpoint(id));
  after(() => deleteCheckpoint(id));

  it('stops softly with a checkpoint, resumes from it, and finds the B-only feature', async () => {
    const request = {
      id,
      activations: syntheticActivations(true).sets,
      config: { latents: 48, k: 3, batchSize: 60, exclusiveShare: 0.125, lr: 1e-2, seed: 3 },
      steps: 600,
      device: 'wasm' as const,
      runtimeBase: RUNTIME,
      checkpointEvery: 50,
      progressEvery: 25,
      // B's "unembedding" is the identity, so a latent's token ids are its decoder direction's largest coordinates.
      unembedding: [
        null,
        {
          weight: Float32Array.from({ length: SYNTHETIC_DIM ** 2 }, (_, i) => (i % (SYNTHETIC_DIM + 1) === 0 ? 1 : 0)),
          finalNorm: new Float32Array(SYNTHETIC_DIM).fill(1),
        },
      ] as const,
    };
    const seen: TrainProgress[] = [];
    const first = startCrosscoder(request, (p) => {
      seen.push(p);
      if (p.step >= 100) first.stop();
    });
    const stopped = await first.result;
    expect(stopped.status).to.equal('stopped');
    expect(stopped.device).to.equal('onnxruntime-web wasm');
    expect(stopped.step).to.be.within(100, 125);
    expect(seen[0]!.tokensPerSecond).to.be.above(0);
    // BatchTopK keeps k per token on average (a little more where identical rows tie at the threshold).
    expect(seen[0]!.l0).to.be.closeTo(3, 0.1);

    const later: TrainProgress[] = [];
    const second = startCrosscoder(request, (p) => later.push(p));
    const done = await second.result;
    expect(done.status).to.equal('done');
    expect(done.resumedFrom).to.equal(stopped.step);
    expect(done.step).to.equal(600);
    expect(later[0]!.step).to.be.above(stopped.step);
    const last = done.last!;
    expect(last.explained[0]).to.be.above(0.8);
    expect(last.explained[1]).to.be.above(0.8);
    expect(done.reading.counts.bOnlyGenuine).to.be.at.least(2);
    const dict = importDictionary(done.dictionary);
    const bOnly = done.reading.tokens.filter((t) => done.reading.relativeNorm[t.latent]! > 5 / 6);
    expect(bOnly.length).to.be.at.least(2);
    expect(done.reading.tokens.every((t) => t.model === 1)).to.equal(true);
    for (const t of bOnly) {
      const row = dict.params.decoder[1].subarray(t.latent * SYNTHETIC_DIM, (t.latent + 1) * SYNTHETIC_DIM);
      expect(t.ids[0]).to.equal(row.indexOf(Math.max(...row)));
    }
    expect(done.reading.changed).to.be.an('array');
    expect(dict.config.latents).to.equal(48);
    expect(dict.threshold).to.be.above(0);
    expect(done.dictionary.length).to.be.below(4 * 48 * SYNTHETIC_DIM * 2 + 4096); // fp16
  });
});
