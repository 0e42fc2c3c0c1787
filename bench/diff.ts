// Part 3: the diff core, measured by bench/diff-core.ts (its own script, owned with src/core/diff): run as a child
// process, its table passed through, and its median total kept as a figure.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, type BenchOptions, type PartResult } from './lib/common.ts';

export async function diffCore(opts: BenchOptions, prompts: number, reps: number): Promise<PartResult> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(ROOT, 'bench', 'diff-core.ts'),
        String(prompts),
        String(reps),
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
  const total = /^diff\(\) total\s+(\d+)\s+(\d+)\s+([\d, ]+)$/m.exec(out);
  if (!total) throw new Error(`bench/diff-core.ts printed no "diff() total" row:\n${out}`);
  const reps_ = total[3]!.split(',').map(Number);
  const value = Number(total[1]);
  return {
    part: 'diff',
    figures: [
      {
        part: 'diff',
        what: `diff() on ${prompts} synthetic prompts, all features, 2,000 resamples`,
        unit: 'ms',
        value,
        reps: reps_,
        target: '< 500 ms',
        met: value < 500,
        notes: ['absolute target: bench/diff-core.ts has no baseline of its own'],
      },
    ],
    details: { output: out },
  };
}
