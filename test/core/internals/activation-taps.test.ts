// The activation-tap plan refuses graphs whose layers cannot be found, with a message that says why: no residual
// stream (an embedding straight into the head), and a layer count that disagrees with config.json.

import assert from 'node:assert/strict';
import { test } from 'node:test';
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
