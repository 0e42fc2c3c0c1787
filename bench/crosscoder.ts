// Crosscoder training speed (issue 16): tokens/s of the app's training worker in Chromium (onnxruntime-web WASM,
// the ONNX training step of src/core/internals/crosscoder/onnx-step.ts) against the same graph stepped by
// onnxruntime-node (native) in this process, at the run's size for stories260K-sized models (d 64, 8×d latents, k 8)
// and for a 576-wide model (SmolLM2-135M), batch 256. Repetitions alternate between the two so both see the same
// background load; each figure is a median over steps after the first.

import * as ortNode from 'onnxruntime-node';
import { crosscoderConfig } from '../src/core/internals/crosscoder/config.ts';
import { buildTrainingStep } from '../src/core/internals/crosscoder/onnx-step.ts';
import { ortStepRuntime, type OrtLike, type SessionLike } from '../src/core/internals/crosscoder/ort-runtime.ts';
import { initParams, zeroAdam } from '../src/core/internals/crosscoder/params.ts';
import { GraphStepper } from '../src/core/internals/crosscoder/stepper.ts';
import { createRng } from '../src/core/random.ts';
import type { BenchSession } from './lib/browser.ts';
import { median, pairedRatio, type BenchOptions, type Figure, type PartResult } from './lib/common.ts';

const BATCH = 256;

/** onnxruntime-node stepping the same graph: tokens/s of each step after a warm-up step. */
async function nativeSpeeds(d: number, latents: number, k: number, steps: number): Promise<number[]> {
  const c = crosscoderConfig([d, d], { latents, k, batchSize: BATCH });
  const p = initParams(c, [new Float32Array(d), new Float32Array(d)]);
  const session = await ortNode.InferenceSession.create(buildTrainingStep(c));
  const stepper = new GraphStepper(
    c,
    ortStepRuntime(ortNode as unknown as OrtLike, session as SessionLike),
    p,
    zeroAdam(p),
  );
  const rng = createRng(11);
  const batch = {
    size: BATCH,
    x: [0, 1].map(() => Float32Array.from({ length: BATCH * d }, () => rng.normal())) as [Float32Array, Float32Array],
  };
  const dead = new Uint8Array(latents);
  const out: number[] = [];
  try {
    for (let s = 0; s <= steps; s++) {
      const t = performance.now();
      await stepper.step(batch, dead, 1e-3);
      if (s > 0) out.push(BATCH / ((performance.now() - t) / 1000));
    }
  } finally {
    stepper.dispose();
    await session.release();
  }
  return out;
}

export async function crosscoderSpeed(page: BenchSession, opts: BenchOptions): Promise<PartResult> {
  const sizes = [
    { d: 64, latents: 512, k: 8, steps: opts.quick ? 20 : 60 },
    ...(opts.quick ? [] : [{ d: 576, latents: 4608, k: 8, steps: 4 }]),
  ];
  const reps = opts.quick ? 1 : 2;
  const figures: Figure[] = [];
  for (const z of sizes) {
    opts.log(
      `crosscoder: d ${z.d}, ${z.latents} latents, k ${z.k}, batch ${BATCH}: Chromium WASM vs onnxruntime-node …`,
    );
    const web: number[] = [];
    const native: number[] = [];
    let device = '';
    for (let r = 0; r < reps; r++) {
      const runWeb = async () => {
        const got = await page.call('crosscoderTrain', { ...z, positions: 4 * BATCH });
        device = got.device;
        web.push(median(got.tokensPerSecond));
      };
      const runNative = async () => native.push(median(await nativeSpeeds(z.d, z.latents, z.k, Math.min(z.steps, 20))));
      if (r % 2 === 0) {
        await runWeb();
        await runNative();
      } else {
        await runNative();
        await runWeb();
      }
    }
    figures.push({
      part: 'crosscoder',
      what: `crosscoder training, d ${z.d}, ${z.latents} latents, k ${z.k}, batch ${BATCH}: the app's worker (${device})`,
      unit: 'tokens/s',
      value: median(web),
      reps: web,
      baseline: { what: 'onnxruntime-node, same graph', value: median(native), reps: native },
      ratio: pairedRatio(web, native),
      target: '≥ 0.5×',
      met: pairedRatio(web, native) >= 0.5,
    });
  }
  return { part: 'crosscoder', figures };
}
