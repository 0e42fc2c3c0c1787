// Part "formats": which weight format profiles fastest on WASM. Our profiler (two engine workers, the same model as A
// and B) on the SmolLM2-135M-shaped model in fp32, q4 and q8 (MatMulNBits, as the hub's exports ship them): the same
// 16 core prompts × 32 new tokens, greedy, one warm-up run and `reps` timed runs per format, in one page and run.
// Each format's prompts per minute against fp32's (median of the repetitions' ratios, repetitions of the formats
// taken in turn), with the weights each downloads. It decides the page's WASM preference (src/core/capabilities.ts).

import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { GenerationSettings } from '../src/core/engine/types.ts';
import type { BenchSession } from './lib/browser.ts';
import { median, type BenchOptions, type Figure, type PartResult } from './lib/common.ts';
import { MODELS, ONNX_FILE, type ShapedDtype } from './lib/models.ts';
import { subset } from './profile.ts';

export async function formatSpeed(
  page: BenchSession,
  models: ReadonlyMap<ShapedDtype, string>,
  opts: BenchOptions,
  batchSize: number,
  reps: number,
): Promise<PartResult> {
  const set = subset('core', opts.quick ? 4 : 16);
  const settings: GenerationSettings = { maxNewTokens: opts.quick ? 8 : 32, temperature: 0, seed: 1, topK: 10 };
  const formats = [...models.keys()];
  const ms = new Map<ShapedDtype, number[]>(formats.map((d) => [d, []]));
  const texts = new Map<ShapedDtype, string[]>();
  // Rounds: each format loaded, warmed up once, timed once, unloaded; the formats in turn, `reps` rounds.
  for (let r = 0; r < reps; r++)
    for (const dtype of r % 2 ? [...formats].reverse() : formats) {
      await page.call('loadOurs', {
        model: models.get(dtype)!,
        dtype,
        ...(opts.threads ? { threads: opts.threads } : {}),
      });
      await page.call('runOurs', set, settings, batchSize);
      const run = await page.call('runOurs', set, settings, batchSize);
      await page.call('unload');
      ms.get(dtype)!.push(run.ms);
      texts.set(dtype, run.texts);
      opts.log(`  formats round ${r + 1}/${reps}: ${dtype} ${(run.ms / 1000).toFixed(1)} s`);
    }
  const perMinute = (x: number) => (set.prompts.length / x) * 60_000;
  const fp32 = ms.get('fp32');
  const figures: Figure[] = formats.map((dtype) => {
    const mine = ms.get(dtype)!;
    const bytes = statSync(join(MODELS, models.get(dtype)!, ONNX_FILE[dtype])).size;
    const same = texts.get(dtype)!.filter((t, i) => t === texts.get('fp32')?.[i]).length;
    return {
      part: 'formats',
      what:
        `SmolLM2-135M-shaped ${dtype} on WASM: our profiler, ${set.prompts.length} core prompts × ${settings.maxNewTokens} ` +
        `new tokens (${(bytes / 2 ** 20).toFixed(0)} MiB of weights${dtype === 'fp32' ? '' : `; ${same}/${set.prompts.length} A replies as fp32's`})`,
      unit: 'prompts/min',
      value: perMinute(median(mine)),
      reps: mine.map(perMinute),
      ...(fp32 && dtype !== 'fp32'
        ? {
            baseline: { what: 'fp32, same run', value: perMinute(median(fp32)), reps: fp32.map(perMinute) },
            ratio: median(mine.map((x, i) => fp32[i]! / x)),
          }
        : {}),
    };
  });
  return { part: 'formats', figures, details: { ms: Object.fromEntries(ms) } };
}
