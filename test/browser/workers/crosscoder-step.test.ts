// The crosscoder's ONNX training step on onnxruntime-web in Chromium — WASM, and WebGPU on the SwiftShader adapter
// with parameters and Adam moments kept on the GPU between steps — against the TypeScript reference: three steps,
// dead latents (AuxK) in two, everything within 1e-5.

import { expect } from '@esm-bundle/chai';
import { paramList, zeroAdam } from '../../../src/core/internals/crosscoder/params.ts';
import { ReferenceStepper } from '../../../src/core/internals/crosscoder/stepper.ts';
import { createStepper } from '../../../workers/crosscoder-runtime.ts';
import { deadMask, randomBatch, randomParams, smallConfig } from '../../core/internals/crosscoder-fixtures.ts';
import { maxAbsDiff, webgpuAvailable } from '../helpers.ts';

const RUNTIME = new URL('/public/ort/', location.origin).href;

async function compare(device: 'wasm' | 'webgpu') {
  const c = smallConfig();
  const p = randomParams(c, 21);
  const ref = new ReferenceStepper(c, p, zeroAdam(p));
  const graph = await createStepper(c, p, zeroAdam(p), device, RUNTIME);
  expect(graph.kind).to.equal(`onnxruntime-web ${device}`);
  const deads = [deadMask(c, []), deadMask(c, [0, 3, 8, 11]), deadMask(c, [2, 5])];
  let worst = 0;
  try {
    for (let s = 0; s < 3; s++) {
      const batch = randomBatch(c, 100 + s);
      const a = await ref.step(batch, deads[s]!, 1e-2);
      const b = await graph.step(batch, deads[s]!, 1e-2);
      for (const k of ['loss', 'mainLoss', 'auxLoss', 'gradNorm', 'minKept'] as const) {
        expect(Math.abs(a[k] - b[k]), k).to.be.below(1e-5 * Math.max(1, Math.abs(a[k])));
      }
      expect([...b.fired]).to.deep.equal([...a.fired]);
      const [sa, sb] = [await ref.state(), await graph.state()];
      const la = [...paramList(sa.params), ...sa.adam.m, ...sa.adam.v];
      const lb = [...paramList(sb.params), ...sb.adam.m, ...sb.adam.v];
      la.forEach((x, i) => (worst = Math.max(worst, maxAbsDiff(x, lb[i]!))));
    }
  } finally {
    graph.dispose();
  }
  console.log(`crosscoder step on ${device}: largest difference ${worst.toExponential(2)}`);
  expect(worst).to.be.below(1e-5);
}

describe('crosscoder training step on onnxruntime-web', () => {
  it('WASM matches the TypeScript reference within 1e-5', async () => {
    await compare('wasm');
  });

  it('WebGPU (SwiftShader here) matches the TypeScript reference within 1e-5', async function () {
    if (!(await webgpuAvailable())) this.skip();
    await compare('webgpu');
  });
});
