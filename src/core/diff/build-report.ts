// diff(pair, promptSet, options) → DiffReport: every feature tested overall and per prompt category, q-values
// across the whole report, token-level divergence, cross-likelihood, distinctive words and per-prompt detail.

import { FEATURES, type FeatureValue } from '../features/index.ts';
import type { ModelProfile, PairProfile } from '../profile/types.ts';
import type { Prompt, PromptSet } from '../prompts/index.ts';
import { benjaminiHochberg, mdePairedBinary, mdePairedContinuous, rankBiserialInterval } from '../stats/index.ts';
import { bits, crossBitsPerByte, pooledBitsPerByte, selfBitsPerByte, textSteps } from './cross-likelihood.ts';
import { distinctiveWords } from './distinctive-words.ts';
import { pairedTests, type PairedValues } from './paired-tests.ts';
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
import { alignPositions, divergence, mineBoosts, type PositionPair } from './token-divergence.ts';
import { responseTokens } from './token-view.ts';

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
  const byId = new Map(set.prompts.map((p) => [p.id, p]));
  const recB = new Map(pair.b.records.map((r) => [r.promptId, r]));
  const scoreAB = new Map(pair.aUnderB.map((s) => [s.promptId, s]));
  const scoreBA = new Map(pair.bUnderA.map((s) => [s.promptId, s]));
  const cluster = clusters(set.prompts);
  const same = pair.a.model.tokenizerFingerprint === pair.b.model.tokenizerFingerprint;
  const featuresA = featuresReader(pair.a, set);
  const featuresB = featuresReader(pair.b, set);
  // Texts of the scorer's tokens: with one vocabulary either model's table will do.
  const textIn = (table: Record<number, string>, other: Record<number, string>) => (id: number) =>
    table[id] ?? (same ? other[id] : undefined) ?? `#${id}`;
  const textA = textIn(pair.a.tokenTexts, pair.b.tokenTexts);
  const textB = textIn(pair.b.tokenTexts, pair.a.tokenTexts);

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
  const positions: PositionPair[] = [];
  const divs: { kl: number; js: number }[] = [];
  const cross = { ab: [] as { bits: number; bytes: number }[], ba: [] as { bits: number; bytes: number }[] };
  const self = { a: [] as { bits: number; bytes: number }[], b: [] as { bits: number; bytes: number }[] };
  for (const ra of pair.a.records) {
    const prompt = byId.get(ra.promptId);
    const rb = recB.get(ra.promptId);
    const sab = scoreAB.get(ra.promptId);
    const sba = scoreBA.get(ra.promptId);
    if (!prompt || !rb || !sab || !sba) continue;
    const fa = featuresA(ra, prompt);
    const fb = featuresB(rb, prompt);
    rows.push({ id: prompt.id, cluster: cluster.get(prompt.id)!, category: prompt.category, a: fa, b: fb });
    const here = same
      ? [...alignPositions(textSteps(ra), sab.tokens, true), ...alignPositions(textSteps(rb), sba.tokens, false)]
      : [];
    const hereDivs = here.map(divergence);
    for (let j = 0; j < here.length; j++) {
      positions.push(here[j]!);
      divs.push(hereDivs[j]!);
    }
    const kls = hereDivs.map((d) => d.kl);
    if (!sab.unavailable) cross.ab.push({ bits: bits(sab.tokens), bytes: sab.bytes });
    if (!sba.unavailable) cross.ba.push({ bits: bits(sba.tokens), bytes: sba.bytes });
    self.a.push({ bits: bits(textSteps(ra)), bytes: sab.bytes });
    self.b.push({ bits: bits(textSteps(rb)), bytes: sba.bytes });
    tokenDetail.set(prompt.id, (p) => {
      p.a.tokens = responseTokens(ra.text, sab.tokens, textB, same ? { own: textSteps(ra), ownerIsA: true } : null);
      p.b.tokens = responseTokens(rb.text, sba.tokens, textA, same ? { own: textSteps(rb), ownerIsA: false } : null);
    });
    prompts.push({
      id: prompt.id,
      category: prompt.category,
      ...(prompt.subcategory ? { subcategory: prompt.subcategory } : {}),
      harmful: prompt.harmful === true,
      prompt: promptText(prompt),
      a: {
        text: ra.text,
        tokenCount: textSteps(ra).length,
        stop: ra.stop,
        features: fa,
        selfBitsPerByte: selfBitsPerByte(ra),
        crossBitsPerByte: crossBitsPerByte(sab),
      },
      b: {
        text: rb.text,
        tokenCount: textSteps(rb).length,
        stop: rb.stop,
        features: fb,
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
  const power: PowerNote[] = [];
  for (const scope of [null, ...categories]) {
    const scoped = scope === null ? rows : rows.filter((r) => r.category === scope);
    if (scope !== null && (scoped.length < minCategorySize || categories.length < 2)) continue;
    let discordant = 0;
    let binaryPairs = 0;
    for (const { spec, values, test: t } of pairedTests(FEATURES, scoped, scope, { resamples, seed })) {
      raw.push(t);
      rawValues.push(values);
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
  const q = benjaminiHochberg(raw.map((d) => d.p));
  const names = { a: pair.a.label, b: pair.b.label };
  const differences: Difference[] = raw.map((d, i) => {
    const qi = q[i]!;
    const significant =
      qi < alpha && d.effectSize.magnitude !== 'negligible' && (d.ci[0] > 0 || d.ci[1] < 0) && d.effect !== 0;
    // The rank-biserial's own interval where the forest plot draws it (overall rows, and significant ones); the
    // mean difference's interval (ci) is in the feature's units.
    const v = rawValues[i]!;
    const effectSize =
      d.kind === 'continuous' && (significant || d.promptCategory === null)
        ? { ...d.effectSize, ci: interval(rankBiserialInterval(v.a, v.b, { clusters: v.clusters })) }
        : d.effectSize;
    return { ...d, effectSize, q: qi, significant, sentence: sentence({ ...d, q: qi, significant }, names) };
  });
  differences.sort(
    (x, y) =>
      Number(y.significant) - Number(x.significant) ||
      Math.abs(y.effectSize.value) - Math.abs(x.effectSize.value) ||
      x.p - y.p ||
      (x.feature < y.feature ? -1 : 1),
  );
  for (const p of withTokenDetail(prompts, differences, options.tokenDetailLimit ?? TOKEN_DETAIL_LIMIT))
    tokenDetail.get(p.id)?.(p);
  const hunks: Hunk[] = CATEGORY_ORDER.map((category) => ({
    category,
    differences: differences.flatMap((d, i) => (d.significant && d.category === category ? [i] : [])),
  })).filter((h) => h.differences.length > 0);

  const { maxNewTokens, temperature, seed: settingsSeed, topK } = pair.a.settings;
  const tokenText = (id: number) => pair.b.tokenTexts[id] ?? pair.a.tokenTexts[id] ?? `#${id}`;
  const meanOf = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: 'model-diff', version: GENERATOR_VERSION },
    models: [summary(pair.a), summary(pair.b)],
    // Exactly the schema's fields (report-schema.ts rejects unknown ones), whatever else the caller's objects hold.
    promptSet: { id: pair.promptSet.id, name: pair.promptSet.name, hash: pair.promptSet.hash, n: pair.promptSet.n },
    settings: { maxNewTokens, temperature, seed: settingsSeed, topK },
    options: { alpha, resamples, seed, minCategorySize },
    differences,
    hunks,
    power,
    tokens: {
      sameTokenizer: same,
      meanKl: same ? meanOf(divs.map((d) => d.kl)) : null,
      meanJs: same ? meanOf(divs.map((d) => d.js)) : null,
      ...(same ? mineBoosts(positions, tokenText) : { boostedInA: [], boostedInB: [] }),
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

const interval = (b: { lower: number; upper: number }): [number, number] => [b.lower, b.upper];
