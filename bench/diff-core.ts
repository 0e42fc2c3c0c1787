// Benchmark (not a test) of diff() on a seeded synthetic pair of 1,000 prompts with 2,000 resamples, as the app's
// diff worker sees it: every repetition is a fresh Node process that receives the profiles (structured-clone
// serialised, as postMessage hands them to the worker) and times its first diff() call (cold: modules just loaded,
// nothing compiled yet), then further calls (warm), and the same without discovery. `--baseline=REV` runs the same
// processes, interleaved, on src/ of git revision REV (exported to a temporary folder), so before → after ratios come
// from one run. `--split` adds the in-process time split (feature extraction, statistics, token-level work);
// `--browser` the app's real path, the diff worker in Chromium (see browser(): the whole call against the former
// whole-pair clone, and diff() timed inside a fresh worker); `--parts` (with --baseline) each
// sped-up stage against the baseline's, in one process; `--no-processes` leaves the fresh processes out.
// Run: npx tsx bench/diff-core.ts [prompts] [repeats] [--baseline=REV] [--split] [--browser] [--parts]

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { RESULTS, ROOT } from './lib/common.ts';

const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flag = (name: string) => flags.find((f) => f === `--${name}` || f.startsWith(`--${name}=`))?.split('=')[1];
const N = Number(positional[0] ?? 1000);
const REPEATS = Number(positional[1] ?? 5);
const WARM = Number(flag('warm') ?? 3);
const RESAMPLES = 2000;
const TARGET_MS = 500;

type DiffInput = {
  pair: Parameters<typeof import('../src/core/diff/build-report.ts').diff>[0];
  set: Parameters<typeof import('../src/core/diff/build-report.ts').diff>[1];
};

interface ChildResult {
  cold: number;
  coldCpu: number;
  /** CPU time of the main thread alone (Linux; NaN elsewhere): what wall time would be on an idle machine. */
  coldThread: number;
  warm: number[];
  warmThread: number[];
  undiscovered: number[];
}

/** CPU milliseconds of the calling thread (user + system), from /proc/thread-self/stat in 10 ms ticks. */
function threadCpu(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** In a fresh process: the first diff() call of `root`'s code on the serialised profiles, then warm calls. */
async function child(root: string, data: string): Promise<void> {
  const { diff } = (await import(
    join(root, 'src/core/diff/build-report.ts')
  )) as typeof import('../src/core/diff/build-report.ts');
  const { pair, set } = deserialize(readFileSync(data)) as {
    pair: Parameters<typeof diff>[0];
    set: Parameters<typeof diff>[1];
  };
  const time = (discover: boolean): [number, number, number] => {
    const cpu = process.cpuUsage();
    const thread = threadCpu();
    const t = performance.now();
    diff(pair, set, { resamples: RESAMPLES, discover });
    const wall = performance.now() - t;
    const used = process.cpuUsage(cpu);
    return [wall, (used.user + used.system) / 1000, threadCpu() - thread];
  };
  const [cold, coldCpu, coldThread] = time(true);
  const warm: number[] = [];
  const warmThread: number[] = [];
  const undiscovered: number[] = [];
  for (let r = 0; r < WARM; r++) {
    const [wall, , thread] = time(true);
    warm.push(wall);
    warmThread.push(thread);
  }
  for (let r = 0; r < WARM; r++) undiscovered.push(time(false)[0]);
  process.stdout.write(
    JSON.stringify({ cold, coldCpu, coldThread, warm, warmThread, undiscovered } satisfies ChildResult),
  );
}

function spawnChild(root: string, data: string): ChildResult {
  const out = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(ROOT, 'bench', 'diff-core.ts'),
      `--child=${root}`,
      `--data=${data}`,
      `--warm=${WARM}`,
    ],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (out.status !== 0) throw new Error(`diff-core child (${root}) exited with ${out.status}`);
  return JSON.parse(out.stdout) as ChildResult;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number) => x.toFixed(0).padStart(8);

async function main(): Promise<void> {
  const { withFeatures } = await import('../src/core/diff/profile-features.ts');
  const { style, syntheticPair, syntheticSet } = await import('../test/core/diff/synthetic.ts');
  const made = performance.now();
  const set = syntheticSet(N, 3);
  const bare = syntheticPair(
    set,
    style('A'),
    style('B', { refuseBenign: 0.35, hedge: 0.45, extra: [1, 5], boost: { joy: 2, happy: 1.5 }, confidence: 0.4 }),
    1,
  );
  // What the app hands its worker: profiles that carry their features (extracted once, at profiling).
  const pair = { ...bare, a: withFeatures(bare.a, set), b: withFeatures(bare.b, set) };
  const tokens =
    pair.a.records.reduce((s, r) => s + r.tokens.length, 0) + pair.b.records.reduce((s, r) => s + r.tokens.length, 0);
  const dir = mkdtempSync(join(tmpdir(), 'diff-core-'));
  try {
    const data = join(dir, 'pair.bin');
    writeFileSync(data, serialize({ pair, set }));
    const baseline = flag('baseline');
    let baseRoot: string | null = null;
    if (baseline) {
      baseRoot = join(dir, 'baseline');
      execFileSync('mkdir', ['-p', baseRoot]);
      execFileSync('sh', ['-c', `git -C "${ROOT}" archive "${baseline}" src | tar -x -C "${baseRoot}"`]);
    }
    console.log(
      `diff-core bench: ${N} prompts, ${tokens} generated tokens (top-10 each), ${RESAMPLES} resamples, ${REPEATS} ` +
        `fresh processes × (1 cold + ${WARM} warm calls)${baseline ? `, baseline ${baseline} interleaved` : ''} ` +
        `(synthetic pair built in ${(performance.now() - made).toFixed(0)} ms; load average ${loadavg()[0]!.toFixed(1)})`,
    );
    if (!flags.includes('--no-processes')) processes(data, baseRoot);
    if (flags.includes('--split')) await split(pair, set, bare);
    if (flags.includes('--browser')) await browser();
    if (flags.includes('--parts') && baseRoot) await parts(baseRoot, pair, set);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fresh processes, ours and (interleaved) the baseline's, and their table. */
function processes(data: string, baseRoot: string | null): void {
  const ours: ChildResult[] = [];
  const base: ChildResult[] = [];
  for (let r = 0; r < REPEATS; r++) {
    ours.push(spawnChild(ROOT, data));
    if (baseRoot) base.push(spawnChild(baseRoot, data));
  }
  const rows: [string, (c: ChildResult) => number][] = [
    ['diff() total', (c) => c.cold],
    ['  warm (median)', (c) => median(c.warm)],
    ['  warm without discovery', (c) => median(c.undiscovered)],
    ['  cold, main-thread CPU', (c) => c.coldThread],
    ['  warm, main-thread CPU', (c) => median(c.warmThread)],
  ];
  console.log(
    `${'part'.padEnd(26)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(8)}` +
      (baseRoot ? ` ${'baseline'.padStart(8)} ${'ratio'.padStart(6)}` : '') +
      `   (median of ${REPEATS} processes; "diff() total" is the cold first call; cold rows list each process` +
      `${baseRoot ? ', ours | baseline' : ''})`,
  );
  for (const [label, f] of rows) {
    const x = ours.map(f);
    const cpu = label === 'diff() total' ? ms(median(ours.map((c) => c.coldCpu))) : ''.padStart(8);
    const vsBase = baseRoot
      ? ` ${ms(median(base.map(f)))} ${median(base.map((b, i) => f(b) / x[i]!))
          .toFixed(2)
          .padStart(5)}×`
      : '';
    // Each process's figure for the cold rows, ours then (after |) the baseline's: bench/diff.ts reads both.
    const listed = label === 'diff() total' || label === '  cold, main-thread CPU';
    const list = (xs: readonly number[]) => xs.map((v) => v.toFixed(0)).join(', ');
    const each = listed ? `   ${list(x)}${baseRoot ? ` | ${list(base.map(f))}` : ''}` : '';
    console.log(`${label.padEnd(26)} ${ms(median(x))} ${cpu}${vsBase}${each}`);
  }
  const discovery = median(ours.map((c) => median(c.warm) / median(c.undiscovered)));
  console.log(`warm with / without discovery: ${discovery.toFixed(2)}× (same processes)`);
  const total = median(ours.map((c) => c.cold));
  console.log(
    total < TARGET_MS
      ? `OK: cold diff() under the ${TARGET_MS} ms target.`
      : `SLOW: cold diff() over the ${TARGET_MS} ms target.`,
  );
}

/** The in-process time split (warm): what each stage of the report costs on its own. */
async function split(
  pair: Parameters<typeof import('../src/core/diff/build-report.ts').diff>[0],
  set: Parameters<typeof import('../src/core/diff/build-report.ts').diff>[1],
  bare: typeof pair,
): Promise<void> {
  const { diff } = await import('../src/core/diff/build-report.ts');
  const { textSteps } = await import('../src/core/diff/cross-likelihood.ts');
  const { distinctiveWords } = await import('../src/core/diff/distinctive-words.ts');
  const { pairedTests } = await import('../src/core/diff/paired-tests.ts');
  const { responseInput } = await import('../src/core/diff/prompt-features.ts');
  const { validateReport } = await import('../src/core/diff/report-validate.ts');
  const { alignPositions, divergence, mineBoosts } = await import('../src/core/diff/token-divergence.ts');
  const { FEATURES, extractAll } = await import('../src/core/features/index.ts');
  const { benjaminiHochberg } = await import('../src/core/stats/index.ts');
  const byId = new Map(set.prompts.map((p) => [p.id, p]));
  const recB = new Map(bare.b.records.map((r) => [r.promptId, r]));
  const features = () =>
    bare.a.records.map((ra, i) => {
      const p = byId.get(ra.promptId)!;
      return {
        id: p.id,
        cluster: i,
        category: p.category,
        a: extractAll(responseInput(ra, p, bare.a.tokenTexts)),
        b: extractAll(responseInput(recB.get(ra.promptId)!, p, bare.b.tokenTexts)),
      };
    });
  let rows: ReturnType<typeof features> = [];
  const statistics = () => {
    const categories = [...new Set(rows.map((r) => r.category))].sort();
    const p: number[] = [];
    for (const scope of [null, ...categories]) {
      const scoped = scope === null ? rows : rows.filter((r) => r.category === scope);
      for (const { test } of pairedTests(FEATURES, scoped, scope, { resamples: RESAMPLES, seed: 1 })) p.push(test.p);
    }
    return benjaminiHochberg(p).length;
  };
  const tokenLevel = () => {
    const positions = bare.a.records.flatMap((ra, i) => [
      ...alignPositions(textSteps(ra), bare.aUnderB[i]!.tokens, true),
      ...alignPositions(textSteps(recB.get(ra.promptId)!), bare.bUnderA[i]!.tokens, false),
    ]);
    let kl = 0;
    for (const d of positions.map(divergence)) kl += d.kl;
    return kl + mineBoosts(positions, (id) => `#${id}`).boostedInB.length;
  };
  const texts = (p: typeof bare.a) => p.records.map((x) => x.text);
  const report = JSON.parse(JSON.stringify(diff(pair, set, { resamples: RESAMPLES }))) as unknown;
  const parts: [string, () => unknown][] = [
    ['diff() on bare profiles', () => diff(bare, set, { resamples: RESAMPLES })],
    ['  feature extraction', () => (rows = features())],
    ['  statistics', statistics],
    ['  token-level', tokenLevel],
    ['  distinctive words', () => distinctiveWords(texts(bare.a), texts(bare.b))],
    ['validateReport (import)', () => validateReport(report)],
  ];
  const walls = parts.map(() => [] as number[]);
  for (let r = 0; r < REPEATS; r++)
    parts.forEach(([, f], i) => {
      const t = performance.now();
      f();
      walls[i]!.push(performance.now() - t);
    });
  console.log(`in-process split (warm, median of ${REPEATS}):`);
  parts.forEach(([label], i) => console.log(`${label.padEnd(26)} ${ms(median(walls[i]!))}`));
}

/**
 * The app's own path in Chromium: the page builds the same synthetic profiles, then times `inDiffWorker` (a fresh
 * Web Worker per call, as the app starts one per diff: module load, structured clone of the profiles in and of the
 * report out, diff()) — cold, each call in its own new worker — and, in one worker, repeated calls (warm); the same
 * without discovery as the baseline measured in the same page.
 */
async function browser(): Promise<void> {
  const { build } = await import('vite');
  const { launchChromium } = await import('./lib/browser.ts');
  const { serveStatic } = await import('./lib/server.ts');
  const dir = join(RESULTS, 'diff-core-page');
  mkdirSync(dir, { recursive: true });
  // Plain JavaScript (the type checker's include covers bench/): Vite compiles the TypeScript it imports.
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
  writeFileSync(
    join(dir, 'main.js'),
    `import { transfer, wrap } from 'comlink';
import { diffInWorker, inDiffWorker } from '/src/services/diff-worker.ts';
import { packedBuffers, packPairSteps } from '/src/core/profile/packed-steps.ts';
import { withFeatures } from '/src/core/diff/profile-features.ts';
import { style, syntheticPair, syntheticSet } from '/test/core/diff/synthetic.ts';
const set = syntheticSet(${N}, 3);
const bare = syntheticPair(set, style('A'), style('B', { refuseBenign: 0.35, hedge: 0.45, extra: [1, 5], boost: { joy: 2, happy: 1.5 }, confidence: 0.4 }), 1);
const pair = { ...bare, a: withFeatures(bare.a, set), b: withFeatures(bare.b, set) };
const options = (discover) => ({ resamples: ${RESAMPLES}, discover });
const timed = async (f) => { const t = performance.now(); await f(); return performance.now() - t; };
// diff() timed inside a fresh worker (bench/lib/diff-timing.worker.ts): the computation alone, cold then warm.
const inside = async (discover) => {
  const w = new Worker(new URL('/bench/lib/diff-timing.worker.ts', import.meta.url), { type: 'module' });
  try { const p = packPairSteps(pair); return await wrap(w).time(transfer(p, packedBuffers(p)), 2, set, options(discover)); } finally { w.terminate(); }
};
Object.assign(window, {
  inside,
  cold: (discover) => timed(() => diffInWorker(pair, set, options(discover))),
  cloned: (discover) => timed(() => inDiffWorker((api) => api.diff(pair, set, options(discover)))),
  warm: (discover, calls) =>
    inDiffWorker(async (api) => { const out = []; for (let i = 0; i < calls; i++) out.push(await timed(() => { const p = packPairSteps(pair); return api.diffPacked(transfer(p, packedBuffers(p)), set, options(discover)); })); return out; }),
});
document.body.dataset['ready'] = '1';
`,
  );
  await build({
    root: ROOT,
    configFile: false,
    base: '/',
    logLevel: 'warn',
    publicDir: false,
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      outDir: join(dir, 'dist'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 5000,
      rolldownOptions: { input: join(dir, 'index.html'), checks: { pluginTimings: false } },
    },
  });
  const server = await serveStatic({ '/': join(dir, 'dist') });
  const chromium = await launchChromium();
  try {
    const page = await chromium.newPage();
    page.on('pageerror', (e) => console.error(`diff-core page error: ${String(e)}`));
    await page.goto(`${server.url}/bench/results/diff-core-page/index.html`);
    await page.waitForFunction(() => document.body.dataset['ready'] === '1', { timeout: 0 });
    type Api = {
      cold(d: boolean): Promise<number>;
      cloned(d: boolean): Promise<number>;
      warm(d: boolean, calls: number): Promise<number[]>;
      inside(d: boolean): Promise<{ unpack: number; diffs: number[] }>;
    };
    const call = <K extends keyof Api>(name: K, ...args: Parameters<Api[K]>) =>
      page.evaluate(
        (n, a) => (window as unknown as Record<string, (...x: unknown[]) => unknown>)[n]!(...a),
        name,
        args,
      ) as Promise<Awaited<ReturnType<Api[K]>>>;
    const cold: number[] = [];
    const bare: number[] = [];
    const cloned: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      cold.push(await call('cold', true));
      bare.push(await call('cold', false));
      cloned.push(await call('cloned', true));
    }
    const inside: { unpack: number; diffs: number[] }[] = [];
    for (let r = 0; r < REPEATS; r++) inside.push(await call('inside', true));
    const warm = await call('warm', true, WARM + 1);
    console.log(
      `Chromium (${await chromium.version()}), the app's diff worker: call → report, token steps packed and transferred in, the report cloned out:`,
    );
    console.log(
      `${'  fresh worker (cold)'.padEnd(26)} ${ms(median(cold))}   ${cold.map((x) => x.toFixed(0)).join(', ')}`,
    );
    console.log(
      `${'  before: profiles cloned'.padEnd(26)} ${ms(median(cloned))}   ${cloned.map((x) => x.toFixed(0)).join(', ')}` +
        `   (the whole pair structured-cloned, as before packed steps: ${median(cloned.map((x, i) => x / cold[i]!)).toFixed(2)}× the time)`,
    );
    console.log(
      `${'  same, without discovery'.padEnd(26)} ${ms(median(bare))}   ${median(cold.map((x, i) => x / bare[i]!)).toFixed(2)}× with / without`,
    );
    const list = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    const insideCold = inside.map((x) => x.diffs[0]!);
    console.log(
      `${'  diff() inside, cold'.padEnd(26)} ${ms(median(insideCold))}   ${list(insideCold)}   (timed in a fresh worker: ` +
        `the computation alone; unpacking the steps ${ms(median(inside.map((x) => x.unpack))).trim()} ms; ` +
        `${insideCold.every((x) => x < TARGET_MS) ? 'under' : 'over'} the ${TARGET_MS} ms target)`,
    );
    console.log(`${'  diff() inside, warm'.padEnd(26)} ${ms(median(inside.map((x) => x.diffs[1]!)))}`);
    console.log(
      `${'  one worker, later calls'.padEnd(26)} ${ms(median(warm.slice(1)))}   first ${warm[0]!.toFixed(0)}`,
    );
  } finally {
    await chromium.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Each speed-up on its own: the same stage of the report run by this tree's code and by the baseline's (`--parts`,
 * needs --baseline), on the same inputs, in one process, interleaved; median of REPEATS × 3 calls after a warm-up.
 */
async function parts(baseRoot: string, pair: DiffInput['pair'], set: DiffInput['set']): Promise<void> {
  type Stage = [string, (root: string) => Promise<() => unknown>];
  const load = async <T>(root: string, path: string) => (await import(join(root, path))) as T;
  const { textSteps } = await import('../src/core/diff/cross-likelihood.ts');
  const { alignPositions } = await import('../src/core/diff/token-divergence.ts');
  const { splitPrompts } = await import('../src/core/diff/discovery/split.ts');
  const { FEATURES } = await import('../src/core/features/index.ts');
  const { END_OF_TEXT } = await import('../src/core/diff/discovery/end-of-text.ts');
  const byId = new Map(set.prompts.map((p) => [p.id, p]));
  const fa = pair.a.features!.byPrompt;
  const fb = pair.b.features!.byPrompt;
  const records = pair.a.records.map((ra, i) => ({
    ra,
    rb: pair.b.records[i]!,
    sab: pair.aUnderB[i]!,
    sba: pair.bUnderA[i]!,
  }));
  const rows = records.map(({ ra }, i) => ({
    id: ra.promptId,
    cluster: i,
    category: byId.get(ra.promptId)!.category,
    a: fa[ra.promptId]!,
    b: fb[ra.promptId]!,
  }));
  const text = (id: number) => pair.a.tokenTexts[id] ?? pair.b.tokenTexts[id] ?? `#${id}`;
  const positions = records.map(({ ra, rb, sab, sba }, i) => ({
    id: ra.promptId,
    cluster: i,
    positions: [
      ...alignPositions(textSteps(ra), sab.tokens, true),
      ...alignPositions(textSteps(rb), sba.tokens, false),
    ],
  }));
  const input = {
    rows,
    replies: records.map(({ ra, rb }, i) => ({ id: ra.promptId, cluster: i, a: [ra.text], b: [rb.text] })),
    positions,
    scored: records.map(({ ra, rb, sab, sba }, i) => ({
      id: ra.promptId,
      cluster: i,
      replies: [
        { text: ra.text, own: textSteps(ra), ownText: text, other: sab.tokens, otherText: text, ownerIsB: false },
        { text: rb.text, own: textSteps(rb), ownText: text, other: sba.tokens, otherText: text, ownerIsB: true },
      ],
    })),
    textOf: text,
    same: true,
  };
  const split = splitPrompts(rows, 1);
  const traits = rows.map((r) => ({ id: r.id, category: r.category, text: byId.get(r.id)!.prompt ?? '' }));
  const longer = new Map(rows.map((r) => [r.id, Number(r.b['wordCount']) - Number(r.a['wordCount'])]));
  const all = positions.flatMap((p) => p.positions);
  const stages: Stage[] = [
    [
      'paired tests, all prompts',
      async (root) => {
        const { pairedTests } = await load<typeof import('../src/core/diff/paired-tests.ts')>(
          root,
          'src/core/diff/paired-tests.ts',
        );
        return () => pairedTests([...FEATURES, END_OF_TEXT], rows, null, { resamples: RESAMPLES, seed: 1 });
      },
    ],
    [
      'discovery (both looks)',
      async (root) => {
        const { discover } = await load<typeof import('../src/core/diff/discovery/discover.ts')>(
          root,
          'src/core/diff/discovery/discover.ts',
        );
        return () => discover(input, split, { resamples: RESAMPLES, seed: 1 });
      },
    ],
    [
      'condition search',
      async (root) => {
        const { findCondition } = await load<typeof import('../src/core/diff/discovery/condition.ts')>(
          root,
          'src/core/diff/discovery/condition.ts',
        );
        return () =>
          findCondition(longer, traits, {
            alpha: 0.05,
            clusterOf: new Map(rows.map((r) => [r.id, r.cluster])),
            seed: 1,
          });
      },
    ],
    [
      'token boosts (mineBoosts)',
      async (root) => {
        const { mineBoosts } = await load<typeof import('../src/core/diff/token-divergence.ts')>(
          root,
          'src/core/diff/token-divergence.ts',
        );
        return () => mineBoosts(all, text);
      },
    ],
  ];
  console.log(`each stage, this tree vs the baseline (median of ${3 * REPEATS} calls, interleaved, one process):`);
  for (const [label, make] of stages) {
    const [ours, theirs] = [await make(ROOT), await make(baseRoot)];
    ours();
    theirs();
    const [a, b] = [[] as number[], [] as number[]];
    for (let r = 0; r < 3 * REPEATS; r++)
      for (const [f, out] of [
        [ours, a],
        [theirs, b],
      ] as const) {
        const t = performance.now();
        f();
        out.push(performance.now() - t);
      }
    console.log(
      `${('  ' + label).padEnd(30)} ${ms(median(a))} ms, baseline ${ms(median(b))} ms: ${median(b.map((x, i) => x / a[i]!)).toFixed(2)}×`,
    );
  }
}

const childRoot = flag('child');
if (childRoot) await child(childRoot, flag('data')!);
else await main();
