// Not a test (no .test.ts): the in-browser half of the crosscoder's compute-path measurement. Times the training
// step on onnxruntime-web WASM (threads as the worker sets them) and WebGPU, and the TypeScript reference, in
// Chromium. Run: WTR_FILES=test/browser/workers/crosscoder-measure.ts npx web-test-runner

import { crosscoderConfig } from '../../../src/core/internals/crosscoder/config.ts';
import { initParams, zeroAdam } from '../../../src/core/internals/crosscoder/params.ts';
import { ReferenceStepper, type Stepper } from '../../../src/core/internals/crosscoder/stepper.ts';
import { createStepper } from '../../../workers/crosscoder-runtime.ts';
import { randomBatch } from '../../core/internals/crosscoder-fixtures.ts';
import { webgpuAvailable } from '../helpers.ts';

const RUNTIME = new URL('/public/ort/', location.origin).href;

describe('crosscoder step timings (a measurement, not a test)', () => {
  it('prints ms per step', async () => {
    const c = crosscoderConfig([64, 64], { latents: 512, k: 8, batchSize: 256 });
    const p = initParams(c, [new Float32Array(64), new Float32Array(64)]);
    const dead = new Uint8Array(c.latents);
    for (let j = 0; j < c.latents; j += 10) dead[j] = 1;
    const batches = [0, 1, 2].map((s) => randomBatch(c, s));
    const kinds: ['typescript' | 'wasm' | 'webgpu', number][] = [
      ['wasm', 20],
      ['typescript', 5],
    ];
    if (await webgpuAvailable()) kinds.push(['webgpu', 3]);
    for (const [kind, steps] of kinds) {
      const st: Stepper =
        kind === 'typescript'
          ? new ReferenceStepper(c, p, zeroAdam(p))
          : await createStepper(c, p, zeroAdam(p), kind, RUNTIME);
      await st.step(batches[0]!, dead, 1e-3);
      const times: number[] = [];
      for (let s = 0; s < steps; s++) {
        const t = performance.now();
        await st.step(batches[s % 3]!, dead, 1e-3);
        times.push(performance.now() - t);
      }
      st.dispose();
      times.sort((a, b) => a - b);
      const ms = times[Math.floor(times.length / 2)]!;
      console.log(
        `${st.kind} (crossOriginIsolated ${crossOriginIsolated}): ${ms.toFixed(1)} ms/step, ${Math.round((256 / ms) * 1000)} tokens/s`,
      );
    }
  });
});
