// A Llama decoder in the shape onnxruntime-genai's model builder writes for the CPU (and web) execution providers:
// the builder's node names (/model/layers.0/attn/q_proj/MatMul, …/output_0), SimplifiedLayerNormalization for the
// first norm and SkipSimplifiedLayerNormalization after (its output 3 is the residual sum the next layer reads, the
// last one has output 0 only), GroupQueryAttention (com.microsoft) with seqlens_k and total_sequence_length
// computed in the graph from attention_mask as the builder does, rotary embeddings from cos/sin caches either as
// RotaryEmbedding ops over position_ids or inside GroupQueryAttention (do_rotary, positions from seqlens_k), q/k/v
// as three MatMuls or one packed qkv_proj, and MatMulNBits (block 32, with zero points) for every projection and
// the output head.

import { validateLlamaConfig } from '../llama/config.ts';
import type { LlamaWeights } from '../llama/weights.ts';
import { GraphBuilder } from './graph-builder.ts';
import { CONTRIB, linear } from './linear.ts';
import type { ExportedGraph } from './optimum-graph.ts';
import { DataType, floatTensor, type ValueInfo } from './proto.ts';
import type { NBitsOptions } from './quantize.ts';

export interface GenaiOptions {
  /** null: float MatMul (the builder's fp32 precision); default 4 bits, block 32, asymmetric (zero points). */
  quant?: NBitsOptions | null;
  /**
   * 'op': RotaryEmbedding nodes on q and k, fed position_ids (the builder's default on CPU). 'gqa': the rotation
   * happens inside GroupQueryAttention (do_rotary = 1) and the graph takes no position_ids.
   */
  rotary?: 'op' | 'gqa';
  /**
   * One MatMul for q, k and v (qkv_proj) whose output GroupQueryAttention takes as packed QKV: what the builder
   * writes by default for CPU and WebGPU today, with rotary 'gqa' and no position_ids input. Needs rotary 'gqa'.
   */
  packed?: boolean;
}

export const GENAI_QUANT: NBitsOptions = { bits: 4, blockSize: 32, symmetric: false };

export function buildGenaiGraph(w: LlamaWeights, options: GenaiOptions = {}): ExportedGraph {
  const c = w.config;
  validateLlamaConfig(c);
  const g = new GraphBuilder('fp32', 'builder');
  const quant = options.quant === undefined ? GENAI_QUANT : options.quant;
  const packed = options.packed ?? false;
  const rotary = options.rotary ?? (packed ? 'gqa' : 'op');
  if (packed && rotary !== 'gqa') throw new Error('genai graph: packed QKV rotates inside GroupQueryAttention.');
  const D = c.hiddenSize;
  const hd = c.headDim;
  const qDim = c.numHeads * hd;
  const kvDim = c.numKvHeads * hd;
  const I = c.intermediateSize;
  const eps = { float: c.rmsNormEps };
  const effective: LlamaWeights = {
    config: { ...c, eosTokenIds: [...c.eosTokenIds] },
    embed: w.embed,
    layers: [],
    finalNorm: w.finalNorm,
    lmHead: w.lmHead,
  };

  const inputs: ValueInfo[] = [
    { name: 'input_ids', elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] },
    { name: 'attention_mask', elemType: DataType.INT64, shape: ['batch_size', 'total_sequence_length'] },
    ...(rotary === 'op'
      ? [{ name: 'position_ids', elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] } as ValueInfo]
      : []),
  ];
  const outputs: ValueInfo[] = [
    { name: 'logits', elemType: DataType.FLOAT, shape: ['batch_size', 'sequence_length', c.vocabSize] },
  ];

  g.initializers.push(floatTensor('model.embed_tokens.weight', [c.vocabSize, D], w.embed));
  const embedded = g.within('/model/embed_tokens', () => g.op('Gather', ['model.embed_tokens.weight', 'input_ids']));

  // seqlens_k = ReduceSum(attention_mask) − 1 and total_sequence_length = attention_mask's width, both int32.
  const [seqlensK, totalLength] = g.within('/model/attn_mask_reformat/attn_mask_subgraph', () => {
    const sum = g.op('ReduceSum', ['attention_mask', g.ints([1])], { keepdims: 0 });
    const lens = g.op('Cast', [g.op('Sub', [sum, g.ints([1], [])])], { to: DataType.INT32 });
    const width = g.op('Gather', [g.op('Shape', ['attention_mask']), g.ints([1], [])], { axis: 0 });
    return [lens, g.op('Cast', [width], { to: DataType.INT32 })];
  });

  // cos/sin caches [max positions, head_dim / 2], the rotation of Hugging Face's halves (interleaved = 0).
  const half = hd / 2;
  const cosCache = new Float32Array(c.maxPositionEmbeddings * half);
  const sinCache = new Float32Array(c.maxPositionEmbeddings * half);
  for (let p = 0; p < c.maxPositionEmbeddings; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p * Math.pow(c.ropeTheta, (-2 * i) / hd);
      cosCache[p * half + i] = Math.cos(angle);
      sinCache[p * half + i] = Math.sin(angle);
    }
  }
  g.initializers.push(floatTensor('cos_cache', [c.maxPositionEmbeddings, half], cosCache));
  g.initializers.push(floatTensor('sin_cache', [c.maxPositionEmbeddings, half], sinCache));

  const project = (scope: string, name: string, input: string, m: Float32Array, out: number, inDim: number) =>
    g.within(scope, () =>
      linear(g, input, m, out, inDim, { weight: `${name}.MatMul.weight${quant ? `_Q${quant.bits}` : ''}` }, quant),
    );

  // Layer 0's first norm is a plain SimplifiedLayerNormalization; every later one also adds the branch before it.
  let normed = g.within('/model/layers.0/input_layernorm', () => {
    g.initializers.push(floatTensor('model.layers.0.input_layernorm.weight', [D], w.layers[0]!.attnNorm));
    return g.op('SimplifiedLayerNormalization', [embedded, 'model.layers.0.input_layernorm.weight'], {
      axis: -1,
      epsilon: eps,
      stash_type: 1,
    });
  });
  let residual = embedded;
  const skipNorm = (scope: string, branch: string, weightName: string, weight: Float32Array, last: boolean) =>
    g.within(scope, () => {
      g.initializers.push(floatTensor(weightName, [D], weight));
      const out0 = `${scope}/SkipLayerNorm/output_0`;
      const out3 = `${scope}/SkipLayerNorm/output_3`;
      g.nodes.push({
        opType: 'SkipSimplifiedLayerNormalization',
        domain: CONTRIB,
        name: `${scope}/SkipLayerNorm`,
        inputs: [residual, branch, weightName],
        outputs: last ? [out0] : [out0, '', '', out3],
        attributes: { epsilon: eps },
      });
      if (!last) residual = out3;
      return out0;
    });

  w.layers.forEach((L, l) => {
    const p = `/model/layers.${l}`;
    const n = `model.layers.${l}`;
    const pastK = `past_key_values.${l}.key`;
    const pastV = `past_key_values.${l}.value`;
    const presentK = `present.${l}.key`;
    const presentV = `present.${l}.value`;
    for (const name of [pastK, pastV])
      inputs.push({ name, elemType: DataType.FLOAT, shape: ['batch_size', c.numKvHeads, 'past_sequence_length', hd] });
    for (const name of [presentK, presentV])
      outputs.push({
        name,
        elemType: DataType.FLOAT,
        shape: ['batch_size', c.numKvHeads, 'total_sequence_length', hd],
      });
    if (l > 0) normed = skipNorm(`${p}/input_layernorm`, normed, `${n}.input_layernorm.weight`, L.attnNorm, false);

    const a = `${p}/attn`;
    let q: { y: string; effective: Float32Array };
    let k: { y: string; effective: Float32Array };
    let v: { y: string; effective: Float32Array };
    if (packed) {
      const rows = new Float32Array((qDim + 2 * kvDim) * D);
      rows.set(L.wq, 0);
      rows.set(L.wk, qDim * D);
      rows.set(L.wv, (qDim + kvDim) * D);
      const qkv = project(`${a}/qkv_proj`, `${n}.attn.qkv_proj`, normed, rows, qDim + 2 * kvDim, D);
      const part = (from: number, count: number) => qkv.effective.slice(from * D, (from + count) * D);
      q = { y: qkv.y, effective: part(0, qDim) };
      k = { y: '', effective: part(qDim, kvDim) };
      v = { y: '', effective: part(qDim + kvDim, kvDim) };
    } else {
      q = project(`${a}/q_proj`, `${n}.attn.q_proj`, normed, L.wq, qDim, D);
      k = project(`${a}/k_proj`, `${n}.attn.k_proj`, normed, L.wk, kvDim, D);
      v = project(`${a}/v_proj`, `${n}.attn.v_proj`, normed, L.wv, kvDim, D);
    }
    const rotate = (scope: string, y: string) =>
      g.within(scope, () =>
        g.op('RotaryEmbedding', [y, 'position_ids', 'cos_cache', 'sin_cache'], { interleaved: 0 }, undefined, CONTRIB),
      );
    const [qIn, kIn] = rotary === 'op' ? [rotate(`${a}/q_rotary`, q.y), rotate(`${a}/k_rotary`, k.y)] : [q.y, k.y];
    const attn = g.within(a, () =>
      g.op(
        'GroupQueryAttention',
        [qIn, kIn, v.y, pastK, pastV, seqlensK, totalLength, ...(rotary === 'gqa' ? ['cos_cache', 'sin_cache'] : [])],
        {
          num_heads: c.numHeads,
          kv_num_heads: c.numKvHeads,
          scale: { float: 1 / Math.sqrt(hd) },
          do_rotary: rotary === 'gqa' ? 1 : 0,
          rotary_interleaved: 0,
        },
        [`${a}/GroupQueryAttention/output_0`, presentK, presentV],
        CONTRIB,
      ),
    );
    const o = project(`${a}/o_proj`, `${n}.attn.o_proj`, attn, L.wo, D, qDim);
    const h2 = skipNorm(`${p}/post_attention_layernorm`, o.y, `${n}.post_attention_layernorm.weight`, L.ffnNorm, false);

    const m = `${p}/mlp`;
    const gate = project(`${m}/gate_proj`, `${n}.mlp.gate_proj`, h2, L.wGate, I, D);
    const up = project(`${m}/up_proj`, `${n}.mlp.up_proj`, h2, L.wUp, I, D);
    const act = g.within(`${m}/act_fn`, () => g.op('Mul', [gate.y, g.op('Sigmoid', [gate.y])]));
    const prod = g.within(m, () => g.op('Mul', [act, up.y]));
    const down = project(`${m}/down_proj`, `${n}.mlp.down_proj`, prod, L.wDown, D, I);
    normed = down.y; // the next norm adds it to the residual
    effective.layers.push({
      attnNorm: L.attnNorm,
      wq: q.effective,
      wk: k.effective,
      wv: v.effective,
      wo: o.effective,
      ffnNorm: L.ffnNorm,
      wGate: gate.effective,
      wUp: up.effective,
      wDown: down.effective,
    });
  });

  const final = skipNorm('/model/layers.final/norm', normed, 'model.layers.final.norm.weight', w.finalNorm, true);
  const head = g.within('/lm_head', () =>
    linear(
      g,
      final,
      w.lmHead,
      c.vocabSize,
      D,
      { weight: `lm_head.MatMul.weight${quant ? `_Q${quant.bits}` : ''}` },
      quant,
    ),
  );
  const node = g.nodes.at(-1)!;
  g.nodes[g.nodes.length - 1] = { ...node, outputs: ['logits'] };
  void head.y;
  effective.lmHead = head.effective;

  return {
    model: {
      graphName: 'main_graph',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs,
      outputs,
      opset: 21,
      extraOpsets: [{ domain: CONTRIB, version: 1 }],
      producer: 'onnxruntime-genai',
    },
    effective,
  };
}
