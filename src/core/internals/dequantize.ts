// Weight elements as float32: 16-bit floats widened, and onnxruntime's MatMulNBits block quantisation undone.
// MatMulNBits (com.microsoft; onnxruntime's contrib-op spec and the ONNX reference implementation): B is uint8
// [N, blocks, blob] with blocks = ceil(K / block_size), blob = block_size·bits / 8, codes packed low bits first
// along K; scales [N·blocks]; zero points either packed uint8 (per row ceil(blocks·bits / 8) bytes, low first) or
// unpacked in the scales' type, default 2^(bits−1); w[n, k] = (code − zero point) · scale of k's block.

import { OnnxFormatError } from './onnx-initializers.ts';

const DT = { FLOAT: 1, UINT8: 2, INT8: 3, FLOAT16: 10, DOUBLE: 11, BFLOAT16: 16 } as const;

/** IEEE half-precision bits → float32 (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Little-endian element bytes of a float or integer tensor, as float32. */
export function toFloat32(bytes: Uint8Array, dataType: number, name: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dataType) {
    case DT.FLOAT: {
      if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      return new Float32Array(bytes.slice().buffer);
    }
    case DT.FLOAT16: {
      const out = new Float32Array(bytes.byteLength / 2);
      for (let i = 0; i < out.length; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    }
    case DT.BFLOAT16: {
      const out = new Float32Array(bytes.byteLength / 2);
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < out.length; i++) u[i] = view.getUint16(i * 2, true) << 16;
      return out;
    }
    case DT.DOUBLE: {
      const out = new Float32Array(bytes.byteLength / 8);
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    }
    case DT.UINT8:
      return Float32Array.from(bytes);
    case DT.INT8:
      return Float32Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    default:
      throw new OnnxFormatError(`Tensor ${name}: data type ${dataType} cannot be read as numbers here.`);
  }
}

export interface NBitsWeight {
  /** B's bytes, [N, blocks, blob] row-major. */
  b: Uint8Array;
  scales: Float32Array;
  /** Packed uint8 zero points, unpacked float ones, or null (the default 2^(bits−1)). */
  zeroPoints: Uint8Array | Float32Array | null;
  K: number;
  N: number;
  bits: number;
  blockSize: number;
}

/** Code `i` of a packed little-endian bit stream starting at byte `start` (a code may straddle two bytes). */
function code(bytes: Uint8Array, start: number, i: number, bits: number): number {
  const bit = i * bits;
  const at = start + (bit >>> 3);
  const shift = bit & 7;
  const word = bytes[at]! | (shift + bits > 8 ? bytes[at + 1]! << 8 : 0);
  return (word >>> shift) & ((1 << bits) - 1);
}

/** Dequantised B of a MatMulNBits node: float32 [N, K] (output rows; Y = A·Bᵀ). */
export function dequantizeNBits(w: NBitsWeight, name: string): Float32Array {
  const { K, N, bits, blockSize } = w;
  if (!(bits >= 1 && bits <= 8) || blockSize < 1)
    throw new OnnxFormatError(`MatMulNBits ${name}: bits ${bits} and block_size ${blockSize} are not readable.`);
  const blocks = Math.ceil(K / blockSize);
  const blob = Math.ceil((blockSize * bits) / 8);
  if (w.b.byteLength !== N * blocks * blob)
    throw new OnnxFormatError(
      `MatMulNBits ${name}: B holds ${w.b.byteLength} bytes, not N·blocks·blob = ${N * blocks * blob}.`,
    );
  if (w.scales.length !== N * blocks)
    throw new OnnxFormatError(`MatMulNBits ${name}: ${w.scales.length} scales for ${N * blocks} blocks.`);
  const zp = w.zeroPoints;
  const zpRow = Math.ceil((blocks * bits) / 8);
  if (zp instanceof Uint8Array && zp.length < N * zpRow)
    throw new OnnxFormatError(`MatMulNBits ${name}: ${zp.length} packed zero-point bytes for ${N} rows.`);
  if (zp instanceof Float32Array && zp.length !== N * blocks)
    throw new OnnxFormatError(`MatMulNBits ${name}: ${zp.length} zero points for ${N * blocks} blocks.`);
  const fallback = 2 ** (bits - 1);
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let blk = 0; blk < blocks; blk++) {
      const s = n * blocks + blk;
      const scale = w.scales[s]!;
      const z = zp === null ? fallback : zp instanceof Float32Array ? zp[s]! : code(zp, n * zpRow, blk, bits);
      const start = s * blob;
      const k0 = blk * blockSize;
      const k1 = Math.min(k0 + blockSize, K);
      for (let k = k0; k < k1; k++) out[n * K + k] = (code(w.b, start, k - k0, bits) - z) * scale;
    }
  }
  return out;
}

export { DT as DATA_TYPE };
