// Not a test: the compute-path measurement behind the crosscoder's choice of training path (README). Times one
// training step of the TypeScript reference, the ONNX graph on onnxruntime-node (native) and on onnxruntime-web's
// WASM backend (in Node, one thread), at the sizes the method uses. Run: npx tsx test/core/internals/crosscoder-measure.ts

import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { crosscoderConfig, type CrosscoderConfig } from '../../../src/core/internals/crosscoder/config.ts';
import { buildTrainingStep } from '../../../src/core/internals/crosscoder/onnx-step.ts';
import { ortStepRuntime, type OrtLike, type SessionLike } from '../../../src/core/internals/crosscoder/ort-runtime.ts';
import { initParams, zeroAdam } from '../../../src/core/internals/crosscoder/params.ts';
import { GraphStepper, ReferenceStepper, type Stepper } from '../../../src/core/internals/crosscoder/stepper.ts';
import { randomBatch } from './crosscoder-fixtures.ts';

async function time(st: Stepper, c: CrosscoderConfig, steps: number): Promise<number> {
  const dead = new Uint8Array(c.latents);
  for (let j = 0; j < c.latents; j += 10) dead[j] = 1; // a tenth dead: AuxK runs, as early in training
  const batches = [0, 1, 2].map((s) => randomBatch(c, s));
  await st.step(batches[0]!, dead, 1e-3); // warm-up
  const times: number[] = [];
  for (let s = 0; s < steps; s++) {
    const t = performance.now();
    await st.step(batches[s % 3]!, dead, 1e-3);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const sizes = (process.argv[2] ?? '64,1024,16;576,4608,32').split(';').map((s) => s.split(',').map(Number));
ortWeb.env.wasm.numThreads = 1;
for (const [d, L, k] of sizes) {
  const c = crosscoderConfig([d!, d!], { latents: L!, k: k!, batchSize: 256 });
  const p = initParams(c, [new Float32Array(d!), new Float32Array(d!)]);
  const bytes = buildTrainingStep(c);
  const node = await ortNode.InferenceSession.create(bytes);
  const web = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const steps = d! > 256 ? 3 : 10;
  const row: Record<string, number> = {};
  row.typescript = await time(new ReferenceStepper(c, p, zeroAdam(p)), c, steps);
  row.ortNode = await time(
    new GraphStepper(c, ortStepRuntime(ortNode as unknown as OrtLike, node as SessionLike), p, zeroAdam(p)),
    c,
    steps,
  );
  row.ortWebWasm = await time(
    new GraphStepper(c, ortStepRuntime(ortWeb as unknown as OrtLike, web as SessionLike), p, zeroAdam(p)),
    c,
    steps,
  );
  const tps = Object.fromEntries(
    Object.entries(row).map(([kk, ms]) => [kk, `${ms.toFixed(1)} ms/step, ${Math.round((256 / ms) * 1000)} tokens/s`]),
  );
  console.log(`d=${d} L=${L} k=${k} B=256:`, tps);
}
