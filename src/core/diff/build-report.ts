// diff(pair, promptSet, options) → DiffReport: every feature tested overall and per prompt category, q-values
// across the whole report, token-level divergence, cross-likelihood, distinctive words and per-prompt detail.

import { FEATURES, type FeatureValue } from '../features/index.ts';
import type { ModelProfile, PairProfile } from '../profile/types.ts';
import type { Prompt, PromptSet } from '../prompts/index.ts';
import {
  benjaminiHochberg,
  mdePairedBinary,
  mdePairedContinuous,
  rankBiserialInterval,
  uniformStream,
} from '../stats/index.ts';
import { bits, crossBitsPerByte, pooledBitsPerByte, selfBitsPerByte, textSteps } from './cross-likelihood.ts';
import { distinctiveWords } from './distinctive-words.ts';
import { pairedTests, type PairedTest, type PairedValues } from './paired-tests.ts';
import { featuresReader } from './profile-features.ts';
import {
  REPORT_SCHEMA_VERSION,
  type DiffReport,
  type Difference,
  type Hunk,
  type ModelSummary,
  type PowerNote,
  type PromptDiff,
} from './report-types.ts';
import { sentence } from './sentences.ts';
import { buildBehaviours, type RowInput } from './discovery/behaviours.ts';
import { END_OF_TEXT, endOfTextOdds } from './discovery/end-of-text.ts';
import { splitPrompts } from './discovery/split.ts';
import { centredShifts, type ShiftPrompt } from './discovery/token-shifts.ts';
import type { ReplyPair } from './discovery/vocabulary.ts';
import { DISCOVERY_RESAMPLES, discover } from './discovery/discover.ts';
import type { ScoredReply } from './discovery/word-likelihood.ts';
import { verdictOf, type PromptDivergence } from './verdict.ts';
import { noiseByPrompt, noiseFloor } from './noise-floor.ts';
import { bySample, meanFeatures, perByte } from './samples.ts';
import {
  alignPositions,
  boostTallies,
  divergence,
  rankBoosts,
  tallyBoosts,
  type PositionPair,
} from './token-divergence.ts';
import { responseTokens, spellMemo } from './token-view.ts';

export const GENERATOR_VERSION = '0.1.0';

export interface DiffOptions {
  alpha?: number;
  resamples?: number;
  seed?: number;
  /** Prompt categories with fewer prompts get no per-category tests (too little power to say anything). */
  minCategorySize?: number;
  /**
   * Most prompts whose responses carry per-token evidence (surprisal, KL, alternatives: about 275 bytes a token).
   * Every prompt when the set is this small; otherwise the prompts the differences cite, then those where the
   * models' next-token distributions differ most.
   */
  tokenDetailLimit?: number;
  /** false: no discovered differences (words, likelihoods, token shifts) — for measuring what discovery costs. */
  discover?: boolean;
  /**
   * Tests made outside the profile (the crosscoder's held-out confirmations of its candidates): rows of the report,
   * under the same FDR correction as every other row.
   */
  extraTests?: readonly ExtraTest[];
}

/** A paired test made elsewhere, with its per-prompt values (B − A per prompt feeds behaviours). */
export interface ExtraTest {
  test: PairedTest;
  values: PairedValues;
}

export const TOKEN_DETAIL_LIMIT = 250;

/** The prompts that get per-token evidence: all up to `limit`, else the cited ones and the most divergent. */
function withTokenDetail(prompts: PromptDiff[], differences: readonly Difference[], limit: number): PromptDiff[] {
  if (prompts.length <= limit) return prompts;
  const rank = new Map<string, number>();
  for (const d of differences)
    if (d.significant) for (const id of d.examples) if (!rank.has(id)) rank.set(id, rank.size);
  const cited = (p: PromptDiff) => rank.get(p.id) ?? Infinity;
  return [...prompts]
    .sort((x, y) => cited(x) - cited(y) || (y.kl?.max ?? -1) - (x.kl?.max ?? -1) || (x.id < y.id ? -1 : 1))
    .slice(0, limit);
}

const CATEGORY_ORDER = ['safety', 'capability', 'response-pattern', 'confidence'] as const;

function summary(p: ModelProfile): ModelSummary {
  const m = p.model;
  return {
    label: p.label,
    spec: p.spec,
    id: m.id,
    engine: m.engine,
    architecture: m.architecture,
    vocabSize: m.vocabSize,
    device: m.device,
    dtype: m.dtype,
    parameterBytes: m.parameterBytes,
    tokenizerFingerprint: m.tokenizerFingerprint,
  };
}

/** Linked prompts (a harmful prompt and its benign look-alike, a follow-up and its first turn) share a cluster. */
export function clusters(prompts: readonly Prompt[]): Map<string, number> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const r = find(p);
    parent.set(x, r);
    return r;
  };
  for (const p of prompts) if (p.pair) parent.set(find(p.id), find(p.pair));
  const ids = new Map<string, number>();
  const out = new Map<string, number>();
  for (const p of prompts) {
    const root = find(p.id);
    if (!ids.has(root)) ids.set(root, ids.size);
    out.set(p.id, ids.get(root)!);
  }
  return out;
}

function promptText(p: Prompt): string {
  if (p.prompt !== undefined) return p.prompt;
  return p.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

export function diff(pair: PairProfile, set: PromptSet, options: DiffOptions = {}): DiffReport {
  const alpha = options.alpha ?? 0.05;
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const minCategorySize = options.minCategorySize ?? 10;
  // Every bootstrap of the report draws from the same seed: its uniforms are made once (same draws, same intervals).
  const uniforms = uniformStream(seed);
  const byId = new Map(set.prompts.map((p) => [p.id, p]));
  // Each prompt's samples, in sample order (one per prompt without samples).
  const recsA = bySample(pair.a.records);
  const recsB = bySample(pair.b.records);
  const scoresAB = bySample(pair.aUnderB);
  const scoresBA = bySample(pair.bUnderA);
  let samples = 1;
  const cluster = clusters(set.prompts);
  const same = pair.a.model.tokenizerFingerprint === pair.b.model.tokenizerFingerprint;
  const featuresA = featuresReader(pair.a, set);
  const featuresB = featuresReader(pair.b, set);
  // Texts of the scorer's tokens: with one vocabulary either model's table will do.
  // Token texts as maps: a profile's table is an object with integer keys, sparse over the vocabulary, where every
  // lookup is a dictionary probe (10⁵ of them spell the replies).
  const [tableA, tableB] = [textTable(pair.a.tokenTexts), textTable(pair.b.tokenTexts)];
  const textIn = (table: Map<number, string>, other: Map<number, string>) => (id: number) =>
    table.get(id) ?? (same ? other.get(id) : undefined) ?? `#${id}`;
  const textA = textIn(tableA, tableB);
  const textB = textIn(tableB, tableA);
  // Each reply's tokens are spelled once: for discovered word likelihoods and again for the token view.
  const spell = spellMemo();

  // Per-prompt features and token-level positions.
  const rows: {
    id: string;
    cluster: number;
    category: string;
    a: Record<string, FeatureValue>;
    b: Record<string, FeatureValue>;
  }[] = [];
  const prompts: PromptDiff[] = [];
  /** Per-token evidence is made last, for the prompts chosen to carry it (see tokenDetailLimit). */
  const tokenDetail = new Map<string, (p: PromptDiff) => void>();
  const replyPairs: ReplyPair[] = [];
  const promptPositions: ShiftPrompt[] = [];
  const discovering = options.discover !== false;
  // Positions are tallied prompt by prompt and not kept (10⁵ small arrays alive to the end cost every collection).
  const boosts = boostTallies();
  let klSum = 0;
  let jsSum = 0;
  let positionCount = 0;
  const scoredReplies: { id: string; cluster: number; replies: ScoredReply[] }[] = [];
  const divergence_: PromptDivergence[] = [];
  const eosIds = new Set([...pair.a.model.eosTokenIds, ...pair.b.model.eosTokenIds]);
  const cross = { ab: [] as { bits: number; bytes: number }[], ba: [] as { bits: number; bytes: number }[] };
  const self = { a: [] as { bits: number; bytes: number }[], b: [] as { bits: number; bytes: number }[] };
  for (const [id, ras] of recsA) {
    const prompt = byId.get(id);
    const rbs = recsB.get(id);
    const sabs = scoresAB.get(id);
    const sbas = scoresBA.get(id);
    const k = ras.length;
    if (!prompt || rbs?.length !== k || sabs?.length !== k || sbas?.length !== k) continue;
    samples = Math.max(samples, k);
    const ra = ras[0]!;
    const rb = rbs[0]!;
    const sab = sabs[0]!;
    const sba = sbas[0]!;
    const fas = ras.map((r) => featuresA(r, prompt));
    const fbs = rbs.map((r) => featuresB(r, prompt));
    // Per sample: positions of both replies (one vocabulary), bits, and the replies for discovery.
    const here: PositionPair[] = [];
    const replies: ScoredReply[] = [];
    let llrSum = 0;
    let llrUnavailable = false;
    for (let j = 0; j < k; j++) {
      const [x, y, sx, sy] = [ras[j]!, rbs[j]!, sabs[j]!, sbas[j]!];
      // Each reply's own steps and bits once (textSteps copies the steps of a reply that ended).
      const [ox, oy] = [textSteps(x), textSteps(y)];
      const [bx, by, bsx, bsy] = [bits(ox), bits(oy), bits(sx.tokens), bits(sy.tokens)];
      if (same) here.push(...alignPositions(ox, sx.tokens, true), ...alignPositions(oy, sy.tokens, false));
      replies.push(
        { text: x.text, own: ox, ownText: textA, other: sx.tokens, otherText: textB, ownerIsB: false, spell },
        { text: y.text, own: oy, ownText: textB, other: sy.tokens, otherText: textA, ownerIsB: true, spell },
      );
      if (sx.unavailable || sy.unavailable) llrUnavailable = true;
      else llrSum += (perByte(bsx - bx, sx.bytes) + perByte(bsy - by, sy.bytes)) / 2;
      if (!sx.unavailable) cross.ab.push({ bits: bsx, bytes: sx.bytes });
      if (!sy.unavailable) cross.ba.push({ bits: bsy, bytes: sy.bytes });
      self.a.push({ bits: bx, bytes: sx.bytes });
      self.b.push({ bits: by, bytes: sy.bytes });
    }
    // With samples, each feature is its mean over the prompt's samples (a binary one becomes a proportion): the
    // prompt stays the unit of every test.
    const fa = k === 1 ? fas[0]! : meanFeatures(fas);
    const fb = k === 1 ? fbs[0]! : meanFeatures(fbs);
    // At the positions of both replies' text (the end-of-text step itself is scored by its owner only).
    const eos = same ? endOfTextOdds(here, eosIds) : null;
    const c = cluster.get(id)!;
    rows.push({
      id,
      cluster: c,
      category: prompt.category,
      a: { ...fa, [END_OF_TEXT.name]: eos?.a ?? null },
      b: { ...fb, [END_OF_TEXT.name]: eos?.b ?? null },
    });
    replyPairs.push({ id, cluster: c, a: ras.map((r) => r.text), b: rbs.map((r) => r.text) });
    if (same && discovering) promptPositions.push({ id, cluster: c, centred: centredShifts(here) });
    if (same) tallyBoosts(here, boosts);
    scoredReplies.push({ id, cluster: c, replies });
    const hereDivs = here.map(divergence);
    for (const d of hereDivs) {
      klSum += d.kl;
      jsSum += d.js;
    }
    positionCount += hereDivs.length;
    const kls = hereDivs.map((d) => d.kl);
    const sameReplies = ras.every(
      (x, j) => x.tokens.length === rbs[j]!.tokens.length && x.tokens.every((t, i) => t.id === rbs[j]!.tokens[i]!.id),
    );
    if (same && kls.length > 0)
      divergence_.push({
        id,
        cluster: c,
        value: kls.reduce((x, y) => x + y, 0) / kls.length,
        maxKl: Math.max(...kls),
        sameReplies,
      });
    else if (same && sameReplies && ra.tokens.length <= 1)
      divergence_.push({ id, cluster: c, value: 0, maxKl: 0, sameReplies });
    else if (!same && !llrUnavailable) divergence_.push({ id, cluster: c, value: llrSum / k, sameReplies: false });
    tokenDetail.set(prompt.id, (p) => {
      const ownA = same ? { own: textSteps(ra), ownerIsA: true } : null;
      const ownB = same ? { own: textSteps(rb), ownerIsA: false } : null;
      p.a.tokens = responseTokens(ra.text, sab.tokens, textB, ownA, spell);
      p.b.tokens = responseTokens(rb.text, sba.tokens, textA, ownB, spell);
    });
    prompts.push({
      id: prompt.id,
      category: prompt.category,
      ...(prompt.subcategory ? { subcategory: prompt.subcategory } : {}),
      harmful: prompt.harmful === true,
      prompt: promptText(prompt),
      ...(k > 1 ? { samples: k } : {}),
      a: {
        text: ra.text,
        tokenCount: textSteps(ra).length,
        stop: ra.stop,
        features: fas[0]!,
        selfBitsPerByte: selfBitsPerByte(ra),
        crossBitsPerByte: crossBitsPerByte(sab),
      },
      b: {
        text: rb.text,
        tokenCount: textSteps(rb).length,
        stop: rb.stop,
        features: fbs[0]!,
        selfBitsPerByte: selfBitsPerByte(rb),
        crossBitsPerByte: crossBitsPerByte(sba),
      },
      kl: kls.length ? { mean: kls.reduce((s, x) => s + x, 0) / kls.length, max: Math.max(...kls) } : null,
    });
  }

  // Paired tests: every testable feature overall, then within each large enough prompt category.
  const categories = [...new Set(rows.map((r) => r.category))].sort();
  const raw: Omit<Difference, 'q' | 'significant' | 'sentence'>[] = [];
  const rawValues: PairedValues[] = [];
  /** Per row, its paired values (turned into per-prompt differences only for the rows behaviours need). */
  const rowDiffs: (PairedValues | Map<string, number>)[] = [];
  const rowMatched: (Map<string, number> | undefined)[] = [];
  const minEffect = new Map<number, number>();
  const power: PowerNote[] = [];
  for (const scope of [null, ...categories]) {
    const scoped = scope === null ? rows : rows.filter((r) => r.category === scope);
    if (scope !== null && (scoped.length < minCategorySize || categories.length < 2)) continue;
    let discordant = 0;
    let binaryPairs = 0;
    for (const { spec, values, test: t } of pairedTests(scope === null ? SPECS : FEATURES, scoped, scope, {
      resamples,
      seed,
      uniforms,
    })) {
      raw.push(t);
      rawValues.push(values);
      rowDiffs.push(values);
      if (spec.kind === 'binary') {
        binaryPairs += values.a.length;
        discordant += values.a.filter((x, i) => x !== values.b[i]).length;
      }
    }
    const n = scoped.length;
    // In the report as in its JSON: a size that cannot be reached (Infinity, NaN) is null, not a number.
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    power.push({
      promptCategory: scope,
      n,
      mdeBinary: finite(mdePairedBinary(n, binaryPairs > 0 ? Math.max(discordant / binaryPairs, 1 / n) : 1 / n)),
      mdeContinuous: finite(mdePairedContinuous(n)),
    });
  }
  for (let i = rowMatched.length; i < raw.length; i++) rowMatched.push(undefined);

  // Discovered differences: chosen on one seeded half of the prompts, tested on the other (discovery/split.ts).
  const split = splitPrompts(rows, seed);
  const found = !discovering
    ? { tests: [], scored: 0 }
    : discover(
        { rows, replies: replyPairs, positions: promptPositions, scored: scoredReplies, textOf: textA, same },
        split,
        { resamples, seed, uniforms },
      );
  for (const f of found.tests) {
    raw.push(f.test);
    rawValues.push(f.values);
    rowDiffs.push(f.diffs);
    rowMatched.push(f.matched);
    minEffect.set(raw.length - 1, f.minEffect);
  }
  // Tests made elsewhere (the crosscoder's held-out confirmations) join the one family.
  for (const x of options.extraTests ?? []) {
    raw.push(x.test);
    rawValues.push(x.values);
    rowDiffs.push(x.values);
    rowMatched.push(undefined);
  }
  const q = benjaminiHochberg(raw.map((d) => d.p));
  const names = { a: pair.a.label, b: pair.b.label };
  const differences: Difference[] = raw.map((d, i) => {
    const qi = q[i]!;
    const significant =
      qi < alpha &&
      d.effectSize.magnitude !== 'negligible' &&
      (d.ci[0] > 0 || d.ci[1] < 0) &&
      d.effect !== 0 &&
      Math.abs(d.effect) >= (minEffect.get(i) ?? 0);
    // The rank-biserial's own interval where the forest plot draws it (overall rows, and significant ones); the
    // mean difference's interval (ci) is in the feature's units.
    const v = rawValues[i]!;
    const effectSize =
      d.kind === 'continuous' && (significant || d.promptCategory === null)
        ? { ...d.effectSize, ci: interval(rankBiserialInterval(v.a, v.b, { clusters: v.clusters })) }
        : d.effectSize;
    return { ...d, effectSize, q: qi, significant, sentence: sentence({ ...d, q: qi, significant }, names) };
  });
  const order = differences.map((_, i) => i);
  order.sort((i, j) => {
    const x = differences[i]!;
    const y = differences[j]!;
    return (
      Number(y.significant) - Number(x.significant) ||
      Math.abs(y.effectSize.value) - Math.abs(x.effectSize.value) ||
      x.p - y.p ||
      (x.feature < y.feature ? -1 : x.feature > y.feature ? 1 : 0) ||
      String(x.promptCategory).localeCompare(String(y.promptCategory))
    );
  });
  const unsorted = differences.slice();
  differences.length = 0;
  const rowInputs: RowInput[] = order.map((i, index) => {
    differences.push(unsorted[i]!);
    const m = rowMatched[i];
    const d = unsorted[i]!;
    const v = rowDiffs[i]!;
    const diffs = !d.significant ? new Map<string, number>() : v instanceof Map ? v : diffsOf(v);
    return { index, diff: d, diffs, ...(m ? { matched: m } : {}) };
  });

  const lookAlikeClusters = new Set(set.prompts.filter((p) => p.harmful).map((p) => cluster.get(p.id)));
  const behaviours = buildBehaviours(rowInputs, {
    prompts: rows.map((r) => {
      const p = byId.get(r.id)!;
      return {
        id: r.id,
        category: r.category,
        text: promptText(p),
        harmful: p.harmful === true,
        lookAlike: p.harmful !== true && lookAlikeClusters.has(r.cluster),
      };
    }),
    split,
    alpha,
    names,
    clusterOf: new Map(rows.map((r) => [r.id, r.cluster])),
    // Refused on most of its samples (the only one without samples).
    refused: new Map(rows.map((r) => [r.id, { a: Number(r.a['refused']) > 0.5, b: Number(r.b['refused']) > 0.5 }])),
  });
  const noise = noiseByPrompt(pair, same);
  for (const d of divergence_) if (noise.has(d.id)) d.noise = noise.get(d.id)!;
  const verdict = verdictOf(divergence_, same ? 'kl' : 'llr', noiseFloor(pair, same, noise), {
    resamples,
    seed,
    uniforms,
    alpha,
  });
  const tested = found.tests.length;
  const scoredTerms = found.scored;
  for (const p of withTokenDetail(prompts, differences, options.tokenDetailLimit ?? TOKEN_DETAIL_LIMIT))
    tokenDetail.get(p.id)?.(p);
  const hunks: Hunk[] = CATEGORY_ORDER.map((category) => ({
    category,
    differences: differences.flatMap((d, i) => (d.significant && d.category === category ? [i] : [])),
  })).filter((h) => h.differences.length > 0);

  const { maxNewTokens, temperature, seed: settingsSeed, topK } = pair.a.settings;
  const tokenText = (id: number) => tableB.get(id) ?? tableA.get(id) ?? `#${id}`;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: 'model-diff', version: GENERATOR_VERSION },
    models: [summary(pair.a), summary(pair.b)],
    // Exactly the schema's fields (report-schema.ts rejects unknown ones), whatever else the caller's objects hold.
    promptSet: { id: pair.promptSet.id, name: pair.promptSet.name, hash: pair.promptSet.hash, n: pair.promptSet.n },
    settings: { maxNewTokens, temperature, seed: settingsSeed, topK, ...(samples > 1 ? { samples } : {}) },
    options: { alpha, resamples, seed, minCategorySize },
    verdict,
    behaviours,
    discovery: {
      method: 'split',
      seed,
      discoveryPrompts: split.discovery.size,
      confirmationPrompts: split.confirmation.size,
      candidatesScored: scoredTerms,
      candidatesTested: tested,
      sentence:
        `Words and phrases (1–3 words) said, words made likelier where said${same ? ', and words raised in the next-token choices' : ''} ` +
        `were scored on ${split.discovery.size} prompts chosen at random (seed ${seed}, linked prompts together): ` +
        `the strongest were tested on the other ${split.confirmation.size}, and the same the other way round ` +
        `(${scoredTerms} candidates scored, ${tested} tested; each tested one-sided, in the direction it was chosen for, its p doubled for the two looks; intervals from ` +
        `${Math.min(resamples, DISCOVERY_RESAMPLES)} paired-bootstrap resamples), with every other test of this ` +
        `report under one FDR correction.`,
    },
    differences,
    hunks,
    power,
    tokens: {
      sameTokenizer: same,
      meanKl: same && positionCount > 0 ? klSum / positionCount : null,
      meanJs: same && positionCount > 0 ? jsSum / positionCount : null,
      ...(same ? rankBoosts(boosts, tokenText) : { boostedInA: [], boostedInB: [] }),
    },
    crossLikelihood: {
      aUnderB: pooledBitsPerByte(cross.ab),
      bUnderA: pooledBitsPerByte(cross.ba),
      aUnderA: pooledBitsPerByte(self.a),
      bUnderB: pooledBitsPerByte(self.b),
    },
    words: distinctiveWords(
      prompts.map((p) => p.a.text),
      prompts.map((p) => p.b.text),
    ),
    prompts,
  };
}

/** Every feature the report tests over all prompts: the extractors' and the pre-specified end-of-text shift (which
 * is not repeated per prompt category: where it matters, a length behaviour says so). */
const SPECS = [...FEATURES, END_OF_TEXT];

/** A profile's token texts by id (its own keys only, as indexing the object finds them). */
function textTable(texts: Record<number, string>): Map<number, string> {
  const out = new Map<number, string>();
  for (const key of Object.keys(texts)) {
    const id = Number(key);
    const text = texts[id];
    if (String(id) === key && text !== undefined) out.set(id, text);
  }
  return out;
}

const diffsOf = (v: PairedValues) => new Map(v.promptIds.map((id, i) => [id, v.b[i]! - v.a[i]!]));

const interval = (b: { lower: number; upper: number }): [number, number] => [b.lower, b.upper];
