// Where a behaviour happens: what the prompts where it happens have in common that the others lack. The unit is a
// cluster of linked prompts (a harmful prompt with its benign look-alike; a prompt alone otherwise): its value is
// the mean of its prompts' paired differences, its words those of any of its prompts. The search — a union of
// words grown greedily while it raises the two-sample z of the units with any of them against the rest (so several
// rare trigger words make one condition, and a rare word alone wins only by a wide gap), against the single best
// prompt category — runs on all units, and again on 199 permutations of the values among the units (99 beyond 200
// units). The condition's p is the share of permutations whose best search result is at least as strong as the real
// one (the permutation distribution of the maximum): it accounts for every word and category the search could have
// picked. A split was tried first and
// dropped: a trigger word occurs in a few prompts, so a half-set rarely holds it on both sides.

import { createRng } from '../../random.ts';
import { words } from '../distinctive-words.ts';
import type { Condition } from '../report-types.ts';
import { FUNCTION_WORDS } from './function-words.ts';

export interface PromptTraits {
  id: string;
  category: string;
  text: string;
}

export interface ConditionOptions {
  alpha: number;
  /** Cluster of each prompt (linked prompts permute together). */
  clusterOf: ReadonlyMap<string, number>;
  seed: number;
  permutations?: number;
  /** Most words in a word condition. */
  maxWords?: number;
  /** Smallest effect ((mean with − mean without) / sd) worth calling a condition. */
  minLift?: number;
  /** Most candidate words scored (the most frequent are kept). */
  maxCandidates?: number;
  /** The words of a prompt's text (a report's behaviours pass one memo to all their searches). */
  wordsOf?: (text: string) => ReadonlySet<string>;
}

/** A memo of {@link words} as sets, for many searches over the same prompts. */
export function promptWordsMemo(): (text: string) => ReadonlySet<string> {
  const memo = new Map<string, ReadonlySet<string>>();
  return (text) => {
    let ws = memo.get(text);
    if (!ws) memo.set(text, (ws = new Set(words(text))));
    return ws;
  };
}

interface Found {
  kind: 'prompt-words' | 'prompt-category';
  words: string[];
  category: string | null;
  /** The search's score (a two-sample z), compared with the permutations'. */
  lift: number;
  /** The effect: (mean with the trait − mean without) / sd. */
  size: number;
}

/** The search on one assignment of values to prompts: the best word union and the best category, by lift. */
function search(
  d: Float64Array,
  has: readonly Int32Array[],
  vocab: readonly string[],
  categoryOf: readonly number[],
  categories: readonly string[],
  maxWords: number,
): { single: Found; union: Found } {
  const n = d.length;
  let total = 0;
  let total2 = 0;
  for (let i = 0; i < n; i++) {
    total += d[i]!;
    total2 += d[i]! * d[i]!;
  }
  const mean = total / n;
  const sd = Math.sqrt(Math.max(0, (total2 - n * mean * mean) / Math.max(1, n - 1)));
  // The search's score: a two-sample z of the units with the trait against the rest (a trait of two units needs a
  // far bigger gap than one of twenty to score as high), so rare words do not win by luck.
  const liftOf = (inside: number, count: number) =>
    count < 2 || count >= n || sd === 0
      ? 0
      : (inside / count - (total - inside) / (n - count)) / (sd * Math.sqrt(1 / count + 1 / (n - count)));
  // Greedy union: each step adds the word that raises the union's lift most (words that only repeat units already
  // covered add nothing), while the lift rises.
  const candidates: number[] = [];
  for (let w = 0; w < vocab.length; w++) {
    let s = 0;
    const units = has[w]!;
    for (let k = 0; k < units.length; k++) s += d[units[k]!]!;
    if (units.length > 0 && s / units.length > mean) candidates.push(w);
  }
  const inUnion = new Uint8Array(n);
  let inside = 0;
  let count = 0;
  let best = 0;
  const chosen: number[] = [];
  let first: { w: number; z: number; s: number; c: number } | null = null;
  while (chosen.length < maxWords) {
    let pick = -1;
    let pickLift = best;
    let pickS = 0;
    let pickC = 0;
    for (const w of candidates) {
      let addS = 0;
      let addC = 0;
      const units = has[w]!;
      for (let k = 0; k < units.length; k++) {
        const i = units[k]!;
        if (!inUnion[i]) {
          addS += d[i]!;
          addC++;
        }
      }
      if (addC === 0) continue;
      const l = liftOf(inside + addS, count + addC);
      if (l > pickLift + 1e-12) {
        pick = w;
        pickLift = l;
        pickS = addS;
        pickC = addC;
      }
    }
    if (pick < 0) break;
    if (!first) first = { w: pick, z: pickLift, s: pickS, c: pickC };
    chosen.push(pick);
    best = pickLift;
    inside += pickS;
    count += pickC;
    for (const i of has[pick]!) inUnion[i] = 1;
  }
  // Every category's sum in one pass (each in index order, as a pass per category would add them).
  let bestCat = -1;
  let catLift = 0;
  let catS = 0;
  let catC = 0;
  if (categories.length > 1) {
    const sums = new Float64Array(categories.length);
    const counts = new Int32Array(categories.length);
    for (let i = 0; i < n; i++) {
      const c = categoryOf[i]!;
      sums[c]! += d[i]!;
      counts[c]!++;
    }
    for (let c = 0; c < categories.length; c++) {
      const l = liftOf(sums[c]!, counts[c]!);
      if (l > catLift) {
        catLift = l;
        bestCat = c;
      }
    }
    if (bestCat >= 0) [catS, catC] = [sums[bestCat]!, counts[bestCat]!];
  }
  const sizeOf = (inside: number, count: number) =>
    count === 0 || count >= n || sd === 0 ? 0 : (inside / count - (total - inside) / (n - count)) / sd;
  // A category only where it beats the best word: words are the more specific description.
  const single: Found =
    catLift > (first?.z ?? 0) + 1e-9
      ? { kind: 'prompt-category', words: [], category: categories[bestCat]!, lift: catLift, size: sizeOf(catS, catC) }
      : first
        ? {
            kind: 'prompt-words',
            words: [vocab[first.w]!],
            category: null,
            lift: first.z,
            size: sizeOf(first.s, first.c),
          }
        : { kind: 'prompt-words', words: [], category: null, lift: 0, size: 0 };
  const union: Found = {
    kind: 'prompt-words',
    words: chosen.map((w) => vocab[w]!),
    category: null,
    lift: best,
    size: sizeOf(inside, count),
  };
  return { single, union };
}

/**
 * `diffs`: the behaviour's paired difference per prompt (B − A), signed so that positive is the behaviour's way.
 * Returns null when no condition beats the permutations.
 */
export function findCondition(
  diffs: ReadonlyMap<string, number>,
  prompts: readonly PromptTraits[],
  {
    alpha,
    clusterOf,
    seed,
    permutations,
    maxWords = 8,
    minLift = 0.8,
    maxCandidates = 100,
    wordsOf = promptWordsMemo(),
  }: ConditionOptions,
): Condition | null {
  const scoped = prompts.filter((p) => diffs.has(p.id));
  // Units: clusters of linked prompts.
  const unitOf = new Map<number, number>();
  // A unit of one prompt reads that prompt's word set; a second prompt gives the unit a copy of its own to add to.
  const units: { ids: string[]; words: ReadonlySet<string>; category: string; sum: number }[] = [];
  scoped.forEach((p, i) => {
    const c = clusterOf.get(p.id) ?? -1 - i;
    let u = unitOf.get(c);
    if (u === undefined) {
      unitOf.set(c, (u = units.length));
      units.push({ ids: [], words: wordsOf(p.text), category: p.category, sum: 0 });
    }
    const unit = units[u]!;
    unit.ids.push(p.id);
    if (unit.ids.length > 1) {
      const merged = new Set(unit.words);
      for (const w of wordsOf(p.text)) merged.add(w);
      unit.words = merged;
    }
    unit.sum += diffs.get(p.id)!;
  });
  const n = units.length;
  if (n < 8) return null;
  const df = new Map<string, number>();
  for (const u of units) for (const w of u.words) df.set(w, (df.get(w) ?? 0) + 1);
  // Words of at least two units and at most half of them (common words describe nothing), not function words.
  const vocab = [...df.entries()]
    .filter(([w, c]) => c >= 2 && c <= n / 2 && !FUNCTION_WORDS.has(w))
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, maxCandidates)
    .map(([w]) => w);
  // Each word's units, as a list (a word is in few units: the search walks these, not every unit).
  const vocabIndex = new Map(vocab.map((w, k) => [w, k]));
  const lists = vocab.map(() => [] as number[]);
  units.forEach((u, i) => {
    for (const w of u.words) {
      const k = vocabIndex.get(w);
      if (k !== undefined) lists[k]!.push(i);
    }
  });
  const has = lists.map((l) => Int32Array.from(l));
  const categories = [...new Set(units.map((u) => u.category))].sort();
  const categoryOf = units.map((u) => categories.indexOf(u.category));
  const d = Float64Array.from(units, (u) => u.sum / u.ids.length);
  // Two statistics from one search, each with its own permutation count: the best single trait (one word or one
  // category: a low bar under the null) and the best union of words (several rare trigger words: a higher bar).
  // The smaller p wins, doubled for the two looks.
  const real = search(d, has, vocab, categoryOf, categories, maxWords);
  // 199 permutations (p down to 0.005) for a few hundred units; 99 beyond, where each search walks many more units.
  permutations ??= n > 200 ? 99 : 199;
  const rng = createRng(seed ^ 0xc0d1);
  const perm = new Float64Array(n);
  const order = units.map((_, i) => i);
  let atLeastSingle = 0;
  let atLeastUnion = 0;
  const unionCounts = real.union.words.length > 1;
  for (let r = 0; r < permutations; r++) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const o = order[i]!;
      order[i] = order[j]!;
      order[j] = o;
    }
    for (let i = 0; i < n; i++) perm[i] = d[order[i]!]!;
    const null_ = search(perm, has, vocab, categoryOf, categories, maxWords);
    if (null_.single.lift >= real.single.lift - 1e-12) atLeastSingle++;
    if (null_.union.lift >= real.union.lift - 1e-12) atLeastUnion++;
    // Once neither p can fall below alpha / 2, the rest of the permutations cannot change the answer.
    const bound = (k: number) => (2 * (k + 1)) / (permutations + 1);
    if (bound(atLeastSingle) >= alpha && (!unionCounts || bound(atLeastUnion) >= alpha)) return null;
  }
  const pSingle = (atLeastSingle + 1) / (permutations + 1);
  const pUnion = unionCounts ? (atLeastUnion + 1) / (permutations + 1) : 1;
  // On a tie, the union when it separates as well: several words say more than one category.
  const observed =
    pUnion < pSingle || (pUnion === pSingle && real.union.size >= real.single.size - 1e-9) ? real.union : real.single;
  const p = Math.min(1, 2 * Math.min(pSingle, pUnion));
  if (!(p < alpha) || observed.size < minLift || observed.lift <= 0) return null;

  // Described over prompts.
  const promptWords = scoped.map((x) => wordsOf(x.text));
  const dp = scoped.map((x) => diffs.get(x.id)!);
  const np = scoped.length;
  const trait = (i: number) =>
    observed.kind === 'prompt-words'
      ? observed.words.some((w) => promptWords[i]!.has(w))
      : scoped[i]!.category === observed.category;
  let withTrait = 0;
  let happensWith = 0;
  let happensWithout = 0;
  for (let i = 0; i < np; i++) {
    const happens = dp[i]! > 0;
    if (trait(i)) {
      withTrait++;
      if (happens) happensWith++;
    } else if (happens) happensWithout++;
  }
  const wordStats = observed.words.map((w) => {
    const rows = scoped.map((_, i) => i).filter((i) => promptWords[i]!.has(w));
    return { word: w, prompts: rows.length, happens: rows.filter((i) => dp[i]! > 0).length };
  });
  const label =
    observed.kind === 'prompt-words'
      ? `prompts that contain ${quoteList(observed.words)}`
      : `${observed.category} prompts`;
  return {
    kind: observed.kind,
    label,
    sentence:
      `on ${label}: ${happensWith} of ${withTrait} prompts with it vs ${happensWithout} of ${np - withTrait} without ` +
      `(permutation p = ${fmtP(p)} for the best of ${vocab.length} words and ${categories.length} categories, ` +
      `linked prompts as one)`,
    ...(observed.kind === 'prompt-words' ? { words: wordStats } : { category: observed.category! }),
    confirmation: { withTrait, happensWith, withoutTrait: np - withTrait, happensWithout },
    p,
    test: 'permutation',
    candidatesTested: vocab.length + (categories.length > 1 ? categories.length : 0),
  };
}

export function quoteList(ws: readonly string[], joiner: 'or' | 'and' = 'or'): string {
  const q = ws.map((w) => `“${w}”`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} ${joiner} ${q.at(-1)}`;
}

const fmtP = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));
