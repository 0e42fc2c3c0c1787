// The ONNX graph we write, run by onnxruntime-node (the same graph the browser runs), against the reference.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { ReferenceDecoder } from '../../../src/core/llama/reference.ts';
import { zeroWeights, type LlamaWeights } from '../../../src/core/llama/weights.ts';
import { buildLlamaOnnx } from '../../../src/core/onnx/llama-graph.ts';
import { createRng, fillNormal } from '../../../src/core/random.ts';
import { maxAbsDiff } from '../helpers.ts';

function randomModel(numHeads: number, numKvHeads: number): LlamaWeights {
  const config = {
    vocabSize: 40,
    hiddenSize: 24,
    intermediateSize: 36,
    numLayers: 2,
    numHeads,
    numKvHeads,
    headDim: 8,
    rmsNormEps: 1e-5,
    ropeTheta: 10000,
    maxPositionEmbeddings: 64,
    bosTokenId: 1,
    eosTokenIds: [2],
  };
  const w = zeroWeights(config);
  const rng = createRng(7 + numHeads * 10 + numKvHeads);
  fillNormal(rng, w.embed, 1);
  fillNormal(rng, w.lmHead, 0.3);
  fillNormal(rng, w.finalNorm, 0.2).forEach((v, i) => (w.finalNorm[i] = 1 + v));
  for (const L of w.layers) {
    fillNormal(rng, L.attnNorm, 0.2).forEach((v, i) => (L.attnNorm[i] = 1 + v));
    fillNormal(rng, L.ffnNorm, 0.2).forEach((v, i) => (L.ffnNorm[i] = 1 + v));
    for (const k of ['wq', 'wk', 'wv', 'wo', 'wGate', 'wUp', 'wDown'] as const) fillNormal(rng, L[k], 0.4);
  }
  return w;
}

type Feeds = Record<string, ort.Tensor>;
const ints = (xs: number[], dims: number[]) =>
  new ort.Tensor(
    'int64',
    BigInt64Array.from(xs, (x) => BigInt(x)),
    dims,
  );

/** Runs ids through the session in chunks, carrying the KV cache, and returns all logits. */
async function runChunks(session: ort.InferenceSession, w: LlamaWeights, ids: number[], chunks: number[]) {
  const { numLayers, numKvHeads, headDim, vocabSize } = w.config;
  let past: Feeds = {};
  for (let l = 0; l < numLayers; l++) {
    for (const kv of ['key', 'value']) {
      past[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, numKvHeads, 0, headDim]);
    }
  }
  const out = new Float32Array(ids.length * vocabSize);
  let done = 0;
  for (const n of chunks) {
    const chunk = ids.slice(done, done + n);
    const result = await session.run({
      num_logits_to_keep: ints([0], []),
      input_ids: ints(chunk, [1, n]),
      attention_mask: ints(Array(done + n).fill(1), [1, done + n]),
      position_ids: ints(
        chunk.map((_, i) => done + i),
        [1, n],
      ),
      ...past,
    });
    out.set(result['logits']!.data as Float32Array, done * vocabSize);
    past = {};
    for (const [name, t] of Object.entries(result)) {
      if (name.startsWith('present.')) past[name.replace('present', 'past_key_values')] = t;
    }
    done += n;
  }
  return out;
}

for (const [heads, kvHeads] of [
  [3, 3],
  [4, 2],
  [6, 1],
] as const) {
  test(`graph with ${heads} heads / ${kvHeads} kv heads matches the reference, in one pass and through the cache`, async () => {
    const w = randomModel(heads, kvHeads);
    const session = await ort.InferenceSession.create(buildLlamaOnnx(w));
    assert.deepEqual(session.outputNames[0], 'logits');
    const ids = [1, 5, 9, 3, 17, 22, 39, 0, 8, 8, 8, 11];
    const ref = new ReferenceDecoder(w).forward(ids);
    const refFlat = new Float32Array(ids.length * 40);
    ref.forEach((r, i) => refFlat.set(r, i * 40));
    for (const chunks of [[12], ids.map(() => 1), [3, 4, 5]]) {
      const got = await runChunks(session, w, ids, chunks);
      const diff = maxAbsDiff(got, refFlat);
      assert.ok(diff < 1e-4, `chunks ${chunks.join('+')}: max |Δlogit| = ${diff}`);
    }
  });
}

test('left padding: a padded row gives the same logits as the unpadded one', async () => {
  const w = randomModel(4, 2);
  const session = await ort.InferenceSession.create(buildLlamaOnnx(w));
  const ids = [1, 5, 9, 3];
  const past: Feeds = {};
  for (let l = 0; l < 2; l++)
    for (const kv of ['key', 'value'])
      past[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 8]);
  const padded = await session.run({
    num_logits_to_keep: ints([0], []),
    input_ids: ints([0, 0, ...ids], [1, 6]),
    attention_mask: ints([0, 0, 1, 1, 1, 1], [1, 6]),
    position_ids: ints([1, 1, 0, 1, 2, 3], [1, 6]),
    ...past,
  });
  const ref = new ReferenceDecoder(w).forward(ids);
  const last = (padded['logits']!.data as Float32Array).slice(5 * 40, 6 * 40);
  assert.ok(maxAbsDiff(last, ref[3]!) < 1e-4);
});

test('tied embeddings: one [hidden, vocab] matrix serves the embedding and the head, and matches the reference', async () => {
  const w = randomModel(4, 2);
  const tied = { ...w, lmHead: w.embed };
  const bytes = buildLlamaOnnx(tied, '', { tieEmbeddings: true });
  assert.ok(bytes.byteLength < buildLlamaOnnx(tied).byteLength - 40 * 24 * 4 * 0.9, 'the matrix is stored once');
  const session = await ort.InferenceSession.create(bytes);
  const ids = [1, 5, 9, 3, 17, 22, 39, 0];
  const ref = new ReferenceDecoder(tied).forward(ids);
  const refFlat = new Float32Array(ids.length * 40);
  ref.forEach((r, i) => refFlat.set(r, i * 40));
  for (const chunks of [[8], [3, 1, 4]]) {
    const diff = maxAbsDiff(await runChunks(session, tied, ids, chunks), refFlat);
    assert.ok(diff < 1e-4, `chunks ${chunks.join('+')}: max |Δlogit| = ${diff}`);
  }
  assert.throws(() => buildLlamaOnnx(w, '', { tieEmbeddings: true }), /output head differs from the embedding/);
});

test('num_logits_to_keep: 1 gives the last position only, equal to its row of the full logits; 0 gives all', async () => {
  const w = randomModel(4, 2);
  const session = await ort.InferenceSession.create(buildLlamaOnnx(w));
  const ids = [1, 5, 9, 3, 17];
  const past: Feeds = {};
  for (let l = 0; l < 2; l++)
    for (const kv of ['key', 'value'])
      past[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 8]);
  const run = async (keep: number) =>
    (
      await session.run({
        ...past,
        num_logits_to_keep: ints([keep], []),
        input_ids: ints(ids, [1, 5]),
        attention_mask: ints([1, 1, 1, 1, 1], [1, 5]),
        position_ids: ints([0, 1, 2, 3, 4], [1, 5]),
      })
    )['logits']!;
  const all = await run(0);
  const last = await run(1);
  assert.deepEqual(all.dims, [1, 5, 40]);
  assert.deepEqual(last.dims, [1, 1, 40]);
  assert.ok(maxAbsDiff(last.data as Float32Array, (all.data as Float32Array).slice(4 * 40)) < 1e-6);
  assert.deepEqual((await run(2)).dims, [1, 2, 40]);
});
