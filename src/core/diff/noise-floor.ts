// The verdict's noise floor: how much a model differs from itself on this runtime. Measured where the profile has
// each model's own replies re-scored by itself (the profiler's noise pass, on runtimes that are not exact), in the
// verdict's own statistic; otherwise the rounding of deterministic CPU kernels, said as such.

import type { PairProfile } from '../profile/types.ts';
import { bits, textSteps } from './cross-likelihood.ts';
import type { NoiseFloor } from './report-types.ts';
import { perByte } from './samples.ts';
import { alignPositions, divergence } from './token-divergence.ts';

/**
 * Per prompt, each model's divergence from itself (its replies re-scored by itself, where the profile measured it):
 * the same statistic as the verdict's, so the two are exchangeable when B is A plus runtime noise.
 */
export function noiseByPrompt(pair: PairProfile, same: boolean): Map<string, number> {
  const out = new Map<string, number>();
  if (!pair.noise) return out;
  const recA = new Map(pair.a.records.filter((r) => !r.sample).map((r) => [r.promptId, r]));
  const recB = new Map(pair.b.records.filter((r) => !r.sample).map((r) => [r.promptId, r]));
  const selfB = new Map(pair.noise.b.map((s) => [s.promptId, s]));
  for (const sa of pair.noise.a) {
    const ra = recA.get(sa.promptId);
    const rb = recB.get(sa.promptId);
    const sb = selfB.get(sa.promptId);
    if (!ra || !rb || !sb || sa.unavailable || sb.unavailable) continue;
    if (same) {
      const kls = [
        ...alignPositions(textSteps(ra), sa.tokens, true),
        ...alignPositions(textSteps(rb), sb.tokens, false),
      ]
        .map(divergence)
        .map((d) => d.kl);
      if (kls.length) out.set(sa.promptId, kls.reduce((x, y) => x + y, 0) / kls.length);
    } else {
      const d = (s: typeof sa, r: typeof ra) => perByte(bits(s.tokens) - bits(textSteps(r)), s.bytes);
      out.set(sa.promptId, (d(sa, ra) + d(sb, rb)) / 2);
    }
  }
  return out;
}

/** The noise floor: measured when the profile has self-scores; else deterministic CPU runtimes are exact up to
 * rounding, and anything else is said to be unmeasured. */
export function noiseFloor(pair: PairProfile, same: boolean, measured: ReadonlyMap<string, number>): NoiseFloor {
  const devices = [...new Set([pair.a.model, pair.b.model].map((m) => `${m.engine} on ${m.device}, ${m.dtype}`))];
  if (measured.size > 0) {
    return {
      value: Math.max(0, ...measured.values()),
      measured: true,
      method: `the largest of each model re-scoring its own replies on ${measured.size} prompts (${devices.join('; ')})`,
      n: measured.size,
    };
  }
  const exact = [pair.a.model, pair.b.model].every(
    (m) => m.engine === 'onnx' && (m.device === 'wasm' || m.device === 'cpu'),
  );
  return {
    value: 0,
    measured: false,
    method: exact
      ? `both models on deterministic CPU kernels: ${same ? 'per-token KL under 1e-6 nats is rounding' : 'exact up to rounding'}`
      : 'not measured for this runtime: differences near the floor may be runtime noise',
    n: 0,
  };
}
