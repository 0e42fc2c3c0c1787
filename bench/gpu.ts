// `npm run bench -- --gpu`: the WebGPU figures beside WASM, in the same run and browser (launched with GPU_ARGS):
// ONNX-WebGPU greedy decoding and profiling of the SmolLM2-135M-shaped q4 model against the same engine on WASM.
// Only a hardware adapter counts (as the app decides: workers/gpu-facts.ts, src/core/capabilities.ts): a software
// one (SwiftShader, isFallbackAdapter) or none is said, and nothing is measured.

import type { GenerationSettings } from '../src/core/engine/types.ts';
import type { BenchSession } from './lib/browser.ts';
import { median, pairedRatio, type BenchOptions, type Figure, type PartResult } from './lib/common.ts';
import { subset } from './profile.ts';

const PROMPT = {
  messages: [
    {
      role: 'user' as const,
      content: 'Write a short story about a lighthouse keeper who finds a message in a bottle.',
    },
  ],
};

/** null when this browser has no hardware WebGPU adapter (said in the log). */
export async function gpuFigures(page: BenchSession, model: string, opts: BenchOptions): Promise<PartResult | null> {
  const facts = await page.call('gpuFacts');
  if (!facts.adapter || facts.adapter.isFallback) {
    opts.log(
      facts.adapter
        ? `--gpu: the only WebGPU adapter is a software one (${facts.adapter.name ?? 'fallback adapter'}, ` +
            'e.g. SwiftShader): it is slower than WASM and the app never uses it, so no GPU figures are measured here.'
        : '--gpu: this browser offers no WebGPU adapter, so no GPU figures are measured here.',
    );
    opts.log('  On a machine with a GPU: npm run bench -- --gpu (Chromium flags: bench/lib/browser.ts GPU_ARGS).');
    return null;
  }
  opts.log(`--gpu: hardware adapter ${facts.adapter.name ?? '(unnamed)'}; ${model} (q4) on WebGPU and WASM`);
  const figures: Figure[] = [];
  const reps = opts.quick ? 2 : 3;
  const newTokens = opts.quick ? 16 : 32;
  const speeds: Record<'webgpu' | 'wasm', number[]> = { webgpu: [], wasm: [] };
  for (const device of ['webgpu', 'wasm'] as const) {
    await page.call('loadOurs', { model, workers: 1, threads: 4, dtype: 'q4', device });
    await page.call('decode', PROMPT, newTokens);
    for (let r = 0; r < reps; r++) speeds[device].push((await page.call('decode', PROMPT, newTokens)).tokensPerSecond);
    await page.call('unload');
  }
  figures.push({
    part: 'gpu',
    what: `${model} (q4): greedy decode, ${newTokens} new tokens, ONNX-WebGPU vs WASM`,
    unit: 'tokens/s',
    value: median(speeds.webgpu),
    reps: speeds.webgpu,
    baseline: { what: 'WASM (same browser)', value: median(speeds.wasm), reps: speeds.wasm },
    ratio: pairedRatio(speeds.webgpu, speeds.wasm),
  });
  const set = subset('core', opts.quick ? 4 : 16);
  const settings: GenerationSettings = { maxNewTokens: newTokens, temperature: 0, seed: 1, topK: 10 };
  const ms: Record<'webgpu' | 'wasm', number[]> = { webgpu: [], wasm: [] };
  for (const device of ['webgpu', 'wasm'] as const) {
    await page.call('loadOurs', { model, dtype: 'q4', device });
    await page.call('runOurs', set, settings, 8);
    for (let r = 0; r < reps; r++) ms[device].push((await page.call('runOurs', set, settings, 8)).ms);
    await page.call('unload');
  }
  const ppm = (xs: number[]) => xs.map((x) => (set.prompts.length / x) * 60_000);
  figures.push({
    part: 'gpu',
    what: `${model} (q4): profile ${set.prompts.length} core prompts × ${newTokens} tokens, ONNX-WebGPU vs WASM`,
    unit: 'prompts/min',
    value: median(ppm(ms.webgpu)),
    reps: ppm(ms.webgpu),
    baseline: { what: 'WASM (same browser)', value: median(ppm(ms.wasm)), reps: ppm(ms.wasm) },
    ratio: pairedRatio(ppm(ms.webgpu), ppm(ms.wasm)),
  });
  return { part: 'gpu', figures, details: { adapter: facts.adapter } };
}
