// The activation-tap plan refuses graphs whose layers cannot be found, with a message that says why: no residual
// stream (an embedding straight into the head), and a layer count that disagrees with config.json. The edit that hands
// the embedded weights to onnxruntime-web as external data (a view of the model's bytes) gives the same outputs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ortWeb from 'onnxruntime-web';
import { forgeFamily } from '../../../src/core/forge/index.ts';
import { TapError, addTaps, planTaps } from '../../../src/core/internals/activation-taps.ts';
import { indexOnnx, memorySource } from '../../../src/core/internals/onnx-initializers.ts';
import { buildLlamaOnnx } from '../../../src/core/onnx/llama-graph.ts';
import { DataType, encodeModel, floatTensor } from '../../../src/core/onnx/proto.ts';

test('a graph without residual adds is refused: no residual stream to tap', async () => {
  const bytes = encodeModel({
    graphName: 'bag-of-words',
    producer: 'test',
    opset: 17,
    nodes: [
      { opType: 'Gather', inputs: ['embed', 'input_ids'], outputs: ['h'], name: 'g' },
      { opType: 'MatMul', inputs: ['h', 'head'], outputs: ['logits'], name: 'm' },
    ],
    initializers: [
      floatTensor('embed', [8, 4], new Float32Array(32)),
      floatTensor('head', [4, 8], new Float32Array(32)),
    ],
    inputs: [{ name: 'input_ids', elemType: DataType.INT64, shape: ['batch', 'seq'] }],
    outputs: [{ name: 'logits', elemType: DataType.FLOAT, shape: ['batch', 'seq', 8] }],
  });
  const index = await indexOnnx(memorySource(bytes));
  assert.throws(
    () => planTaps(index),
    (e: Error) => e instanceof TapError && /residual stream .* cannot be found/.test(e.message),
  );
});

test('a layer count that disagrees with config.json is refused; the right one plans every point', async () => {
  const w = forgeFamily().base.weights;
  const bytes = buildLlamaOnnx(w, '');
  const index = await indexOnnx(memorySource(bytes));
  const L = w.config.numLayers;
  assert.throws(
    () => planTaps(index, L + 1),
    new RegExp(`shows ${L} decoder layers but config.json declares ${L + 1}`),
  );
  const plan = planTaps(index, L);
  assert.equal(plan.points.length, L + 1);
  assert.equal(plan.hiddenSize, w.config.hiddenSize);
  const edited = addTaps(bytes, index, plan);
  const again = await indexOnnx(memorySource(edited));
  assert.deepEqual(
    again.outputs.filter((o) => o.startsWith('residual.')),
    Array.from({ length: L + 1 }, (_, i) => `residual.${i}`),
  );
  assert.ok(again.inputs.includes('residual_steering'));
  // Initializers are carried over byte for byte: the same tensors, the same sizes.
  assert.equal(again.initializers.size, index.initializers.size + L);
});

test('embedded weights handed to onnxruntime-web as a view of the model bytes: same taps and logits, no weight copied', async () => {
  const w = forgeFamily().base.weights;
  const c = w.config;
  const bytes = buildLlamaOnnx(w, '');
  const index = await indexOnnx(memorySource(bytes));
  const plan = planTaps(index, c.numLayers);
  const embedded = addTaps(bytes, index, plan);
  const viewed = addTaps(bytes, index, plan, 'weights.bin');
  // Only the graph's structure is written anew: the weights stay where they are, in the original bytes.
  assert.ok(viewed.byteLength < bytes.byteLength / 20, `${viewed.byteLength} of ${bytes.byteLength} bytes`);
  ortWeb.env.wasm.numThreads = 1;
  const run = async (model: Uint8Array, externalData?: { path: string; data: Uint8Array }[]) => {
    const session = await ortWeb.InferenceSession.create(model, {
      executionProviders: ['wasm'],
      ...(externalData ? { externalData } : {}),
    });
    const ids = [3, 7, 11, 5];
    const S = ids.length;
    const feeds: Record<string, ortWeb.Tensor> = {};
    for (const name of session.inputNames) {
      if (name === 'input_ids') feeds[name] = new ortWeb.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, S]);
      else if (name === 'attention_mask')
        feeds[name] = new ortWeb.Tensor('int64', new BigInt64Array(S).fill(1n), [1, S]);
      else if (name === 'position_ids')
        feeds[name] = new ortWeb.Tensor(
          'int64',
          BigInt64Array.from(ids, (_, i) => BigInt(i)),
          [1, S],
        );
      else if (name === 'num_logits_to_keep') feeds[name] = new ortWeb.Tensor('int64', BigInt64Array.of(1n), []);
      else if (name === 'residual_steering') {
        const v = new Float32Array((c.numLayers + 1) * c.hiddenSize).map((_, i) => 0.01 * Math.sin(i));
        feeds[name] = new ortWeb.Tensor('float32', v, [c.numLayers + 1, c.hiddenSize]);
      } else feeds[name] = new ortWeb.Tensor('float32', new Float32Array(0), [1, c.numKvHeads, 0, c.headDim]);
    }
    const out = await session.run(feeds);
    const values = session.outputNames.map((n) => Array.from(out[n]!.data as Float32Array));
    await session.release();
    return values;
  };
  const a = await run(embedded);
  const b = await run(viewed, [{ path: 'weights.bin', data: bytes }]);
  assert.deepEqual(b, a);
});
