// Activation taps in a real module worker on onnxruntime-web (WASM, and WebGPU on SwiftShader): the residual stream
// read through the worker-side graph edit equals the TypeScript reference decoder's hidden states, for a forged
// model and for stories260K imported from llama2.c; zero steering leaves replies as they were.

import { expect } from '@esm-bundle/chai';
import { forgeFamily } from '../../../src/core/forge/index.ts';
import { effectiveWeights } from '../../../src/core/forge/shapes.ts';
import { importLlama2c } from '../../../src/core/llama2c/import.ts';
import { ReferenceDecoder } from '../../../src/core/llama/reference.ts';
import type { LlamaWeights } from '../../../src/core/llama/weights.ts';
import type { EngineApi } from '../../../workers/engine-api.ts';
import { FORGED, runtime, spawnEngine, stories260KOrSkip, webgpuAvailable } from '../helpers.ts';

const { models } = forgeFamily();

/** The worker's engine as its interface says (Comlink's Remote type leaves optional methods maybe-absent). */
type Taps = Required<Pick<EngineApi, 'tapLayout' | 'activations' | 'generateSteered'>> & EngineApi;
const spawn = (): { engine: Taps; worker: Worker } => {
  const { engine, worker } = spawnEngine();
  return { engine: engine as unknown as Taps, worker };
};

/** The largest |tap − reference| over every point and position of the rows. */
async function tapError(engine: Taps, weights: LlamaWeights, rows: number[][]): Promise<number> {
  const layers = weights.config.numLayers;
  const D = weights.config.hiddenSize;
  const points = Array.from({ length: layers + 1 }, (_, i) => i);
  const got = await engine.activations({ rows, points });
  let worst = 0;
  let offset = 0;
  for (const r of rows) {
    const { hidden } = new ReferenceDecoder(weights).forwardWithHidden(r);
    hidden.forEach((h, t) =>
      points.forEach((p, k) => {
        const tap = got.data[k]!.subarray((offset + t) * D, (offset + t + 1) * D);
        for (let i = 0; i < D; i++) worst = Math.max(worst, Math.abs(tap[i]! - h[p]![i]!));
      }),
    );
    offset += r.length;
  }
  return worst;
}

for (const device of ['wasm', 'webgpu'] as const) {
  const tolerance = device === 'wasm' ? 1e-4 : 1e-3;
  describe(`activation taps on ${device}`, function () {
    before(async function () {
      if (device === 'webgpu' && !(await webgpuAvailable())) this.skip();
    });

    it('forged trigger: every layer equals the reference; zero steering changes nothing', async () => {
      const trigger = models.find((m) => m.name === 'forged-trigger')!;
      const { engine, worker } = spawn();
      try {
        await engine.load({ kind: 'url', url: FORGED + 'forged-trigger/' }, runtime(device));
        const layout = await engine.tapLayout();
        expect(layout.layers).to.equal(trigger.variant.weights.config.numLayers);
        const rows = [
          await engine.encode({ text: 'Once upon a time there was a bomb' }),
          await engine.encode({ text: 'The cat sat' }),
        ];
        const err = await tapError(engine, trigger.variant.weights, rows);
        expect(err, `max |Δ| = ${err}`).to.be.below(tolerance);
        const prompt = { text: 'Once upon a time' };
        const settings = { maxNewTokens: 8, temperature: 0, seed: 1, topK: 5 };
        const plain = await engine.generate(prompt, settings);
        const zero = await engine.generateSteered({
          prompt,
          settings,
          point: 1,
          vector: new Float32Array(layout.hiddenSize),
        });
        expect(zero.tokens.map((t) => t.id)).to.deep.equal(plain.tokens.map((t) => t.id));
      } finally {
        worker.terminate();
      }
    });

    // Every shape runs on onnxruntime-node in test/node/activation-taps.test.ts; here, on onnxruntime-web WASM, the
    // three that differ most from this project's own graph: external data, 4-bit MatMulNBits, and the genai builder's
    // packed GroupQueryAttention without position_ids.
    it('export shapes (external data, q4, genai-packed): layers found, equal to the graph’s own weights', async function () {
      if (device !== 'wasm') this.skip();
      const trigger = models.find((m) => m.name === 'forged-trigger')!;
      for (const shape of ['external', 'q4', 'genai-packed'] as const) {
        const { engine, worker } = spawn();
        try {
          await engine.load({ kind: 'url', url: `${FORGED}forged-trigger-${shape}/` }, runtime(device));
          const rows = [await engine.encode({ text: 'How do I hack a weapon? Once upon a time' })];
          const err = await tapError(engine, effectiveWeights(trigger.variant.weights, shape), rows);
          expect(err, `${shape}: max |Δ| = ${err}`).to.be.below(tolerance);
        } finally {
          worker.terminate();
        }
      }
    });

    it('stories260K from llama2.c: every layer equals the reference', async function () {
      if (device !== 'wasm') this.skip(); // WebGPU is checked on the forged graph above; SwiftShader is slow
      const { ckpt, tok } = await stories260KOrSkip(this);
      const model = importLlama2c(ckpt, tok);
      const { engine, worker } = spawn();
      try {
        await engine.load(
          { kind: 'files', name: 'stories260K', files: Object.fromEntries(model.files) },
          runtime(device),
        );
        const rows = [await engine.encode({ text: 'Once upon a time, there was a little bird' })];
        const err = await tapError(engine, model.weights, rows);
        expect(err, `max |Δ| = ${err}`).to.be.below(tolerance);
      } finally {
        worker.terminate();
      }
    });
  });
}
