// A word-level diff of two responses (jsdiff) cut into parts per side, each part optionally split at token
// boundaries so every piece carries its token's surprisal under the other model.

import { diffWordsWithSpace } from 'diff';

export interface SurprisalToken {
  text: string;
  /** Bits under the other model. */
  surprisal: number;
}

export interface Piece {
  text: string;
  /** Surprisal of the token this piece belongs to; null when not shaded. */
  bits: number | null;
}

export interface Part {
  kind: 'same' | 'del' | 'ins';
  pieces: Piece[];
}

export interface DiffParts {
  /** A's text: common and removed parts. */
  a: Part[];
  /** B's text: common and added parts. */
  b: Part[];
  /**
   * One flow, as `git diff --word-diff`: common text unshaded, then each run of changes as all its removed words
   * (shaded by A's tokens) followed by all its added words (B's) — spaces between changed words join the run.
   */
  unified: Part[];
  removedWords: number;
  addedWords: number;
}

/** Token character ranges, or null when the tokens do not spell the text exactly (then nothing is shaded). */
function spans(text: string, tokens: readonly SurprisalToken[] | null | undefined) {
  if (!tokens?.length || tokens.map((t) => t.text).join('') !== text) return null;
  let at = 0;
  return tokens.map((t) => ({ start: at, end: (at += t.text.length), bits: t.surprisal }));
}

/** The text [start, end) cut at token boundaries. */
function pieces(text: string, start: number, end: number, toks: ReturnType<typeof spans>): Piece[] {
  if (!toks) return [{ text: text.slice(start, end), bits: null }];
  const out: Piece[] = [];
  for (const t of toks) {
    const s = Math.max(start, t.start);
    const e = Math.min(end, t.end);
    if (s < e) out.push({ text: text.slice(s, e), bits: Number.isFinite(t.bits) ? t.bits : null });
  }
  return out;
}

/** Words (letter and digit runs) in a change: punctuation and spacing are not counted. */
const words = (s: string) => s.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;

export function diffParts(
  a: string,
  b: string,
  tokensA?: readonly SurprisalToken[] | null,
  tokensB?: readonly SurprisalToken[] | null,
): DiffParts {
  const ta = spans(a, tokensA);
  const tb = spans(b, tokensB);
  const out: DiffParts = { a: [], b: [], unified: [], removedWords: 0, addedWords: 0 };
  let ia = 0;
  let ib = 0;
  for (const c of diffWordsWithSpace(a, b)) {
    const n = c.value.length;
    if (c.removed) {
      const part: Part = { kind: 'del', pieces: pieces(a, ia, ia + n, ta) };
      out.a.push(part);
      out.unified.push(part);
      out.removedWords += words(c.value);
      ia += n;
    } else if (c.added) {
      const part: Part = { kind: 'ins', pieces: pieces(b, ib, ib + n, tb) };
      out.b.push(part);
      out.unified.push(part);
      out.addedWords += words(c.value);
      ib += n;
    } else {
      out.a.push({ kind: 'same', pieces: pieces(a, ia, ia + n, ta) });
      out.b.push({ kind: 'same', pieces: pieces(b, ib, ib + n, tb) });
      out.unified.push({ kind: 'same', pieces: [{ text: a.slice(ia, ia + n), bits: null }] });
      ia += n;
      ib += n;
    }
  }
  out.unified = coalesce(out.unified);
  return out;
}

/**
 * A run of changes — del and ins parts with only spaces between them — that holds both a removal and an addition
 * becomes one del and one ins, the spaces going into both (each text keeps its own). Other parts stay as they are.
 */
function coalesce(parts: Part[]): Part[] {
  const out: Part[] = [];
  const space = (p: Part) => p.kind === 'same' && /^\s+$/.test(p.pieces.map((x) => x.text).join(''));
  let i = 0;
  while (i < parts.length) {
    if (parts[i]!.kind === 'same') {
      out.push(parts[i++]!);
      continue;
    }
    // The run: changes, and spaces followed by another change.
    let end = i + 1;
    while (
      end < parts.length &&
      (parts[end]!.kind !== 'same' || (space(parts[end]!) && parts[end + 1] && parts[end + 1]!.kind !== 'same'))
    )
      end++;
    const run = parts.slice(i, end);
    if (run.some((p) => p.kind === 'del') && run.some((p) => p.kind === 'ins')) {
      const pieces = (kind: Part['kind']) =>
        run.flatMap((p) =>
          p.kind === kind
            ? p.pieces
            : p.kind === 'same'
              ? [{ text: p.pieces.map((x) => x.text).join(''), bits: null }]
              : [],
        );
      out.push({ kind: 'del', pieces: pieces('del') }, { kind: 'ins', pieces: pieces('ins') });
    } else out.push(...run);
    i = end;
  }
  return out;
}

/** Whether tokens were given and spell the text (so the view can say why nothing is shaded). */
export const tokensMatch = (text: string, tokens: readonly SurprisalToken[] | null | undefined) =>
  spans(text, tokens) !== null;
