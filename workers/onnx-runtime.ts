// Where the ONNX engine runs and on what: the device (WebGPU on a hardware adapter, else WASM; the CPU in Node), the
// weight format, and transformers.js's environment (our own runtime files, our virtual file mount, no remote files).

import { env } from '@huggingface/transformers';
import type { ModelSource } from '../src/core/engine/types.ts';
import { CapabilityError, decideOn, pickDevice, type GpuFacts, type OnnxDevice } from '../src/core/capabilities.ts';
import type { OnnxDtype } from '../src/core/onnx-dtypes.ts';
import type { RuntimeOptions } from './engine-api.ts';
import { VIRTUAL_ROOT, resolveVirtual, type Resolver } from './model-files.ts';
import { ModelLoadError, noWeights, probeWeights } from './preflight.ts';

export function isNode(): boolean {
  return Boolean((globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node);
}

export function chooseDevice(wanted: RuntimeOptions['device'], gpu: GpuFacts): { device: OnnxDevice; notes: string[] } {
  // Outside a browser (Node scripts and benchmarks) transformers.js runs onnxruntime-node on the CPU.
  if (isNode()) return { device: 'cpu', notes: [] };
  // 'auto' skips a software (fallback) adapter such as SwiftShader: it emulates the GPU on the CPU and is far slower
  // than WASM, so only a hardware adapter is worth using.
  try {
    return pickDevice(gpu, wanted);
  } catch (e) {
    throw e instanceof CapabilityError ? new ModelLoadError(e.message) : e;
  }
}

/** The weight format to load: the one asked for when it exists and can run here, else the best for the device. */
export async function chooseWeights(
  resolver: Resolver,
  where: string,
  wanted: OnnxDtype | 'auto',
  device: OnnxDevice,
  gpu: GpuFacts,
  declared: OnnxDtype | null,
): Promise<{ dtype: OnnxDtype; notes: string[] }> {
  const only = wanted === 'auto' ? undefined : wanted;
  let available = await probeWeights(resolver, where, only);
  if (only && available[only] === undefined) available = await probeWeights(resolver, where);
  if (Object.keys(available).length === 0) throw noWeights(where);
  const d = decideOn('onnx', device, available, gpu, { dtype: wanted, declared });
  if (!d.ok || !d.dtype) throw new ModelLoadError(`Cannot load ${where} here: ${d.notes.join(' ')}`);
  return { dtype: d.dtype as OnnxDtype, notes: d.notes };
}

export function configureRuntime(options: RuntimeOptions, device: string): void {
  const base = options.runtimeBase.endsWith('/') ? options.runtimeBase : `${options.runtimeBase}/`;
  const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } };
  if (onnx.wasm && device !== 'cpu') {
    onnx.wasm.wasmPaths = {
      mjs: `${base}ort-wasm-simd-threaded.asyncify.mjs`,
      wasm: `${base}ort-wasm-simd-threaded.asyncify.wasm`,
    };
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    onnx.wasm.numThreads = isolated
      ? Math.max(1, Math.min(options.threads ?? 4, navigator.hardwareConcurrency ?? 1))
      : 1;
  }
  env.useFS = false; // Node: read through env.fetch below, never the disk
  env.useWasmCache = false; // the runtime comes from our own origin and the HTTP cache; no blob: URLs (CSP)
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.useBrowserCache = false;
  env.localModelPath = VIRTUAL_ROOT;
  const realFetch = globalThis.fetch.bind(globalThis);
  env.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return resolveVirtual(url, init) ?? realFetch(input, init);
  }) as typeof fetch;
}

/** How error messages name a source: the folder URL, or the name of files the page holds. */
export function sourceLabel(source: ModelSource): string {
  switch (source.kind) {
    case 'url':
      return source.url.endsWith('/') ? source.url : `${source.url}/`;
    case 'hub':
      return `hf:${source.repo}/`;
    default:
      return `${source.name}/`;
  }
}
