// Runs diff amplification for one prompt of a finished comparison: loads both models again (each in its worker),
// samples α = 0 and the chosen α with the same seeds, then terminates the workers.

import { parseModelSpec } from '../core/model-spec.ts';
import type { Prompt } from '../core/prompts/index.ts';
import { amplifiedGenerate } from './amplify.ts';
import { runtimeBase, startEngine, threadsPerWorker, type EngineHandle } from './engine-pool.ts';
import { promptInput } from './profiler.ts';
import type { ModelChoice } from './session.ts';
import { siteBase } from './site-base.ts';

export interface AmplifyRequest {
  modelA: ModelChoice;
  modelB: ModelChoice;
  prompt: Prompt;
  alpha: number;
  samples: number;
  maxNewTokens: number;
  device?: 'auto' | 'webgpu' | 'wasm';
  onSample: (s: { alpha: number; seed: number; text: string }) => void;
}

export async function runAmplification(req: AmplifyRequest): Promise<void> {
  const source = (m: ModelChoice) => (typeof m === 'string' ? parseModelSpec(m, siteBase()) : m.source);
  const options = { runtimeBase: runtimeBase(), device: req.device ?? 'auto', threads: threadsPerWorker(2) };
  const handles: EngineHandle[] = [];
  try {
    const [a, b] = await Promise.all(
      [req.modelA, req.modelB].map(async (m) => {
        const h = await startEngine(source(m), options, () => {});
        handles.push(h);
        return h;
      }),
    );
    const input = promptInput(req.prompt);
    for (const alpha of [0, req.alpha]) {
      for (let seed = 1; seed <= req.samples; seed++) {
        const { text } = await amplifiedGenerate(a!, b!, input, {
          alpha,
          temperature: 1,
          seed,
          maxNewTokens: req.maxNewTokens,
        });
        req.onSample({ alpha, seed, text });
      }
    }
  } finally {
    handles.forEach((h) => h.terminate());
  }
}
