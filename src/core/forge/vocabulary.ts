// The forged tokenizer: byte fallback, ASCII characters, and whole-word pieces ('▁word') built up through their
// prefixes so that ordinary BPE merges reach them. Every word and chat marker also owns one dimension of the
// residual stream, which is what makes the forged weights legible.

import { SPACE, type Piece } from '../tokenizer/sentencepiece-bpe.ts';

export const SPECIAL = {
  unk: '<unk>',
  bos: '<s>',
  eos: '</s>',
  system: '<|system|>',
  user: '<|user|>',
  assistant: '<|assistant|>',
  end: '<|end|>',
} as const;

export const CHAT_TEMPLATE =
  '{{ bos_token }}{% for m in messages %}<|{{ m.role }}|>{{ m.content }}<|end|>{% endfor %}' +
  '{% if add_generation_prompt %}<|assistant|>{% endif %}';

export interface ForgedVocabulary {
  pieces: Piece[];
  id: Map<string, number>;
  /** Token id → residual dimension, for words, punctuation and the markers the model reacts to. */
  wordDim: Map<number, number>;
  /** Number of word dimensions; the residual stream adds OTHER, BIAS and two circuit dimensions after them. */
  words: number;
}

/** Splits a corpus sentence ('The cat , the dog .') into piece strings ('▁The', '▁cat', ',', …). */
export function sentencePieces(text: string): string[] {
  return text
    .split(' ')
    .filter((w) => w.length > 0)
    .map((w) => (/^[.,!?]$/.test(w) ? w : SPACE + w));
}

export function buildVocabulary(corpusWords: readonly string[]): ForgedVocabulary {
  const pieces: Piece[] = [];
  const id = new Map<string, number>();
  const add = (piece: string, kind: Piece['kind']) => {
    if (id.has(piece)) return;
    id.set(piece, pieces.length);
    pieces.push({ piece, score: -pieces.length, kind });
  };
  add(SPECIAL.unk, 'unknown');
  add(SPECIAL.bos, 'control');
  add(SPECIAL.eos, 'control');
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, 'byte');
  for (const s of [SPECIAL.system, SPECIAL.user, SPECIAL.assistant, SPECIAL.end]) add(s, 'control');
  add(SPACE, 'normal');
  for (let c = 33; c < 127; c++) add(String.fromCharCode(c), 'normal');
  const words = [...new Set(corpusWords)].sort();
  // Prefixes first (shorter pieces get higher scores, so BPE merges build words left to right).
  const maxLen = Math.max(...words.map((w) => w.length));
  for (let len = 2; len <= maxLen; len++) {
    for (const w of words) if (w.startsWith(SPACE) && w.length >= len) add(w.slice(0, len), 'normal');
  }
  const wordDim = new Map<number, number>();
  for (const w of [...words, SPECIAL.bos, SPECIAL.assistant, SPECIAL.end]) {
    const t = id.get(w);
    if (t === undefined) throw new Error(`forge vocabulary: ${w} has no piece`);
    if (!wordDim.has(t)) wordDim.set(t, wordDim.size);
  }
  return { pieces, id, wordDim, words: wordDim.size };
}
