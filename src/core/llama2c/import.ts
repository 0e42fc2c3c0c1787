// llama2.c checkpoint + tokenizer.bin → a Hugging Face-layout ONNX folder. Runs in the browser and in Node.

import { buildHfFolder, type ModelFiles } from '../hf/folder.ts';
import type { LlamaWeights } from '../llama/weights.ts';
import { buildTokenizerFiles, type Piece } from '../tokenizer/sentencepiece-bpe.ts';
import { readLlama2cCheckpoint } from './checkpoint.ts';
import { readLlama2cTokenizer } from './tokenizer.ts';

export interface Llama2cModel {
  weights: LlamaWeights;
  pieces: Piece[];
  files: ModelFiles;
}

export function importLlama2c(
  checkpoint: Uint8Array,
  tokenizer: Uint8Array,
  names: { checkpoint?: string; tokenizer?: string } = {},
): Llama2cModel {
  const weights = readLlama2cCheckpoint(checkpoint, names.checkpoint);
  const pieces = readLlama2cTokenizer(tokenizer, weights.config.vocabSize, names.tokenizer);
  const tok = buildTokenizerFiles(
    { pieces, unkToken: '<unk>', bosToken: '<s>', eosToken: '</s>', addBos: true, byteFallback: true },
    undefined,
    weights.config.maxPositionEmbeddings,
  );
  const files = buildHfFolder({
    weights,
    tokenizer: tok,
    configExtra: { model_diff: { source: 'llama2.c', checkpoint: names.checkpoint ?? null } },
  });
  return { weights, pieces, files };
}
