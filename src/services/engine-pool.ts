// One worker per loaded model, owned by whoever asked for it (a <model-diff> element's session); the source's kind
// picks the engine (ONNX, web-llm, OpenAI-compatible server). A terminated worker is the hard stop: onnxruntime-web
// cannot abort a running forward pass, and a terminated worker's HTTP requests are cancelled with it.

import { proxy, wrap, type Remote } from 'comlink';
import type { EngineSource, LoadProgress, ModelInfo } from '../core/engine/types.ts';
import type { EngineApi, RuntimeOptions } from '../../workers/engine-api.ts';

export interface EngineHandle {
  engine: Remote<EngineApi>;
  info: ModelInfo;
  terminate(): void;
}

export async function startEngine(
  source: EngineSource,
  options: RuntimeOptions,
  onProgress: (p: LoadProgress) => void,
  /** Called if the worker dies after loading (out of memory, device lost…): pending calls will never answer. */
  onCrash: (message: string) => void = () => {},
): Promise<EngineHandle> {
  const worker = spawnWorker(source.kind);
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

/** Literal `new URL(…, import.meta.url)` per worker, so Vite bundles each engine's worker on its own. */
function spawnWorker(kind: EngineSource['kind']): Worker {
  if (kind === 'webllm')
    return new Worker(new URL('../../workers/webllm.worker.ts', import.meta.url), {
      type: 'module',
      name: 'model-diff-webllm',
    });
  if (kind === 'openai')
    return new Worker(new URL('../../workers/openai.worker.ts', import.meta.url), {
      type: 'module',
      name: 'model-diff-openai',
    });
  return new Worker(new URL('../../workers/onnx.worker.ts', import.meta.url), {
    type: 'module',
    name: 'model-diff-onnx',
  });
}

/** Where this page serves onnxruntime-web's WASM files from. */
export function runtimeBase(): string {
  return new URL('ort/', document.baseURI).href;
}
