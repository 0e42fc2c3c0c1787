// Block quantisation of a weight matrix for onnxruntime's MatMulNBits (com.microsoft), in the layout its spec gives:
// B uint8 [N, blocks, blob] (blocks = ceil(K / block_size), blob = block_size·bits / 8), codes packed low bits
// first along K, the last block zero-padded; scales float32 [N·blocks]; zero points, when asymmetric, packed uint8,
// ceil(blocks·bits / 8) bytes per row, low bits first; without them the zero point is 2^(bits−1).
// w[n, k] = (code − zero point) · scale of k's block. Written for this project from the spec, not from a quantiser.

export interface NBitsOptions {
  /** 4 or 8 (MatMulNBits also takes 2..8; the exports users load use 4 and 8). */
  bits: number;
  /** Elements of K per scale: a power of two ≥ 16; 32 is what onnx-community and the genai builder ship. */
  blockSize: number;
  /**
   * true: no zero points (codes centred on 2^(bits−1)); the element of largest magnitude in a block maps exactly to
   * code 0, as onnxruntime's symmetric quantiser does. false: min/max per block (0 always included) with a
   * zero point per block.
   */
  symmetric: boolean;
}

export interface NBitsTensors {
  /** [N, blocks, blob] */
  b: Uint8Array;
  /** [N·blocks] */
  scales: Float32Array;
  /** [N · ceil(blocks·bits / 8)], or null when symmetric. */
  zeroPoints: Uint8Array | null;
  blocks: number;
  blob: number;
}

function put(bytes: Uint8Array, start: number, i: number, bits: number, value: number): void {
  const bit = i * bits;
  const at = start + (bit >>> 3);
  const shift = bit & 7;
  const word = value << shift;
  bytes[at] = bytes[at]! | (word & 0xff);
  if (shift + bits > 8) bytes[at + 1] = bytes[at + 1]! | (word >>> 8);
}

/** Quantises row-major w [N, K] (N output rows, K inputs: PyTorch Linear layout) block by block along K. */
export function quantizeNBits(w: Float32Array, N: number, K: number, o: NBitsOptions): NBitsTensors {
  const { bits, blockSize, symmetric } = o;
  if (w.length !== N * K) throw new Error(`quantizeNBits: ${w.length} values are not ${N}×${K}.`);
  if (!(bits >= 2 && bits <= 8) || blockSize < 16 || (blockSize & (blockSize - 1)) !== 0)
    throw new Error(`quantizeNBits: bits ${bits}, block_size ${blockSize} are not a MatMulNBits layout.`);
  const blocks = Math.ceil(K / blockSize);
  const blob = (blockSize * bits) / 8;
  const levels = (1 << bits) - 1;
  const zpRow = Math.ceil((blocks * bits) / 8);
  const b = new Uint8Array(N * blocks * blob);
  const scales = new Float32Array(N * blocks);
  const zeroPoints = symmetric ? null : new Uint8Array(N * zpRow);
  const f32 = Math.fround;
  for (let n = 0; n < N; n++) {
    for (let blk = 0; blk < blocks; blk++) {
      const k0 = blk * blockSize;
      const k1 = Math.min(k0 + blockSize, K);
      const s = n * blocks + blk;
      let zero: number;
      let scale: number;
      if (symmetric) {
        let extreme = 0;
        for (let k = k0; k < k1; k++) if (Math.abs(w[n * K + k]!) > Math.abs(extreme)) extreme = w[n * K + k]!;
        zero = 1 << (bits - 1);
        scale = extreme === 0 ? 1 : f32(extreme / -zero);
      } else {
        let lo = 0;
        let hi = 0;
        for (let k = k0; k < k1; k++) {
          lo = Math.min(lo, w[n * K + k]!);
          hi = Math.max(hi, w[n * K + k]!);
        }
        scale = hi === lo ? 1 : f32((hi - lo) / levels);
        zero = Math.min(levels, Math.max(0, Math.round(-lo / scale)));
        put(zeroPoints!, n * zpRow, blk, bits, zero);
      }
      scales[s] = scale;
      for (let k = k0; k < k1; k++) {
        const c = Math.min(levels, Math.max(0, Math.round(w[n * K + k]! / scale) + zero));
        put(b, s * blob, k - k0, bits, c);
      }
    }
  }
  return { b, scales, zeroPoints, blocks, blob };
}
