// Assembles a Hugging Face-layout model folder (the files transformers.js loads) as an in-memory file map.

import { toHfConfigJson } from '../llama/config.ts';
import type { LlamaWeights } from '../llama/weights.ts';
import { buildLlamaOnnx } from '../onnx/llama-graph.ts';
import type { TokenizerFiles } from '../tokenizer/sentencepiece-bpe.ts';

/** Relative path → file bytes. Paths use '/', e.g. 'onnx/model.onnx'. */
export type ModelFiles = Map<string, Uint8Array>;

export const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 1));

export interface FolderOptions {
  weights: LlamaWeights;
  tokenizer: TokenizerFiles;
  /** Merged into config.json (e.g. a `model_diff` block describing how the model was made). */
  configExtra?: Record<string, unknown>;
  /** Extra files, such as a planted-difference description. */
  extraFiles?: Record<string, unknown>;
  /** Store the embedding once and use it as the output head too (config tie_word_embeddings). */
  tieEmbeddings?: boolean;
}

export function buildHfFolder({
  weights,
  tokenizer,
  configExtra = {},
  extraFiles = {},
  tieEmbeddings = false,
}: FolderOptions): ModelFiles {
  const c = weights.config;
  const files: ModelFiles = new Map();
  files.set(
    'config.json',
    json(toHfConfigJson(c, { ...(tieEmbeddings ? { tie_word_embeddings: true } : {}), ...configExtra })),
  );
  files.set('tokenizer.json', json(tokenizer.tokenizerJson));
  files.set('tokenizer_config.json', json(tokenizer.tokenizerConfigJson));
  files.set(
    'generation_config.json',
    json({
      bos_token_id: c.bosTokenId,
      eos_token_id: c.eosTokenIds,
      do_sample: false,
      max_length: c.maxPositionEmbeddings,
    }),
  );
  files.set('onnx/model.onnx', buildLlamaOnnx(weights, '', { tieEmbeddings }));
  for (const [name, value] of Object.entries(extraFiles)) files.set(name, json(value));
  return files;
}
