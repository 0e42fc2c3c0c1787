// The ONNX initializer reader: every storage form (raw_data, float_data, int32_data, external data as a file slice),
// the graph's nodes and attributes, an index that reads windows rather than the file, the forged graphs' weights
// read back exactly (fp32) and as their fp16 rounding (fp16), and damaged files refused with a message.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgeFamily } from '../../../src/core/forge/index.ts';
import { halfToFloat, toFloat32 } from '../../../src/core/internals/dequantize.ts';
import {
  OnnxFormatError,
  indexOnnx,
  initializerBytes,
  memorySource,
  type ByteSource,
} from '../../../src/core/internals/onnx-initializers.ts';
import { OnnxWeights } from '../../../src/core/internals/onnx-weights.ts';
import { transpose } from '../../../src/core/onnx/graph-builder.ts';
import { buildLlamaOnnx } from '../../../src/core/onnx/llama-graph.ts';
import { toFloat16Bits } from '../../../src/core/onnx/proto.ts';
import { encodeFixture, f32bytes } from './proto-fixtures.ts';

const noExternal = async (): Promise<ByteSource> => {
  throw new Error('no external data expected');
};

test('reads raw_data, float_data, int32_data (fp16 and uint8) and external data; nodes keep domain and attributes', async () => {
  const external = new Float32Array([9, 9, 1.5, -2, 3.25, 4, 9]);
  const fp16 = toFloat16Bits(Float32Array.of(0.5, -1.25, 1000));
  const model = encodeFixture({
    nodes: [
      { opType: 'MatMulNBits', domain: 'com.microsoft', inputs: ['x', 'r'], outputs: ['y'], ints: { K: 3, bits: 4 } },
    ],
    initializers: [
      { name: 'r', dims: [2, 2], dataType: 1, raw: f32bytes(Float32Array.of(1, 2, 3, 4)) },
      { name: 'f', dims: [3], dataType: 1, floats: [0.25, -8, 1e-3] },
      { name: 'h', dims: [3], dataType: 10, int32s: [...fp16] },
      { name: 'u', dims: [4], dataType: 2, int32s: [0, 7, 200, 255] },
      { name: 'e', dims: [4], dataType: 1, external: { location: 'model.onnx_data', offset: 8, length: 16 } },
    ],
    inputs: [{ name: 'x', elemType: 1, shape: [1, 2] }],
    outputs: [{ name: 'y', elemType: 1, shape: [1, 2] }],
    opsets: [{ domain: '', version: 17 }],
  });
  const src = memorySource(model);
  const index = await indexOnnx(src);
  assert.deepEqual(index.inputs, ['x']);
  assert.deepEqual(index.outputs, ['y']);
  assert.equal(index.nodes[0]!.domain, 'com.microsoft');
  assert.deepEqual(index.nodes[0]!.attributes, { K: 3, bits: 4 });
  assert.deepEqual(index.initializers.get('e')!.data, { location: 'model.onnx_data', offset: 8, length: 16 });
  const opened: string[] = [];
  const open = async (location: string) => {
    opened.push(location);
    return memorySource(f32bytes(external));
  };
  const floats = async (name: string) => {
    const t = index.initializers.get(name)!;
    return [...toFloat32(await initializerBytes(t, src, open), t.dataType, name)];
  };
  assert.deepEqual(await floats('r'), [1, 2, 3, 4]);
  assert.deepEqual(await floats('f'), [0.25, -8, Math.fround(1e-3)]);
  assert.deepEqual(await floats('h'), [...fp16].map(halfToFloat));
  assert.deepEqual(await floats('u'), [0, 7, 200, 255]);
  assert.deepEqual(await floats('e'), [1.5, -2, 3.25, 4]);
  assert.deepEqual(opened, ['model.onnx_data']);
});

test('indexing reads windows, not the file: an 8 MiB tensor is skipped, then read alone on request', async () => {
  const big = new Float32Array(2 * 1024 * 1024).map((_, i) => i % 1000);
  const model = encodeFixture({
    nodes: [{ opType: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
    initializers: [
      { name: 'w', dims: [2048, 1024], dataType: 1, raw: f32bytes(big) },
      { name: 'bias', dims: [2], dataType: 1, raw: f32bytes(Float32Array.of(5, 6)) },
    ],
    inputs: [{ name: 'x', elemType: 1, shape: [1, 2048] }],
    outputs: [{ name: 'y', elemType: 1, shape: [1, 1024] }],
    opsets: [{ domain: '', version: 17 }],
  });
  let bytesRead = 0;
  const counted: ByteSource = {
    size: model.byteLength,
    read: async (o, n) => {
      bytesRead += n;
      return model.slice(o, o + n);
    },
  };
  const index = await indexOnnx(counted);
  assert.ok(bytesRead < 2.5 * 1024 * 1024, `indexing read ${bytesRead} of ${model.byteLength} bytes`);
  assert.deepEqual(index.initializers.get('w')!.dims, [2048, 1024]);
  bytesRead = 0;
  const data = toFloat32(await initializerBytes(index.initializers.get('w')!, counted, noExternal), 1, 'w');
  assert.equal(bytesRead, big.byteLength);
  assert.equal(data[999], 999);
  assert.equal(data[big.length - 1], (big.length - 1) % 1000);
});

test('forged graphs: fp32 weights read back bit for bit, fp16 weights as their half-precision rounding', async () => {
  const base = forgeFamily().models.find((m) => m.name === 'forged-base')!.variant.weights;
  const D = base.config.hiddenSize;
  const qDim = base.config.numHeads * base.config.headDim;
  const expected: Record<string, Float32Array> = {
    embed: base.embed,
    unembed: transpose(base.lmHead, base.config.vocabSize, D),
    'blocks.1.attn.q': transpose(base.layers[1]!.wq, qDim, D),
    'blocks.0.mlp.down': transpose(base.layers[0]!.wDown, D, base.config.intermediateSize),
    'blocks.0.ln2': base.layers[0]!.ffnNorm,
    ln_final: base.finalNorm,
  };
  for (const storage of ['fp32', 'fp16'] as const) {
    const weights = await OnnxWeights.open(memorySource(buildLlamaOnnx(base, '', { storage })), noExternal);
    for (const [key, want] of Object.entries(expected)) {
      const got = (await weights.read(key)).data;
      const rounded = storage === 'fp32' ? want : Float32Array.from(toFloat16Bits(want), halfToFloat);
      assert.deepEqual([...got], [...rounded], `${storage} ${key}`);
    }
    const m = await weights.manifest();
    assert.equal(m.tensors.find((t) => t.key === 'embed')!.storage, storage === 'fp32' ? 'float32' : 'float16');
  }
});

test('damaged files: a cut-short model and a non-ONNX file are refused with a message', async () => {
  const model = buildLlamaOnnx(forgeFamily().models[0]!.variant.weights);
  await assert.rejects(indexOnnx(memorySource(model.subarray(0, model.byteLength - 1000))), OnnxFormatError);
  await assert.rejects(indexOnnx(memorySource(new TextEncoder().encode('{"not": "onnx"}'))), OnnxFormatError);
});
