// Activation harvest (issue 15): the residual stream of the SmolLM2-135M-shaped model at its middle stream point for
// `texts` rows of `tokens` token ids, read through the engine's activation taps (workers/engine-taps.ts: a second
// onnxruntime session over the graph with the stream points added as outputs) in one engine worker, as the internals
// session runs it. Times the tap session's opening, a first and a second harvest; memory from
// performance.measureUserAgentSpecificMemory (cross-origin isolated Chromium: the page and its workers, WebAssembly
// memories included — they only ever grow, so a reading after a call holds that call's high-water mark).

import { middlePoint } from '../src/core/internals/diff-lens.ts';
import { SMOLLM2_135M_SHAPE } from '../src/core/forge/shaped.ts';
import type { BenchSession } from './lib/browser.ts';
import type { BenchOptions, Figure, PartResult } from './lib/common.ts';

/** The budget a harvest is held to: the engine caps taps per forward pass at 64 MiB (engine-taps.ts TAP_VALUES). */
const TAP_PASS_BYTES = 64 * 2 ** 20;

export async function harvestMemory(
  page: BenchSession,
  model: string,
  opts: BenchOptions,
  texts: number,
  tokens: number,
  weightBytes: number,
  dtype: 'fp32' | 'q4' | 'q8' = 'fp32',
): Promise<PartResult> {
  const point = middlePoint(SMOLLM2_135M_SHAPE.numLayers);
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
  const rows = Array.from({ length: texts }, () =>
    Array.from({ length: tokens }, () => 3 + (next() % (SMOLLM2_135M_SHAPE.vocabSize - 3))),
  );
  opts.log(`harvest: ${model}, ${texts} rows × ${tokens} tokens at stream point ${point} …`);
  await page.call('loadOurs', { model, workers: 1, dtype });
  const loaded = await page.call('measureMemory');
  const h = await page.call('harvest', rows, point);
  await page.call('unload');
  const mib = (b: number) => b / 2 ** 20;
  const grew = h.memory.afterFirst && loaded ? h.memory.afterFirst.workers - loaded.workers : NaN;
  // The budget: the model's weights once more (the tap session holds its own copy of the initializers), plus one
  // forward pass's taps (64 MiB at most) and the returned rows; stated beside what was measured.
  const budget = weightBytes + TAP_PASS_BYTES + h.returnedBytes;
  const figures: Figure[] = [
    {
      part: 'harvest',
      what: `${model}: residual stream at point ${point}, ${texts} × ${tokens} tokens, open tap session + harvest`,
      unit: 'ms',
      value: h.openMs + h.firstMs,
      reps: [h.openMs + h.firstMs],
      notes: [`open ${h.openMs.toFixed(0)} ms, first ${h.firstMs.toFixed(0)} ms, second ${h.secondMs.toFixed(0)} ms`],
    },
    {
      part: 'harvest',
      what: `${model}: second harvest on the open tap session (${h.positions} positions)`,
      unit: 'positions/s',
      value: (h.positions / h.secondMs) * 1000,
      reps: [(h.positions / h.secondMs) * 1000],
    },
    {
      part: 'harvest',
      what: `${model}: worker memory growth of the harvest (measureUserAgentSpecificMemory)`,
      unit: 'MiB',
      value: mib(grew),
      reps: [mib(grew)],
      target: `≤ ${mib(budget).toFixed(0)} MiB (weights again + 64 MiB taps/pass + rows)`,
      ...(Number.isFinite(grew) ? { met: grew <= budget } : {}),
    },
  ];
  opts.log(
    `  open ${h.openMs.toFixed(0)} ms, harvest ${h.firstMs.toFixed(0)} ms (second ${h.secondMs.toFixed(0)} ms), ` +
      `${mib(h.returnedBytes).toFixed(1)} MiB returned; workers' memory ` +
      (loaded && h.memory.afterFirst && h.memory.afterSecond
        ? `${mib(loaded.workers).toFixed(0)} → ${mib(h.memory.afterFirst.workers).toFixed(0)} → ` +
          `${mib(h.memory.afterSecond.workers).toFixed(0)} MiB (page total ${mib(h.memory.afterSecond.total).toFixed(0)} MiB)`
        : 'not measurable here (no measureUserAgentSpecificMemory)'),
  );
  return { part: 'harvest', figures, details: { rows: texts, tokens, point, loaded, ...h, budgetBytes: budget } };
}
