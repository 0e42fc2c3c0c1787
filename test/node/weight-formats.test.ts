// Weight-format selection through the real engine (transformers.js over onnxruntime-node): a forged folder with an
// fp16 variant (onnx/model_fp16.onnx, weights stored in 16 bits) loads the file asked for, 'auto' keeps fp32 on the
// CPU, and a format the folder lacks is refused with what it has.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { forgeFamily } from '../../src/core/forge/index.ts';
import { buildLlamaOnnx } from '../../src/core/onnx/llama-graph.ts';
import { readFolder } from '../../src/node/profile-forged.ts';
import { OnnxEngine } from '../../workers/onnx-engine.ts';
import { toFloat16Bits } from '../../src/core/onnx/proto.ts';

const dir = join(import.meta.dirname, '..', '..', 'public', 'forged', 'forged-base');
const files = readFolder(dir);
const fp16 = buildLlamaOnnx(forgeFamily().base.weights, '', { storage: 'fp16' });
const options = { runtimeBase: '', device: 'wasm' as const };

async function load(dtype: 'auto' | 'fp16' | 'fp32' | 'q4', withFp16 = true) {
  const engine = new OnnxEngine();
  const all = withFp16 ? { ...files, 'onnx/model_fp16.onnx': fp16 } : files;
  const info = await engine.load({ kind: 'files', name: 'forged-base', files: all, dtype }, options);
  return { engine, info };
}

test('half-precision bits round to nearest even and keep specials', () => {
  const bits = toFloat16Bits(Float32Array.of(1, -2, 65504, 1e6, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 ** -24, 0, -0, NaN));
  assert.deepEqual([...bits].slice(0, 9), [0x3c00, 0xc000, 0x7bff, 0x7c00, 0x3c00, 0x3c02, 0x0001, 0, 0x8000]);
  assert.equal(bits[9]! & 0x7c00, 0x7c00);
  assert.ok(bits[9]! & 0x3ff);
});

test('the fp16 file is half the size and loads when asked for; logits stay within half-precision error', async () => {
  assert.ok(fp16.byteLength < files['onnx/model.onnx']!.byteLength * 0.6);
  const a = await load('fp32');
  const b = await load('fp16');
  try {
    assert.equal(a.info.dtype, 'fp32');
    assert.equal(b.info.dtype, 'fp16');
    assert.notEqual(a.info.fingerprint, b.info.fingerprint);
    assert.match(b.info.notes!.join(' '), /onnxruntime on the CPU, fp16/);
    const ids = await a.engine.encode({ text: 'Hello friend, how are you?' });
    const [la, lb] = [await a.engine.logits(ids), await b.engine.logits(ids)];
    let max = 0;
    for (let i = 0; i < la.length; i++) max = Math.max(max, Math.abs(la[i]! - lb[i]!));
    assert.ok(max > 0, 'the fp16 file was really loaded (rounding changes some logit)');
    assert.ok(max < 0.05, `max |Δlogit| ${max}`);
  } finally {
    await a.engine.dispose();
    await b.engine.dispose();
  }
});

test("'auto' takes fp32 on the CPU; a missing format is refused naming what the folder has", async () => {
  const auto = await load('auto');
  assert.equal(auto.info.dtype, 'fp32');
  await auto.engine.dispose();
  await assert.rejects(load('q4'), {
    message: 'Cannot load forged-base/ here: This model has no q4 weights (onnx/model_q4.onnx); it has: fp32, fp16.',
  });
  await assert.rejects(load('fp16', false), /it has: fp32\.$/);
});
