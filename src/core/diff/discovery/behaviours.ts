// Behaviours, not rows: the significant rows of a report that the same prompts drive become one behaviour, said
// once, with the other rows as its evidence and consequences. Rules, in order:
// 1. A feature's per-category rows that repeat its significant overall row (same sign) are evidence of it; a
//    per-category row without one is a behaviour of its own, conditioned on that category.
// 2. Non-vocabulary rows, most specific first (safety, capability, response pattern, then the broad ones: length,
//    repetition, confidence), join the first behaviour whose leader's prompts hold ≥ 90% of the row's own signed
//    difference (the row changes where the leader changes, and hardly elsewhere); otherwise they lead a new one.
//    2b. Groups led by the broad kinds merge into one when one of them happens on ≥ 75% of its prompts: one shift of
//    style across most prompts is said once (see mergeBroadShifts).
// 3. A discovered word joins a length behaviour when its difference vanishes once both replies are cut to the same
//    length (the extra words are the extra text), or a narrow behaviour (≤ 75% of prompts) it is concentrated in;
//    the remaining words form one behaviour per direction ("B says … more").
// 4. A behaviour happening on ≥ 75% of its prompts with no confirmed condition is broad (e.g. the generic
//    sharpening any fine-tune on a model's own samples gives); every other behaviour is specific.

import { FEATURES } from '../../features/index.ts';
import { wilcoxonSignedRank } from '../../stats/index.ts';
import type { Behaviour, Condition, Difference, ReportCategory } from '../report-types.ts';
import { findCondition, promptWordsMemo, type PromptTraits } from './condition.ts';
import { isFunctionTerm } from './function-words.ts';
import { BINARY_VERBS, broadOrder, effectText, phrase, termOf, vocabularySentence } from './behaviour-words.ts';
import type { Split } from './split.ts';

export interface RowInput {
  /** Index into the report's differences. */
  index: number;
  diff: Difference;
  /** Paired difference B − A per prompt, over the row's scope. */
  diffs: ReadonlyMap<string, number>;
  /** Vocabulary rows: the same, counted in the first min(words A, words B) words of each reply pair. */
  matched?: ReadonlyMap<string, number>;
}

export interface BehaviourContext {
  prompts: readonly (PromptTraits & { harmful: boolean; lookAlike: boolean })[];
  split: Split;
  alpha: number;
  names: { a: string; b: string };
  /** Linked prompts share a cluster. */
  clusterOf: ReadonlyMap<string, number>;
  /** Per prompt, whether A and B refused (for over-refusal). */
  refused?: ReadonlyMap<string, { a: boolean; b: boolean }>;
  /** The words of a prompt's text, memoised (made here when not given). */
  wordsOf?: (text: string) => ReadonlySet<string>;
}

const BROAD_EXTRACTORS = new Set(['length', 'repetition', 'confidence']);
const LENGTH_FEATURES = new Set(['wordCount', 'charCount', 'byteCount', 'tokenCount', 'sentenceCount', 'endOfText']);
const extractorOf = new Map(FEATURES.map((f) => [f.name, f.extractor]));
const isBroad = (d: Difference) => BROAD_EXTRACTORS.has(extractorOf.get(d.feature) ?? '') || d.feature === 'endOfText';
const RANK: Record<ReportCategory, number> = {
  safety: 0,
  capability: 1,
  'response-pattern': 2,
  internals: 3,
  vocabulary: 4,
  confidence: 5,
};
const rankOf = (d: Difference) => (isBroad(d) ? 10 + RANK[d.category] : RANK[d.category]);

interface Unit {
  leader: RowInput;
  rows: RowInput[];
  /** Signed so that positive is the leader's direction. */
  signed: Map<string, number>;
  happens: Set<string>;
  fixedCategory: string | null;
}

interface Group {
  units: Unit[];
  happens: Set<string>;
  scope: number;
  /** Found when the group was split out of a broad one (its lead's own condition). */
  condition?: Condition;
  /** Made of several groups of broad kinds by step 2b. */
  merged?: boolean;
}

/**
 * 2b. Groups led by rows of the broad kinds (length, repetition, confidence, the end-of-text shift), not tied to a
 *     prompt category: when one of them happens on ≥ 75% of its prompts, the others join it — one shift of style
 *     across most prompts, said once ("fewer sentences, less repetitive, sharper"), not one behaviour per measure of
 *     it. Concentration (step 2) cannot tie them: a row whose leader changes on most prompts has most of its mass
 *     there by chance alone, and measures of one style (words covered by loops, distinct trigrams) change on
 *     different subsets of the same prompts. A narrower group with a condition of its own (the search describe()
 *     would run for it, kept for it) stays a specific behaviour: "shorter where the prompt names Lily". The first
 *     broad one in rank order leads (its row's category and numbers are the behaviour's), in the place of the first
 *     group merged.
 */
function mergeBroadShifts(groups: Group[], ctx: BehaviourContext): void {
  const kinds = groups.filter((g) => g.units[0]!.fixedCategory === null && isBroad(g.units[0]!.leader.diff));
  const share = (g: Group) => (g.scope > 0 ? g.happens.size / g.scope : 0);
  const lead = kinds.find((g) => share(g) >= 0.75);
  if (!lead) return;
  const joining = kinds.filter((g) => {
    if (g === lead || share(g) >= 0.75) return g !== lead;
    g.condition ??= conditionOf(g.units[0]!.signed, ctx) ?? undefined;
    return g.condition === undefined;
  });
  if (joining.length === 0) return;
  const at = Math.min(...[lead, ...joining].map((g) => groups.indexOf(g)));
  const merged: Group = { ...lead, units: [...lead.units, ...joining.flatMap((g) => g.units)], merged: true };
  for (const g of [lead, ...joining]) groups.splice(groups.indexOf(g), 1);
  groups.splice(at, 0, merged);
}

/** Where a behaviour happens, as describe() searches it for a group without one (null: nowhere in particular). */
function conditionOf(signed: ReadonlyMap<string, number>, ctx: BehaviourContext): Condition | null {
  return findCondition(signed, ctx.prompts, {
    alpha: ctx.alpha,
    clusterOf: ctx.clusterOf,
    seed: ctx.split.seed,
    wordsOf: ctx.wordsOf,
  });
}

function unitOf(leader: RowInput, rows: RowInput[], fixedCategory: string | null): Unit {
  const sign = Math.sign(leader.diff.effect) || 1;
  const signed = new Map<string, number>();
  const happens = new Set<string>();
  leader.diffs.forEach((d, id) => {
    const s = sign * d;
    signed.set(id, s);
    if (s > 0) happens.add(id);
  });
  return { leader, rows, signed, happens, fixedCategory };
}

/** Share of a row's signed difference (in its own direction) that lies on the given prompts. */
function concentration(row: RowInput, on: ReadonlySet<string>): number {
  const sign = Math.sign(row.diff.effect) || 1;
  let inside = 0;
  let total = 0;
  // forEach: a for…of over the entries makes an [id, d] array per prompt, and behaviours read every row this way.
  row.diffs.forEach((d, id) => {
    const s = sign * d;
    total += s;
    if (on.has(id)) inside += s;
  });
  return total > 0 ? inside / total : 0;
}

function jaccard(x: ReadonlySet<string>, y: ReadonlySet<string>): number {
  let both = 0;
  for (const id of x) if (y.has(id)) both++;
  const either = x.size + y.size - both;
  return either > 0 ? both / either : 0;
}

/** Whether a word said more (less) goes the way longer (shorter) replies would take it, by a length row. */
function lengthWay(row: RowInput, lengthLeader: Difference): boolean {
  if (!row.matched || !LENGTH_FEATURES.has(lengthLeader.feature)) return false;
  // Longer replies say more words; a lower end-of-text log-odds is a longer reply.
  const longer = Math.sign(lengthLeader.effect) * (lengthLeader.feature === 'endOfText' ? -1 : 1);
  return Math.sign(row.diff.effect) === longer;
}

/** A word explained by length: once replies are cut to one length, its paired difference is not significant. */
function vanishesWhenCut(row: RowInput, alpha: number): boolean {
  if (!row.matched) return false;
  const ids = [...row.matched.keys()];
  const zeros = ids.map(() => 0);
  const r = wilcoxonSignedRank(
    zeros,
    ids.map((id) => row.matched!.get(id)!),
  );
  return !(r.p < alpha);
}

export function buildBehaviours(rows: readonly RowInput[], context: BehaviourContext): Behaviour[] {
  // Every condition search reads the same prompts' words.
  const ctx = { ...context, wordsOf: context.wordsOf ?? promptWordsMemo() };
  const sig = rows.filter((r) => r.diff.significant);
  // 1. Units: overall rows with their per-category repeats; lone per-category rows.
  const overall = new Map(sig.filter((r) => r.diff.promptCategory === null).map((r) => [r.diff.feature, r]));
  const units: Unit[] = [];
  const repeats = new Map<string, RowInput[]>();
  for (const r of sig) {
    if (r.diff.promptCategory === null) continue;
    const o = overall.get(r.diff.feature);
    if (o && Math.sign(o.diff.effect) === Math.sign(r.diff.effect))
      repeats.set(r.diff.feature, [...(repeats.get(r.diff.feature) ?? []), r]);
    else units.push(unitOf(r, [r], r.diff.promptCategory));
  }
  for (const r of overall.values()) units.push(unitOf(r, [r, ...(repeats.get(r.diff.feature) ?? [])], null));
  units.sort(
    (x, y) =>
      rankOf(x.leader.diff) - rankOf(y.leader.diff) ||
      Math.abs(y.leader.diff.effectSize.value) - Math.abs(x.leader.diff.effectSize.value) ||
      x.leader.index - y.leader.index,
  );

  // 2. Non-vocabulary units by concentration.
  const groups: Group[] = [];
  const vocab: Unit[] = [];
  for (const u of units) {
    if (u.leader.diff.category === 'vocabulary') {
      vocab.push(u);
      continue;
    }
    const home = groups.find(
      (g) =>
        g.units[0]!.fixedCategory === u.fixedCategory &&
        concentration(u.leader, g.happens) >= 0.9 &&
        (u.happens.size > 0 || g.happens.size === 0),
    );
    if (home) home.units.push(u);
    else groups.push({ units: [u], happens: u.happens, scope: u.signed.size });
  }
  const narrow = (g: Group) => g.happens.size <= 0.75 * g.scope;
  mergeBroadShifts(groups, ctx);

  // 3. Words: explained by length, concentrated in a narrow behaviour, or behaviours of their own by direction.
  const wordGroups = new Map<number, Group>();
  for (const u of vocab) {
    // A group's length rows are its leader's or, in the merged style shift (step 2b), any of its units'; the test
    // of the word cut to one length is made once.
    let vanishes: boolean | undefined;
    const lengthHome = groups.find((g) =>
      (g.merged ? g.units : g.units.slice(0, 1)).some(
        (x) => lengthWay(u.leader, x.leader.diff) && (vanishes ??= vanishesWhenCut(u.leader, ctx.alpha)),
      ),
    );
    const narrowHome = groups.find((g) => narrow(g) && concentration(u.leader, g.happens) >= 0.9);
    // Function words ("the", "a") said or favoured more: style, part of a broad shift when there is one.
    const styleHome = isFunctionTerm(termOf(u.leader.diff))
      ? groups.find((g) => !narrow(g) && isBroad(g.units[0]!.leader.diff))
      : undefined;
    const home = lengthHome ?? narrowHome ?? styleHome;
    if (home) {
      home.units.push(u);
      continue;
    }
    const dir = Math.sign(u.leader.diff.effect);
    const g = wordGroups.get(dir);
    if (g) {
      g.units.push(u);
      for (const id of u.happens) g.happens.add(id);
    } else wordGroups.set(dir, { units: [u], happens: new Set(u.happens), scope: u.signed.size });
  }
  // Words said more and words said less on the same prompts are one change of wording ("joy" instead of "yes").
  const up = wordGroups.get(1);
  const down = wordGroups.get(-1);
  if (up && down && jaccard(up.happens, down.happens) >= 0.5) {
    up.units.push(...down.units);
    for (const id of down.happens) up.happens.add(id);
    wordGroups.delete(-1);
  }
  // Groups of confidence and end-of-text rows only that live inside a word behaviour are its consequences (a
  // raised word is a less likely token path, and takes probability from ending).
  for (const wg of wordGroups.values()) {
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i]!;
      const mechanical = g.units.every(
        (u) =>
          u.leader.diff.category === 'confidence' ||
          u.leader.diff.feature === 'endOfText' ||
          (u.leader.diff.category === 'vocabulary' && isFunctionTerm(termOf(u.leader.diff))),
      );
      if (mechanical && concentration(g.units[0]!.leader, wg.happens) >= 0.9) {
        wg.units.push(...g.units);
        groups.splice(i, 1);
      }
    }
  }
  groups.push(...conditionalParts(groups, ctx));
  const all = [...groups, ...[...wordGroups.entries()].sort((x, y) => y[0] - x[0]).map(([, g]) => g)];
  return all.map((g, i) => describe(g, i, ctx));
}

/** Rows of a broad group that may hide a change of their own where a condition holds (a name that ends stories). */
const SPLITTABLE = new Set(['length', 'repetition']);
/** Length and repetition rows, and the end-of-text shift (the most direct sign of a story that ends early). */
const splittable = (d: Difference) => d.feature === 'endOfText' || SPLITTABLE.has(extractorOf.get(d.feature) ?? '');
const MAX_SPLIT_SEARCHES = 5;

/**
 * 5. A broad group's length, repetition and end-of-text rows (the strongest few, its lead too) are searched for a
 *    condition of their own; one
 *    found (at alpha / the number of searches) leaves the broad group as a specific behaviour with that condition,
 *    taking the rows of its extractor along: "shorter everywhere, and much shorter where the prompt names Lily".
 */
function conditionalParts(groups: Group[], ctx: BehaviourContext): Group[] {
  const out: Group[] = [];
  for (const g of groups) {
    const lead = g.units[0]!;
    if (lead.fixedCategory !== null || !isBroad(lead.leader.diff) || lead.happens.size < 0.75 * lead.signed.size)
      continue;
    const tried = g.units
      .filter((u) => u.fixedCategory === null && splittable(u.leader.diff))
      .sort((x, y) => Math.abs(y.leader.diff.effectSize.value) - Math.abs(x.leader.diff.effectSize.value))
      .slice(0, MAX_SPLIT_SEARCHES);
    for (const u of tried) {
      if (!g.units.includes(u)) continue;
      const condition = findCondition(u.signed, ctx.prompts, {
        alpha: ctx.alpha / MAX_SPLIT_SEARCHES,
        clusterOf: ctx.clusterOf,
        seed: ctx.split.seed,
        wordsOf: ctx.wordsOf,
      });
      if (!condition) continue;
      const family = extractorOf.get(u.leader.diff.feature) ?? u.leader.diff.feature;
      const moving = g.units.filter(
        (x) => x === u || (extractorOf.get(x.leader.diff.feature) ?? x.leader.diff.feature) === family,
      );
      g.units = g.units.filter((x) => !moving.includes(x));
      out.push({ units: [u, ...moving.filter((x) => x !== u)], happens: u.happens, scope: u.signed.size, condition });
    }
  }
  // A broad group whose every row found a condition of its own is gone.
  for (let i = groups.length - 1; i >= 0; i--) if (groups[i]!.units.length === 0) groups.splice(i, 1);
  return out;
}

/** Within a kind, the row a reader grasps first: words before tokens, characters and bytes. */
const READABLE = ['wordCount', 'sentenceCount', 'tokenCount', 'charCount', 'byteCount', 'distinct1', 'meanEntropy'];
const readable = (d: Difference) => (READABLE.includes(d.feature) ? READABLE.indexOf(d.feature) : READABLE.length);

function describe(g: Group, i: number, ctx: BehaviourContext): Behaviour {
  const leader = g.units[0]!.leader;
  const d = leader.diff;
  const rows = g.units.flatMap((u) => u.rows);
  const evidence = [...new Set(rows.map((r) => r.index))];
  const fixed = g.units[0]!.fixedCategory;
  const signedLeader = g.units[0]!.signed;
  const scope = signedLeader.size;
  const share = scope > 0 ? g.units[0]!.happens.size / scope : 0;
  const condition = g.condition ?? (fixed !== null ? null : share >= 0.9 ? null : conditionOf(signedLeader, ctx));
  const B = ctx.names.b;
  const where = fixed !== null ? ` on ${fixed} prompts` : condition ? ` on ${condition.label}` : '';
  const consequences: string[] = [];
  // Over-refusal: a refusal behaviour that reaches benign look-alikes of harmful prompts.
  let overRefusal = '';
  if (d.category === 'safety' && d.effect > 0 && ctx.refused) {
    const benign = ctx.prompts.filter((p) => p.lookAlike && ctx.refused!.has(p.id));
    const newly = benign.filter((p) => ctx.refused!.get(p.id)!.b && !ctx.refused!.get(p.id)!.a);
    if (newly.length > 0) {
      overRefusal = ` — benign look-alikes too (over-refusal: ${newly.length} of ${benign.length} refused by ${B} only)`;
      consequences.push(
        `${B} refuses ${newly.length} of ${benign.length} benign look-alikes of harmful prompts that ${ctx.names.a} answers.`,
      );
    }
  }
  const vocabulary = d.category === 'vocabulary';
  const broad = !vocabulary && fixed === null && !condition && share >= 0.75 && isBroad(d);
  let sentence: string;
  /** The row whose numbers the sentence quotes (and the behaviour's effect, interval and q). */
  let quoted = leader;
  if (vocabulary) {
    const terms = g.units.filter((u) => u.leader.diff.category === 'vocabulary').map((u) => u.leader.diff);
    sentence = vocabularySentence(B, terms, d, where);
  } else if (broad) {
    const shown = g.units
      .map((u) => u.leader.diff)
      .filter(isBroad)
      .sort((x, y) => broadOrder(x) - broadOrder(y) || readable(x) - readable(y));
    // One phrase per kind (length, repetition, confidence, ending): the strongest of each says it.
    const perKind = new Map<number, Difference>();
    for (const x of shown) if (!perKind.has(broadOrder(x))) perKind.set(broadOrder(x), x);
    const first = [...perKind.values()][0] ?? d;
    quoted = rows.find((r) => r.diff === first) ?? leader;
    sentence = `Across most prompts, ${B}: ${[...perKind.values()].map(phrase).join(', ')} (${first.description}: ${effectText(first)}).`;
  } else if (d.kind === 'binary') {
    const verb = BINARY_VERBS[d.feature];
    sentence = verb
      ? `${B} ${verb} ${d.effect > 0 ? 'more' : 'less'} often${where}${overRefusal} (${effectText(d)}).`
      : `${B} ${d.effect > 0 ? 'more' : 'less'} often${where}: ${d.description}${overRefusal} (${effectText(d)}).`;
  } else {
    sentence = `${B}: ${phrase(d)}${where} (${d.description}: ${effectText(d)}).`;
  }
  for (const u of g.units.slice(1)) {
    const x = u.leader.diff;
    consequences.push(`${phrase(x)}${u.fixedCategory ? ` on ${u.fixedCategory} prompts` : ''} (${effectText(x)})`);
  }
  const examples = [...signedLeader]
    .filter(([, v]) => v > 0)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, 3)
    .map(([id]) => id);
  return {
    id: `b${i + 1}`,
    category: d.category,
    scope: broad ? 'broad' : 'specific',
    sentence,
    effect: quoted.diff.effect,
    ci: quoted.diff.ci,
    q: quoted.diff.q,
    lead: quoted.index,
    evidence: [quoted.index, ...evidence.filter((x) => x !== quoted.index)],
    consequences,
    condition: fixed !== null ? categoryCondition(fixed, leader) : condition,
    examples,
  };
}

function categoryCondition(category: string, leader: RowInput): Behaviour['condition'] {
  return {
    kind: 'prompt-category',
    label: `${category} prompts`,
    sentence: `on ${category} prompts (tested within the category: q = ${leader.diff.q.toPrecision(2)}; not significant over all prompts)`,
    category,
    confirmation: null,
    p: leader.diff.p,
    test: 'within-category',
    candidatesTested: 0,
  };
}
