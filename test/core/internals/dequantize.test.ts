// MatMulNBits dequantisation against matrices quantised here (4- and 8-bit, packed uint8 / float / default zero
// points, K not a multiple of the block), checked three ways: code by code against (q − zp)·scale, within half a
// step of the original matrix, and against onnxruntime-node running the real com.microsoft MatMulNBits node.
// Also fp16 and bf16 widening.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { dequantizeNBits, halfToFloat, toFloat32 } from '../../../src/core/internals/dequantize.ts';
import { toFloat16Bits } from '../../../src/core/onnx/proto.ts';
import { createRng } from '../../../src/core/random.ts';
import { encodeFixture, f32bytes } from './proto-fixtures.ts';

type ZeroPoints = 'packed' | 'float' | 'none';

interface Quantised {
  b: Uint8Array;
  scales: Float32Array;
  zeroPoints: Uint8Array | Float32Array | null;
  /** Expected dequantised [N, K], computed code by code. */
  expected: Float32Array;
  /** Largest half step of any block: the rounding error bound. */
  halfStep: number;
}

/** Block quantisation as onnxruntime's MatMulNBits stores it, written out for 4 and 8 bits. */
function quantise(w: Float32Array, N: number, K: number, bits: 4 | 8, blockSize: number, zp: ZeroPoints): Quantised {
  const blocks = Math.ceil(K / blockSize);
  const blob = (blockSize * bits) / 8;
  const levels = 2 ** bits - 1;
  const b = new Uint8Array(N * blocks * blob);
  const scales = new Float32Array(N * blocks);
  const zpRow = Math.ceil((blocks * bits) / 8);
  const packed = new Uint8Array(N * zpRow);
  const floatZp = new Float32Array(N * blocks);
  const expected = new Float32Array(N * K);
  let halfStep = 0;
  for (let n = 0; n < N; n++) {
    for (let blk = 0; blk < blocks; blk++) {
      const ks = [...Array(Math.min(blockSize, K - blk * blockSize)).keys()].map((i) => blk * blockSize + i);
      const vals = ks.map((k) => w[n * K + k]!);
      let scale: number;
      let z: number;
      if (zp === 'none') {
        z = 2 ** (bits - 1);
        scale = Math.fround(Math.max(...vals.map(Math.abs)) / (z - 1));
      } else {
        const lo = Math.min(0, ...vals);
        const hi = Math.max(0, ...vals);
        scale = Math.fround((hi - lo) / levels);
        z = Math.min(levels, Math.max(0, Math.round(-lo / scale)));
      }
      const s = n * blocks + blk;
      scales[s] = scale;
      halfStep = Math.max(halfStep, scale / 2 + 1e-7);
      if (bits === 4) packed[n * zpRow + (blk >> 1)] = packed[n * zpRow + (blk >> 1)]! | (z << ((blk & 1) * 4));
      else packed[n * zpRow + blk] = z;
      floatZp[s] = z;
      ks.forEach((k, i) => {
        const q = Math.min(levels, Math.max(0, Math.round(w[n * K + k]! / scale) + z));
        if (bits === 4) b[s * blob + (i >> 1)] = b[s * blob + (i >> 1)]! | (q << ((i & 1) * 4));
        else b[s * blob + i] = q;
        expected[n * K + k] = Math.fround((q - z) * scale);
      });
    }
  }
  const zeroPoints = zp === 'packed' ? packed : zp === 'float' ? floatZp : null;
  return { b, scales, zeroPoints, expected, halfStep };
}

const CASES = [
  { bits: 4, blockSize: 16, zp: 'packed', N: 6, K: 40 },
  { bits: 4, blockSize: 32, zp: 'none', N: 5, K: 64 },
  { bits: 4, blockSize: 16, zp: 'float', N: 3, K: 48 },
  { bits: 8, blockSize: 16, zp: 'packed', N: 4, K: 40 },
  { bits: 8, blockSize: 32, zp: 'none', N: 3, K: 32 },
] as const;

function randomMatrix(N: number, K: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: N * K }, () => rng.normal() * 0.5);
}

for (const c of CASES) {
  const label = `${c.bits}-bit, block ${c.blockSize}, zero points ${c.zp}, [${c.N}, ${c.K}]`;

  test(`MatMulNBits ${label}: each weight is (code − zero point) · scale, within half a step of the original`, () => {
    const w = randomMatrix(c.N, c.K, c.N * 100 + c.K);
    const q = quantise(w, c.N, c.K, c.bits, c.blockSize, c.zp);
    const got = dequantizeNBits({ ...q, K: c.K, N: c.N, bits: c.bits, blockSize: c.blockSize }, 'w');
    assert.deepEqual([...got], [...q.expected]);
    for (let i = 0; i < w.length; i++) assert.ok(Math.abs(got[i]! - w[i]!) <= q.halfStep, `element ${i}`);
  });

  test(`MatMulNBits ${label}: equals onnxruntime's own dequantisation (Y = I·Bᵀ)`, async () => {
    const w = randomMatrix(c.N, c.K, c.N * 100 + c.K + 1);
    const q = quantise(w, c.N, c.K, c.bits, c.blockSize, c.zp);
    const blocks = Math.ceil(c.K / c.blockSize);
    const zpTensor =
      q.zeroPoints instanceof Uint8Array
        ? [{ name: 'zp', dims: [q.zeroPoints.length], dataType: 2, raw: q.zeroPoints }]
        : q.zeroPoints
          ? [{ name: 'zp', dims: [q.zeroPoints.length], dataType: 1, raw: f32bytes(q.zeroPoints) }]
          : [];
    const model = encodeFixture({
      nodes: [
        {
          opType: 'MatMulNBits',
          domain: 'com.microsoft',
          inputs: ['A', 'B', 'scales', ...(zpTensor.length ? ['zp'] : [])],
          outputs: ['Y'],
          ints: { K: c.K, N: c.N, bits: c.bits, block_size: c.blockSize },
        },
      ],
      initializers: [
        { name: 'B', dims: [c.N, blocks, (c.blockSize * c.bits) / 8], dataType: 2, raw: q.b },
        { name: 'scales', dims: [c.N * blocks], dataType: 1, raw: f32bytes(q.scales) },
        ...zpTensor,
      ],
      inputs: [{ name: 'A', elemType: 1, shape: [c.K, c.K] }],
      outputs: [{ name: 'Y', elemType: 1, shape: [c.K, c.N] }],
      opsets: [
        { domain: '', version: 17 },
        { domain: 'com.microsoft', version: 1 },
      ],
    });
    const session = await ort.InferenceSession.create(model);
    const eye = new Float32Array(c.K * c.K);
    for (let k = 0; k < c.K; k++) eye[k * c.K + k] = 1;
    const out = await session.run({ A: new ort.Tensor('float32', eye, [c.K, c.K]) });
    const y = out['Y']!.data as Float32Array;
    const ours = dequantizeNBits({ ...q, K: c.K, N: c.N, bits: c.bits, blockSize: c.blockSize }, 'w');
    let worst = 0;
    for (let n = 0; n < c.N; n++)
      for (let k = 0; k < c.K; k++) worst = Math.max(worst, Math.abs(y[k * c.N + n]! - ours[n * c.K + k]!));
    assert.ok(worst <= 1e-6, `max |ours − onnxruntime| = ${worst}`);
    await session.release();
  });
}

test('MatMulNBits with sizes that do not fit is refused with a message', () => {
  const q = quantise(randomMatrix(2, 32, 1), 2, 32, 4, 16, 'packed');
  assert.throws(
    () => dequantizeNBits({ ...q, K: 32, N: 3, bits: 4, blockSize: 16 }, 'w'),
    /MatMulNBits w: B holds 32 bytes, not N·blocks·blob = 48/,
  );
});

test('float16 and bfloat16 widen to float32 exactly (subnormals, infinities, NaN)', () => {
  const values = Float32Array.of(0, -0, 1, -2.5, 65504, 1e-7, 6.1e-5, 3.14159, Infinity, -Infinity, NaN);
  const bits = toFloat16Bits(values);
  const got = toFloat32(new Uint8Array(bits.buffer), 10, 'h');
  bits.forEach((h, i) => assert.ok(Object.is(got[i], halfToFloat(h)) || (isNaN(got[i]!) && isNaN(values[i]!))));
  assert.deepEqual([...got.slice(0, 5)], [0, -0, 1, -2.5, 65504]);
  assert.equal(got[8], Infinity);
  assert.ok(Number.isNaN(got[10]));
  assert.ok(Math.abs(got[7]! - 3.14159) < 2e-3);
  const bf = new Uint16Array([0x3f80, 0xc040, 0x7f80]); // 1, -3, +Infinity
  assert.deepEqual([...toFloat32(new Uint8Array(bf.buffer), 16, 'b')], [1, -3, Infinity]);
});
