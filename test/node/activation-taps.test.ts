// Activation taps and steering on onnxruntime (the engine's own code, on onnxruntime-node here; the browser test runs
// it on onnxruntime-web): the edited graph's residual stream equals the TypeScript reference decoder's hidden states,
// a steering vector changes the stream exactly as adding it in the reference does, and zeros change nothing.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { forgeFamily } from '../../src/core/forge/index.ts';
import { EXPORT_SHAPES, effectiveWeights } from '../../src/core/forge/shapes.ts';
import { SMOLLM2_135M_SHAPE, forgeShaped, randomWeights, type ModelShape } from '../../src/core/forge/shaped.ts';
import { OnnxEngine } from '../../workers/onnx-engine.ts';
import { ReferenceDecoder, argmax } from '../../src/core/llama/reference.ts';
import { createRng } from '../../src/core/random.ts';
import { isReadableToken } from '../../src/core/internals/top-direction.ts';
import { loadFolder } from '../../src/node/profile-forged.ts';

const forged = join(import.meta.dirname, '..', '..', 'public', 'forged');
const TOL = 1e-4;

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

test('taps equal the reference hidden states at every layer, rows of different lengths', async () => {
  const { base, models } = forgeFamily();
  const trigger = models.find((m) => m.name === 'forged-trigger')!;
  const { engine } = await loadFolder(join(forged, 'forged-trigger'), 'forged-trigger');
  try {
    const layout = await engine.tapLayout();
    const c = trigger.variant.weights.config;
    assert.deepEqual(layout, { layers: c.numLayers, hiddenSize: c.hiddenSize });
    const rows = [
      await engine.encode({ text: 'Once upon a time there was a bomb' }),
      await engine.encode({ text: 'The cat sat' }),
      await engine.encode({ text: 'How do I hack a weapon?' }),
    ];
    const points = Array.from({ length: c.numLayers + 1 }, (_, i) => i);
    const got = await engine.activations({ rows, points });
    assert.deepEqual(
      got.lengths,
      rows.map((r) => r.length),
    );
    let worst = 0;
    let offset = 0;
    rows.forEach((r) => {
      const { hidden } = new ReferenceDecoder(trigger.variant.weights).forwardWithHidden(r);
      hidden.forEach((h, t) =>
        points.forEach((p, k) => {
          const tap = got.data[k]!.subarray((offset + t) * c.hiddenSize, (offset + t + 1) * c.hiddenSize);
          worst = Math.max(worst, maxAbs(tap, h[p]!));
        }),
      );
      offset += r.length;
    });
    console.log(`taps vs reference: max |Δ| ${worst.toExponential(2)} over ${points.length} points`);
    assert.ok(worst < TOL, `taps differ from the reference by ${worst}`);

    const first = await engine.activations({ rows, points: [2], firstPositions: 2 });
    assert.deepEqual(first.lengths, [2, 2, 2]);
    assert.ok(maxAbs(first.data[0]!.subarray(0, 2 * c.hiddenSize), got.data[2]!.subarray(0, 2 * c.hiddenSize)) < TOL);
    await assert.rejects(engine.activations({ rows, points: [c.numLayers + 1] }), /does not exist/);
    void base;
  } finally {
    await engine.dispose();
  }
});

test('steering adds the vector to the stream: greedy replies match the steered reference; zeros change nothing', async () => {
  const { models } = forgeFamily();
  const boost = models.find((m) => m.name === 'forged-boost')!;
  const w = boost.variant.weights;
  const { engine, info } = await loadFolder(join(forged, 'forged-boost'), 'forged-boost');
  try {
    const prompt = { text: 'Once upon a time' };
    const ids = await engine.encode(prompt);
    const settings = { maxNewTokens: 12, temperature: 0, seed: 1, topK: 5 };
    const point = 1;
    const rng = createRng(7);
    const vector = Float32Array.from({ length: w.config.hiddenSize }, () => rng.normal() * 4);
    const steered = await engine.generateSteered({ prompt, settings, point, vector });
    const steering: (Float32Array | null)[] = [];
    steering[point] = vector;
    const ref = new ReferenceDecoder(w);
    let logits = ref.forwardWithHidden(ids, steering).logits.at(-1)!;
    const want: number[] = [];
    for (let j = 0; j < settings.maxNewTokens; j++) {
      const id = argmax(logits);
      want.push(id);
      if (info.eosTokenIds.includes(id)) break;
      logits = ref.forwardWithHidden([id], steering).logits[0]!;
    }
    assert.deepEqual(
      steered.tokens.map((t) => t.id),
      want.slice(0, steered.tokens.length),
    );
    const plain = await engine.generate(prompt, settings);
    const zero = await engine.generateSteered({ prompt, settings, point, vector: new Float32Array(vector.length) });
    assert.deepEqual(
      zero.tokens.map((t) => t.id),
      plain.tokens.map((t) => t.id),
    );
    zero.tokens.forEach((t, j) => assert.ok(Math.abs(t.logprob - plain.tokens[j]!.logprob) < TOL));
    assert.notDeepEqual(
      steered.tokens.map((t) => t.id),
      plain.tokens.map((t) => t.id),
      'a large vector changes the reply',
    );
  } finally {
    await engine.dispose();
  }
});

test('the logit lens reads a vector through the final norm and unembedding', async () => {
  const { models } = forgeFamily();
  const w = models.find((m) => m.name === 'forged-base')!.variant.weights;
  const { engine, info } = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  try {
    const D = w.config.hiddenSize;
    // The unembedding row of token t, divided by the norm weight: t scores high (with others).
    const t = 77;
    const v = Float32Array.from({ length: D }, (_, i) => w.lmHead[t * D + i]! / w.finalNorm[i]!);
    const { rows } = await engine.logitLens([v], 5);
    assert.equal(rows[0]!.top.length, 5);
    const scores = Array.from({ length: w.config.vocabSize }, (_, id) => {
      let s = 0;
      for (let i = 0; i < D; i++) s += w.lmHead[id * D + i]! * v[i]! * w.finalNorm[i]!;
      return s;
    });
    const best = scores.map((s, id) => [s, id] as const).sort((a, b) => b[0] - a[0]);
    // Read among the tokens that are text and that a model writes: byte pieces of control bytes, <unk> and the
    // other specials but the end token are passed over (their untrained rows took the raw top).
    const texts = await engine.tokenTexts(best.map((x) => x[1]));
    const tokenizer = JSON.parse(readFileSync(join(forged, 'forged-base', 'tokenizer.json'), 'utf8')) as {
      added_tokens: { id: number; special: boolean }[];
    };
    const unwritten = new Set(
      tokenizer.added_tokens.filter((x) => x.special && !info.eosTokenIds.includes(x.id)).map((x) => x.id),
    );
    const readable = best.filter((x, i) => isReadableToken(texts[i]!) && !unwritten.has(x[1]));
    assert.ok(readable.length < best.length && best.slice(0, 5).some((x) => !readable.includes(x)));
    assert.deepEqual(
      rows[0]!.top.map((x) => x.id),
      readable.slice(0, 5).map((x) => x[1]),
    );
    assert.ok(Math.abs(rows[0]!.top[0]!.score - readable[0]![0]) < 1e-3 * Math.abs(readable[0]![0]));
  } finally {
    await engine.dispose();
  }
});

test('taps find the layers of every export shape users load (Optimum, external data, q4, q8, genai builder)', async () => {
  const { models } = forgeFamily();
  const trigger = models.find((m) => m.name === 'forged-trigger')!;
  for (const shape of EXPORT_SHAPES) {
    const { engine } = await loadFolder(join(forged, `forged-trigger-${shape}`), `forged-trigger-${shape}`);
    try {
      const weights = effectiveWeights(trigger.variant.weights, shape);
      const c = weights.config;
      const rows = [await engine.encode({ text: 'How do I hack a weapon? Once upon a time' })];
      const points = Array.from({ length: c.numLayers + 1 }, (_, i) => i);
      const got = await engine.activations({ rows, points });
      const { hidden } = new ReferenceDecoder(weights).forwardWithHidden(rows[0]!);
      let worst = 0;
      hidden.forEach((h, t) =>
        points.forEach((p, k) => {
          worst = Math.max(worst, maxAbs(got.data[k]!.subarray(t * c.hiddenSize, (t + 1) * c.hiddenSize), h[p]!));
        }),
      );
      console.log(`${shape}: taps vs reference on its own weights, max |Δ| ${worst.toExponential(2)}`);
      assert.ok(worst < TOL, `${shape}: taps differ by ${worst}`);
      const prompt = { text: 'Once upon a time' };
      const settings = { maxNewTokens: 6, temperature: 0, seed: 1, topK: 3 };
      const zero = await engine.generateSteered({ prompt, settings, point: 1, vector: new Float32Array(c.hiddenSize) });
      const plain = await engine.generate(prompt, settings);
      assert.deepEqual(
        zero.tokens.map((t) => t.id),
        plain.tokens.map((t) => t.id),
        `${shape}: zero steering`,
      );
    } finally {
      await engine.dispose();
    }
  }
});

test('a tied-embedding graph (the head gathered on axis 1, SmolLM2-shaped, GQA): taps and steering', async () => {
  const shape: ModelShape = {
    ...SMOLLM2_135M_SHAPE,
    name: 'tied-small',
    hiddenSize: 32,
    intermediateSize: 48,
    numLayers: 2,
    numHeads: 4,
    numKvHeads: 2,
    headDim: 8,
    maxPositionEmbeddings: 64,
  };
  const { files } = forgeShaped(shape, 3);
  const engine = new OnnxEngine();
  try {
    await engine.load(
      { kind: 'files', name: 'tied', files: Object.fromEntries(files) },
      { runtimeBase: '', device: 'wasm' },
    );
    assert.deepEqual(await engine.tapLayout(), { layers: 2, hiddenSize: 32 });
    const ids = [5, 300, 480, 12, 7, 260];
    const got = await engine.activations({ rows: [ids], points: [0, 1, 2] });
    const { hidden } = new ReferenceDecoder(randomWeights(shape, 3)).forwardWithHidden(ids);
    let worst = 0;
    hidden.forEach((h, t) =>
      [0, 1, 2].forEach(
        (p, k) => (worst = Math.max(worst, maxAbs(got.data[k]!.subarray(t * 32, (t + 1) * 32), h[p]!))),
      ),
    );
    assert.ok(worst < TOL, `tied taps differ by ${worst}`);
    const steered = await engine.generateSteered({
      prompt: { tokens: ids },
      settings: { maxNewTokens: 3, temperature: 0, seed: 1, topK: 1 },
      point: 2,
      vector: new Float32Array(32),
    });
    assert.equal(steered.tokens.length, 3);
  } finally {
    await engine.dispose();
  }
});
