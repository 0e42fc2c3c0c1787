// Reads llama2.c's tokenizer.bin (sentencepiece vocabulary with scores) into scored pieces for a tokenizer.json.

import { SPACE, type Piece } from '../tokenizer/sentencepiece-bpe.ts';
import { Llama2cFormatError } from './checkpoint.ts';

const BYTE_PIECE = /^<0x[0-9A-F]{2}>$/;

export function readLlama2cTokenizer(bytes: Uint8Array, vocabSize: number, fileName = 'tokenizer.bin'): Piece[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const need = (offset: number, n: number, what: string) => {
    if (offset + n > bytes.byteLength) {
      throw new Llama2cFormatError(
        `${fileName} is truncated: it ends inside ${what} (byte ${bytes.byteLength} of at least ${offset + n}). ` +
          'Use the tokenizer.bin that was exported with this checkpoint.',
      );
    }
  };
  need(0, 4, 'the header');
  const maxLen = view.getInt32(0, true);
  if (maxLen <= 0 || maxLen > 1024) {
    throw new Llama2cFormatError(`${fileName} does not look like a llama2.c tokenizer (max_token_length=${maxLen}).`);
  }
  const pieces: Piece[] = [];
  let offset = 4;
  for (let i = 0; i < vocabSize; i++) {
    need(offset, 8, `token ${i} of ${vocabSize}`);
    const score = view.getFloat32(offset, true);
    const len = view.getInt32(offset + 4, true);
    if (len < 0 || len > maxLen * 4 + 16) {
      throw new Llama2cFormatError(`${fileName}: token ${i} claims a length of ${len} bytes; the file is corrupted.`);
    }
    need(offset + 8, len, `token ${i} of ${vocabSize}`);
    const raw = decoder.decode(bytes.subarray(offset + 8, offset + 8 + len));
    offset += 8 + len;
    pieces.push(toPiece(i, raw, score));
  }
  if (offset !== bytes.byteLength) {
    throw new Llama2cFormatError(
      `${fileName} holds more than ${vocabSize} tokens: it does not belong to a checkpoint with vocab_size=${vocabSize}.`,
    );
  }
  return dedupe(pieces);
}

function toPiece(id: number, raw: string, score: number): Piece {
  // llama2.c's export wraps the control tokens in newlines ("\n<s>\n") and writes '▁' as a plain space.
  const trimmed = raw.trim();
  if (id === 0) return { piece: '<unk>', score: 0, kind: 'unknown' };
  if (id === 1 || id === 2)
    return { piece: trimmed === '' ? (id === 1 ? '<s>' : '</s>') : trimmed, score: 0, kind: 'control' };
  if (BYTE_PIECE.test(raw)) return { piece: raw, score, kind: 'byte' };
  return { piece: raw.replaceAll(' ', SPACE), score, kind: 'normal' };
}

/** Two byte sequences that decode to the same replacement text would collide in tokenizer.json's vocab. */
function dedupe(pieces: Piece[]): Piece[] {
  const seen = new Set<string>();
  return pieces.map((p, i) => {
    if (!seen.has(p.piece)) {
      seen.add(p.piece);
      return p;
    }
    return { piece: `<unused_${i}>`, score: -1e9, kind: 'control' as const };
  });
}
