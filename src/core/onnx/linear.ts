// A Linear layer (y = x·Wᵀ, W in PyTorch's [out, in] layout) written as exporters write it: a float MatMul with the
// transposed weight, or onnxruntime's MatMulNBits over block-quantised codes (what q4 / q8 exports ship).

import { dequantizeNBits } from '../internals/dequantize.ts';
import { GraphBuilder, transpose } from './graph-builder.ts';
import { DataType } from './proto.ts';
import { quantizeNBits, type NBitsOptions } from './quantize.ts';

export const CONTRIB = 'com.microsoft';

export interface LinearNames {
  /** The initializer's name (MatMulNBits: the codes; scales and zero points get suffixes). */
  weight: string;
  /** Suffix of the MatMulNBits node's name, as quantisers rename the MatMul they replace (MatMul_Q4). */
  nodeSuffix?: string;
}

/**
 * Writes x·Wᵀ for row-major w [out, inDim]; returns the output value and the weight the graph computes with
 * (after quantisation: the dequantised matrix, in the same [out, in] layout), for a reference decoder.
 */
export function linear(
  g: GraphBuilder,
  x: string,
  w: Float32Array,
  out: number,
  inDim: number,
  names: LinearNames,
  quant: NBitsOptions | null,
): { y: string; effective: Float32Array } {
  if (!quant) {
    const y = g.op('MatMul', [x, g.weight(names.weight, [inDim, out], transpose(w, out, inDim))]);
    return { y, effective: w };
  }
  const q = quantizeNBits(w, out, inDim, quant);
  const push = (name: string, dataType: (typeof DataType)[keyof typeof DataType], dims: number[], raw: Uint8Array) =>
    g.initializers.push({ name, dataType, dims, raw });
  push(names.weight, DataType.UINT8, [out, q.blocks, q.blob], q.b);
  push(`${names.weight}_scales`, DataType.FLOAT, [out * q.blocks], new Uint8Array(q.scales.buffer));
  const inputs = [x, names.weight, `${names.weight}_scales`];
  if (q.zeroPoints) {
    push(`${names.weight}_zero_points`, DataType.UINT8, [q.zeroPoints.length], q.zeroPoints);
    inputs.push(`${names.weight}_zero_points`);
  }
  const y = g.op(
    `MatMulNBits`,
    inputs,
    { K: inDim, N: out, bits: quant.bits, block_size: quant.blockSize },
    undefined,
    CONTRIB,
  );
  if (names.nodeSuffix) {
    const node = g.nodes.at(-1)!;
    g.nodes[g.nodes.length - 1] = {
      ...node,
      name: node.name.replace(/MatMulNBits(_\d+)?$/, `MatMul${names.nodeSuffix}$1`),
    };
  }
  const effective = dequantizeNBits(
    {
      b: q.b,
      scales: q.scales,
      zeroPoints: q.zeroPoints,
      K: inDim,
      N: out,
      bits: quant.bits,
      blockSize: quant.blockSize,
    },
    names.weight,
  );
  return { y, effective };
}
