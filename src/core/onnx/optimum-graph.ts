// A Llama decoder in the shape Optimum's torch.onnx export gives (what onnx-community ships as onnx/model.onnx, and,
// with the projections quantised to MatMulNBits, as model_q4.onnx): torch's node names
// (/model/layers.0/self_attn/q_proj/MatMul, …_output_0), anonymous projection weights (onnx::MatMul_…), RMSNorm
// decomposed into Pow/ReduceMean/Add/Sqrt/Div/Mul, RoPE computed in the graph from position_ids and inv_freq, keys
// and values repeated for grouped-query attention with Unsqueeze/Expand/Reshape, and no num_logits_to_keep input.

import { validateLlamaConfig } from '../llama/config.ts';
import type { LlamaWeights } from '../llama/weights.ts';
import { GraphBuilder, transpose } from './graph-builder.ts';
import { CONTRIB, linear } from './linear.ts';
import { DataType, floatTensor, type ModelProto, type ValueInfo } from './proto.ts';
import type { NBitsOptions } from './quantize.ts';

export interface ExportedGraph {
  model: ModelProto;
  /** The weights the graph computes with (the dequantised matrices where it quantises): the reference's input. */
  effective: LlamaWeights;
}

export interface OptimumOptions {
  /** MatMulNBits for the attention and MLP projections (null: float MatMul). */
  quant?: NBitsOptions | null;
  /** Quantise the output head too (when not tied). Default false: onnx-community's q4 files vary here. */
  quantizeHead?: boolean;
  /** One [vocab, hidden] matrix for the embedding and (through a Transpose) the head. */
  tieEmbeddings?: boolean;
  /** RMSNorm as one SimplifiedLayerNormalization op (as onnxruntime's optimiser fuses it) instead of six ops. */
  fusedNorm?: boolean;
}

const FLOAT_MIN = -3.4028234663852886e38; // torch.finfo(torch.float32).min: transformers' masked-out score

export function buildOptimumGraph(w: LlamaWeights, options: OptimumOptions = {}): ExportedGraph {
  const c = w.config;
  validateLlamaConfig(c);
  const g = new GraphBuilder('fp32', 'torch');
  const quant = options.quant ?? null;
  const D = c.hiddenSize;
  const hd = c.headDim;
  const qDim = c.numHeads * hd;
  const kvDim = c.numKvHeads * hd;
  const rep = c.numHeads / c.numKvHeads;
  const I = c.intermediateSize;
  let anonymous = 0;
  const matmulName = () => `onnx::MatMul_${4000 + anonymous++}`;
  const suffix = quant ? `_Q${quant.bits}` : '';
  const effective: LlamaWeights = {
    config: { ...c, eosTokenIds: [...c.eosTokenIds] },
    embed: w.embed,
    layers: [],
    finalNorm: w.finalNorm,
    lmHead: w.lmHead,
  };

  const inputs: ValueInfo[] = [
    { name: 'input_ids', elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] },
    { name: 'attention_mask', elemType: DataType.INT64, shape: ['batch_size', 'past_sequence_length + 1'] },
    { name: 'position_ids', elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] },
  ];
  const outputs: ValueInfo[] = [
    { name: 'logits', elemType: DataType.FLOAT, shape: ['batch_size', 'sequence_length', c.vocabSize] },
  ];

  const embedName = 'model.embed_tokens.weight';
  g.initializers.push(floatTensor(embedName, [c.vocabSize, D], w.embed));
  let x = g.within('/model/embed_tokens', () => g.op('Gather', [embedName, 'input_ids'], { axis: 0 }));

  // Rotary tables from the positions, as LlamaRotaryEmbedding does: (inv_freq ⊗ position) twice, then cos and sin.
  const inv = new Float32Array(hd / 2);
  for (let i = 0; i < hd / 2; i++) inv[i] = 1 / Math.pow(c.ropeTheta, (2 * i) / hd);
  g.initializers.push(floatTensor('model.rotary_emb.inv_freq', [1, hd / 2, 1], inv));
  const [cos, sin] = g.within('/model/rotary_emb', () => {
    const pos = g.op('Cast', [g.op('Unsqueeze', ['position_ids', g.ints([1])])], { to: DataType.FLOAT });
    const freqs = g.op('Transpose', [g.op('MatMul', ['model.rotary_emb.inv_freq', pos])], { perm: [0, 2, 1] });
    const emb = g.op('Concat', [freqs, freqs], { axis: -1 });
    return [g.op('Cos', [emb]), g.op('Sin', [emb])];
  });

  // The additive mask [B, 1, S, T]: causal over the new tokens, padding from attention_mask.
  const mask = g.within('/model', () => {
    const one = g.ints([1], []);
    const total = g.op('Gather', [g.op('Shape', ['attention_mask']), one], { axis: 0 });
    const seq = g.op('Gather', [g.op('Shape', ['input_ids']), one], { axis: 0 });
    const queryPos = g.op('Unsqueeze', [g.op('Range', [g.op('Sub', [total, seq]), total, one]), g.ints([1])]);
    const keyPos = g.op('Unsqueeze', [g.op('Range', [g.ints([0], []), total, one]), g.ints([0])]);
    const causal = g.op('LessOrEqual', [keyPos, queryPos]);
    const padding = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: DataType.BOOL }), g.ints([1, 2])]);
    return g.op('Where', [g.op('And', [causal, padding]), g.scalar(0), g.scalar(FLOAT_MIN)]);
  });

  const rmsNorm = (scope: string, input: string, weightName: string, weight: Float32Array) =>
    g.within(scope, () => {
      g.initializers.push(floatTensor(weightName, [D], weight));
      if (options.fusedNorm)
        return g.op('SimplifiedLayerNormalization', [input, weightName], {
          axis: -1,
          epsilon: { float: c.rmsNormEps },
          stash_type: 1,
        });
      const variance = g.op('ReduceMean', [g.op('Pow', [input, g.scalar(2)])], { axes: [-1], keepdims: 1 });
      const rstd = g.op('Div', [g.scalar(1), g.op('Sqrt', [g.op('Add', [variance, g.scalar(c.rmsNormEps)])])]);
      return g.op('Mul', [weightName, g.op('Mul', [input, rstd])]);
    });

  const project = (scope: string, input: string, m: Float32Array, out: number, inDim: number, q = quant) =>
    g.within(scope, () => linear(g, input, m, out, inDim, { weight: matmulName(), nodeSuffix: suffix }, q));

  const rope = (v: string) => {
    const half = hd / 2;
    const axis = g.ints([-1]);
    const x1 = g.op('Slice', [v, g.ints([0]), g.ints([half]), axis]);
    const x2 = g.op('Slice', [v, g.ints([half]), g.ints([Number.MAX_SAFE_INTEGER]), axis]);
    const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: -1 });
    return g.op('Add', [g.op('Mul', [v, cos4]), g.op('Mul', [rotated, sin4])]);
  };
  const [cos4, sin4] = g.within('/model/layers.0/self_attn', () => [
    g.op('Unsqueeze', [cos, g.ints([1])]),
    g.op('Unsqueeze', [sin, g.ints([1])]),
  ]);

  w.layers.forEach((L, l) => {
    const p = `/model/layers.${l}`;
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
        shape: ['batch_size', c.numKvHeads, 'past_sequence_length + 1', hd],
      });

    const h = rmsNorm(`${p}/input_layernorm`, x, `model.layers.${l}.input_layernorm.weight`, L.attnNorm);
    const a = `${p}/self_attn`;
    const q = project(`${a}/q_proj`, h, L.wq, qDim, D);
    const k = project(`${a}/k_proj`, h, L.wk, kvDim, D);
    const v = project(`${a}/v_proj`, h, L.wv, kvDim, D);
    const attnOut = g.within(a, () => {
      const heads = (y: string, n: number) =>
        g.op('Transpose', [g.op('Reshape', [y, g.ints([0, 0, n, hd])])], { perm: [0, 2, 1, 3] });
      const qr = rope(heads(q.y, c.numHeads));
      const kr = rope(heads(k.y, c.numKvHeads));
      g.op('Concat', [pastK, kr], { axis: -2 }, [presentK]);
      g.op('Concat', [pastV, heads(v.y, c.numKvHeads)], { axis: -2 }, [presentV]);
      // repeat_kv: [B, kv, T, hd] → [B, kv, rep, T, hd] → [B, heads, T, hd].
      const repeat = (t: string) =>
        g.op('Reshape', [
          g.op('Expand', [g.op('Unsqueeze', [t, g.ints([2])]), g.ints([1, 1, rep, 1, 1])]),
          g.ints([0, c.numHeads, -1, hd]),
        ]);
      const keys = g.op('Transpose', [repeat(presentK)], { perm: [0, 1, 3, 2] });
      const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [qr, keys]), g.scalar(1 / Math.sqrt(hd))]), mask]);
      const ctx = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), repeat(presentV)]);
      return g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), g.ints([0, 0, qDim])]);
    });
    const o = project(`${a}/o_proj`, attnOut, L.wo, D, qDim);
    x = g.within(p, () => g.op('Add', [x, o.y]));

    const h2 = rmsNorm(
      `${p}/post_attention_layernorm`,
      x,
      `model.layers.${l}.post_attention_layernorm.weight`,
      L.ffnNorm,
    );
    const m = `${p}/mlp`;
    const gate = project(`${m}/gate_proj`, h2, L.wGate, I, D);
    const up = project(`${m}/up_proj`, h2, L.wUp, I, D);
    const act = g.within(`${m}/act_fn`, () => g.op('Mul', [gate.y, g.op('Sigmoid', [gate.y])]));
    const prod = g.within(m, () => g.op('Mul', [act, up.y]));
    const down = project(`${m}/down_proj`, prod, L.wDown, D, I);
    x = g.within(p, () => g.op('Add', [x, down.y]));
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

  const final = rmsNorm('/model/norm', x, 'model.norm.weight', w.finalNorm);
  if (options.tieEmbeddings) {
    if (w.lmHead !== w.embed && w.lmHead.some((v, i) => v !== w.embed[i]))
      throw new Error('tieEmbeddings: the output head differs from the embedding, so they cannot share one matrix.');
    g.within('/lm_head', () =>
      g.op('MatMul', [final, g.op('Transpose', [embedName], { perm: [1, 0] })], undefined, ['logits']),
    );
  } else if (options.quantizeHead && quant) {
    const head = g.within('/lm_head', () =>
      linear(g, final, w.lmHead, c.vocabSize, D, { weight: 'lm_head.weight', nodeSuffix: suffix }, quant),
    );
    // The head's output is the graph's logits.
    const node = g.nodes.at(-1)!;
    g.nodes[g.nodes.length - 1] = { ...node, outputs: ['logits'] };
    effective.lmHead = head.effective;
  } else {
    g.within('/lm_head', () =>
      g.op(
        'MatMul',
        [final, g.weight(matmulName(), [D, c.vocabSize], transpose(w.lmHead, c.vocabSize, D))],
        undefined,
        ['logits'],
      ),
    );
  }

  return {
    model: {
      graphName: 'main_graph',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs,
      outputs,
      opset: 17,
      ...(quant || options.fusedNorm ? { extraOpsets: [{ domain: CONTRIB, version: 1 }] } : {}),
      producer: 'pytorch',
    },
    effective,
  };
}
