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

type Prompt = { id: string; cluster: number; positions: readonly PositionPair[] };

/**
 * Per prompt, the mean centred shift of every word among its positions' candidates; memoised per prompt (a report's
 * two looks of the split read the same prompts).
 */
export function shiftMeans(
  textOf: (id: number) => string,
  replyWords: ReadonlySet<string>,
): (p: Prompt) => ReadonlyMap<string, number> {
  const termOfId = new Map<number, string | null>();
  const term = (id: number) => {
    let t = termOfId.get(id);
    if (t === undefined) {
      const w = textOf(id).trim().toLowerCase();
      t = WORDLIKE.test(w) && replyWords.has(w) ? w : null;
      termOfId.set(id, t);
    }
    return t;
  };
  const shifts = new Float64Array(64);
  const sorted = new Float64Array(64);
  const memo = new Map<Prompt, ReadonlyMap<string, number>>();
  return (p) => {
    const known = memo.get(p);
    if (known) return known;
    const acc = new Map<string, { s: number; n: number }>();
    for (const pos of p.positions) {
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
        const t = term(pos.ids[i]!);
        if (t === null) continue;
        const v = shifts[i]! - median;
        if (!Number.isFinite(v)) continue;
        const e = acc.get(t);
        if (e) {
          e.s += v;
          e.n++;
        } else acc.set(t, { s: v, n: 1 });
      }
    }
    const out = new Map([...acc].map(([t, e]) => [t, e.s / e.n]));
    memo.set(p, out);
    return out;
  };
}

export function discoverTokenShifts(
  prompts: readonly Prompt[],
  textOf: (id: number) => string,
  replyWords: ReadonlySet<string>,
  split: Split,
  { perDirection = 6, minZ = 2, minPrompts = 3 } = {},
  meansOf = shiftMeans(textOf, replyWords),
): { candidates: TokenShiftCandidate[]; scored: number } {
  const means = new Map(prompts.filter((p) => split.discovery.has(p.id)).map((p) => [p.id, meansOf(p)]));
  const clusterOf = new Map(prompts.map((p) => [p.id, p.cluster]));
  const { chosen, scored } = rankTerms(means, split.discovery, clusterOf, { perDirection, minZ, minPrompts });
  const candidates = chosen.map(({ term: t, z }) => {
    const shift = new Map<string, number>();
    for (const p of prompts) {
      const v = meansOf(p).get(t);
      if (v !== undefined) shift.set(p.id, v);
    }
    return { term: t, spec: shiftFeature(t), z, shift };
  });
  return { candidates, scored };
}
