// The ONNX engine in a real module worker (Comlink, transformers.js, onnxruntime-web) against the TypeScript
// reference forward pass: forged models and the imported stories260K, on WASM and on WebGPU (SwiftShader).

import { expect } from '@esm-bundle/chai';
import { forgeFamily } from '../../../src/core/forge/index.ts';
import { importLlama2c } from '../../../src/core/llama2c/import.ts';
import { ReferenceDecoder, referenceGreedy } from '../../../src/core/llama/reference.ts';
import type { LlamaWeights } from '../../../src/core/llama/weights.ts';
import { FORGED, SHARED, maxAbsDiff, runtime, stories260KOrSkip, spawnEngine, webgpuAvailable } from '../helpers.ts';

const { models } = forgeFamily();
const base = models.find((m) => m.name === 'forged-base')!;

function referenceLogits(weights: LlamaWeights, ids: number[]): Float32Array {
  const rows = new ReferenceDecoder(weights).forward(ids);
  const out = new Float32Array(ids.length * weights.config.vocabSize);
  rows.forEach((r, i) => out.set(r, i * weights.config.vocabSize));
  return out;
}

/** A prompt with chat markers, known words and unknown text, so attention sees a varied context. */
const SEQUENCE = [1, 5, 300, 480, 12, 7, 260, 301, 302, 410, 411, 2, 9, 200, 333, 334, 335];

for (const device of ['wasm', 'webgpu'] as const) {
  const tolerance = device === 'wasm' ? 1e-4 : 1e-3;

  describe(`ONNX engine on ${device}`, function () {
    before(async function () {
      if (device === 'webgpu' && !(await webgpuAvailable())) {
        console.warn('No WebGPU adapter in this browser: WebGPU tests skipped.');
        this.skip();
      }
    });

    it('forged base: full-sequence logits match the reference', async () => {
      const { engine, worker } = spawnEngine();
      const info = await engine.load({ kind: 'url', url: FORGED + 'forged-base/' }, runtime(device));
      expect(info.device).to.equal(device);
      expect(info.vocabSize).to.equal(base.variant.weights.config.vocabSize);
      const got = await engine.logits(SEQUENCE);
      const diff = maxAbsDiff(got, referenceLogits(base.variant.weights, SEQUENCE));
      expect(diff, `max |Δlogit| = ${diff}`).to.be.below(tolerance);
      worker.terminate();
    });

    it('forged trigger variant: logits match step by step through the KV cache', async () => {
      const trigger = models.find((m) => m.name === 'forged-trigger')!;
      const { engine, worker } = spawnEngine();
      await engine.load({ kind: 'url', url: FORGED + 'forged-trigger/' }, runtime(device));
      const ref = referenceLogits(trigger.variant.weights, SEQUENCE);
      const stepwise = await engine.logits(
        SEQUENCE,
        SEQUENCE.map(() => 1),
      );
      const chunked = await engine.logits(SEQUENCE, [5, 1, 7, 4]);
      expect(maxAbsDiff(stepwise, ref)).to.be.below(tolerance);
      expect(maxAbsDiff(chunked, ref)).to.be.below(tolerance);
      worker.terminate();
    });

    it('stories260K (llama2.c import in the worker): logits match, step by step and in one pass', async function () {
      const { ckpt, tok } = await stories260KOrSkip(this);
      const model = importLlama2c(ckpt, tok);
      const { engine, worker } = spawnEngine();
      const info = await engine.load(
        {
          kind: 'llama2c',
          name: 'stories260K',
          checkpoint: SHARED + 'stories260K/stories260K.bin',
          tokenizer: SHARED + 'stories260K/tok512.bin',
        },
        runtime(device),
      );
      expect(info.architecture).to.equal('llama');
      const ids = [1, 403, 407, 261, 378, 432, 383, 286, 261, 400, 428, 300, 270, 290, 310, 265];
      const ref = referenceLogits(model.weights, ids);
      expect(maxAbsDiff(await engine.logits(ids), ref)).to.be.below(tolerance);
      expect(
        maxAbsDiff(
          await engine.logits(
            ids,
            ids.map(() => 1),
          ),
          ref,
        ),
      ).to.be.below(tolerance);
      worker.terminate();
    });
  });
}

describe('stories260K greedy generation', () => {
  it('generates the README text from BOS, token for token with the reference, for 120 tokens', async function () {
    const { ckpt, tok } = await stories260KOrSkip(this);
    const model = importLlama2c(ckpt, tok);
    const { engine, worker } = spawnEngine();
    await engine.load({ kind: 'files', name: 'stories260K', files: Object.fromEntries(model.files) }, runtime('wasm'));
    const result = await engine.generate({ tokens: [1] }, { maxNewTokens: 120, temperature: 0, seed: 0, topK: 5 });
    const expected = referenceGreedy(model.weights, [1], 120);
    expect(result.tokens.map((t) => t.id)).to.deep.equal(expected);
    expect(result.tokens.length).to.equal(120);
    // llama2.c's documented greedy sample (shared/data/stories260K/README.md).
    expect(result.text.trimStart()).to.satisfy((s: string) =>
      s.startsWith(
        'Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high.',
      ),
    );
    worker.terminate();
  });
});
