// Per-token evidence for the prompt view: each response cut into the other model's tokens with its surprisal under
// that model, and (same vocabulary) the per-position KL(B‖A) with both models' top alternatives. The pieces spell
// the response exactly, whatever the tokenizer's single-token decoding does to spaces and byte pieces.

import type { ScoredStep, TokenAlternative, TokenStep } from '../engine/types.ts';
import type { ResponseToken, TokenChoice } from './report-types.ts';
import { divergence } from './token-divergence.ts';

const LN2 = Math.log(2);
/** Alternatives kept per model and position: enough to see what each would have said, small enough to export. */
export const TOKEN_ALTERNATIVES = 3;

/** Rounded for the report: three decimals are far below what a view or a reader can tell apart. */
const round = (x: number) => Math.round(x * 1000) / 1000;
const bitsOf = (logprob: number) => (Number.isFinite(logprob) ? round(-logprob / LN2) : null);

const WS = /\s*/y;
const stripped = (t: string) => t.replace(/^[\s\u2581]+/, '');

/** The span token text `t` covers when it starts at `from`, allowing for whitespace its decoding dropped. */
function adjacent(text: string, t: string, from: number): [number, number] | null {
  if (!t) return null;
  if (text.startsWith(t, from)) return [from, from + t.length];
  WS.lastIndex = from;
  const ws = WS.exec(text)![0].length;
  const core = stripped(t);
  return core && text.startsWith(core, from + ws) ? [from, from + ws + core.length] : null;
}

/** Display pieces as offsets: token j is in piece piece[j], piece k spans start[k] .. start[k + 1] (or the end). */
export interface SpelledSpans {
  piece: Int32Array;
  start: Int32Array;
}

/**
 * Cuts `text` into display pieces, one per token where the token's text can be placed. Tokens that cannot be
 * placed (byte pieces of a multi-byte character, special tokens) join the piece before them, which also takes the
 * text up to the next token that can be placed; the pieces always spell `text` exactly (each begins where the one
 * before it ends, the first at 0, the last ends with the text). Offsets only: no piece's text is made.
 */
export function spellSpans(text: string, tokenTexts: readonly string[]): SpelledSpans {
  const piece = new Int32Array(tokenTexts.length);
  const start: number[] = [];
  let at = 0;
  let pending = false;
  for (let j = 0; j < tokenTexts.length; j++) {
    const t = tokenTexts[j]!;
    let span = adjacent(text, t, at);
    if (!span && pending && stripped(t)) {
      const idx = text.indexOf(stripped(t), at);
      if (idx >= 0) {
        // The spaces before it are its own, as when it is adjacent (the piece before takes the text up to them).
        let from = idx;
        while (from > at && /\s/.test(text[from - 1]!)) from--;
        span = [from, idx + stripped(t).length];
      }
    }
    if (!span) {
      if (start.length === 0) start.push(0);
      piece[j] = start.length - 1;
      pending = true;
      continue;
    }
    piece[j] = start.length;
    start.push(span[0]);
    at = span[1];
    pending = false;
  }
  return { piece, start: Int32Array.from(start) };
}

/** Each piece's text. */
const pieceTexts = (text: string, { start }: SpelledSpans) =>
  Array.from(start, (s, k) => text.slice(s, k + 1 < start.length ? start[k + 1]! : text.length));

/** {@link spellSpans} with each piece's text. */
export function spellTokens(text: string, tokenTexts: readonly string[]): { piece: number[]; texts: string[] } {
  const spans = spellSpans(text, tokenTexts);
  return { piece: Array.from(spans.piece), texts: pieceTexts(text, spans) };
}

/**
 * spellSpans of a reply's token steps, remembered per steps array (each array is always spelled against the same
 * text with the same token texts). `sameAs`: steps of the same text already spelled whose token texts may be these
 * (one vocabulary: the other model's scoring of a reply is the owner's own tokens again), reused when they are.
 */
export type Speller = (
  text: string,
  steps: readonly { id: number }[],
  textOf: (id: number) => string,
  sameAs?: readonly { id: number }[],
) => SpelledSpans;

export function spellMemo(): Speller {
  const memo = new WeakMap<object, { texts: string[]; spans: SpelledSpans }>();
  return (text, steps, textOf, sameAs) => {
    const known = memo.get(steps);
    if (known) return known.spans;
    const texts = steps.map((s) => textOf(s.id));
    const twin = sameAs && memo.get(sameAs);
    const spans =
      twin && twin.texts.length === texts.length && twin.texts.every((t, j) => t === texts[j])
        ? twin.spans
        : spellSpans(text, texts);
    memo.set(steps, { texts, spans });
    return spans;
  };
}

function choices(top: readonly TokenAlternative[], text: (id: number) => string): TokenChoice[] {
  return top.slice(0, TOKEN_ALTERNATIVES).map((t) => ({ token: text(t.id), logprob: round(t.logprob) }));
}

/**
 * A response's tokens for the views. `scored` is the other model's scoring of the response (its own tokens);
 * with a shared vocabulary `own` holds the owner's generation steps at the same positions (then KL and both
 * models' alternatives are given).
 */
export function responseTokens(
  text: string,
  scored: readonly ScoredStep[],
  tokenText: (id: number) => string,
  same: { own: readonly TokenStep[]; ownerIsA: boolean } | null,
  spell: Speller = (t, steps, textOf) =>
    spellSpans(
      t,
      steps.map((s) => textOf(s.id)),
    ),
): ResponseToken[] {
  if (scored.length === 0) return [];
  const spans = spell(text, scored, tokenText);
  const { piece } = spans;
  const texts = pieceTexts(text, spans);
  const out: ResponseToken[] = texts.map((t) => ({ text: t, bits: 0 }));
  for (let j = 0; j < scored.length; j++) {
    const s = scored[j]!;
    const tok = out[piece[j]!]!;
    const bits = bitsOf(s.logprob);
    tok.bits = bits === null || tok.bits === null ? null : round(tok.bits + bits);
    const o = same?.own[j];
    // Display pieces of several tokens keep the first token's position detail.
    if (!same || !o || o.id !== s.id || piece[j - 1] === piece[j]) continue;
    tok.selfBits = bitsOf(o.logprob);
    const c = s.candidates;
    if (c && c.length === o.top.length) {
      const own = o.top.map((x) => x.logprob);
      const other = c.map((x) => x.logprob);
      const pos = same.ownerIsA ? { ids: [], lpA: own, lpB: other } : { ids: [], lpA: other, lpB: own };
      tok.kl = round(divergence(pos).kl);
    }
    const [topA, topB] = same.ownerIsA ? [o.top, s.top] : [s.top, o.top];
    tok.topA = choices(topA, tokenText);
    tok.topB = choices(topB, tokenText);
  }
  return out;
}
