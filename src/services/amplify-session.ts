// Runs diff amplification for one prompt of a finished comparison: loads both models again (each in its worker),
// samples α = 0 and the chosen α with the same seeds, then terminates the workers.

import { parseModelSpec } from '../core/model-spec.ts';
import type { Prompt } from '../core/prompts/index.ts';
import { amplifiedGenerate } from './amplify.ts';
import {
  engineFailureMessage,
  runtimeBase,
  startEngine,
  threadsPerWorker,
  withKey,
  type ApiKeys,
  type EngineHandle,
} from './engine-pool.ts';
import { promptInput } from './profiler.ts';
import type { ModelChoice } from './session.ts';
import { siteBase } from './site-base.ts';

export interface AmplifyRequest {
  modelA: ModelChoice;
  modelB: ModelChoice;
  /** API keys for `openai:` models, per side (memory only, as in runSession). */
  apiKeys?: ApiKeys;
  prompt: Prompt;
  alpha: number;
  samples: number;
  maxNewTokens: number;
  device?: 'auto' | 'webgpu' | 'wasm';
  onSample: (s: { alpha: number; seed: number; text: string }) => void;
}

const KEPT = 'The samples shown so far are kept: press Amplify to sample again.';

export async function runAmplification(req: AmplifyRequest): Promise<void> {
  const source = (m: ModelChoice) => (typeof m === 'string' ? parseModelSpec(m, siteBase()) : m.source);
  const options = { runtimeBase: runtimeBase(), device: req.device ?? 'auto', threads: threadsPerWorker(2) };
  const handles: EngineHandle[] = [];
  // A worker that dies never answers its pending call: the sampling ends with a message instead of hanging.
  let failed: (e: Error) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failed = reject));
  failure.catch(() => {}); // settled by the race below, or never looked at when nothing else is pending
  try {
    const [a, b] = await Promise.all(
      [req.modelA, req.modelB].map(async (m, i) => {
        const h = await startEngine(
          withKey(source(m), i === 0 ? req.apiKeys?.a : req.apiKeys?.b),
          options,
          () => {},
          (f) => failed(new Error(engineFailureMessage(`Model ${'AB'[i]}`, f, KEPT))),
        );
        handles.push(h);
        return h;
      }),
    );
    const input = promptInput(req.prompt);
    for (const alpha of [0, req.alpha]) {
      for (let seed = 1; seed <= req.samples; seed++) {
        const { text } = await Promise.race([
          amplifiedGenerate(a!, b!, input, { alpha, temperature: 1, seed, maxNewTokens: req.maxNewTokens }),
          failure,
        ]);
        req.onSample({ alpha, seed, text });
      }
    }
  } finally {
    handles.forEach((h) => h.terminate());
  }
}
