// Pure helpers of the prompt list: how much two replies disagree, which prompts show a behaviour, and the order and
// filter the list shows. No DOM: 1,000 prompts are ordered in a few milliseconds.

import type { Behaviour, DiffReport, Difference, PromptDiff } from '../core/diff/report-types.ts';

export type PromptSort = 'disagreement' | 'kl' | 'set';

export interface PromptQuery {
  sort: PromptSort;
  /** A behaviour id: only prompts where it happens. '' for all. */
  behaviour: string;
  category: string;
}

const WORD = /[\p{L}\p{N}_']+/gu;
const wordsOf = (s: string) => s.toLowerCase().match(WORD) ?? [];

/**
 * Share of the two replies' words that are not shared, 0 (the same words) to 1 (none in common): 1 − 2·common /
 * (words in A + words in B), counting repeats. Replies that differ only in spacing or punctuation score a token 0.001,
 * so they still sort above identical ones.
 */
export function disagreement(p: Pick<PromptDiff, 'a' | 'b'>): number {
  if (p.a.text === p.b.text) return 0;
  const a = wordsOf(p.a.text);
  const b = wordsOf(p.b.text);
  if (a.length + b.length === 0) return 0.001;
  const counts = new Map<string, number>();
  for (const w of a) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of b) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      common += 1;
      counts.set(w, n - 1);
    }
  }
  return Math.max(0.001, 1 - (2 * common) / (a.length + b.length));
}

/** A feature's value as a number (booleans as 0/1); null when absent or not numeric. */
function numeric(v: unknown): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Whole-word occurrences of `word` in `text`, case-insensitive. */
function occurrences(text: string, word: string): number {
  let n = 0;
  for (const w of wordsOf(text)) if (w === word) n += 1;
  return n;
}

/**
 * How one prompt's pair moves on a row: B − A of the row's feature, or of the word's count for discovered word rows
 * (`says:w`, `likelier:w`, `raises:w`); null when the prompt does not carry it.
 */
function shift(d: Difference, p: PromptDiff): number | null {
  const a = numeric(p.a.features[d.feature]);
  const b = numeric(p.b.features[d.feature]);
  if (a !== null && b !== null) return b - a;
  const word = /^[a-z]+:(.+)$/i.exec(d.feature)?.[1]?.toLowerCase();
  if (word && /^[\p{L}\p{N}_']+$/u.test(word)) return occurrences(p.b.text, word) - occurrences(p.a.text, word);
  return null;
}

/**
 * Which prompts show a behaviour: those where the first of its rows that the prompts carry moves in the direction of
 * that row's effect (within the row's prompt category). A behaviour none of whose rows can be read per prompt
 * (internals) keeps its example prompts.
 */
export function behaviourPrompts(r: DiffReport, b: Behaviour): Set<string> {
  const rows = b.evidence.map((i) => r.differences[i]).filter((d): d is Difference => d !== undefined);
  for (const d of rows) {
    const sign = Math.sign(d.effect);
    if (sign === 0 || !r.prompts.some((p) => shift(d, p) !== null)) continue;
    const ids = r.prompts
      .filter((p) => (d.promptCategory === null || p.category === d.promptCategory) && sign * (shift(d, p) ?? 0) > 0)
      .map((p) => p.id);
    return new Set(ids);
  }
  return new Set(b.examples);
}

/** The short form of a behaviour's sentence for a filter menu: up to its first parenthesis or dash, ≤ 90 chars. */
export function behaviourLabel(b: Behaviour): string {
  const cut = b.sentence.split(/\s[(—–]/)[0]!.replace(/[.:;,]\s*$/, '');
  return cut.length > 90 ? `${cut.slice(0, 89).trimEnd()}…` : cut;
}

/** The prompts to list, in order: filtered by category and behaviour, then sorted (ties keep the set's order). */
export function orderPrompts(r: DiffReport, q: PromptQuery, members?: Set<string>): PromptDiff[] {
  const shown = r.prompts.filter((p) => (!q.category || p.category === q.category) && (!members || members.has(p.id)));
  if (q.sort === 'set') return shown;
  const key = new Map<PromptDiff, number>(
    shown.map((p) => [p, q.sort === 'kl' ? (p.kl?.mean ?? -1) : disagreement(p) + (p.kl?.mean ?? 0) * 1e-6]),
  );
  return shown
    .map((p, i) => ({ p, i }))
    .sort((x, y) => key.get(y.p)! - key.get(x.p)! || x.i - y.i)
    .map((x) => x.p);
}
