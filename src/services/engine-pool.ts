// One worker per loaded model, owned by whoever asked for it (a <model-diff> element's session). A terminated
// worker is the hard stop: onnxruntime-web cannot abort a running forward pass.

import { proxy, wrap, type Remote } from 'comlink';
import type { LoadProgress, ModelInfo, ModelSource } from '../core/engine/types.ts';
import type { EngineApi, RuntimeOptions } from '../../workers/engine-api.ts';

export interface EngineHandle {
  engine: Remote<EngineApi>;
  info: ModelInfo;
  terminate(): void;
}

export async function startEngine(
  source: ModelSource,
  options: RuntimeOptions,
  onProgress: (p: LoadProgress) => void,
  /** Called if the worker dies after loading (out of memory, device lost…): pending calls will never answer. */
  onCrash: (message: string) => void = () => {},
): Promise<EngineHandle> {
  const worker = new Worker(new URL('../../workers/onnx.worker.ts', import.meta.url), {
    type: 'module',
    name: 'model-diff-onnx',
  });
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) =>
      reject(new Error(`The model worker crashed while loading: ${e.message || 'unknown error'}.`)),
    );
  });
  const engine = wrap<EngineApi>(worker);
  try {
    const info = await Promise.race([engine.load(source, options, proxy(onProgress)), crashed]);
    worker.addEventListener('error', (e) => onCrash(e.message || 'unknown error'));
    return { engine, info, terminate: () => worker.terminate() };
  } catch (e) {
    worker.terminate();
    throw e;
  }
}

/**
 * WASM threads for each of `workers` model workers running at the same time: the cores shared out, at least one
 * each. Two workers with a thread pool each as large as the machine fight over it (npm run bench: stories260K
 * profiled 2–4× slower with 2 threads per worker than with 1 on 2 cores). Used only when cross-origin isolated.
 */
export function threadsPerWorker(workers: number, cores = navigator.hardwareConcurrency || 1): number {
  return Math.max(1, Math.min(4, Math.floor(cores / Math.max(1, workers))));
}

/** Where this page serves onnxruntime-web's WASM files from. */
export function runtimeBase(): string {
  return new URL('ort/', document.baseURI).href;
}
