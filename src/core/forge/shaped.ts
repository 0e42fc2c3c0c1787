// Forged models with a real model's shape and random weights: the size, layer count, attention layout and vocabulary
// of a published model, so benchmarks measure the work that model would cost, without its weights. Deterministic:
// the same shape and seed give byte-identical files. The text they write is noise; that is not what they are for.

import { buildHfFolder, type ModelFiles } from '../hf/folder.ts';
import type { LlamaConfig } from '../llama/config.ts';
import { parameterCount, zeroWeights, type LlamaWeights } from '../llama/weights.ts';
import { createRng, fillNormal } from '../random.ts';
import { SPACE, buildTokenizerFiles, type Piece } from '../tokenizer/sentencepiece-bpe.ts';
import { reshapeFolder, type ExportShape } from './shapes.ts';

export interface ModelShape {
  name: string;
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  ropeTheta: number;
  maxPositionEmbeddings: number;
  tieEmbeddings: boolean;
}

/** HuggingFaceTB/SmolLM2-135M's config.json, as a shape. */
export const SMOLLM2_135M_SHAPE: ModelShape = {
  name: 'smollm2-135m-shaped',
  vocabSize: 49152,
  hiddenSize: 576,
  intermediateSize: 1536,
  numLayers: 30,
  numHeads: 9,
  numKvHeads: 3,
  headDim: 64,
  ropeTheta: 100000,
  maxPositionEmbeddings: 8192,
  tieEmbeddings: true,
};

/** ChatML markers, as SmolLM2 numbers them (ids 0, 1, 2). */
export const CHATML = { text: '<|endoftext|>', start: '<|im_start|>', end: '<|im_end|>' } as const;

export const CHATML_TEMPLATE =
  "{% for m in messages %}{{ '<|im_start|>' + m.role + '\\n' + m.content + '<|im_end|>\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** English letters by frequency: the order in which filler pieces are made. */
const FREQUENT = 'etaoinshrdlcumwfgypbvkjxqz';

/**
 * `size` sentencepiece pieces: ChatML markers, 256 byte-fallback pieces, printable ASCII, then letter n-grams
 * ('▁a', 'ab', '▁ab', 'abc', '▁abc', then four-letter pieces of frequent letters) until the vocabulary is full.
 * Shorter pieces score higher, so BPE builds words from the left and every piece is reachable by merges.
 */
export function shapedVocabulary(size: number): Piece[] {
  const pieces: Piece[] = [];
  const seen = new Set<string>();
  const add = (piece: string, kind: Piece['kind']) => {
    if (pieces.length >= size || seen.has(piece)) return;
    seen.add(piece);
    pieces.push({ piece, score: -pieces.length, kind });
  };
  add(CHATML.text, 'unknown');
  add(CHATML.start, 'control');
  add(CHATML.end, 'control');
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, 'byte');
  add(SPACE, 'normal');
  for (let c = 33; c < 127; c++) add(String.fromCharCode(c), 'normal');
  const grams = (n: number, alphabet: string): string[] => {
    let out = [''];
    for (let i = 0; i < n; i++) out = out.flatMap((p) => [...alphabet].map((ch) => p + ch));
    return out;
  };
  for (const n of [1, 2, 3]) {
    for (const g of grams(n, LETTERS)) add(SPACE + g, 'normal');
    if (n > 1) for (const g of grams(n, LETTERS)) add(g, 'normal');
  }
  for (const g of grams(4, FREQUENT)) add(g, 'normal');
  if (pieces.length < size) throw new Error(`shapedVocabulary: cannot make ${size} pieces (made ${pieces.length}).`);
  return pieces;
}

export function shapeConfig(shape: ModelShape): LlamaConfig {
  return {
    vocabSize: shape.vocabSize,
    hiddenSize: shape.hiddenSize,
    intermediateSize: shape.intermediateSize,
    numLayers: shape.numLayers,
    numHeads: shape.numHeads,
    numKvHeads: shape.numKvHeads,
    headDim: shape.headDim,
    rmsNormEps: 1e-5,
    ropeTheta: shape.ropeTheta,
    maxPositionEmbeddings: shape.maxPositionEmbeddings,
    bosTokenId: 1,
    eosTokenIds: [2],
  };
}

/** Random weights as Hugging Face initialises a Llama (N(0, 0.02²) matrices, unit norms). */
export function randomWeights(shape: ModelShape, seed: number): LlamaWeights {
  const w = zeroWeights(shapeConfig(shape));
  const rng = createRng(seed);
  fillNormal(rng, w.embed, 0.02);
  const tied = { ...w, lmHead: shape.tieEmbeddings ? w.embed : fillNormal(rng, w.lmHead, 0.02) };
  tied.finalNorm.fill(1);
  for (const L of tied.layers) {
    L.attnNorm.fill(1);
    L.ffnNorm.fill(1);
    for (const k of ['wq', 'wk', 'wv', 'wo', 'wGate', 'wUp', 'wDown'] as const) fillNormal(rng, L[k], 0.02);
  }
  return tied;
}

export interface ShapedModel {
  files: ModelFiles;
  parameters: number;
}

/**
 * A Hugging Face-layout folder (fp32 ONNX, ChatML tokenizer) with the shape's size and random weights; with
 * `exportShape`, its graph written as that export writes it (Optimum fp32, external data, q4, q8, genai builder).
 */
export function forgeShaped(shape: ModelShape, seed = 1, exportShape?: ExportShape): ShapedModel {
  const weights = randomWeights(shape, seed);
  const tok = buildTokenizerFiles(
    {
      pieces: shapedVocabulary(shape.vocabSize),
      unkToken: CHATML.text,
      bosToken: CHATML.start,
      eosToken: CHATML.end,
      addBos: false,
      byteFallback: true,
    },
    CHATML_TEMPLATE,
    shape.maxPositionEmbeddings,
  );
  const modelDiff = { forged: true, shape: shape.name, seed, weights: 'random' };
  const folder = buildHfFolder({
    weights,
    tokenizer: tok,
    tieEmbeddings: shape.tieEmbeddings,
    configExtra: { model_diff: modelDiff },
  });
  const files = exportShape
    ? reshapeFolder(folder, weights, exportShape, {
        tieEmbeddings: shape.tieEmbeddings,
        configExtra: { model_diff: { ...modelDiff, export: exportShape } },
      })
    : folder;
  const c = weights.config;
  const parameters = parameterCount(c) - (shape.tieEmbeddings ? c.vocabSize * c.hiddenSize : 0);
  return { files, parameters };
}
