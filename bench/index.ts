// `npm run bench`: every benchmark part, one table, bench/results/bench.json. A benchmark, never a test: each figure
// is the median of several repetitions, measured in the same run as its baseline and reported as a ratio.
//
//   npm run bench                        all parts (a few minutes)
//   npm run bench -- --quick             fewer prompts, tokens and repetitions
//   npm run bench -- profile decode      some parts: profile, decode, diff, embed, harvest, peak, crosscoder, formats
//   npm run bench -- --models=stories    profile part: stories, smol (the SmolLM2-135M-shaped model)
//   npm run bench -- --batch=8           prompts per group for our profiler
//   npm run bench -- --threads=2         WASM threads per worker for our profiler (default: as the app does)
//   npm run bench -- --reps=1            repetitions of the 135M-shaped q4 / q8 profile cases (default 2)
//   npm run bench -- --gpu               the WebGPU figures beside WASM (a hardware adapter only; else says so, exit 0)
//
// The profile part also measures this CPU's matrix-product peak in the same browser (bench/peak.ts) and sets the
// 135M-shaped model's useful FLOP/s against it; `harvest` reads the 135M-shaped model's residual stream (issue 15);
// `crosscoder` times the crosscoder's training worker against the same step on onnxruntime-node (issue 16).

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { PROFILE_BATCH } from '../src/services/profiler.ts';
import { statSync } from 'node:fs';
import { decodeSpeed } from './decode.ts';
import { crosscoderSpeed } from './crosscoder.ts';
import { diffCore } from './diff.ts';
import { embedColdStart } from './embed.ts';
import { formatSpeed } from './formats.ts';
import { gpuFigures } from './gpu.ts';
import { harvestMemory } from './harvest.ts';
import { GPU_ARGS, openBenchPage, type BenchSession } from './lib/browser.ts';
import { RESULTS, ROOT, fmt, type BenchOptions, type Figure, type PartResult } from './lib/common.ts';
import { MODELS, ONNX_FILE, prepareShaped, prepareStories, type ShapedDtype } from './lib/models.ts';
import { machinePeak, type MachinePeak } from './peak.ts';
import { profileThroughput, type ProfileCase } from './profile.ts';

const PARTS = ['profile', 'decode', 'diff', 'embed', 'harvest', 'peak', 'crosscoder', 'formats'] as const;
type Part = (typeof PARTS)[number];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const gpu = args.includes('--gpu');
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const asked = args.filter((a) => !a.startsWith('--'));
for (const a of asked) {
  if (!PARTS.includes(a as Part)) {
    console.error(
      `Unknown part "${a}". Parts: ${PARTS.join(', ')}; flags: --quick, --gpu, --models=stories,smol,q4,q8, ` +
        '--batch=N, --threads=N.',
    );
    process.exit(2);
  }
}
// formats is asked for by name: it profiles the 135M-shaped model three times over (about 15 minutes).
const parts: Part[] = gpu ? [] : asked.length ? (asked as Part[]) : PARTS.filter((p) => p !== 'formats');
const batch = Number(flag('batch') ?? PROFILE_BATCH);
const opts: BenchOptions = {
  quick,
  models: flag('models')?.split(',') ?? null,
  ...(flag('threads') ? { threads: Number(flag('threads')) } : {}),
  log: (line) => console.log(line),
};

const started = performance.now();
const results: PartResult[] = [];
console.log(
  `npm run bench${quick ? ' --quick' : ''}${gpu ? ' --gpu' : ''}: ${gpu ? 'WebGPU figures' : parts.join(', ')} ` +
    `(load average ${loadavg()[0]!.toFixed(1)})`,
);
const prepared = spawnSync('npm', ['run', '--silent', 'prepare-assets'], { cwd: ROOT, stdio: 'inherit' });
if (prepared.status !== 0) throw new Error('npm run prepare-assets failed');

const seconds: Record<string, number> = {};
const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  try {
    return await work();
  } finally {
    seconds[name] = Math.round((performance.now() - t) / 1000);
  }
};
if (parts.includes('diff')) results.push(await timed('diff', () => diffCore(opts, 1000, quick ? 3 : 5)));
if (parts.includes('embed')) results.push(await timed('embed', () => embedColdStart(opts, quick ? 3 : 5)));

if (gpu) {
  const smol = prepareShaped(opts.log, 'q4');
  const page: BenchSession = await openBenchPage(GPU_ARGS);
  try {
    const gpuResult = await timed('gpu', () => gpuFigures(page, smol, opts));
    if (!gpuResult) {
      await page.close();
      process.exit(0);
    }
    results.push(gpuResult);
  } finally {
    await page.close();
  }
}

if (parts.includes('crosscoder')) {
  const page: BenchSession = await openBenchPage();
  try {
    results.push(await timed('crosscoder', () => crosscoderSpeed(page, opts)));
  } finally {
    await page.close();
  }
}

const wantsModel = (m: string) => !opts.models || opts.models.includes(m);
if (parts.includes('formats')) {
  // fp32, q4 and q8 of the 135M-shaped model through our profiler, one after the other in one page (bench/formats.ts).
  const models = new Map((['fp32', 'q4', 'q8'] as const).map((d) => [d, prepareShaped(opts.log, d)] as const));
  const page: BenchSession = await openBenchPage();
  try {
    results.push(
      await timed('formats', () => formatSpeed(page, models, opts, batch, Number(flag('reps') ?? (quick ? 1 : 2)))),
    );
  } finally {
    await page.close();
  }
}

if (parts.some((p) => p === 'profile' || p === 'decode' || p === 'harvest' || p === 'peak')) {
  const profiling = parts.includes('profile');
  const stories = profiling && wantsModel('stories') ? prepareStories() : null;
  if (profiling && wantsModel('stories') && !stories)
    console.log('profile: ../shared/data/stories260K is absent: stories260K skipped.');
  // The SmolLM2-135M-shaped model's formats: fp32 (--models=smol), q4 and q8 (MatMulNBits, --models=q4,q8).
  const formats: ShapedDtype[] = (['fp32', 'q4', 'q8'] as const).filter((d) => wantsModel(d === 'fp32' ? 'smol' : d));
  const shaped = new Map<ShapedDtype, string>();
  const needsShaped = parts.includes('decode') || parts.includes('harvest') || (profiling && formats.length > 0);
  if (needsShaped)
    for (const d of formats.length ? formats : ['fp32' as const]) shaped.set(d, prepareShaped(opts.log, d));
  const page: BenchSession = await openBenchPage();
  try {
    if (!(await page.call('isolated')))
      console.log('warning: the bench page is not cross-origin isolated (no threads)');
    const cases: ProfileCase[] = [];
    if (profiling && stories)
      cases.push({
        key: 'stories260K',
        model: stories,
        set: 'stories',
        prompts: quick ? 8 : 16,
        maxNewTokens: 32,
        reps: 3,
      });
    if (profiling && shaped.has('fp32') && wantsModel('smol'))
      cases.push({
        key: 'SmolLM2-135M-shaped',
        model: shaped.get('fp32')!,
        set: 'smoke',
        prompts: quick ? 2 : 4,
        maxNewTokens: quick ? 8 : 16,
        reps: 3,
        shaped: true,
      });
    // q4 and q8 at a real run's scale: 16 prompts × 32 new tokens (two groups of the profiler's batch of 8).
    for (const d of ['q4', 'q8'] as const)
      if (profiling && shaped.has(d))
        cases.push({
          key: `SmolLM2-135M-shaped ${d}`,
          model: shaped.get(d)!,
          set: 'core',
          prompts: quick ? 4 : 16,
          maxNewTokens: quick ? 8 : 32,
          reps: Number(flag('reps') ?? (quick ? 1 : 2)),
          warmups: 1,
          dtype: d,
          shaped: true,
        });
    let peak: MachinePeak | null = null;
    if (cases.some((c) => c.shaped) || parts.includes('peak')) {
      const measured = await timed('peak', () => machinePeak(page, opts));
      results.push(measured.result);
      peak = measured.peak;
    }
    if (cases.length) results.push(await timed('profile', () => profileThroughput(page, cases, opts, batch, peak)));
    if (parts.includes('decode')) {
      await timed('decode', async () => {
        for (const [dtype, model] of shaped) {
          // One worker decoding alone: all cores, as the native runtime gets.
          await page.call('loadOurs', { model, threads: 4, workers: 1, dtype });
          results.push(await decodeSpeed(page, model, opts, quick ? 16 : 24, 3, dtype));
          await page.call('unload');
        }
      });
    }
    if (parts.includes('harvest')) {
      const [dtype, model] = [...shaped][0]!;
      const weightBytes = statSync(join(MODELS, model, ONNX_FILE[dtype])).size;
      results.push(
        await timed('harvest', () =>
          harvestMemory(page, model, opts, quick ? 16 : 64, quick ? 32 : 64, weightBytes, dtype),
        ),
      );
    }
  } finally {
    await page.close();
  }
}

const figures: Figure[] = results.flatMap((r) => r.figures);
const rows = [
  ['part', 'measure', 'unit', 'ours', 'baseline', 'ratio', 'target', 'met'],
  ...figures.map((f) => [
    f.part,
    f.what,
    f.unit,
    fmt(f.value),
    f.baseline ? `${fmt(f.baseline.value)} (${f.baseline.what})` : '',
    f.ratio !== undefined ? `${fmt(f.ratio)}×` : '',
    f.target ?? '',
    f.met === undefined ? '' : f.met ? 'yes' : 'NO',
  ]),
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log('');
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
const total = (performance.now() - started) / 1000;
console.log(
  `\n${figures.length} figures in ${total.toFixed(0)} s (${Object.entries(seconds)
    .map(([k, v]) => `${k} ${v} s`)
    .join(', ')}). ours and baseline: medians of the repetitions (all in the ` +
    'JSON); ratio: median of the per-repetition ratios (each pair measured back to back).',
);
mkdirSync(RESULTS, { recursive: true });
const file = join(RESULTS, 'bench.json');
writeFileSync(
  file,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverage: loadavg() },
      options: { quick, gpu, parts, batch, models: opts.models, threads: opts.threads ?? 'app default' },
      seconds: { total, ...seconds },
      figures,
      parts: results,
    },
    null,
    1,
  ),
);
console.log(`Wrote ${file}`);
