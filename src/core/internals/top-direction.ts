// The top singular direction of a weight change on one side (power iteration, seeded, a fixed number of steps) and
// the reading of a residual direction as token scores through a [hidden, vocab] matrix. Pure TypeScript, float64 sums.

import { createRng } from '../random.ts';

export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** y = M x (x over columns) or y = Mᵀ x (x over rows). */
function apply(m: Matrix, x: Float64Array, transposed: boolean): Float64Array {
  const { data, rows, cols } = m;
  if (!transposed) {
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const o = r * cols;
      for (let c = 0; c < cols; c++) s += data[o + c]! * x[c]!;
      y[r] = s;
    }
    return y;
  }
  const y = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const xr = x[r]!;
    if (xr === 0) continue;
    const o = r * cols;
    for (let c = 0; c < cols; c++) y[c] = y[c]! + data[o + c]! * xr;
  }
  return y;
}

function normalise(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < x.length; i++) x[i]! /= n;
  return n;
}

/**
 * The leading left (axis 0: over rows) or right (axis 1: over columns) singular vector of `m`, by power iteration
 * on M Mᵀ or Mᵀ M from a seeded random start, and σ₁² (the eigenvalue it converged to).
 */
export function topSingular(
  m: Matrix,
  axis: 0 | 1,
  iterations = 24,
  seed = 1,
): { vector: Float64Array; sigmaSquared: number } {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: axis === 0 ? m.rows : m.cols }, () => rng.normal());
  normalise(x);
  let sigmaSquared = 0;
  for (let i = 0; i < iterations; i++) {
    const inner = apply(m, x, axis === 0); // axis 0: Mᵀx over columns; axis 1: Mx over rows
    const outer = apply(m, inner, axis === 1);
    sigmaSquared = normalise(outer);
    if (sigmaSquared === 0) break;
    x.set(outer);
  }
  return { vector: x, sigmaSquared };
}

/**
 * Scores of every token for a direction `x` over the hidden axis of `m`, whose `tokenAxis` is the vocabulary:
 * score[t] = Σ_d x[d]·m[d, t] (or m[t, d]). `scale` multiplies x first (the final norm's weight).
 */
export function tokenScores(m: Matrix, tokenAxis: 0 | 1, x: Float64Array, scale?: Float32Array): Float64Array {
  const v = scale ? x.map((xi, i) => xi * (scale[i] ?? 1)) : x;
  return tokenAxis === 1 ? apply(m, v, true) : apply(m, v, false);
}

/** Indices of the k largest positive and k most negative scores, strongest first; ties by the lower index. */
export function extremes(scores: ArrayLike<number>, k: number): { up: number[]; down: number[] } {
  const { up, down } = ranked(scores);
  return { up: up.slice(0, k), down: down.slice(0, k) };
}

/** Every positive score's index, largest first, and every negative one's, most negative first (ties: lower index). */
function ranked(scores: ArrayLike<number>): { up: number[]; down: number[] } {
  const ids = Array.from({ length: scores.length }, (_, i) => i);
  const up = ids.filter((i) => scores[i]! > 0).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const down = ids.filter((i) => scores[i]! < 0).sort((a, b) => scores[a]! - scores[b]! || a - b);
  return { up, down };
}

/**
 * Whether a token's text can be read on its own. Not: the empty text (nothing to read: a lone word-start marker or
 * space that the decoder strips when the token stands alone), text holding U+FFFD (part of a UTF-8 sequence) or a
 * control character other than tab and line breaks (byte-fallback pieces of bytes 0x00–0x1F, DEL, C1). A small
 * vocabulary's byte pieces have scores no other token gets — they are never in text, so training barely moved their
 * rows — and filled a lens's top tokens with "�".
 */
export function isReadableToken(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return text.length > 0 && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/u.test(text);
}

/**
 * extremes() among the tokens that read as text (isReadableToken), their texts asked for a few at a time in rank
 * order until k are found each way; `text` holds the kept tokens' texts (no second decoding), `left` counts the
 * stronger tokens passed over as unreadable.
 */
export async function readableExtremes(
  scores: ArrayLike<number>,
  k: number,
  texts: (ids: number[]) => Promise<string[]>,
): Promise<{ up: number[]; down: number[]; text: Map<number, string>; left: number }> {
  const all = ranked(scores);
  const text = new Map<number, string>();
  let left = 0;
  const keep = async (order: number[]): Promise<number[]> => {
    const out: number[] = [];
    for (let from = 0; from < order.length && out.length < k; from += 4 * k) {
      const ids = order.slice(from, from + 4 * k);
      const read = await texts(ids);
      for (let i = 0; i < ids.length && out.length < k; i++) {
        const t = read[i] ?? '';
        if (!isReadableToken(t)) left++;
        else {
          out.push(ids[i]!);
          text.set(ids[i]!, t);
        }
      }
    }
    return out;
  };
  const up = await keep(all.up);
  const down = await keep(all.down);
  return { up, down, text, left };
}
