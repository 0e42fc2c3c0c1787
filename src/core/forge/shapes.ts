// The graph shapes users really load, written from the same weights as a forged model: an Optimum / onnx-community
// fp32 export (inline, or with its weights in onnx/model.onnx_data), its q4 and q8 MatMulNBits quantisations, and
// onnxruntime-genai model-builder graphs (fused norms, GroupQueryAttention, int4 MatMulNBits; q/k/v apart with
// RotaryEmbedding ops, or packed with the rotation inside the attention op, as the builder writes today).
// Each keeps the folder's config and tokenizer and swaps the ONNX file; `effective` gives the weights the graph
// computes with (dequantised where it quantises), so a reference decoder checks it.

import type { ModelFiles } from '../hf/folder.ts';
import type { LlamaWeights } from '../llama/weights.ts';
import type { OnnxDtype } from '../onnx-dtypes.ts';
import { onnxFileOf } from '../onnx-dtypes.ts';
import { buildGenaiGraph, type GenaiOptions } from '../onnx/genai-graph.ts';
import { buildOptimumGraph, type ExportedGraph } from '../onnx/optimum-graph.ts';
import { encodeModel, encodeModelExternal } from '../onnx/proto.ts';
import type { NBitsOptions } from '../onnx/quantize.ts';

export const EXPORT_SHAPES = ['optimum', 'external', 'q4', 'q8', 'genai', 'genai-packed'] as const;
export type ExportShape = (typeof EXPORT_SHAPES)[number];

/** onnx-community's q4: symmetric 4-bit blocks of 32, no zero points (MatMul4BitsQuantizer's is_symmetric). */
export const Q4: NBitsOptions = { bits: 4, blockSize: 32, symmetric: true };
/** 8-bit blocks of 32 with a zero point per block (the zero-point path of MatMulNBits). */
export const Q8: NBitsOptions = { bits: 8, blockSize: 32, symmetric: false };

export interface ShapeInfo {
  shape: ExportShape;
  /** The transformers.js weight format the file is named for. */
  dtype: OnnxDtype;
  description: string;
}

export const SHAPE_INFO: Record<ExportShape, ShapeInfo> = {
  optimum: {
    shape: 'optimum',
    dtype: 'fp32',
    description:
      'Optimum / onnx-community export shape, fp32: torch.onnx node names, anonymous onnx::MatMul weights, RMSNorm ' +
      'as Pow/ReduceMean/Add/Sqrt/Div/Mul, RoPE from position_ids in the graph, repeat_kv by Expand.',
  },
  external: {
    shape: 'external',
    dtype: 'fp32',
    description:
      'The Optimum export shape with its weights in onnx/model.onnx_data (ONNX external data), declared in ' +
      "config.json's transformers.js_config.use_external_data_format.",
  },
  q4: {
    shape: 'q4',
    dtype: 'q4',
    description:
      'The Optimum export shape with every attention and MLP projection as MatMulNBits (4 bits, block 32, symmetric, ' +
      'no zero points), as onnx-community ships onnx/model_q4.onnx; embedding and head fp32.',
  },
  q8: {
    shape: 'q8',
    dtype: 'q8',
    description:
      'The Optimum export shape with every attention and MLP projection as MatMulNBits (8 bits, block 32, with zero ' +
      'points), in onnx/model_quantized.onnx; embedding and head fp32.',
  },
  genai: {
    shape: 'genai',
    dtype: 'q4',
    description:
      'onnxruntime-genai model-builder shape (int4, CPU): SimplifiedLayerNormalization, SkipSimplifiedLayerNormalization, ' +
      'GroupQueryAttention with seqlens_k / total_sequence_length from attention_mask, RotaryEmbedding over ' +
      'position_ids, MatMulNBits (4 bits, block 32, zero points) for every projection and the head.',
  },
  'genai-packed': {
    shape: 'genai-packed',
    dtype: 'q4',
    description:
      "onnxruntime-genai model-builder shape as it writes CPU and WebGPU models today: the genai shape's fused norms " +
      'and int4 MatMulNBits, with q, k and v as one packed qkv_proj, the rotation inside GroupQueryAttention ' +
      '(do_rotary, cos/sin caches) and no position_ids input.',
  },
};

export interface ShapeOptions {
  tieEmbeddings?: boolean;
  /** genai only: where the rotation happens (see GenaiOptions.rotary). */
  rotary?: GenaiOptions['rotary'];
}

/** The graph of a shape, unencoded, with the weights it computes with. */
export function exportGraph(w: LlamaWeights, shape: ExportShape, options: ShapeOptions = {}): ExportedGraph {
  const tie = options.tieEmbeddings ?? false;
  switch (shape) {
    case 'optimum':
    case 'external':
      return buildOptimumGraph(w, { tieEmbeddings: tie });
    case 'q4':
      return buildOptimumGraph(w, { tieEmbeddings: tie, quant: Q4 });
    case 'q8':
      return buildOptimumGraph(w, { tieEmbeddings: tie, quant: Q8 });
    case 'genai':
      // The builder writes a tied model's head as a quantised matrix of its own, as here (lmHead is the embedding).
      return buildGenaiGraph(w, { rotary: options.rotary ?? 'op' });
    case 'genai-packed':
      return buildGenaiGraph(w, { packed: true });
  }
}

/** The weights a shape's graph computes with (dequantised matrices where it quantises): the reference's input. */
export function effectiveWeights(w: LlamaWeights, shape: ExportShape, options: ShapeOptions = {}): LlamaWeights {
  return exportGraph(w, shape, options).effective;
}

/** The ONNX files of a shape: `onnx/<file>` and, for external data, `onnx/<file>_data`. */
export function shapeFiles(w: LlamaWeights, shape: ExportShape, options: ShapeOptions = {}): ModelFiles {
  const { model } = exportGraph(w, shape, options);
  const file = onnxFileOf(SHAPE_INFO[shape].dtype);
  const files: ModelFiles = new Map();
  if (shape === 'external') {
    const name = file.slice('onnx/'.length);
    const { model: bytes, data } = encodeModelExternal(model, `${name}_data`);
    files.set(file, bytes);
    files.set(`${file}_data`, data);
  } else files.set(file, encodeModel(model));
  return files;
}

/**
 * A model folder (config, tokenizer, onnx/model.onnx) rewritten in another shape: its ONNX files replaced, and
 * config.json's transformers.js_config naming the new file's format (and its external data) so 'auto' loads it.
 */
export function reshapeFolder(
  folder: ModelFiles,
  w: LlamaWeights,
  shape: ExportShape,
  options: ShapeOptions & { configExtra?: Record<string, unknown> } = {},
): ModelFiles {
  const out: ModelFiles = new Map([...folder].filter(([path]) => !path.startsWith('onnx/')));
  const config = JSON.parse(new TextDecoder().decode(folder.get('config.json'))) as Record<string, unknown>;
  const info = SHAPE_INFO[shape];
  const file = onnxFileOf(info.dtype).slice('onnx/'.length);
  config['transformers.js_config'] = {
    dtype: info.dtype,
    ...(shape === 'external' ? { use_external_data_format: { [file]: 1 } } : {}),
  };
  Object.assign(config, options.configExtra ?? {});
  out.set('config.json', new TextEncoder().encode(JSON.stringify(config, null, 1)));
  for (const [path, bytes] of shapeFiles(w, shape, options)) out.set(path, bytes);
  return out;
}
