// Where a behaviour happens: what the prompts where it happens have in common that the others lack. Candidates —
// prompt words (a union of the words most enriched where the paired difference points the behaviour's way) and
// prompt categories — are chosen on the discovery half and each tested once on the confirmation half by a
// one-sided Mann–Whitney test of the prompt's paired difference with vs without the trait (Bonferroni over the
// candidates tested). A condition that does not hold on prompts it was not chosen on is not shown.

import { words } from '../distinctive-words.ts';
import { mannWhitneyGreater } from '../../stats/index.ts';
import type { Condition } from '../report-types.ts';
import { FUNCTION_WORDS } from './function-words.ts';
import type { Split } from './split.ts';

export interface PromptTraits {
  id: string;
  category: string;
  text: string;
}

interface Candidate {
  kind: 'prompt-words' | 'prompt-category';
  words?: string[];
  category?: string;
  has: (p: PromptTraits) => boolean;
  score: number;
}

/** Enrichment of the signed difference where a trait holds, on the discovery half: (mean with − mean without) / sd. */
function lift(ds: readonly { p: PromptTraits; d: number }[], has: (p: PromptTraits) => boolean): number {
  const inside = ds.filter((x) => has(x.p)).map((x) => x.d);
  const outside = ds.filter((x) => !has(x.p)).map((x) => x.d);
  if (inside.length < 2 || outside.length < 1) return 0;
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const all = ds.map((x) => x.d);
  const m = mean(all);
  const sd = Math.sqrt(all.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, all.length - 1));
  return sd > 0 ? (mean(inside) - mean(outside)) / sd : 0;
}

export interface ConditionOptions {
  alpha: number;
  /** Most words in a word condition. */
  maxWords?: number;
  /** Smallest discovery-half lift for a word. */
  minLift?: number;
}

/**
 * `diffs`: the behaviour's paired difference per prompt (B − A), signed so that positive is the behaviour's way.
 * Returns null when no candidate is confirmed.
 */
export function findCondition(
  diffs: ReadonlyMap<string, number>,
  prompts: readonly PromptTraits[],
  split: Split,
  { alpha, maxWords = 6, minLift = 0.8 }: ConditionOptions,
): Condition | null {
  const scoped = prompts.filter((p) => diffs.has(p.id));
  const disc = scoped.filter((p) => split.discovery.has(p.id)).map((p) => ({ p, d: diffs.get(p.id)! }));
  const conf = scoped.filter((p) => split.confirmation.has(p.id)).map((p) => ({ p, d: diffs.get(p.id)! }));
  if (disc.length < 4 || conf.length < 4) return null;
  const wordSets = new Map(scoped.map((p) => [p.id, new Set(words(p.text))]));

  // Words of at least two discovery prompts and at most half of all prompts (common words describe nothing).
  const df = new Map<string, number>();
  for (const { p } of disc) for (const w of wordSets.get(p.id)!) df.set(w, (df.get(w) ?? 0) + 1);
  const dfAll = new Map<string, number>();
  for (const p of scoped) for (const w of wordSets.get(p.id)!) dfAll.set(w, (dfAll.get(w) ?? 0) + 1);
  // Words whose prompts show the behaviour more than the others, by their mean signed difference; then a greedy
  // union: a word joins while it raises the union's lift (so several trigger words together make one condition).
  const meanD = disc.reduce((x, y) => x + y.d, 0) / disc.length;
  const ranked = [...df.entries()]
    .filter(([w, n]) => n >= 2 && dfAll.get(w)! <= scoped.length / 2 && !FUNCTION_WORDS.has(w))
    .map(([w, n]) => {
      const inside = disc.filter((x) => wordSets.get(x.p.id)!.has(w));
      return { w, n, mean: inside.reduce((x, y) => x + y.d, 0) / inside.length };
    })
    .filter((x) => x.mean > meanD)
    .sort((x, y) => y.mean - x.mean || y.n - x.n || (x.w < y.w ? -1 : 1));
  const chosen: string[] = [];
  let bestLift = 0;
  for (const { w } of ranked) {
    if (chosen.length >= maxWords) break;
    const trial = [...chosen, w];
    const l = lift(disc, (p) => trial.some((x) => wordSets.get(p.id)!.has(x)));
    if (l > bestLift) {
      bestLift = l;
      chosen.push(w);
    }
  }
  const candidates: Candidate[] = [];
  if (chosen.length > 0 && bestLift >= minLift) {
    const has = (p: PromptTraits) => chosen.some((w) => wordSets.get(p.id)!.has(w));
    candidates.push({ kind: 'prompt-words', words: chosen, has, score: bestLift });
  }
  const categories = [...new Set(scoped.map((p) => p.category))];
  if (categories.length > 1) {
    const best = categories
      .map((c) => ({ c, score: lift(disc, (p) => p.category === c) }))
      .sort((x, y) => y.score - x.score || (x.c < y.c ? -1 : 1))[0]!;
    if (best.score >= minLift)
      candidates.push({ kind: 'prompt-category', category: best.c, has: (p) => p.category === best.c, score: best.score });
  }
  if (candidates.length === 0) return null;

  const tested = candidates.map((c) => {
    const inside = conf.filter((x) => c.has(x.p));
    const outside = conf.filter((x) => !c.has(x.p));
    const r = mannWhitneyGreater(
      inside.map((x) => x.d),
      outside.map((x) => x.d),
    );
    return { c, inside, outside, p: Math.min(1, r.p * candidates.length) };
  });
  const best = tested.filter((t) => t.inside.length > 0 && t.p < alpha).sort((x, y) => x.p - y.p)[0];
  if (!best) return null;
  const happens = (xs: typeof conf) => xs.filter((x) => x.d > 0).length;
  const everywhere = scoped.map((p) => ({ p, d: diffs.get(p.id)! }));
  const words_ = best.c.words
    ?.map((w) => {
      const withW = everywhere.filter((x) => wordSets.get(x.p.id)!.has(w));
      return { word: w, prompts: withW.length, happens: happens(withW) };
    })
    .filter((w) => w.happens > 0);
  const what =
    best.c.kind === 'prompt-words'
      ? `prompts that contain ${quoteList(words_!.map((w) => w.word))}`
      : `${best.c.category} prompts`;
  return {
    kind: best.c.kind,
    label: what,
    sentence:
      `on ${what} (held-out prompts: ${happens(best.inside)} of ${best.inside.length} with it vs ` +
      `${happens(best.outside)} of ${best.outside.length} without; Mann–Whitney p = ${fmtP(best.p)}, Bonferroni ×${candidates.length})`,
    ...(words_ ? { words: words_ } : {}),
    ...(best.c.category !== undefined ? { category: best.c.category } : {}),
    confirmation: {
      withTrait: best.inside.length,
      happensWith: happens(best.inside),
      withoutTrait: best.outside.length,
      happensWithout: happens(best.outside),
    },
    p: best.p,
    test: 'mann-whitney',
    candidatesTested: candidates.length,
  };
}

export function quoteList(ws: readonly string[], joiner: 'or' | 'and' = 'or'): string {
  const q = ws.map((w) => `“${w}”`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} ${joiner} ${q.at(-1)}`;
}

const fmtP = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));
