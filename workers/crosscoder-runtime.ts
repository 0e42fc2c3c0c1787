// The crosscoder's compute path in a worker: the ONNX training step (src/core/internals/crosscoder/onnx-step.ts) on
// onnxruntime-web — WebGPU when there is a hardware adapter (state stays on the GPU between steps), WASM otherwise
// — or the TypeScript reference when asked. Same onnxruntime-web build as transformers.js (onnxruntime-web/webgpu).

import * as ort from 'onnxruntime-web/webgpu';
import type { CrosscoderConfig } from '../src/core/internals/crosscoder/config.ts';
import { buildTrainingStep, next, stateNames, STEP_STATS } from '../src/core/internals/crosscoder/onnx-step.ts';
import { ortStepRuntime, type OrtLike, type SessionLike } from '../src/core/internals/crosscoder/ort-runtime.ts';
import type { AdamState, CrosscoderParams } from '../src/core/internals/crosscoder/params.ts';
import { GraphStepper, ReferenceStepper, type Stepper } from '../src/core/internals/crosscoder/stepper.ts';
import { readGpuFacts } from './gpu-facts.ts';

export type CrosscoderDevice = 'auto' | 'webgpu' | 'wasm' | 'typescript';

let configuredBase: string | null = null;

function configure(runtimeBase: string): void {
  const base = runtimeBase.endsWith('/') ? runtimeBase : `${runtimeBase}/`;
  if (configuredBase === base) return;
  ort.env.wasm.wasmPaths = {
    mjs: `${base}ort-wasm-simd-threaded.asyncify.mjs`,
    wasm: `${base}ort-wasm-simd-threaded.asyncify.wasm`,
  };
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  ort.env.wasm.numThreads = isolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency ?? 1)) : 1;
  configuredBase = base;
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
  configure(runtimeBase);
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
