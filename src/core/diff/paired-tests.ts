// One paired test of one feature over the prompts both models answered: McNemar for binary features, Wilcoxon
// signed-rank for continuous ones, each with the paired mean difference, a seeded paired-bootstrap CI (linked
// prompts resampled together) and an effect size. q-values are filled in later, across the whole report.

import type { FeatureSpec, FeatureValue } from '../features/index.ts';
import {
  classifyEffect,
  cohensH,
  mcnemar,
  pairedBootstrap,
  pairedBootstrapMany,
  wilcoxonSignedRank,
  type BootstrapInterval,
  type UniformStream,
} from '../stats/index.ts';
import type { Difference, ReportCategory } from './report-types.ts';

/** What a paired test needs of a feature: an extractor's spec, or a discovered one (a word, the end of text). */
export type TestSpec = Omit<FeatureSpec, 'category'> & {
  category: ReportCategory;
  /** Smallest |effect| (in the feature's units) worth reporting; discovered rows set one, features use the effect size. */
  minEffect?: number;
};

export interface PairedValues {
  promptIds: string[];
  a: number[];
  b: number[];
  clusters: number[];
}

/** Paired numeric values of a feature: prompts where either side is null (does not apply) are left out. */
export function pairValues(
  feature: string,
  rows: readonly { id: string; cluster: number; a: Record<string, FeatureValue>; b: Record<string, FeatureValue> }[],
): PairedValues {
  const out: PairedValues = { promptIds: [], a: [], b: [], clusters: [] };
  const num = (v: FeatureValue | undefined) =>
    typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' && Number.isFinite(v) ? v : null;
  for (const r of rows) {
    const x = num(r.a[feature]);
    const y = num(r.b[feature]);
    if (x === null || y === null) continue;
    out.promptIds.push(r.id);
    out.a.push(x);
    out.b.push(y);
    out.clusters.push(r.cluster);
  }
  return out;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export type PairedTest = Omit<Difference, 'q' | 'significant' | 'sentence'>;

export function pairedTest(
  spec: TestSpec,
  values: PairedValues,
  promptCategory: string | null,
  { resamples, seed, uniforms }: { resamples: number; seed: number; uniforms?: UniformStream },
): PairedTest | null {
  if (values.a.length < 2 || spec.kind === 'categorical') return null;
  const ci = pairedBootstrap(values.a, values.b, {
    resamples,
    seed,
    clusters: values.clusters,
    ...(uniforms ? { uniforms } : {}),
  });
  return testWith(spec, values, promptCategory, ci);
}

/**
 * pairedTest for every feature over the same rows, with identical results: features measured on the same prompts
 * share one bootstrap draw sequence (pairedBootstrapMany). In `specs` order; features that cannot be tested are
 * left out.
 */
export function pairedTests(
  specs: readonly TestSpec[],
  rows: Parameters<typeof pairValues>[1],
  promptCategory: string | null,
  { resamples, seed, uniforms }: { resamples: number; seed: number; uniforms?: UniformStream },
): { spec: TestSpec; values: PairedValues; test: PairedTest }[] {
  const todo = specs
    .filter((spec) => spec.kind !== 'categorical')
    .map((spec) => ({ spec, values: pairValues(spec.name, rows) }));
  return pairedTestsOf(todo, promptCategory, { resamples, seed, ...(uniforms ? { uniforms } : {}) });
}

/** pairedTests on values already paired (pairValues' rules: both sides finite numbers); untestable ones left out. */
export function pairedTestsOf(
  measured: readonly { spec: TestSpec; values: PairedValues }[],
  promptCategory: string | null,
  { resamples, seed, uniforms }: { resamples: number; seed: number; uniforms?: UniformStream },
): { spec: TestSpec; values: PairedValues; test: PairedTest }[] {
  const todo = measured.filter((x) => x.spec.kind !== 'categorical' && x.values.a.length >= 2);
  const groups = new Map<string, typeof todo>();
  for (const x of todo) {
    const key = x.values.promptIds.join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), x]);
  }
  const cis = new Map<TestSpec, BootstrapInterval>();
  for (const group of groups.values()) {
    const out = pairedBootstrapMany(
      group.map((x) => x.values),
      { resamples, seed, clusters: group[0]!.values.clusters, ...(uniforms ? { uniforms } : {}) },
    );
    group.forEach((x, i) => cis.set(x.spec, out[i]!));
  }
  return todo.map(({ spec, values }) => ({
    spec,
    values,
    test: testWith(spec, values, promptCategory, cis.get(spec)!),
  }));
}

function testWith(
  spec: TestSpec,
  values: PairedValues,
  promptCategory: string | null,
  ci: BootstrapInterval,
): PairedTest {
  const n = values.a.length;
  const meanA = mean(values.a);
  const meanB = mean(values.b);
  const base = {
    feature: spec.name,
    description: spec.description,
    kind: spec.kind === 'binary' ? ('binary' as const) : ('continuous' as const), // callers skip categorical
    category: spec.category,
    promptCategory,
    n,
    meanA,
    meanB,
    effect: meanB - meanA,
    ci: [ci.lower, ci.upper] as [number, number],
    examples: examples(values),
  };
  // A binary feature averaged over a prompt's samples is a proportion per prompt: McNemar needs 0/1 pairs, so the
  // proportions take the signed-rank test (the effect stays a difference in proportions, its size Cohen's h).
  const zeroOne = (xs: readonly number[]) => xs.every((x) => x === 0 || x === 1);
  if (spec.kind === 'binary' && !(zeroOne(values.a) && zeroOne(values.b))) {
    const r = wilcoxonSignedRank(values.a, values.b);
    const h = cohensH(meanA, meanB);
    return {
      ...base,
      p: r.p,
      test: r.method === 'exact' ? 'wilcoxon-exact' : r.method === 'normal' ? 'wilcoxon-normal' : 'none',
      effectSize: { measure: 'cohens-h', value: h, magnitude: classifyEffect(h, 'h') },
    };
  }
  if (spec.kind === 'binary') {
    const r = mcnemar(
      values.a.map((x) => x === 1),
      values.b.map((x) => x === 1),
    );
    const h = cohensH(meanA, meanB);
    return {
      ...base,
      p: r.p,
      test: r.method === 'exact' ? 'mcnemar-exact' : r.method === 'chi-square' ? 'mcnemar-chi-square' : 'none',
      effectSize: { measure: 'cohens-h', value: h, magnitude: classifyEffect(h, 'h') },
    };
  }
  const r = wilcoxonSignedRank(values.a, values.b);
  return {
    ...base,
    p: r.p,
    test: r.method === 'exact' ? 'wilcoxon-exact' : r.method === 'normal' ? 'wilcoxon-normal' : 'none',
    effectSize: {
      measure: 'rank-biserial',
      value: r.rankBiserial,
      magnitude: classifyEffect(r.rankBiserial, 'rank-biserial'),
    },
  };
}

/**
 * The prompts whose paired difference points the way of the overall effect most strongly: the k largest signed
 * differences (ties by id), kept while scanning, as a sort of every prompt would order them.
 */
function examples(v: PairedValues, k = 3): string[] {
  const sign = Math.sign(mean(v.b) - mean(v.a)) || 1;
  const top: { id: string; d: number }[] = [];
  for (let i = 0; i < v.promptIds.length; i++) {
    const d = sign * (v.b[i]! - v.a[i]!);
    if (!(d > 0)) continue;
    const id = v.promptIds[i]!;
    const last = top[top.length - 1];
    if (top.length === k && last && !(d > last.d || (d === last.d && id < last.id))) continue;
    let j = top.length;
    while (j > 0 && (top[j - 1]!.d < d || (top[j - 1]!.d === d && top[j - 1]!.id > id))) j--;
    top.splice(j, 0, { id, d });
    if (top.length > k) top.pop();
  }
  return top.map((x) => x.id);
}
