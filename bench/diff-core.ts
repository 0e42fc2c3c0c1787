// Benchmark (not a test) of diff() on a seeded synthetic pair of 1,000 prompts with 2,000 resamples: the median of
// 5 runs, and in the same run the time split into feature extraction, statistics and token-level work. "diff()
// total" is the app's path (profiles carry their features, extracted once at profiling, as DESIGN.md puts them in
// the profile); "diff() on bare profiles" extracts them inside the diff too.
// Run: npx tsx bench/diff-core.ts [prompts] [repeats]

import { diff } from '../src/core/diff/build-report.ts';
import { withFeatures } from '../src/core/diff/profile-features.ts';
import { textSteps } from '../src/core/diff/cross-likelihood.ts';
import { distinctiveWords } from '../src/core/diff/distinctive-words.ts';
import { pairedTests } from '../src/core/diff/paired-tests.ts';
import { responseInput } from '../src/core/diff/prompt-features.ts';
import { validateReport } from '../src/core/diff/report-validate.ts';
import { alignPositions, divergence, mineBoosts } from '../src/core/diff/token-divergence.ts';
import { FEATURES, extractAll, type FeatureValue } from '../src/core/features/index.ts';
import { benjaminiHochberg } from '../src/core/stats/index.ts';
import { style, syntheticPair, syntheticSet } from '../test/core/diff/synthetic.ts';

const N = Number(process.argv[2] ?? 1000);
const REPEATS = Number(process.argv[3] ?? 5);
const RESAMPLES = 2000;
const TARGET_MS = 500;

const made = performance.now();
const set = syntheticSet(N, 3);
const pair = syntheticPair(
  set,
  style('A'),
  style('B', { refuseBenign: 0.35, hedge: 0.45, extra: [1, 5], boost: { joy: 2, happy: 1.5 }, confidence: 0.4 }),
  1,
);
const tokens =
  pair.a.records.reduce((s, r) => s + r.tokens.length, 0) + pair.b.records.reduce((s, r) => s + r.tokens.length, 0);
console.log(
  `diff-core bench: ${N} prompts, ${tokens} generated tokens (top-10 each), ${RESAMPLES} resamples, ${REPEATS} runs ` +
    `(synthetic pair built in ${(performance.now() - made).toFixed(0)} ms)`,
);

const byId = new Map(set.prompts.map((p) => [p.id, p]));
const recB = new Map(pair.b.records.map((r) => [r.promptId, r]));

type Row = {
  id: string;
  cluster: number;
  category: string;
  a: Record<string, FeatureValue>;
  b: Record<string, FeatureValue>;
};

function features(): Row[] {
  return pair.a.records.map((ra, i) => {
    const p = byId.get(ra.promptId)!;
    return {
      id: p.id,
      cluster: i,
      category: p.category,
      a: extractAll(responseInput(ra, p, pair.a.tokenTexts)),
      b: extractAll(responseInput(recB.get(ra.promptId)!, p, pair.b.tokenTexts)),
    };
  });
}

function statistics(rows: Row[]): number {
  const categories = [...new Set(rows.map((r) => r.category))].sort();
  const p: number[] = [];
  for (const scope of [null, ...categories]) {
    const scoped = scope === null ? rows : rows.filter((r) => r.category === scope);
    for (const { test } of pairedTests(FEATURES, scoped, scope, { resamples: RESAMPLES, seed: 1 })) p.push(test.p);
  }
  return benjaminiHochberg(p).length;
}

function tokenLevel(): number {
  const positions = pair.a.records.flatMap((ra, i) => [
    ...alignPositions(textSteps(ra), pair.aUnderB[i]!.tokens, true),
    ...alignPositions(textSteps(recB.get(ra.promptId)!), pair.bUnderA[i]!.tokens, false),
  ]);
  let kl = 0;
  for (const d of positions.map(divergence)) kl += d.kl;
  return kl + mineBoosts(positions, (id) => `#${id}`).boostedInB.length;
}

/** Wall-clock and CPU milliseconds of f (CPU: this process, all threads, so GC helpers count too). */
const time = (f: () => unknown): [number, number] => {
  const cpu = process.cpuUsage();
  const t = performance.now();
  f();
  const used = process.cpuUsage(cpu);
  return [performance.now() - t, (used.user + used.system) / 1000];
};
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;

const PARTS = {
  total: 'diff() total',
  undiscovered: '  without discovery',
  cold: 'diff() on bare profiles',
  attach: 'features at profiling',
  features: '  feature extraction',
  statistics: '  statistics',
  tokens: '  token-level',
  words: '  distinctive words',
  validate: 'validateReport (import)',
} as const;
const runs = Object.fromEntries(
  Object.keys(PARTS).map((k) => [k, { wall: [] as number[], cpu: [] as number[] }]),
) as Record<keyof typeof PARTS, { wall: number[]; cpu: number[] }>;
const record = (part: keyof typeof PARTS, [wall, cpu]: [number, number]) => {
  runs[part].wall.push(wall);
  runs[part].cpu.push(cpu);
};
for (let r = 0; r < REPEATS; r++) {
  let report: ReturnType<typeof diff> | undefined;
  // What the app does: the profiler extracts every response's features once, when it assembles a profile; every
  // diff (and N-way comparison, and export) of that profile reuses them.
  let profiled = pair;
  record(
    'attach',
    time(() => (profiled = { ...pair, a: withFeatures(pair.a, set), b: withFeatures(pair.b, set) })),
  );
  record(
    'total',
    time(() => (report = diff(profiled, set, { resamples: RESAMPLES }))),
  );
  record(
    'undiscovered',
    time(() => diff(profiled, set, { resamples: RESAMPLES, discover: false })),
  );
  record(
    'cold',
    time(() => diff(pair, set, { resamples: RESAMPLES })),
  );
  let rows: Row[] = [];
  record(
    'features',
    time(() => (rows = features())),
  );
  record(
    'statistics',
    time(() => statistics(rows)),
  );
  record('tokens', time(tokenLevel));
  const texts = (p: typeof pair.a) => p.records.map((x) => x.text);
  record(
    'words',
    time(() => distinctiveWords(texts(pair.a), texts(pair.b))),
  );
  const json: unknown = JSON.parse(JSON.stringify(report));
  record(
    'validate',
    time(() => validateReport(json)),
  );
}

console.log(
  `${'part'.padEnd(24)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(8)}   (median of ${REPEATS}; wall of each run)`,
);
for (const [k, label] of Object.entries(PARTS) as [keyof typeof PARTS, string][]) {
  const { wall, cpu } = runs[k];
  const each = k === 'total' ? `   ${wall.map((x) => x.toFixed(0)).join(', ')}` : '';
  console.log(
    `${label.padEnd(24)} ${median(wall).toFixed(0).padStart(8)} ${median(cpu).toFixed(0).padStart(8)}${each}`,
  );
}
const total = median(runs.total.wall);
console.log(total < TARGET_MS ? `OK: under the ${TARGET_MS} ms target.` : `SLOW: over the ${TARGET_MS} ms target.`);
