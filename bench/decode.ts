// Part 2: greedy decoding speed of our engine on WASM in Chromium (a worker, as the app runs it) against the same
// engine code on onnxruntime-node (native) in this process, on the same SmolLM2-135M-shaped model file (fp32, or
// the q4 / q8 MatMulNBits export) and the same CPU. Repetitions alternate between the two, so both see the same
// background load.

import { join } from 'node:path';
import type { PromptInput } from '../src/core/engine/types.ts';
import { readFolder } from '../src/node/profile-forged.ts';
import { OnnxEngine } from '../workers/onnx-engine.ts';
import type { BenchSession } from './lib/browser.ts';
import { median, pairedRatio, type BenchOptions, type PartResult } from './lib/common.ts';
import { MODELS } from './lib/models.ts';

const PROMPT: PromptInput = {
  messages: [
    { role: 'user', content: 'Write a short story about a lighthouse keeper who finds a message in a bottle.' },
  ],
};

/** Expects the page to have model `model` loaded as its first engine (loadOurs), in weight format `dtype`. */
export async function decodeSpeed(
  page: BenchSession,
  model: string,
  opts: BenchOptions,
  newTokens: number,
  reps: number,
  dtype: 'fp32' | 'q4' | 'q8' = 'fp32',
): Promise<PartResult> {
  opts.log(`decode: ${model} (${dtype}) on onnxruntime-node (native) …`);
  const engine = new OnnxEngine();
  const info = await engine.load(
    { kind: 'files', name: model, files: readFolder(join(MODELS, model)), dtype },
    { runtimeBase: '', device: 'wasm' },
  );
  if (info.dtype !== dtype) throw new Error(`decode: onnxruntime-node loaded ${info.dtype}, not ${dtype}`);
  const native = { engine };
  const settings = { maxNewTokens: newTokens, temperature: 0, seed: 1, topK: 10 };
  try {
    // Warm-up, not timed.
    await page.call('decode', PROMPT, newTokens);
    await native.engine.generate(PROMPT, settings);
    const wasm: number[] = [];
    const cpu: number[] = [];
    let sameIds = true;
    for (let r = 0; r < reps; r++) {
      const runWasm = async () => {
        const g = await page.call('decode', PROMPT, newTokens);
        wasm.push(g.tokensPerSecond);
        return g.ids;
      };
      const runNative = async () => {
        const g = await native.engine.generate(PROMPT, settings);
        cpu.push(g.timings.tokensPerSecond);
        return g.tokens.map((t) => t.id);
      };
      let x: number[];
      let y: number[];
      if (r % 2 === 0) {
        x = await runWasm();
        y = await runNative();
      } else {
        y = await runNative();
        x = await runWasm();
      }
      sameIds &&= x.join() === y.join();
      opts.log(`  rep ${r + 1}/${reps}: WASM ${wasm.at(-1)!.toFixed(1)} tok/s, native ${cpu.at(-1)!.toFixed(1)} tok/s`);
    }
    const value = median(wasm);
    const base = median(cpu);
    return {
      part: 'decode',
      figures: [
        {
          part: 'decode',
          what: `${model} (${dtype}): greedy decode, ${newTokens} new tokens, WASM in Chromium vs onnxruntime-node`,
          unit: 'tokens/s',
          value,
          reps: wasm,
          baseline: { what: 'onnxruntime-node (native)', value: base, reps: cpu },
          ratio: pairedRatio(wasm, cpu),
          target: '≥ 0.5×',
          met: pairedRatio(wasm, cpu) >= 0.5,
        },
      ],
      details: { dtype, prompt: PROMPT, newTokens, sameGreedyTokens: sameIds },
    };
  } finally {
    await native.engine.dispose();
  }
}
