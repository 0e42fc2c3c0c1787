// Discovered token shifts (one vocabulary only): the words one model makes likelier in its next-token choices, as
// diff mining finds them (the tokens most raised relative to the median shift at each position; cf. the
// diffing-toolkit's per-token diff mining), made a paired claim. Per prompt and word, the mean over positions of
// both replies where the word is among the owner's top-k of (log p_B − log p_A) minus that position's median shift
// (a raised word lowers every other log-probability alike; the median removes that). Words only: a token whose text
// is not a word of at least three letters that the replies use as a whole word (a 512-piece vocabulary's "e",
// "ing") says nothing to a reader and is skipped. Ranked on the discovery half, tested on the confirmation half.

import type { TestSpec } from '../paired-tests.ts';
import type { PositionPair } from '../token-divergence.ts';
import { rankTerms } from './rank-z.ts';
import type { Split } from './split.ts';

export interface TokenShiftCandidate {
  term: string;
  spec: TestSpec;
  z: number;
  /** Per prompt: the mean centred shift (B − A), or absent where the word was never a candidate. */
  shift: Map<string, number>;
}

export function shiftFeature(term: string): TestSpec {
  return {
    name: `raises:${term}`,
    extractor: 'discovery',
    kind: 'continuous',
    category: 'vocabulary',
    minEffect: 0.1,
    description: `how much likelier B makes “${term}” than A at the positions where it is a likely next word (nats, centred)`,
  };
}

const WORDLIKE = /^\p{L}[\p{L}'’-]{2,}$/u;

/** Every finite centred shift of a prompt's positions, in position order: the token id and its shift − median. */
export interface CentredShifts {
  ids: Int32Array;
  values: Float64Array;
}

/** A prompt's positions, or their centred shifts already worked out (a report does it prompt by prompt). */
export type ShiftPrompt = { id: string; cluster: number } & (
  { positions: readonly PositionPair[]; centred?: undefined } | { centred: CentredShifts; positions?: undefined }
);

/** Per prompt and word: its mean centred shift; `only`: just these words. */
export type ShiftMeans = (p: ShiftPrompt, only?: ReadonlySet<string>) => Map<string, number>;

const shifts = new Float64Array(64);
const sorted = new Float64Array(64);

/** The centred shifts of positions: per position, each of (at most 64) candidates' lp_B − lp_A minus their median. */
export function centredShifts(positions: readonly PositionPair[]): CentredShifts {
  // Typed arrays of the most entries there can be, cut to those filled (no number[] grown push by push).
  let most = 0;
  for (const pos of positions) most += Math.min(pos.ids.length, 64);
  const ids = new Int32Array(most);
  const values = new Float64Array(most);
  let n = 0;
  for (const pos of positions) {
    const k = Math.min(pos.ids.length, 64);
    if (k === 0) continue;
    // The median shift, by insertion sort of k ≤ 64 values into a scratch buffer (no allocation per position).
    for (let i = 0; i < k; i++) {
      const v = pos.lpB[i]! - pos.lpA[i]!;
      shifts[i] = v;
      let j = i;
      while (j > 0 && sorted[j - 1]! > v) {
        sorted[j] = sorted[j - 1]!;
        j--;
      }
      sorted[j] = v;
    }
    const median = k % 2 ? sorted[(k - 1) / 2]! : (sorted[k / 2 - 1]! + sorted[k / 2]!) / 2;
    for (let i = 0; i < k; i++) {
      const v = shifts[i]! - median;
      if (!Number.isFinite(v)) continue;
      ids[n] = pos.ids[i]!;
      values[n++] = v;
    }
  }
  return n === most ? { ids, values } : { ids: ids.slice(0, n), values: values.slice(0, n) };
}

/**
 * Mean centred shift per word on a prompt. Each prompt's centred shifts of words (term index, value) are kept as
 * typed arrays (a report's two looks of the split read the same prompts); each request sums them into scratch
 * arrays indexed by term, in position order, so every mean is the same number as a sum over the positions gives.
 */
export function shiftMeans(textOf: (id: number) => string, replyWords: ReadonlySet<string>): ShiftMeans {
  const termOfId = new Map<number, number>();
  const terms: string[] = [];
  const termIndex = new Map<string, number>();
  const term = (id: number) => {
    let t = termOfId.get(id);
    if (t === undefined) {
      const w = textOf(id).trim().toLowerCase();
      t = -1;
      if (WORDLIKE.test(w) && replyWords.has(w)) {
        t = termIndex.get(w) ?? -1;
        if (t < 0) termIndex.set(w, (t = terms.push(w) - 1));
      }
      termOfId.set(id, t);
    }
    return t;
  };
  const centred = new Map<ShiftPrompt, { at: Int32Array; value: Float64Array }>();
  const centre = (p: ShiftPrompt) => {
    const { ids, values } = p.centred ?? centredShifts(p.positions);
    const at: number[] = [];
    const value: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const t = term(ids[i]!);
      if (t < 0) continue;
      at.push(t);
      value.push(values[i]!);
    }
    return { at: Int32Array.from(at), value: Float64Array.from(value) };
  };
  let sum = new Float64Array(0);
  let count = new Int32Array(0);
  let lastOnly: ReadonlySet<string> | undefined;
  let lastWanted = new Uint8Array(0);
  return (p, only) => {
    let c = centred.get(p);
    if (!c) centred.set(p, (c = centre(p)));
    if (sum.length < terms.length)
      [sum, count] = [new Float64Array(2 * terms.length), new Int32Array(2 * terms.length)];
    // The words asked for, by term index (one set serves a whole pass over the prompts).
    if (only && only !== lastOnly) {
      lastOnly = only;
      lastWanted = new Uint8Array(terms.length);
      for (const w of only) if (termIndex.has(w)) lastWanted[termIndex.get(w)!] = 1;
    }
    const wanted = only ? lastWanted : null;
    const touched: number[] = [];
    for (let i = 0; i < c.at.length; i++) {
      const t = c.at[i]!;
      if (only && (t < wanted!.length ? wanted![t] !== 1 : !only.has(terms[t]!))) continue;
      if (count[t] === 0) {
        touched.push(t);
        sum[t] = c.value[i]!;
      } else sum[t]! += c.value[i]!;
      count[t]!++;
    }
    const out = new Map<string, number>();
    for (const t of touched) {
      out.set(terms[t]!, sum[t]! / count[t]!);
      sum[t] = 0;
      count[t] = 0;
    }
    return out;
  };
}

export function discoverTokenShifts(
  prompts: readonly ShiftPrompt[],
  textOf: (id: number) => string,
  replyWords: ReadonlySet<string>,
  split: Split,
  { perDirection = 6, minZ = 2, minPrompts = 3 } = {},
  meansOf = shiftMeans(textOf, replyWords),
): { candidates: TokenShiftCandidate[]; scored: number } {
  const means = new Map(prompts.filter((p) => split.discovery.has(p.id)).map((p) => [p.id, meansOf(p)]));
  const clusterOf = new Map(prompts.map((p) => [p.id, p.cluster]));
  const { chosen, scored } = rankTerms(means, split.discovery, clusterOf, { perDirection, minZ, minPrompts });
  const wanted = new Set(chosen.map((c) => c.term));
  if (wanted.size > 0) for (const p of prompts) if (!means.has(p.id)) means.set(p.id, meansOf(p, wanted));
  const candidates = chosen.map(({ term: t, z }) => {
    const shift = new Map<string, number>();
    for (const p of prompts) {
      const v = means.get(p.id)!.get(t);
      if (v !== undefined) shift.set(p.id, v);
    }
    return { term: t, spec: shiftFeature(t), z, shift };
  });
  return { candidates, scored };
}
