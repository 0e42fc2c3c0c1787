// Writes a Llama decoder as an ONNX graph with Optimum's input/output names and a KV cache, using only standard
// ai.onnx opset-17 operators, so transformers.js (onnxruntime-web, WASM or WebGPU) runs it like an exported model.

import { validateLlamaConfig } from '../llama/config.ts';
import type { LlamaWeights } from '../llama/weights.ts';
import { GraphBuilder, transpose } from './graph-builder.ts';
import { DataType, encodeModel, type ValueInfo } from './proto.ts';

export const OPSET = 17;

function rmsNorm(g: GraphBuilder, x: string, weight: string, eps: number): string {
  const sq = g.op('Mul', [x, x]);
  const mean = g.op('ReduceMean', [sq], { axes: [-1], keepdims: 1 });
  const std = g.op('Sqrt', [g.op('Add', [mean, g.scalar(eps)])]);
  return g.op('Mul', [g.op('Div', [x, std]), weight]);
}

/** x: [B, heads, S, hd]; cos/sin: [B, 1, S, hd] with each half repeated. Rotates halves, as Hugging Face does. */
function rope(g: GraphBuilder, x: string, cos: string, sin: string, headDim: number): string {
  const half = headDim / 2;
  const axis = g.ints([3]);
  const x1 = g.op('Slice', [x, g.ints([0]), g.ints([half]), axis]);
  const x2 = g.op('Slice', [x, g.ints([half]), g.ints([headDim]), axis]);
  const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: -1 });
  return g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [rotated, sin])]);
}

function ropeTables(maxPos: number, headDim: number, theta: number): { cos: Float32Array; sin: Float32Array } {
  const half = headDim / 2;
  const cos = new Float32Array(maxPos * headDim);
  const sin = new Float32Array(maxPos * headDim);
  for (let p = 0; p < maxPos; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p * Math.pow(theta, (-2 * i) / headDim);
      cos[p * headDim + i] = cos[p * headDim + i + half] = Math.cos(angle);
      sin[p * headDim + i] = sin[p * headDim + i + half] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/** Positions [1, S] of the new tokens when the graph takes none: past length … past length + S − 1. */
function countedPositions(g: GraphBuilder): string {
  const one = g.ints([1], []);
  const total = g.op('Gather', [g.op('Shape', ['attention_mask']), one], { axis: 0 });
  const seq = g.op('Gather', [g.op('Shape', ['input_ids']), one], { axis: 0 });
  return g.op('Unsqueeze', [g.op('Range', [g.op('Sub', [total, seq]), total, one]), g.ints([0])]);
}

/** Builds the additive attention mask [B, 1, 1, S, T]: causal within the new tokens, padding from attention_mask. */
function attentionMask(g: GraphBuilder): string {
  const zero = g.ints([0], []);
  const one = g.ints([1], []);
  const total = g.op('Gather', [g.op('Shape', ['attention_mask']), one], { axis: 0 });
  const seq = g.op('Gather', [g.op('Shape', ['input_ids']), one], { axis: 0 });
  const start = g.op('Sub', [total, seq]);
  const queryPos = g.op('Unsqueeze', [g.op('Range', [start, total, one]), g.ints([1])]); // [S, 1]
  const keyPos = g.op('Unsqueeze', [g.op('Range', [zero, total, one]), g.ints([0])]); // [1, T]
  const causal = g.op('LessOrEqual', [keyPos, queryPos]); // [S, T]
  const padding = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: DataType.BOOL }), g.ints([1, 2])]);
  const allowed = g.op('And', [causal, padding]); // [B, 1, S, T]
  const bias = g.op('Where', [allowed, g.scalar(0), g.scalar(-1e9)]);
  return g.op('Unsqueeze', [bias, g.ints([1])]); // [B, 1, 1, S, T] to broadcast over (kvHead, group)
}

export interface GraphOptions {
  /**
   * One matrix for the embedding and the output head (config tie_word_embeddings), stored once as the head's
   * [hidden, vocab] initializer; the embedding gathers its columns. Needs lmHead equal to embed.
   */
  tieEmbeddings?: boolean;
  /**
   * `'fp16'` writes the weights in 16 bits (what transformers.js loads as onnx/model_fp16.onnx): a cheap stand-in
   * for a half-precision export, for testing weight-format selection; the arithmetic stays float32.
   */
  storage?: 'fp32' | 'fp16';
  /**
   * false: no position_ids input; positions count on from the cache's length, as in exports that leave the input out
   * (such a model cannot tell left padding from text, so a batch of prompts of different lengths shifts the shorter
   * ones). Default true.
   */
  positionIds?: boolean;
}

export function buildLlamaOnnx(w: LlamaWeights, docString = '', options: GraphOptions = {}): Uint8Array {
  const c = w.config;
  validateLlamaConfig(c);
  const g = new GraphBuilder(options.storage ?? 'fp32');
  const D = c.hiddenSize;
  const hd = c.headDim;
  const qDim = c.numHeads * hd;
  const kvDim = c.numKvHeads * hd;
  const rep = c.numHeads / c.numKvHeads;

  const tables = ropeTables(c.maxPositionEmbeddings, hd, c.ropeTheta);
  const cosTable = g.weight('rope.cos', [c.maxPositionEmbeddings, hd], tables.cos);
  const sinTable = g.weight('rope.sin', [c.maxPositionEmbeddings, hd], tables.sin);
  const positions = options.positionIds === false ? countedPositions(g) : 'position_ids';
  const cos = g.op('Unsqueeze', [g.op('Gather', [cosTable, positions], { axis: 0 }), g.ints([1])]);
  const sin = g.op('Unsqueeze', [g.op('Gather', [sinTable, positions], { axis: 0 }), g.ints([1])]);
  const mask = attentionMask(g);
  const scale = g.scalar(1 / Math.sqrt(hd));

  let x: string;
  let head: string;
  if (options.tieEmbeddings) {
    if (w.lmHead !== w.embed && w.lmHead.some((v, i) => v !== w.embed[i]))
      throw new Error('tieEmbeddings: the output head differs from the embedding, so they cannot share one matrix.');
    head = g.weight('lm_head.weight', [D, c.vocabSize], transpose(w.embed, c.vocabSize, D));
    // Columns of the [hidden, vocab] matrix: [hidden, batch, seq] → [batch, seq, hidden].
    x = g.op('Transpose', [g.op('Gather', [head, 'input_ids'], { axis: 1 })], { perm: [1, 2, 0] });
  } else {
    const embed = g.weight('model.embed_tokens.weight', [c.vocabSize, D], w.embed);
    x = g.op('Gather', [embed, 'input_ids'], { axis: 0 });
    head = g.weight('lm_head.weight', [D, c.vocabSize], transpose(w.lmHead, c.vocabSize, D));
  }

  const inputs: ValueInfo[] = [
    { name: 'input_ids', elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] },
    { name: 'attention_mask', elemType: DataType.INT64, shape: ['batch_size', 'total_sequence_length'] },
    ...(options.positionIds === false
      ? []
      : [{ name: 'position_ids', elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] }]),
    // As in Optimum exports: logits for the last n positions only (0 = all). Generation needs one row of the
    // prompt's [seq, vocab] logits; the output head then runs on one position instead of all.
    { name: 'num_logits_to_keep', elemType: DataType.INT64, shape: [] },
  ];
  const outputs: ValueInfo[] = [
    { name: 'logits', elemType: DataType.FLOAT, shape: ['batch_size', 'logits_length', c.vocabSize] },
  ];

  w.layers.forEach((L, l) => {
    const p = `model.layers.${l}`;
    const pastK = `past_key_values.${l}.key`;
    const pastV = `past_key_values.${l}.value`;
    const presentK = `present.${l}.key`;
    const presentV = `present.${l}.value`;
    for (const name of [pastK, pastV]) {
      inputs.push({ name, elemType: DataType.FLOAT, shape: ['batch_size', c.numKvHeads, 'past_sequence_length', hd] });
    }
    for (const name of [presentK, presentV]) {
      outputs.push({
        name,
        elemType: DataType.FLOAT,
        shape: ['batch_size', c.numKvHeads, 'total_sequence_length', hd],
      });
    }

    const h = rmsNorm(g, x, g.weight(`${p}.input_layernorm.weight`, [D], L.attnNorm), c.rmsNormEps);
    const heads = (wName: string, m: Float32Array, out: number, n: number) => {
      const proj = g.op('MatMul', [h, g.weight(wName, [D, out], transpose(m, out, D))]);
      const split = g.op('Reshape', [proj, g.ints([0, 0, n, hd])]);
      return g.op('Transpose', [split], { perm: [0, 2, 1, 3] }); // [B, n, S, hd]
    };
    const q = rope(g, heads(`${p}.self_attn.q_proj.weight`, L.wq, qDim, c.numHeads), cos, sin, hd);
    const k = rope(g, heads(`${p}.self_attn.k_proj.weight`, L.wk, kvDim, c.numKvHeads), cos, sin, hd);
    const v = heads(`${p}.self_attn.v_proj.weight`, L.wv, kvDim, c.numKvHeads);
    g.op('Concat', [pastK, k], { axis: 2 }, [presentK]);
    g.op('Concat', [pastV, v], { axis: 2 }, [presentV]);

    // Grouped-query attention without copying keys: queries [B, kv, rep, S, hd] against keys [B, kv, 1, T, hd].
    const q5 = g.op('Reshape', [g.op('Mul', [q, scale]), g.ints([0, c.numKvHeads, rep, -1, hd])]);
    const k5 = g.op('Transpose', [g.op('Unsqueeze', [presentK, g.ints([2])])], { perm: [0, 1, 2, 4, 3] });
    const v5 = g.op('Unsqueeze', [presentV, g.ints([2])]);
    const scores = g.op('Add', [g.op('MatMul', [q5, k5]), mask]);
    const ctx5 = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v5]);
    const ctx = g.op('Transpose', [g.op('Reshape', [ctx5, g.ints([0, c.numHeads, -1, hd])])], { perm: [0, 2, 1, 3] });
    const merged = g.op('Reshape', [ctx, g.ints([0, 0, qDim])]);
    const attnOut = g.op('MatMul', [
      merged,
      g.weight(`${p}.self_attn.o_proj.weight`, [qDim, D], transpose(L.wo, D, qDim)),
    ]);
    x = g.op('Add', [x, attnOut]);

    const I = c.intermediateSize;
    const h2 = rmsNorm(g, x, g.weight(`${p}.post_attention_layernorm.weight`, [D], L.ffnNorm), c.rmsNormEps);
    const gate = g.op('MatMul', [h2, g.weight(`${p}.mlp.gate_proj.weight`, [D, I], transpose(L.wGate, I, D))]);
    const up = g.op('MatMul', [h2, g.weight(`${p}.mlp.up_proj.weight`, [D, I], transpose(L.wUp, I, D))]);
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    const down = g.op('MatMul', [act, g.weight(`${p}.mlp.down_proj.weight`, [I, D], transpose(L.wDown, D, I))]);
    x = g.op('Add', [x, down]);
  });

  const final = rmsNorm(g, x, g.weight('model.norm.weight', [D], w.finalNorm), c.rmsNormEps);
  // hidden[:, -n:, :]; with n = 0 the slice starts at -0 = 0, so every position is kept.
  const keepFrom = g.op('Reshape', [g.op('Neg', ['num_logits_to_keep']), g.ints([1])]);
  const kept = g.op('Slice', [final, keepFrom, g.ints([Number.MAX_SAFE_INTEGER]), g.ints([1])]);
  g.op('MatMul', [kept, head], undefined, ['logits']);

  return encodeModel({
    graphName: 'llama',
    nodes: g.nodes,
    initializers: g.initializers,
    inputs,
    outputs,
    opset: OPSET,
    producer: 'model-diff',
    docString,
  });
}
