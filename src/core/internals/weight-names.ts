// The second resort for a weight's role: common exporters' tensor names (Optimum / Hugging Face
// `model.layers.N.self_attn.q_proj.weight`, this project's forged graphs, onnxruntime-genai's
// `model.layers.N.attn.q_proj.MatMul.weight_Q4`, llama2.c / GPT-2 style names). Used only for weights the graph's
// structure did not place.

import type { WeightModule } from './weight-plan.ts';

const LAYER = /(?:^|[./_])(?:layers?|h|blocks?)[._](\d+)(?=[./_])/;

const PATTERNS: [RegExp, WeightModule][] = [
  [/(?:^|[._/])(?:embed_tokens|wte|tok_embeddings|word_embeddings|embeddings?)(?:[._/]|$)/, 'embedding'],
  [/(?:^|[._/])(?:lm_head|output|unembed)(?:[._/]|$)/, 'head'],
  [/qkv_proj|query_key_value|c_attn/, 'attn.qkv'],
  [/q_proj|(?:^|[._/])(?:wq|query)(?:[._/]|$)/, 'attn.q'],
  [/k_proj|(?:^|[._/])(?:wk|key)(?:[._/]|$)/, 'attn.k'],
  [/v_proj|(?:^|[._/])(?:wv|value)(?:[._/]|$)/, 'attn.v'],
  [/o_proj|out_proj|(?:^|[._/])(?:wo|c_proj_attn|attention[._]dense)(?:[._/]|$)/, 'attn.o'],
  [/gate_up_proj/, 'mlp.gate_up'],
  [/gate_proj|(?:^|[._/])w1(?:[._/]|$)/, 'mlp.gate'],
  [/up_proj|(?:^|[._/])(?:w3|c_fc|fc1)(?:[._/]|$)/, 'mlp.up'],
  [/down_proj|(?:^|[._/])(?:w2|fc2)(?:[._/]|$)|mlp[._]c_proj/, 'mlp.down'],
  [/input_layernorm|attention_norm|(?:^|[._/])ln_1(?:[._/]|$)/, 'norm.input'],
  [/post_attention_layernorm|ffn_norm|(?:^|[._/])ln_2(?:[._/]|$)/, 'norm.post_attention'],
  [/(?:^|[._/])(?:norm|ln_f|final_layernorm|final_norm)(?:[._/]|$)/, 'norm.final'],
];

/** (layer, module) from a tensor's name, or null when no common pattern fits. */
export function roleFromName(name: string): { layer: number | null; module: WeightModule } | null {
  const layerMatch = LAYER.exec(name);
  const layer = layerMatch ? Number(layerMatch[1]) : null;
  for (const [re, module] of PATTERNS) {
    if (!re.test(name)) continue;
    const global = module === 'embedding' || module === 'head' || module === 'norm.final';
    if (global !== (layer === null)) continue; // a layer's tensor needs a layer; a global one must have none
    return { layer, module };
  }
  return null;
}
