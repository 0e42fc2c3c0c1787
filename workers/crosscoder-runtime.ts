// The crosscoder's compute path in a worker: the ONNX training step (src/core/internals/crosscoder/onnx-step.ts) on
// onnxruntime-web — WebGPU when there is a hardware adapter (state stays on the GPU between steps), WASM otherwise
// — or the TypeScript reference when asked. WebGPU runs on the build transformers.js uses (onnxruntime-web/webgpu,
// whose WASM is compiled with Asyncify so WebGPU calls can wait); WASM runs on onnxruntime-web's plain WASM build,
// which has no Asyncify instrumentation: the step graph's few hundred small kernels ran 1.7× (d 64) and 2.6×
// (d 576) faster on it in Chromium (same version, same kernels; `npm run bench -- crosscoder`).

import type * as OrtModule from 'onnxruntime-web';
import type { CrosscoderConfig } from '../src/core/internals/crosscoder/config.ts';
import { buildTrainingStep, next, stateNames, STEP_STATS } from '../src/core/internals/crosscoder/onnx-step.ts';
import { ortStepRuntime, type OrtLike, type SessionLike } from '../src/core/internals/crosscoder/ort-runtime.ts';
import type { AdamState, CrosscoderParams } from '../src/core/internals/crosscoder/params.ts';
import { GraphStepper, ReferenceStepper, type Stepper } from '../src/core/internals/crosscoder/stepper.ts';
import { readGpuFacts } from './gpu-facts.ts';

export type CrosscoderDevice = 'auto' | 'webgpu' | 'wasm' | 'typescript';
type Ort = typeof OrtModule;

/** The runtime for a device, its files served from `runtimeBase` (public/ort, copied by scripts/copy-runtime.ts). */
const runtimes = new Map<string, Promise<Ort>>();
function runtimeFor(device: 'webgpu' | 'wasm', runtimeBase: string): Promise<Ort> {
  const base = runtimeBase.endsWith('/') ? runtimeBase : `${runtimeBase}/`;
  const key = `${device} ${base}`;
  let loaded = runtimes.get(key);
  if (!loaded) {
    loaded = (async () => {
      const ort = (
        device === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm')
      ) as Ort;
      const file = device === 'webgpu' ? 'ort-wasm-simd-threaded.asyncify' : 'ort-wasm-simd-threaded';
      ort.env.wasm.wasmPaths = { mjs: `${base}${file}.mjs`, wasm: `${base}${file}.wasm` };
      const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
      // One thread on a 2-core machine: the step's kernels are small, and a second thread's hand-offs cost more
      // than it computes there (d 64: 10,940 → 14,339 tokens/s; d 576: 423 → 446). More cores: up to 4, unmeasured.
      const cores = navigator.hardwareConcurrency ?? 1;
      ort.env.wasm.numThreads = isolated && cores > 2 ? Math.min(4, cores) : 1;
      return ort;
    })();
    loaded.catch(() => runtimes.delete(key));
    runtimes.set(key, loaded);
  }
  return loaded;
}

/** 'auto': WebGPU on a hardware adapter; a software adapter (SwiftShader) is slower than WASM, so WASM there. */
export async function resolveDevice(device: CrosscoderDevice): Promise<Exclude<CrosscoderDevice, 'auto'>> {
  if (device !== 'auto') return device;
  const gpu = await readGpuFacts();
  return gpu.adapter && !gpu.adapter.isFallback ? 'webgpu' : 'wasm';
}

export async function createStepper(
  config: CrosscoderConfig,
  params: CrosscoderParams,
  adam: AdamState,
  device: Exclude<CrosscoderDevice, 'auto'>,
  runtimeBase: string,
): Promise<Stepper> {
  if (device === 'typescript') return new ReferenceStepper(config, params, adam);
  const ort = await runtimeFor(device, runtimeBase);
  const gpuState = device === 'webgpu';
  const location: Record<string, 'gpu-buffer' | 'cpu'> = {};
  for (const n of stateNames()) location[next(n)] = gpuState ? 'gpu-buffer' : 'cpu';
  for (const n of STEP_STATS) location[n] = 'cpu';
  const session = await ort.InferenceSession.create(buildTrainingStep(config), {
    executionProviders: [device],
    graphOptimizationLevel: 'all',
    ...(gpuState ? { preferredOutputLocation: location } : {}),
  });
  const runtime = ortStepRuntime(ort as unknown as OrtLike, session as unknown as SessionLike);
  const stepper = new GraphStepper(config, runtime, params, adam, `onnxruntime-web ${device}`);
  const dispose = stepper.dispose.bind(stepper);
  stepper.dispose = () => {
    dispose();
    void session.release();
  };
  return stepper;
}
