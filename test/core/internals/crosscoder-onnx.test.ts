// The ONNX training step (our graph writer, run by onnxruntime-node and by onnxruntime-web's WASM backend in Node)
// against the TypeScript reference: three steps, dead latents in two of them, parameters, Adam moments and every
// reported statistic within 1e-5.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { ortStepRuntime, type OrtLike, type SessionLike } from '../../../src/core/internals/crosscoder/ort-runtime.ts';
import { paramList, zeroAdam } from '../../../src/core/internals/crosscoder/params.ts';
import { buildTrainingStep } from '../../../src/core/internals/crosscoder/onnx-step.ts';
import { GraphStepper, ReferenceStepper, type Stepper } from '../../../src/core/internals/crosscoder/stepper.ts';
import { maxAbsDiff } from '../helpers.ts';
import { deadMask, randomBatch, randomParams, smallConfig } from './crosscoder-fixtures.ts';

async function compare(makeSession: (bytes: Uint8Array) => Promise<SessionLike>, ort: OrtLike) {
  const c = smallConfig();
  const p = randomParams(c, 21);
  const session = await makeSession(buildTrainingStep(c));
  const steppers: Stepper[] = [
    new ReferenceStepper(c, p, zeroAdam(p)),
    new GraphStepper(c, ortStepRuntime(ort, session), p, zeroAdam(p)),
  ];
  const deads = [deadMask(c, []), deadMask(c, [0, 3, 8, 11]), deadMask(c, [2, 5])];
  let worst = 0;
  for (let s = 0; s < 3; s++) {
    const batch = randomBatch(c, 100 + s);
    const [ref, onnx] = await Promise.all(steppers.map((st) => st.step(batch, deads[s]!, 1e-2)));
    for (const k of ['loss', 'mainLoss', 'auxLoss', 'gradNorm', 'minKept'] as const) {
      assert.ok(
        Math.abs(ref![k] - onnx![k]) < 1e-5 * Math.max(1, Math.abs(ref![k])),
        `${k}: ${ref![k]} vs ${onnx![k]}`,
      );
    }
    if (s > 0) assert.ok(ref!.auxLoss > 0);
    assert.deepEqual([...onnx!.fired], [...ref!.fired]);
    assert.ok(maxAbsDiff(ref!.squaredError, onnx!.squaredError) < 1e-4);
    const [a, b] = await Promise.all(steppers.map((st) => st.state()));
    const la = [...paramList(a!.params), ...a!.adam.m, ...a!.adam.v];
    const lb = [...paramList(b!.params), ...b!.adam.m, ...b!.adam.v];
    la.forEach((x, i) => (worst = Math.max(worst, maxAbsDiff(x, lb[i]!))));
    assert.equal(b!.adam.step, s + 1);
  }
  console.log(`largest difference: ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-5, `largest difference in parameters and moments: ${worst}`);
}

test('ONNX training step on onnxruntime-node matches the reference within 1e-5', async () => {
  await compare(
    (bytes) => ortNode.InferenceSession.create(bytes) as Promise<SessionLike>,
    ortNode as unknown as OrtLike,
  );
});

test('ONNX training step on onnxruntime-web (WASM, in Node) matches the reference within 1e-5', async () => {
  ortWeb.env.wasm.numThreads = 1;
  await compare(
    (bytes) => ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] }) as Promise<SessionLike>,
    ortWeb as unknown as OrtLike,
  );
});
