// Part 3: the diff core, measured by bench/diff-core.ts (its own script, owned with src/core/diff): run as a child
// process with the revision before the diff core's speed-ups as its baseline (its src/ run in the same processes'
// turns, interleaved), its table passed through, and its cold totals kept as figures with their same-run ratios;
// then the app's own path in Chromium (--browser): the diff worker's whole call against the former whole-pair clone
// (same run), and diff() timed inside a fresh worker, against the target.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, type BenchOptions, type Figure, type PartResult } from './lib/common.ts';

/** The diff core before its speed-ups (discovery and behaviours in, none of the optimisations yet). */
export const DIFF_BASELINE = 'd2e919f';

export async function diffCore(opts: BenchOptions, prompts: number, reps: number): Promise<PartResult> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(ROOT, 'bench', 'diff-core.ts'),
        String(prompts),
        String(reps),
        `--baseline=${DIFF_BASELINE}`,
        '--browser',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      for (const line of d.toString().split('\n')) if (line.trim()) opts.log(`  ${line}`);
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`bench/diff-core.ts exited with ${code}`)),
    );
  });
  // "label  ours  [cpu]  baseline  ratio×   ours each | baseline each" (diff-core.ts's rows with a baseline).
  const row = (label: string): { value: number; base: number; ratio: number; reps: number[]; baseReps: number[] } => {
    const m = new RegExp(
      `^${label.replace(/[()]/g, '\\$&')}\\s+(\\d+)(?:\\s+\\d+)?\\s+(\\d+)\\s+([\\d.]+)×\\s+([\\d, ]+)\\|([\\d, ]+)$`,
      'm',
    ).exec(out);
    if (!m) throw new Error(`bench/diff-core.ts printed no "${label}" row with a baseline:\n${out}`);
    const list = (s: string) => s.split(',').map(Number);
    return { value: Number(m[1]), base: Number(m[2]), ratio: Number(m[3]), reps: list(m[4]!), baseReps: list(m[5]!) };
  };
  const figure = (label: string, what: string, notes: string[]): Figure => {
    const r = row(label);
    return {
      part: 'diff',
      what,
      unit: 'ms',
      value: r.value,
      reps: r.reps,
      baseline: { what: `${DIFF_BASELINE}, same run`, value: r.base, reps: r.baseReps },
      ratio: r.ratio,
      target: '< 500 ms',
      met: r.value < 500,
      notes,
    };
  };
  // "  label   median   each, each, each   (note)" (diff-core.ts's browser rows).
  const browserRow = (label: string): number[] => {
    const m = new RegExp(`^  ${label.replace(/[()]/g, '\\$&')}\\s+\\d+\\s+([\\d, ]+?)(?:\\s{3}.*)?$`, 'm').exec(out);
    if (!m) throw new Error(`bench/diff-core.ts printed no "${label}" browser row:\n${out}`);
    return m[1]!.split(',').map(Number);
  };
  const ours = browserRow('fresh worker (cold)');
  const cloned = browserRow('before: profiles cloned');
  const inside = browserRow('diff() inside, cold');
  const med = (xs: readonly number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  const ratios = ours.map((x, i) => cloned[i]! / x);
  const browserFigures: Figure[] = [
    {
      part: 'diff',
      what: `the app's diff worker in Chromium, ${prompts} prompts: page → fresh worker → report, token steps packed and transferred`,
      unit: 'ms',
      value: med(ours),
      reps: ours,
      baseline: { what: 'the whole pair structured-cloned, same run', value: med(cloned), reps: cloned },
      ratio: med(ratios),
      notes: ['ratio: baseline ÷ ours per repetition, median (> 1: faster)'],
    },
    {
      part: 'diff',
      what: `diff() timed inside a fresh diff worker in Chromium, ${prompts} prompts, cold (the computation alone)`,
      unit: 'ms',
      value: med(inside),
      reps: inside,
      target: '< 500 ms',
      met: med(inside) < 500,
    },
  ];
  const what = `diff() on ${prompts} synthetic prompts: features, discovery, behaviours, 2,000 resamples; cold (first call in a fresh process)`;
  return {
    part: 'diff',
    figures: [
      figure('diff() total', `${what}, wall`, ['ratio: baseline ÷ ours per repetition, median (> 1: faster)']),
      figure('  cold, main-thread CPU', `${what}, main-thread CPU`, [
        'main-thread CPU time: what wall time is on an idle machine (a loaded one inflates wall time)',
      ]),
      ...browserFigures,
    ],
    details: { output: out },
  };
}
