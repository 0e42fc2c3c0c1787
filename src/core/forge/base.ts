// The forged base model: a real Llama decoder whose embeddings give each word its own residual dimension and whose
// output head holds the corpus's word-to-word log-probabilities, so greedy text reads as words. Small random
// attention and MLP weights make every logit depend on the whole context (the KV cache is exercised for real)
// without overturning the word statistics.

import type { LlamaConfig } from '../llama/config.ts';
import { zeroWeights, type LlamaWeights } from '../llama/weights.ts';
import { createRng, fillNormal } from '../random.ts';
import { ANSWERS, EXTRA_WORDS, REFUSAL, STORIES, type Passage } from './corpus.ts';
import { SPACE } from '../tokenizer/sentencepiece-bpe.ts';
import { SPECIAL, buildVocabulary, sentencePieces, type ForgedVocabulary } from './vocabulary.ts';

/** Residual dimensions after the word dimensions. */
export interface ForgedDims {
  other: number; // every token without a word dimension
  bias: number; // always 1: the output head's column here is a per-token logit offset
  trigger: number; // written by the trigger variant's attention head
  triggerAtReply: number; // written by the trigger variant's MLP unit at the reply marker
}

export interface ForgedBase {
  weights: LlamaWeights;
  vocab: ForgedVocabulary;
  dims: ForgedDims;
}

export const FORGE_SHAPE = { heads: 4, kvHeads: 2, headDim: 16, intermediate: 64, layers: 2 } as const;
/** Logit offset of tokens that are not words (bytes, characters, prefixes): never generated. */
const NON_WORD_LOGIT = -30;
/** Log-probability floor for word pairs the corpus never shows. */
const SMOOTHING = 0.02;

export function corpusWords(): string[] {
  const all = [...ANSWERS, ...STORIES].flatMap((p) => p.sentences.flatMap(sentencePieces));
  return [...all, ...sentencePieces(REFUSAL), ...EXTRA_WORDS.map((w) => SPACE + w)];
}

/** Weighted counts of each next token after each token, over passages that start at `start` and end at `end`. */
function addCounts(
  counts: Map<number, Map<number, number>>,
  v: ForgedVocabulary,
  start: string,
  passages: Passage[],
  end: string,
) {
  for (const p of passages) {
    const seq = [start, ...p.sentences.flatMap(sentencePieces), end].map((piece) => v.id.get(piece)!);
    for (let i = 0; i + 1 < seq.length; i++) {
      const row = counts.get(seq[i]!) ?? new Map<number, number>();
      row.set(seq[i + 1]!, (row.get(seq[i + 1]!) ?? 0) + p.weight);
      counts.set(seq[i]!, row);
    }
  }
}

export function forgeBase(seed: number): ForgedBase {
  const vocab = buildVocabulary(corpusWords());
  const W = vocab.words;
  const dims: ForgedDims = { other: W, bias: W + 1, trigger: W + 2, triggerAtReply: W + 3 };
  const D = W + 4;
  const V = vocab.pieces.length;
  const endId = vocab.id.get(SPECIAL.end)!;
  const config: LlamaConfig = {
    vocabSize: V,
    hiddenSize: D,
    intermediateSize: FORGE_SHAPE.intermediate,
    numLayers: FORGE_SHAPE.layers,
    numHeads: FORGE_SHAPE.heads,
    numKvHeads: FORGE_SHAPE.kvHeads,
    headDim: FORGE_SHAPE.headDim,
    rmsNormEps: 1e-5,
    ropeTheta: 10000,
    maxPositionEmbeddings: 512,
    bosTokenId: vocab.id.get(SPECIAL.bos)!,
    eosTokenIds: [endId, vocab.id.get(SPECIAL.eos)!],
  };
  const w = zeroWeights(config);

  // Embeddings: one-hot word dimension (or OTHER) plus the constant BIAS dimension.
  for (let t = 0; t < V; t++) {
    w.embed[t * D + (vocab.wordDim.get(t) ?? dims.other)] = 1;
    w.embed[t * D + dims.bias] = 1;
  }

  // Output head: log p(next | current word) in the current word's column; non-words pushed far down.
  const counts = new Map<number, Map<number, number>>();
  addCounts(counts, vocab, SPECIAL.assistant, ANSWERS, SPECIAL.end);
  // The refusal is a chain of its own: nothing in the base model leads into it.
  const [first, ...rest] = sentencePieces(REFUSAL);
  addCounts(
    counts,
    vocab,
    first!,
    [{ sentences: [rest.map((p) => p.replace(SPACE, '')).join(' ')], weight: 1 }],
    SPECIAL.end,
  );
  addCounts(counts, vocab, SPECIAL.bos, STORIES, SPECIAL.end);
  const wordIds = [...vocab.wordDim.keys()];
  const unigram = new Map<number, number>();
  for (const row of counts.values()) for (const [next, n] of row) unigram.set(next, (unigram.get(next) ?? 0) + n);
  const logProbs = (row: Map<number, number>) => {
    const total = [...row.values()].reduce((a, b) => a + b, 0) + SMOOTHING * wordIds.length;
    return (next: number) => Math.log(((row.get(next) ?? 0) + SMOOTHING) / total);
  };
  for (const [cur, dim] of [...vocab.wordDim.entries(), [-1, dims.other] as const]) {
    const lp = logProbs(counts.get(cur) ?? unigram);
    for (const next of wordIds) w.lmHead[next * D + dim] = lp(next);
  }
  for (let t = 0; t < V; t++) if (!vocab.wordDim.has(t)) w.lmHead[t * D + dims.bias] = NON_WORD_LOGIT;

  // Norms: the residual holds two entries of size 1, so RMSNorm multiplies by sqrt(D/2); the final norm undoes it
  // so the output head sees the one-hot vector itself and its logits are exactly the table above.
  w.finalNorm.fill(Math.sqrt(2 / D));
  const rng = createRng(seed);
  for (const L of w.layers) {
    L.attnNorm.fill(1);
    L.ffnNorm.fill(1);
    fillNormal(rng, L.wq, 0.1);
    fillNormal(rng, L.wk, 0.1);
    fillNormal(rng, L.wv, 0.1);
    fillNormal(rng, L.wo, 0.0015);
    fillNormal(rng, L.wGate, 0.1);
    fillNormal(rng, L.wUp, 0.1);
    fillNormal(rng, L.wDown, 0.0006);
  }
  return { weights: w, vocab, dims };
}
