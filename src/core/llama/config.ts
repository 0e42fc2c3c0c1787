// Llama-family decoder hyper-parameters, in Hugging Face's config.json vocabulary. Pure data, no I/O.

export interface LlamaConfig {
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  rmsNormEps: number;
  ropeTheta: number;
  maxPositionEmbeddings: number;
  bosTokenId: number;
  /** Every id that ends a response. The first is the tokenizer's eos token. */
  eosTokenIds: number[];
}

/** Throws a message naming the offending field when a config cannot describe a working decoder. */
export function validateLlamaConfig(c: LlamaConfig): void {
  const positive: (keyof LlamaConfig)[] = [
    'vocabSize',
    'hiddenSize',
    'intermediateSize',
    'numLayers',
    'numHeads',
    'numKvHeads',
    'headDim',
    'maxPositionEmbeddings',
  ];
  for (const key of positive) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new Error(`Llama config: ${key} must be a positive integer, got ${String(v)}.`);
    }
  }
  if (c.numHeads % c.numKvHeads !== 0) {
    throw new Error(`Llama config: numHeads (${c.numHeads}) must be a multiple of numKvHeads (${c.numKvHeads}).`);
  }
  if (c.headDim % 2 !== 0) throw new Error(`Llama config: headDim must be even, got ${c.headDim}.`);
  if (!(c.rmsNormEps > 0)) throw new Error('Llama config: rmsNormEps must be positive.');
  if (!(c.ropeTheta > 0)) throw new Error('Llama config: ropeTheta must be positive.');
  for (const id of [c.bosTokenId, ...c.eosTokenIds]) {
    if (!Number.isInteger(id) || id < 0 || id >= c.vocabSize) {
      throw new Error(`Llama config: special token id ${id} is outside the vocabulary (0..${c.vocabSize - 1}).`);
    }
  }
}

/** The Hugging Face config.json for this decoder (model_type "llama"). */
export function toHfConfigJson(c: LlamaConfig, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    num_key_value_heads: c.numKvHeads,
    head_dim: c.headDim,
    hidden_act: 'silu',
    rms_norm_eps: c.rmsNormEps,
    rope_theta: c.ropeTheta,
    max_position_embeddings: c.maxPositionEmbeddings,
    bos_token_id: c.bosTokenId,
    eos_token_id: c.eosTokenIds.length === 1 ? c.eosTokenIds[0] : c.eosTokenIds,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    'transformers.js_config': { dtype: 'fp32' },
    ...extra,
  };
}
