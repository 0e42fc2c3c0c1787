// The machine's own limit, measured from the bench page's browser in the same run as the profile part: matrix
// products on onnxruntime-web in workers laid out as the engine's (two workers at once, the app's threads per worker),
// float MatMul and MatMulNBits (q4, q8) at SmolLM2-135M's MLP shape (576 → 1536 → 576 …). Rows per pass: 256 (a
// batched prompt pass or scoring pass), 8 (a batched decoding step) and 1 (one prompt decoding alone).

import type { BenchSession } from './lib/browser.ts';
import { median, type BenchOptions, type Figure, type PartResult } from './lib/common.ts';
import type { PeakFormat } from './page/peak.worker.ts';

/** The best aggregate FLOP/s per format over the rows tried (medians of the repetitions). */
export type MachinePeak = Record<PeakFormat, number>;

export async function machinePeak(
  page: BenchSession,
  opts: BenchOptions,
): Promise<{ result: PartResult; peak: MachinePeak }> {
  const threads = opts.threads ?? (await page.call('threads')).ours;
  const workers = 2;
  const reps = opts.quick ? 2 : 3;
  const rowsTried = opts.quick ? [256, 8] : [256, 8, 1];
  const figures: Figure[] = [];
  const peak: MachinePeak = { fp32: 0, q4: 0, q8: 0 };
  const all: Record<string, unknown>[] = [];
  for (const format of ['fp32', 'q4', 'q8'] as const) {
    for (const m of rowsTried) {
      const shape = { m, k: 576, n: 1536, depth: 4, format };
      const got = await page.call('peak', shape, workers, threads, reps, opts.quick ? 300 : 500);
      const value = median(got.flopsPerSecond);
      peak[format] = Math.max(peak[format], value);
      all.push({ ...shape, ...got });
      // Does the runtime have an int8 path for MatMulNBits here? The same product with accuracy_level 4.
      if (format !== 'fp32' && m === rowsTried[0]) {
        const acc4 = await page.call('peak', { ...shape, accuracyLevel: 4 }, workers, threads, reps, 300);
        all.push({ ...shape, accuracyLevel: 4, ...acc4 });
        opts.log(
          `peak ${format} ${m} rows, accuracy_level 4 (int8 compute): ` +
            `${(median(acc4.flopsPerSecond) / 1e9).toFixed(2)} GFLOP/s`,
        );
      }
      opts.log(
        `peak ${format} ${m}×576·576×1536 (depth 4), ${workers} workers × ${got.threads} thread(s): ` +
          `${(value / 1e9).toFixed(2)} GFLOP/s (${got.flopsPerSecond.map((x) => (x / 1e9).toFixed(2)).join(', ')})`,
      );
      figures.push({
        part: 'peak',
        what: `${format === 'fp32' ? 'MatMul' : `MatMulNBits ${format}`} ${m} rows × 576 → 1536, ${workers} workers × ${got.threads} thread(s)`,
        unit: 'GFLOP/s',
        value: value / 1e9,
        reps: got.flopsPerSecond.map((x) => x / 1e9),
      });
    }
  }
  return { result: { part: 'peak', figures, details: { workers, threads, runs: all, peak } }, peak };
}
