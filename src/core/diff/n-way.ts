// nWay(profiles, set) → NWayReport: three or more models on one prompt set. Every pair of models gets every paired
// feature test (the same tests as the two-model report), with Benjamini–Hochberg over all pairs' tests together;
// from them a distance matrix, a mean-effect matrix, and the features on which each model stands alone.

import { FEATURES, type FeatureValue } from '../features/index.ts';
import type { ModelProfile } from '../profile/types.ts';
import type { PromptSet } from '../prompts/index.ts';
import { benjaminiHochberg } from '../stats/index.ts';
import { clusters } from './build-report.ts';
import { pairedTests, type PairedTest } from './paired-tests.ts';
import type { ReportCategory } from './report-types.ts';
import { featuresReader } from './profile-features.ts';

export interface NWayOptions {
  /** False-discovery rate level: a pairwise test counts as significant when q < alpha (default 0.05). */
  alpha?: number;
  /** Bootstrap resamples per test (default 2000) and seed (default 1), as in diff(). */
  resamples?: number;
  seed?: number;
}

/** One paired test between models i < j: effect and effect size are j − i, as B − A in the two-model report. */
export interface NWayTest extends PairedTest {
  i: number;
  j: number;
  q: number;
  significant: boolean;
}

/** A feature on which one model differs significantly from every other model, all in the same direction. */
export interface UniqueFeature {
  feature: string;
  description: string;
  kind: 'binary' | 'continuous';
  category: ReportCategory;
  /** 'higher': this model's values exceed every other model's (by the sign of the effect size). */
  direction: 'higher' | 'lower';
  /** This model's mean, and every model's mean in model order (null at this model's own index). */
  mean: number;
  othersMean: (number | null)[];
  /** The weakest of its tests against the others: largest q and smallest |effect size|. */
  maxQ: number;
  minAbsEffectSize: number;
}

export interface NWayReport {
  models: { label: string; spec: string; id: string }[];
  /** Prompts every model answered (only these are compared). */
  n: number;
  options: { alpha: number; resamples: number; seed: number };
  /**
   * distance[i][j]: the fraction of the features testable for the pair (binary and continuous, applicable to at
   * least two prompts of both) whose test has q < alpha. Symmetric, 0 on the diagonal.
   */
  distance: number[][];
  /**
   * meanAbsEffect[i][j]: mean |effect size| over the same features (Cohen's h for binary features, rank-biserial
   * r for continuous ones: different scales, so read it as a rough summary). Symmetric, 0 on the diagonal.
   */
  meanAbsEffect: number[][];
  /** Every pairwise test, i < j, in pair order then FEATURES order. */
  tests: NWayTest[];
  /** unique[i]: the features on which model i stands alone, strongest (largest min |effect size|) first. */
  unique: UniqueFeature[][];
}

export function nWay(profiles: readonly ModelProfile[], set: PromptSet, options: NWayOptions = {}): NWayReport {
  const alpha = options.alpha ?? 0.05;
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const k = profiles.length;
  if (k < 2) throw new RangeError(`nWay: needs at least two profiles, got ${k}`);

  // Per-prompt features of every model, on the prompts every model answered, in prompt-set order.
  const records = profiles.map((p) => new Map(p.records.map((r) => [r.promptId, r])));
  const cluster = clusters(set.prompts);
  const prompts = set.prompts.filter((p) => records.every((m) => m.has(p.id)));
  const features: Record<string, FeatureValue>[][] = records.map((m, i) => {
    const read = featuresReader(profiles[i]!, set);
    return prompts.map((p) => read(m.get(p.id)!, p));
  });

  const raw: Omit<NWayTest, 'q' | 'significant'>[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const rows = prompts.map((p, r) => ({
        id: p.id,
        cluster: cluster.get(p.id)!,
        a: features[i]![r]!,
        b: features[j]![r]!,
      }));
      for (const { test } of pairedTests(FEATURES, rows, null, { resamples, seed })) raw.push({ ...test, i, j });
    }
  }
  const q = benjaminiHochberg(raw.map((t) => t.p));
  const tests: NWayTest[] = raw.map((t, r) => ({ ...t, q: q[r]!, significant: q[r]! < alpha }));

  const square = () => Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const distance = square();
  const meanAbsEffect = square();
  const byPair = new Map<string, NWayTest[]>();
  for (const t of tests) byPair.set(`${t.i},${t.j}`, [...(byPair.get(`${t.i},${t.j}`) ?? []), t]);
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const ts = byPair.get(`${i},${j}`) ?? [];
      const d = ts.length ? ts.filter((t) => t.significant).length / ts.length : 0;
      const e = ts.length ? ts.reduce((s, t) => s + Math.abs(t.effectSize.value), 0) / ts.length : 0;
      distance[i]![j] = distance[j]![i] = d;
      meanAbsEffect[i]![j] = meanAbsEffect[j]![i] = e;
    }
  }

  return {
    models: profiles.map((p) => ({ label: p.label, spec: p.spec, id: p.model.id })),
    n: prompts.length,
    options: { alpha, resamples, seed },
    distance,
    meanAbsEffect,
    tests,
    unique: profiles.map((_, m) => uniqueTo(m, k, tests)),
  };
}

/** Features where model m's every pairwise test is significant and points the same way. */
function uniqueTo(m: number, k: number, tests: readonly NWayTest[]): UniqueFeature[] {
  const byFeature = new Map<string, NWayTest[]>();
  for (const t of tests) {
    if (t.i !== m && t.j !== m) continue;
    byFeature.set(t.feature, [...(byFeature.get(t.feature) ?? []), t]);
  }
  const out: UniqueFeature[] = [];
  for (const [feature, ts] of byFeature) {
    if (ts.length !== k - 1 || !ts.every((t) => t.significant)) continue;
    // Effect sizes are j − i: from m's side, the sign flips when m is j.
    const signs = ts.map((t) => Math.sign(t.effectSize.value) * (t.i === m ? -1 : 1));
    if (signs[0] === 0 || !signs.every((s) => s === signs[0])) continue;
    const first = ts[0]!;
    const othersMean = new Array<number | null>(k).fill(null);
    for (const t of ts) othersMean[t.i === m ? t.j : t.i] = t.i === m ? t.meanB : t.meanA;
    out.push({
      feature,
      description: first.description,
      kind: first.kind,
      category: first.category,
      direction: signs[0]! > 0 ? 'higher' : 'lower',
      mean: first.i === m ? first.meanA : first.meanB,
      othersMean,
      maxQ: Math.max(...ts.map((t) => t.q)),
      minAbsEffectSize: Math.min(...ts.map((t) => Math.abs(t.effectSize.value))),
    });
  }
  return out.sort((x, y) => y.minAbsEffectSize - x.minAbsEffectSize || (x.feature < y.feature ? -1 : 1));
}
