// Position alignment across two tokenizations of one text, for the crosscoder's harvest (issue 16; Jiralerspong &
// Bricken 2026, arXiv 2602.11729, align cross-architecture activations the same way): a position counts where both
// tokenizations end a token at the same character of the text. Same vocabulary: the models read the very same ids, so
// every position is its own pair. Pure: token texts in, index pairs out.

import { spellSpans } from '../../diff/token-view.ts';

/**
 * The character offset where each token ends, or -1 where that is not known: tokens whose text cannot be placed in
 * `text` (a byte piece of a multi-byte character, a special token) join the piece before them (token-view.ts's
 * spelling), so only the last token of a piece ends at a known character — the end of that piece.
 */
export function tokenEnds(text: string, tokenTexts: readonly string[]): Int32Array {
  const { piece, start } = spellSpans(text, tokenTexts);
  const ends = new Int32Array(tokenTexts.length).fill(-1);
  for (let j = 0; j < tokenTexts.length; j++) {
    const k = piece[j]!;
    if (j + 1 < tokenTexts.length && piece[j + 1] === k) continue; // not the last token of its piece
    ends[j] = k + 1 < start.length ? start[k + 1]! : text.length;
  }
  return ends;
}

export interface Alignment {
  /** pairs[2i], pairs[2i + 1]: position in A's tokens and in B's tokens of aligned pair i, in order. */
  pairs: Int32Array;
  /** Aligned pairs (the forced start pair, when given, not counted) over the longer tokenization's positions. */
  rate: number;
  counted: number;
}

/**
 * Positions where both tokenizations end a token at the same character. A token ending at character 0 (a BOS, a
 * leading special token) covers no text and never counts. With `pairStart` the two first positions are paired
 * whatever they hold — they are each model's attention sink, which the harvest drops — and are left out of the rate.
 */
export function alignByCharacters(
  endsA: ArrayLike<number>,
  endsB: ArrayLike<number>,
  options: { pairStart?: boolean } = {},
): Alignment {
  const pairs: number[] = [];
  const first = options.pairStart && endsA.length > 0 && endsB.length > 0 ? 1 : 0;
  if (first) pairs.push(0, 0);
  let i = first;
  let j = first;
  while (i < endsA.length && j < endsB.length) {
    const x = endsA[i]!;
    const y = endsB[j]!;
    if (x <= 0) i++;
    else if (y <= 0) j++;
    else if (x === y) {
      pairs.push(i++, j++);
    } else if (x < y) i++;
    else j++;
  }
  const counted = pairs.length / 2 - first;
  const longer = Math.max(endsA.length, endsB.length) - first;
  return { pairs: Int32Array.from(pairs), rate: longer > 0 ? counted / longer : 0, counted };
}

/** Same vocabulary: both models read the same ids, so every position pairs with itself (rate 1). */
export function alignIdentical(ids: readonly number[]): Alignment {
  const pairs = new Int32Array(2 * ids.length);
  for (let i = 0; i < ids.length; i++) pairs[2 * i] = pairs[2 * i + 1] = i;
  return { pairs, rate: ids.length > 0 ? 1 : 0, counted: ids.length };
}

/** Rows of `[n, d]` activations at the given positions, in order: one model's side of an alignment. */
export function gatherRows(x: Float32Array, d: number, pairs: Int32Array, side: 0 | 1): Float32Array {
  const n = pairs.length / 2;
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const p = pairs[2 * i + side]!;
    out.set(x.subarray(p * d, (p + 1) * d), i * d);
  }
  return out;
}
