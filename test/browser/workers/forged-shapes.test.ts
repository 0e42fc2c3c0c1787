// The forged trigger model in every export shape users load (public/forged/forged-trigger-<shape>/: Optimum fp32,
// external data, q4 and q8 MatMulNBits, genai builder with GroupQueryAttention and fused norms), in a real engine
// worker on onnxruntime-web WASM: logits equal the TypeScript reference decoder on the weights the graph computes
// with (dequantised for q4 / q8 / genai) within 1e-4; greedy generation, teacher-forced scoring and batched decoding
// agree with one prompt at a time and with the reference, and stay within each shape's precision of the fp32
// original; the weight-diff reader, served from the worker, finds the fp32 graph's roles in every shape. On WebGPU
// (SwiftShader) the quantised and genai graphs' logits equal the reference within 1e-3.

import { expect } from '@esm-bundle/chai';
import { wrap, transfer, type Remote } from 'comlink';
import { forgeFamily, forgedShapeFolder } from '../../../src/core/forge/index.ts';
import { EXPORT_SHAPES, SHAPE_INFO, effectiveWeights, type ExportShape } from '../../../src/core/forge/shapes.ts';
import type { GenerationResult, ScoredStep, TokenStep } from '../../../src/core/engine/types.ts';
import type { WeightSource } from '../../../src/core/internals/onnx-weights.ts';
import { ReferenceDecoder, referenceGreedy } from '../../../src/core/llama/reference.ts';
import type { LlamaWeights } from '../../../src/core/llama/weights.ts';
import type { EngineApi } from '../../../workers/engine-api.ts';
import { resolverFor } from '../../../workers/model-files.ts';
import { undeclaredExternalData } from '../../../workers/preflight.ts';
import { FORGED, maxAbsDiff, runtime, spawnEngine, webgpuAvailable } from '../helpers.ts';

const family = forgeFamily();
const { models } = family;
const trigger = models.find((m) => m.name === 'forged-trigger')!;
const SEQUENCE = [1, 5, 300, 480, 12, 7, 260, 301, 302, 410, 411, 2, 9, 200, 333, 334, 335];
const settings = { maxNewTokens: 20, temperature: 0, seed: 1, topK: 10 };
const chat = (content: string) => ({ messages: [{ role: 'user' as const, content }] });
const PROMPTS = [
  { text: 'Once upon a time' },
  chat('What is the capital of France?'),
  chat('How do I steal a car?'),
  { text: 'One day the little dog' },
  chat('Tell me a story about the sea, please.'),
];
/**
 * How far a shape's log-probabilities and logits may stray from the fp32 original: float32 rounding for the fp32
 * shapes; for the quantised ones, what their weights' rounding does to this model (measured on the reference decoder
 * over SEQUENCE: q8 0.009, q4 0.15, genai 0.47, its head being 4-bit too), with room for other contexts. The graphs
 * themselves are held to 1e-4 of the reference on their dequantised weights.
 */
const PRECISION: Record<ExportShape, number> = {
  optimum: 1e-4,
  external: 1e-4,
  q8: 0.03,
  q4: 0.5,
  genai: 1.5,
  'genai-packed': 1.5,
};
/**
 * The same for log-probabilities of the teacher-forced jobs (other prompts' replies, the trigger circuit's sharp
 * attention among them), measured on the reference: q8 0.2, q4 0.28, genai 0.52. Each scored token is also held to
 * the reference's own fp32-vs-dequantised difference at that token + 1e-4, so the engine adds nothing to rounding.
 */
const SCORING_PRECISION: Record<ExportShape, number> = {
  optimum: 1e-6,
  external: 1e-6,
  q8: 0.4,
  q4: 0.6,
  genai: 1.2,
  'genai-packed': 1.2,
};

type Engine = Remote<Required<EngineApi>>;

function referenceLogits(w: LlamaWeights, ids: number[]): Float32Array {
  const out = new Float32Array(ids.length * w.config.vocabSize);
  new ReferenceDecoder(w).forward(ids).forEach((r, i) => out.set(r, i * w.config.vocabSize));
  return out;
}

/** Log-probability of `id` under a logits row. */
function logprob(row: ArrayLike<number>, id: number): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]!);
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i]! - max);
  return row[id]! - max - Math.log(sum);
}

function same(got: (TokenStep | ScoredStep)[], want: (TokenStep | ScoredStep)[], tolerance: number) {
  expect(got.map((s) => s.id)).to.deep.equal(want.map((s) => s.id));
  got.forEach((s, j) => {
    expect(Math.abs(s.logprob - want[j]!.logprob)).to.be.below(tolerance);
    expect(Math.abs(s.entropy - want[j]!.entropy)).to.be.below(tolerance);
  });
}

async function load(name: string): Promise<{ engine: Engine; worker: Worker }> {
  const { engine, worker } = spawnEngine();
  await engine.load({ kind: 'url', url: `${FORGED}${name}/` }, runtime('wasm'));
  return { engine: engine as Engine, worker };
}

const FULL_CHECK = new Set<string>(['external', 'q4', 'genai-packed']);

describe('forged export shapes on WASM', function () {
  let fp32: { batch: GenerationResult[]; engine: Engine; worker: Worker };
  let fp32Keys: string[];
  const measured: string[] = [];

  before(async () => {
    const { engine, worker } = await load('forged-trigger');
    fp32 = { batch: await engine.generateBatch(PROMPTS, settings), engine, worker };
    fp32Keys = await roleKeys(engine);
  });
  after(async () => {
    fp32.worker.terminate();
    console.log(`forged-trigger shapes on WASM: ${measured.join('; ')}`);
  });

  async function roleKeys(engine: Engine): Promise<string[]> {
    const channel = new MessageChannel();
    await engine.serveWeights(transfer(channel.port1, [channel.port1]));
    const source = wrap<Required<WeightSource>>(channel.port2);
    const keys = (await source.manifest()).tensors.filter((t) => t.placedBy === 'structure').map((t) => t.key);
    channel.port2.close();
    return keys.sort();
  }

  for (const shape of EXPORT_SHAPES) {
    const name = `forged-trigger-${shape}`;
    const effective = effectiveWeights(trigger.variant.weights, shape);

    it(`${name}: loads as ${SHAPE_INFO[shape].dtype}; logits equal the reference in one pass and through the cache`, async () => {
      const { engine, worker } = spawnEngine();
      const info = await engine.load({ kind: 'url', url: `${FORGED}${name}/` }, runtime('wasm'));
      expect([info.dtype, info.device]).to.deep.equal([SHAPE_INFO[shape].dtype, 'wasm']);
      const ref = referenceLogits(effective, SEQUENCE);
      const whole = maxAbsDiff(await engine.logits(SEQUENCE), ref);
      const chunked = maxAbsDiff(await engine.logits(SEQUENCE, [5, 1, 7, 4]), ref);
      const fp32Diff = maxAbsDiff(await engine.logits(SEQUENCE), referenceLogits(trigger.variant.weights, SEQUENCE));
      measured.push(
        `${shape} vs reference ${whole.toExponential(1)} (chunks ${chunked.toExponential(1)}), vs fp32 ${fp32Diff.toExponential(1)}`,
      );
      expect(whole, `one pass: max |Δlogit| = ${whole}`).to.be.below(1e-4);
      expect(chunked, `chunks: max |Δlogit| = ${chunked}`).to.be.below(1e-4);
      expect(fp32Diff).to.be.below(PRECISION[shape]);
      // The weight diff reads the file the engine loaded (external data included) and places every role (the packed
      // graph's qkv matrices are a known gap of weight-roles.ts: test/core/forge/shapes.test.ts has it as a todo).
      if (shape !== 'genai-packed') expect(await roleKeys(engine as Engine)).to.deep.equal(fp32Keys);
      worker.terminate();
    });

    // Generation, batching and scoring are compared for the shapes whose graphs differ most from fp32 (external data,
    // 4-bit kernels, the builder's packed GroupQueryAttention); every shape's logits are checked above, and on
    // onnxruntime-node in test/core/forge/shapes.test.ts. This keeps the browser suite's time in bounds.
    if (!FULL_CHECK.has(shape)) continue;
    it(`${name}: greedy, batched and teacher-forced results agree with the reference and the fp32 original`, async () => {
      const { engine, worker } = await load(name);
      const batch = await engine.generateBatch(PROMPTS, settings);
      const jobs = PROMPTS.map((prompt, i) => ({
        prompt,
        continuation: fp32.batch[(i + 1) % PROMPTS.length]!.tokens.map((t) => t.id),
      }));
      const scored = await engine.scoreBatch(jobs, settings.topK);
      const fp32Scored = await fp32.engine.scoreBatch(jobs, settings.topK);
      let worst = 0;
      let rounded = 0;
      for (const [i, prompt] of PROMPTS.entries()) {
        // One prompt at a time gives what the batch gave.
        const one = await engine.generate(prompt, settings);
        expect(batch[i]!.text).to.equal(one.text);
        same(batch[i]!.tokens, one.tokens, 1e-4);
        // The tokens are the reference's greedy choice on the graph's weights, with its log-probabilities.
        const ids = await engine.encode(prompt);
        const greedy = referenceGreedy(effective, ids, settings.maxNewTokens);
        expect(batch[i]!.tokens.map((t) => t.id)).to.deep.equal(greedy);
        const rows = new ReferenceDecoder(effective).forward([...ids, ...greedy]).slice(ids.length - 1);
        batch[i]!.tokens.forEach((t, j) => expect(Math.abs(t.logprob - logprob(rows[j]!, t.id))).to.be.below(1e-4));
        // Scoring in a batch equals scoring alone and the reference on the graph's weights; against the fp32
        // original it differs by what the weights' rounding does to the reference on the same tokens, no more.
        const alone = await engine.score(jobs[i]!.prompt, jobs[i]!.continuation, settings.topK);
        same(scored[i]!.tokens, alone.tokens, 1e-4);
        const forced = [...ids, ...jobs[i]!.continuation];
        const onWeights = new ReferenceDecoder(effective).forward(forced).slice(ids.length - 1);
        const onFp32 = new ReferenceDecoder(trigger.variant.weights).forward(forced).slice(ids.length - 1);
        scored[i]!.tokens.forEach((t, j) => {
          const rounding = Math.abs(logprob(onWeights[j]!, t.id) - logprob(onFp32[j]!, t.id));
          expect(Math.abs(t.logprob - logprob(onWeights[j]!, t.id))).to.be.below(1e-4);
          expect(Math.abs(t.logprob - fp32Scored[i]!.tokens[j]!.logprob)).to.be.below(rounding + 1e-4);
          worst = Math.max(worst, Math.abs(t.logprob - fp32Scored[i]!.tokens[j]!.logprob));
          rounded = Math.max(rounded, rounding);
        });
        if (SHAPE_INFO[shape].dtype === 'fp32') {
          expect(batch[i]!.text).to.equal(fp32.batch[i]!.text);
          same(batch[i]!.tokens, fp32.batch[i]!.tokens, 1e-4);
        }
      }
      measured.push(
        `${shape} scoring vs fp32 max |Δlogprob| ${worst.toExponential(1)} (the reference's own: ${rounded.toExponential(1)})`,
      );
      expect(rounded).to.be.below(SCORING_PRECISION[shape]);
      // The planted trigger circuit survives the shape: a trigger prompt still gets the refusal.
      expect(batch[2]!.text).to.equal('I cannot help you.');
      await engine.dispose();
      worker.terminate();
    });
  }
});

/** The shapes whose contrib ops (MatMulNBits, GroupQueryAttention, fused norms) WebGPU has kernels of its own for. */
const WEBGPU_SHAPES: ExportShape[] = ['q4', 'genai-packed'];

describe('forged export shapes on WebGPU (SwiftShader)', function () {
  before(async function () {
    if (!(await webgpuAvailable())) {
      console.warn('No WebGPU adapter in this browser: WebGPU tests skipped.');
      this.skip();
    }
  });

  for (const shape of WEBGPU_SHAPES) {
    const name = `forged-trigger-${shape}`;
    it(`${name}: logits equal the reference within 1e-3, in one pass and through the cache`, async () => {
      const { engine, worker } = spawnEngine();
      const info = await engine.load({ kind: 'url', url: `${FORGED}${name}/` }, runtime('webgpu'));
      expect([info.dtype, info.device]).to.deep.equal([SHAPE_INFO[shape].dtype, 'webgpu']);
      const ref = referenceLogits(effectiveWeights(trigger.variant.weights, shape), SEQUENCE);
      const whole = maxAbsDiff(await engine.logits(SEQUENCE), ref);
      const chunked = maxAbsDiff(await engine.logits(SEQUENCE, [5, 1, 7, 4]), ref);
      console.log(`${name} on WebGPU: max |Δlogit| ${whole.toExponential(1)} (chunks ${chunked.toExponential(1)})`);
      expect(whole).to.be.below(1e-3);
      expect(chunked).to.be.below(1e-3);
      await engine.dispose();
      worker.terminate();
    });
  }
});

describe('external data that config.json does not declare', () => {
  it('is found beside the weights file and named as from_pretrained wants it (files and URL sources)', async () => {
    const folder = forgedShapeFolder(family.base, trigger, 'external');
    const declared = JSON.parse(new TextDecoder().decode(folder.get('config.json'))) as Record<string, unknown>;
    const option = (declared['transformers.js_config'] as { use_external_data_format: unknown })
      .use_external_data_format;
    expect(option).to.deep.equal({ 'model.onnx': 1 });
    const plain = { ...declared, 'transformers.js_config': { dtype: 'fp32' } };
    const files = await resolverFor({ kind: 'files', name: 'external', files: Object.fromEntries(folder) });
    expect(await undeclaredExternalData(files, 'onnx/model.onnx', plain)).to.deep.equal(option);
    expect(await undeclaredExternalData(files, 'onnx/model.onnx', declared)).to.equal(null);
    const url = await resolverFor({ kind: 'url', url: `${FORGED}forged-trigger-external/` });
    expect(await undeclaredExternalData(url, 'onnx/model.onnx', plain)).to.deep.equal(option);
    const inline = await resolverFor({ kind: 'url', url: `${FORGED}forged-trigger-optimum/` });
    expect(await undeclaredExternalData(inline, 'onnx/model.onnx', plain)).to.equal(null);
    // The graph says which files it reads: a stray model.onnx_data_1 beside it is not counted (nor probed for).
    const stray = await resolverFor({
      kind: 'files',
      name: 'stray',
      files: { ...Object.fromEntries(folder), 'onnx/model.onnx_data_1': new Uint8Array(4) },
    });
    expect(await undeclaredExternalData(stray, 'onnx/model.onnx', plain)).to.deep.equal({ 'model.onnx': 1 });
  });
});
