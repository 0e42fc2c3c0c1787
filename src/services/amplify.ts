// Diff amplification end to end: two engines that share a vocabulary decode in lock step, and each token is sampled
// from logits_B + α(logits_B − logits_A), surfacing behaviour B acquired that is too rare to see in plain samples.

import { sampleAmplified } from '../core/diff/amplify.ts';
import { topK as topIds } from '../core/engine/distribution.ts';
import type { ModelInfo, PromptInput } from '../core/engine/types.ts';
import { createRng } from '../core/random.ts';
import type { EngineApi } from '../../workers/engine-api.ts';

export interface SteppingEngine {
  engine: Pick<EngineApi, 'beginSteps' | 'step' | 'endSteps' | 'decode'>;
  info: ModelInfo;
}

export interface AmplifyOptions {
  alpha: number;
  temperature: number;
  seed: number;
  maxNewTokens: number;
  /** Sample among the amplified distribution's top candidates, as generate() does (40). */
  candidates?: number;
}

export async function amplifiedGenerate(
  a: SteppingEngine,
  b: SteppingEngine,
  prompt: PromptInput,
  o: AmplifyOptions,
): Promise<{ ids: number[]; text: string }> {
  if (a.info.tokenizerFingerprint !== b.info.tokenizerFingerprint) {
    throw new Error('Amplification needs two models with the same vocabulary; these two tokenize differently.');
  }
  const rng = createRng(o.seed);
  const [sa, sb] = await Promise.all([a.engine.beginSteps(prompt), b.engine.beginSteps(prompt)]);
  let la = sa.logits;
  let lb = sb.logits;
  const ids: number[] = [];
  try {
    while (ids.length < o.maxNewTokens) {
      // Candidates: B's own top tokens, so amplification reweights what B might say rather than inventing tokens.
      const restrict = o.temperature > 0 ? topIds(lb, Math.max(o.candidates ?? 40, 1), 0).map((t) => t.id) : undefined;
      const id = sampleAmplified(la, lb, o.alpha, o.temperature, rng, restrict);
      ids.push(id);
      if (b.info.eosTokenIds.includes(id) || ids.length === o.maxNewTokens) break;
      [la, lb] = await Promise.all([a.engine.step(id), b.engine.step(id)]);
    }
  } finally {
    await Promise.all([a.engine.endSteps(), b.engine.endSteps()]);
  }
  return { ids, text: await b.engine.decode(ids) };
}
