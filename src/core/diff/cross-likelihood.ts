// Cross-likelihood in bits per byte: how surprised one model is by the other's responses. Comparable across
// tokenizers because it is normalised by the UTF-8 bytes of the text, not by tokens.

import type { TokenStep } from '../engine/types.ts';
import type { CrossScore, ModelProfile } from '../profile/types.ts';

const LN2 = Math.log(2);
const utf8 = (s: string) => new TextEncoder().encode(s).byteLength;

/** Total bits of a token sequence (natural-log logprobs in). */
export function bits(tokens: readonly TokenStep[]): number {
  let s = 0;
  for (const t of tokens) s -= t.logprob;
  return s / LN2;
}

/** A response's own generation steps, without the end-of-sequence token (which has no bytes). */
export function textSteps(rec: ModelProfile['records'][number]): TokenStep[] {
  return rec.stop === 'eos' ? rec.tokens.slice(0, -1) : rec.tokens;
}

export function selfBitsPerByte(rec: ModelProfile['records'][number]): number | null {
  const n = utf8(rec.text);
  return n > 0 ? bits(textSteps(rec)) / n : null;
}

export function crossBitsPerByte(score: CrossScore): number | null {
  if (score.unavailable) return null;
  return score.bytes > 0 ? bits(score.tokens) / score.bytes : null;
}

/** Pooled bits per byte over many responses: total bits over total bytes, so long answers weigh by their length. */
export function pooledBitsPerByte(parts: readonly { bits: number; bytes: number }[]): number | null {
  let b = 0;
  let n = 0;
  for (const p of parts) {
    b += p.bits;
    n += p.bytes;
  }
  return n > 0 ? b / n : null;
}
