// The forge's export shapes (Optimum fp32, external data, q4, q8, genai builder) under onnxruntime-node: each graph's
// logits equal the reference decoder on the weights it computes with, through the KV cache in chunks; the
// quantised ones stay within their precision of the fp32 original; MatMulNBits codes mean what onnxruntime says they
// mean; and the weight-diff reader finds every role from the structure, with the same keys as the fp32 graph (the
// packed genai graph: one qkv key per layer).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { forgeFamily, forgedFolder, forgedShapeFolder } from '../../../src/core/forge/index.ts';
import {
  EXPORT_SHAPES,
  Q4,
  SHAPE_INFO,
  effectiveWeights,
  exportGraph,
  type ExportShape,
} from '../../../src/core/forge/shapes.ts';
import { SMOLLM2_135M_SHAPE, forgeShaped, randomWeights, type ModelShape } from '../../../src/core/forge/shaped.ts';
import { dequantizeNBits } from '../../../src/core/internals/dequantize.ts';
import { memorySource } from '../../../src/core/internals/onnx-initializers.ts';
import { OnnxWeights } from '../../../src/core/internals/onnx-weights.ts';
import { diffWeights } from '../../../src/core/internals/weight-diff.ts';
import { ReferenceDecoder } from '../../../src/core/llama/reference.ts';
import type { LlamaWeights } from '../../../src/core/llama/weights.ts';
import { buildGenaiGraph } from '../../../src/core/onnx/genai-graph.ts';
import { DataType, encodeModel } from '../../../src/core/onnx/proto.ts';
import { quantizeNBits } from '../../../src/core/onnx/quantize.ts';
import { createRng, fillNormal } from '../../../src/core/random.ts';
import { jsonFile, maxAbsDiff } from '../helpers.ts';

const family = forgeFamily();
const trigger = family.models.find((m) => m.name === 'forged-trigger')!;
const SEQUENCE = [1, 5, 300, 480, 12, 7, 260, 301, 302, 410, 411, 2, 9, 200, 333, 334, 335];
/** The largest |Δlogit| quantisation may cause on the forged trigger model (measured: q8 0.009, q4 0.15, genai 0.47). */
const QUANTISED_BOUND: Record<ExportShape, number> = {
  optimum: 0,
  external: 0,
  q8: 0.03,
  q4: 0.5,
  genai: 1.5,
  'genai-packed': 1.5,
};

/** Shapes with q, k and v as matrices of their own (genai-packed has one qkv matrix per layer). */
const SPLIT_SHAPES = EXPORT_SHAPES.filter((s) => s !== 'genai-packed');

function referenceLogits(w: LlamaWeights, ids: number[]): Float32Array {
  const V = w.config.vocabSize;
  const out = new Float32Array(ids.length * V);
  new ReferenceDecoder(w).forward(ids).forEach((r, i) => out.set(r, i * V));
  return out;
}

/** Runs a decoder session over `ids` in chunks through its KV cache: logits [ids.length, vocab]. */
async function runChunks(s: ort.InferenceSession, w: LlamaWeights, ids: number[], chunks: number[]) {
  const c = w.config;
  const past: Record<string, ort.Tensor> = {};
  for (let l = 0; l < c.numLayers; l++)
    for (const kv of ['key', 'value'])
      past[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [
        1,
        c.numKvHeads,
        0,
        c.headDim,
      ]);
  const out = new Float32Array(ids.length * c.vocabSize);
  let done = 0;
  for (const n of chunks) {
    const chunk = ids.slice(done, done + n);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(chunk, BigInt), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(done + n).fill(1n), [1, done + n]),
      ...past,
    };
    if (s.inputNames.includes('position_ids'))
      feeds['position_ids'] = new ort.Tensor(
        'int64',
        BigInt64Array.from(chunk, (_, i) => BigInt(done + i)),
        [1, n],
      );
    const r = await s.run(feeds);
    out.set(r['logits']!.data as Float32Array, done * c.vocabSize);
    for (const k of Object.keys(past)) past[k] = r[k.replace('past_key_values', 'present')]!;
    done += n;
  }
  return out;
}

async function session(files: Map<string, Uint8Array>, file: string): Promise<ort.InferenceSession> {
  const data = files.get(`${file}_data`);
  const name = file.slice(file.lastIndexOf('/') + 1);
  return ort.InferenceSession.create(files.get(file)!, {
    ...(data ? { externalData: [{ path: `${name}_data`, data }] } : {}),
  });
}

for (const shape of EXPORT_SHAPES) {
  test(`${shape}: logits equal the reference on the weights it computes with, in one pass and through the cache`, async () => {
    const folder = forgedShapeFolder(family.base, trigger, shape);
    const file = `onnx/model${{ fp32: '', q4: '_q4', q8: '_quantized' }[SHAPE_INFO[shape].dtype as 'fp32']}.onnx`;
    assert.deepEqual(
      [...folder.keys()].filter((p) => p.startsWith('onnx/')),
      shape === 'external' ? [file, `${file}_data`] : [file],
    );
    const config = jsonFile(folder, 'config.json');
    assert.equal((config['transformers.js_config'] as { dtype: string }).dtype, SHAPE_INFO[shape].dtype);
    assert.deepEqual((config['model_diff'] as { shape: string; of: string }).of, 'forged-trigger');
    const w = trigger.variant.weights;
    const effective = effectiveWeights(w, shape);
    const ref = referenceLogits(effective, SEQUENCE);
    const s = await session(folder, file);
    const whole = await runChunks(s, w, SEQUENCE, [SEQUENCE.length]);
    const chunked = await runChunks(s, w, SEQUENCE, [5, 1, 7, 4]);
    assert.ok(maxAbsDiff(whole, ref) < 1e-4, `one pass: max |Δlogit| = ${maxAbsDiff(whole, ref)}`);
    assert.ok(maxAbsDiff(chunked, ref) < 1e-4, `chunks: max |Δlogit| = ${maxAbsDiff(chunked, ref)}`);
    const fp32 = referenceLogits(w, SEQUENCE);
    const quantisation = maxAbsDiff(ref, fp32);
    if (SHAPE_INFO[shape].dtype === 'fp32') assert.equal(quantisation, 0);
    else assert.ok(quantisation > 0 && quantisation < QUANTISED_BOUND[shape], `${shape}: ${quantisation}`);
    await s.release();
  });
}

test('external data: every large tensor lies in model.onnx_data at its offset, small ones stay inline', async () => {
  const folder = forgedShapeFolder(family.base, trigger, 'external');
  const model = folder.get('onnx/model.onnx')!;
  const data = folder.get('onnx/model.onnx_data')!;
  const opened: string[] = [];
  const weights = await OnnxWeights.open(memorySource(model), async (location) => {
    opened.push(location);
    return memorySource(data);
  });
  const inline = await OnnxWeights.open(
    memorySource(forgedShapeFolder(family.base, trigger, 'optimum').get('onnx/model.onnx')!),
    () => {
      throw new Error('the inline graph has no external data');
    },
  );
  const m = await weights.manifest();
  assert.deepEqual(m, await inline.manifest());
  for (const t of m.tensors) assert.deepEqual((await weights.read(t.key)).data, (await inline.read(t.key)).data, t.key);
  assert.ok(opened.length > 0 && opened.every((l) => l === 'model.onnx_data'));
  assert.ok(model.byteLength < 64 * 1024 && data.byteLength > 600 * 1024);
});

test('MatMulNBits codes mean what onnxruntime computes: dequantised B equals ORT·identity, 4 and 8 bits', async () => {
  const rng = createRng(7);
  const K = 88; // not a multiple of 32: the last block is partial
  const N = 24;
  const w = fillNormal(rng, new Float32Array(N * K), 0.3);
  for (const o of [
    Q4,
    { ...Q4, symmetric: false },
    { bits: 8, blockSize: 32, symmetric: false },
    { bits: 8, blockSize: 32, symmetric: true },
  ]) {
    const q = quantizeNBits(w, N, K, o);
    const deq = dequantizeNBits({ ...q, K, N, bits: o.bits, blockSize: o.blockSize }, 'w');
    // Each element within one step of its block's scale (half a step, except where the code range clips: the
    // opposite end of a symmetric block, a rounded zero point).
    for (let n = 0; n < N; n++)
      for (let k = 0; k < K; k++) {
        const step = q.scales[n * q.blocks + Math.floor(k / o.blockSize)]!;
        assert.ok(Math.abs(deq[n * K + k]! - w[n * K + k]!) <= Math.abs(step) + 1e-7, `${o.bits} bits at ${n},${k}`);
      }
    const identity = new Float32Array(K * K);
    for (let k = 0; k < K; k++) identity[k * K + k] = 1;
    const init = (name: string, dataType: number, dims: number[], raw: Uint8Array) =>
      ({ name, dataType, dims, raw }) as never;
    const model = encodeModel({
      graphName: 'nbits',
      nodes: [
        {
          opType: 'MatMulNBits',
          domain: 'com.microsoft',
          name: 'm',
          inputs: ['a', 'b', 's', ...(q.zeroPoints ? ['z'] : [])],
          outputs: ['y'],
          attributes: { K, N, bits: o.bits, block_size: o.blockSize },
        },
      ],
      initializers: [
        init('b', DataType.UINT8, [N, q.blocks, q.blob], q.b),
        init('s', DataType.FLOAT, [N * q.blocks], new Uint8Array(q.scales.buffer)),
        ...(q.zeroPoints ? [init('z', DataType.UINT8, [q.zeroPoints.length], q.zeroPoints)] : []),
      ],
      inputs: [{ name: 'a', elemType: DataType.FLOAT, shape: [K, K] }],
      outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: [K, N] }],
      opset: 17,
      extraOpsets: [{ domain: 'com.microsoft', version: 1 }],
      producer: 'test',
    });
    const s = await ort.InferenceSession.create(model);
    const y = (await s.run({ a: new ort.Tensor('float32', identity, [K, K]) }))['y']!.data as Float32Array;
    // y = I·Bᵀ: y[k, n] = B[n, k].
    for (let n = 0; n < N; n++)
      for (let k = 0; k < K; k++) assert.ok(y[k * N + n] === deq[n * K + k], `${o.bits} bits: B[${n}, ${k}]`);
    await s.release();
  }
});

test('weight roles: every shape places the same role keys from its structure as the fp32 graph, with its weights', async () => {
  const fp32 = await OnnxWeights.open(memorySource(forgedFolder(family.base, trigger).get('onnx/model.onnx')!), () => {
    throw new Error('no external data');
  });
  const want = (await fp32.manifest()).tensors.filter((t) => !t.key.startsWith('other:'));
  const wantKeys = want.map((t) => t.key).sort();
  assert.ok(wantKeys.includes('blocks.1.mlp.down') && wantKeys.includes('unembed'));
  for (const shape of SPLIT_SHAPES) {
    const folder = forgedShapeFolder(family.base, trigger, shape);
    const file = [...folder.keys()].find((p) => p.endsWith('.onnx'))!;
    const data = folder.get(`${file}_data`);
    const weights = await OnnxWeights.open(memorySource(folder.get(file)!), async () => memorySource(data!));
    const m = await weights.manifest();
    const placed = m.tensors.filter((t) => !t.key.startsWith('other:'));
    assert.deepEqual(placed.map((t) => t.key).sort(), wantKeys, shape);
    assert.ok(
      placed.every((t) => t.placedBy === 'structure'),
      `${shape}: ${placed.filter((t) => t.placedBy !== 'structure').map((t) => t.key)}`,
    );
    assert.equal(m.layers, 2);
    // The matrices read back as the weights the graph computes with ([out, in] either way round).
    const eff = effectiveWeights(trigger.variant.weights, shape);
    for (const [key, want] of [
      ['blocks.0.attn.q', eff.layers[0]!.wq],
      ['blocks.1.mlp.down', eff.layers[1]!.wDown],
      ['unembed', eff.lmHead],
    ] as const) {
      const r = await weights.read(key);
      const rows = r.dims[r.outAxis ?? 0]!;
      const cols = r.data.length / rows;
      const asOutIn =
        r.outAxis === 0
          ? r.data
          : Float32Array.from({ length: r.data.length }, (_, i) => r.data[(i % cols) * rows + Math.floor(i / cols)]!);
      assert.equal(maxAbsDiff(asOutIn, want), 0, `${shape} ${key}`);
    }
  }
});

test('genai with the rotation inside GroupQueryAttention (do_rotary, no position_ids) equals the reference', async () => {
  const w = trigger.variant.weights;
  const { model, effective } = buildGenaiGraph(w, { rotary: 'gqa' });
  const s = await ort.InferenceSession.create(encodeModel(model));
  assert.ok(!s.inputNames.includes('position_ids'));
  assert.ok(model.nodes.some((n) => n.opType === 'GroupQueryAttention' && n.attributes?.['do_rotary'] === 1));
  const got = await runChunks(s, w, SEQUENCE, [5, 1, 7, 4]);
  assert.ok(maxAbsDiff(got, referenceLogits(effective, SEQUENCE)) < 1e-4);
  await s.release();
});

test('a small SmolLM2-shaped model (tied embeddings) in every shape runs like the reference', async () => {
  const SMALL: ModelShape = {
    ...SMOLLM2_135M_SHAPE,
    name: 'small-shaped',
    vocabSize: 600,
    hiddenSize: 64,
    intermediateSize: 96,
    numLayers: 2,
    numHeads: 4,
    numKvHeads: 2,
    headDim: 16,
    maxPositionEmbeddings: 64,
  };
  const w = randomWeights(SMALL, 3);
  for (const shape of EXPORT_SHAPES) {
    const { files } = forgeShaped(SMALL, 3, shape);
    const file = [...files.keys()].find((p) => p.endsWith('.onnx'))!;
    const s = await session(files, file);
    const ids = [1, 40, 41, 300, 599, 7];
    const ref = referenceLogits(effectiveWeights(w, shape, { tieEmbeddings: true }), ids);
    const got = await runChunks(s, w, ids, [4, 2]);
    assert.ok(maxAbsDiff(got, ref) < 1e-4, `${shape}: ${maxAbsDiff(got, ref)}`);
    assert.equal(jsonFile(files, 'config.json')['tie_word_embeddings'], true);
    await s.release();
  }
});

test('weight diff within one shape: null identical (exactly 0), trigger localised to layer 0 and the head', async () => {
  const tokenTexts = async (ids: number[]) => ids.map((i) => family.base.vocab.pieces[i]!.piece);
  const open = async (name: string, shape: ExportShape) => {
    const folder = forgedShapeFolder(
      family.base,
      family.models.find((m) => m.name === name)!,
      shape,
    );
    const file = [...folder.keys()].find((p) => p.endsWith('.onnx'))!;
    const data = folder.get(`${file}_data`);
    return OnnxWeights.open(memorySource(folder.get(file)!), async () => memorySource(data!));
  };
  const modules = ['attn.q', 'attn.k', 'attn.v', 'attn.o', 'mlp.gate', 'mlp.up', 'mlp.down'];
  for (const shape of SPLIT_SHAPES) {
    const layer0 = modules.map((m) => `blocks.0.${m}`);
    const base = await open('forged-base', shape);
    const nothing = await diffWeights(base, await open('forged-null', shape), { tokenTexts });
    assert.equal(nothing.weights!.status, 'identical', shape);
    assert.ok(nothing.weights!.tensors.every((t) => t.relative === 0));
    const planted = await diffWeights(base, await open('forged-trigger', shape), { tokenTexts });
    const changed = planted.weights!.tensors.filter((t) => t.relative !== 0).map((t) => t.key);
    assert.deepEqual(changed.sort(), [...layer0, 'unembed'].sort(), shape);
  }
});

test('genai-packed: roles from structure, the packed matrix as attn.qkv', async () => {
  const folder = forgedShapeFolder(family.base, trigger, 'genai-packed');
  const weights = await OnnxWeights.open(memorySource(folder.get('onnx/model_q4.onnx')!), async () => {
    throw new Error('no external data');
  });
  const keys = (await weights.manifest()).tensors.filter((t) => t.placedBy === 'structure').map((t) => t.key);
  assert.ok(keys.includes('blocks.0.attn.qkv') && keys.includes('blocks.1.attn.qkv'), keys.join(', '));
  const eff = effectiveWeights(trigger.variant.weights, 'genai-packed').layers[0]!;
  const r = await weights.read('blocks.0.attn.qkv');
  assert.deepEqual(r.data, new Float32Array([...eff.wq, ...eff.wk, ...eff.wv]));
});

test('left padding: the Optimum graph reads it through its mask; GroupQueryAttention does not (so batches split)', async () => {
  // GroupQueryAttention takes each row's length (seqlens_k) and assumes the row's tokens come first: a left-padded
  // row is misread. The engine's padding check finds this and batches such a model's prompts by length.
  const w = trigger.variant.weights;
  const c = w.config;
  const a = [1, 5, 300, 480, 12, 7, 260];
  const b = [1, 9, 200, 333];
  const pad = a.length - b.length;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from([...a, ...Array(pad).fill(0), ...b], BigInt), [2, a.length]),
    attention_mask: new ort.Tensor(
      'int64',
      BigInt64Array.from([...a.map(() => 1), ...Array(pad).fill(0), ...b.map(() => 1)], BigInt),
      [2, a.length],
    ),
    position_ids: new ort.Tensor(
      'int64',
      BigInt64Array.from([...a.map((_, i) => i), ...Array(pad).fill(1), ...b.map((_, i) => i)], BigInt),
      [2, a.length],
    ),
  };
  for (let l = 0; l < c.numLayers; l++)
    for (const kv of ['key', 'value'])
      feeds[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [
        2,
        c.numKvHeads,
        0,
        c.headDim,
      ]);
  const padded: Record<string, number> = {};
  for (const shape of ['optimum', 'genai'] as const) {
    const { model, effective } = exportGraph(w, shape);
    const s = await ort.InferenceSession.create(encodeModel(model));
    const logits = (await s.run(feeds))['logits']!.data as Float32Array;
    const V = c.vocabSize;
    const last = logits.subarray((2 * a.length - 1) * V, 2 * a.length * V);
    padded[shape] = maxAbsDiff(last, new ReferenceDecoder(effective).forward(b).at(-1)!);
    await s.release();
  }
  assert.ok(padded['optimum']! < 1e-4, `optimum: ${padded['optimum']}`);
  assert.ok(padded['genai']! > 0.01, `genai: ${padded['genai']}`);
});
