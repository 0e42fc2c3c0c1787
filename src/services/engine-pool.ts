// One worker per loaded model, owned by whoever asked for it (a <model-diff> element's session); the source's kind
// picks the engine (ONNX, web-llm, OpenAI-compatible server). A terminated worker is the hard stop: onnxruntime-web
// cannot abort a running forward pass, and a terminated worker's HTTP requests are cancelled with it. A worker that
// stops on its own — an uncaught error, a lost GPU device, or a context that simply ends (closed, killed, out of
// memory) — is reported once through onFailure, since its pending calls will never answer.

import { proxy, wrap, type Remote } from 'comlink';
import type { EngineSource, LoadProgress, ModelInfo } from '../core/engine/types.ts';
import type { EngineApi, RuntimeOptions } from '../../workers/engine-api.ts';
import type { LifelineMessage, LifelineRequest } from '../../workers/lifeline.ts';
import { siteBase } from './site-base.ts';

export interface EngineHandle {
  engine: Remote<EngineApi>;
  info: ModelInfo;
  terminate(): void;
}

/** Why a model worker stopped without being asked to. */
export interface EngineFailure {
  /** error: an uncaught error in the worker; gone: the worker ended without a word; device-lost: WebGPU device lost. */
  kind: 'error' | 'gone' | 'device-lost';
  detail: string;
}

export async function startEngine(
  source: EngineSource,
  options: RuntimeOptions,
  onProgress: (p: LoadProgress) => void,
  /** Called at most once if the worker fails after loading: pending calls will never answer. */
  onFailure: (f: EngineFailure) => void = () => {},
): Promise<EngineHandle> {
  const worker = spawnWorker(source.kind);
  let loaded = false;
  let failedWhileLoading: (e: Error) => void = () => {};
  const loadFailure = new Promise<never>((_, reject) => (failedWhileLoading = reject));
  const watch = watchWorker(worker, (f) => {
    if (loaded) onFailure(f);
    else failedWhileLoading(new Error(`The model worker stopped while loading: ${f.detail}.`));
  });
  const engine = wrap<EngineApi>(worker);
  try {
    const info = await Promise.race([engine.load(source, options, proxy(onProgress)), loadFailure]);
    loaded = true;
    return {
      engine,
      info,
      terminate: () => {
        watch.end();
        worker.terminate();
      },
    };
  } catch (e) {
    watch.end();
    worker.terminate();
    throw e;
  }
}

/** An API key per side, for `openai:` models. */
export type ApiKeys = { a?: string; b?: string };

/** The engine source for a spec: an `openai:` model gets the side's API key, when there is one. */
export function withKey(source: EngineSource, key: string | undefined): EngineSource {
  return source.kind === 'openai' && key ? { ...source, apiKey: key } : source;
}

/**
 * Whether a model's worker decodes several prompts together (generateBatch, scoreBatch): the ONNX worker does;
 * web-llm and OpenAI-compatible engines take one prompt at a time. Asked of the source because a worker's Comlink
 * proxy answers every method name.
 */
export function batchesPrompts(source: Pick<EngineSource, 'kind'>): boolean {
  return source.kind !== 'webllm' && source.kind !== 'openai';
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

/**
 * Reports, at most once and until end() is called, the first sign that the worker is gone or broken: an error
 * event, a device-lost message, or the release of the lifeline lock it holds (held from the worker's start, so
 * its release means the worker's context ended).
 */
function watchWorker(worker: Worker, onFailure: (f: EngineFailure) => void): { end(): void } {
  let ended = false;
  const fail = (f: EngineFailure) => {
    if (ended) return;
    ended = true;
    onFailure(f);
  };
  worker.addEventListener('error', (e) => fail({ kind: 'error', detail: e.message || 'an unknown error' }));
  const locks = globalThis.isSecureContext ? navigator.locks : undefined;
  const name = locks ? `model-diff-engine-${crypto.randomUUID()}` : '';
  worker.addEventListener('message', (e: MessageEvent) => {
    const m = e.data as Partial<LifelineMessage> | null;
    if (m?.type === 'model-diff:device-lost') fail({ kind: 'device-lost', detail: String(m.message) });
    if (m?.type === 'model-diff:lifeline-held' && m.name === name && locks) {
      void locks.request(name, () =>
        fail({ kind: 'gone', detail: 'its worker ended without a word; the browser may have run out of memory' }),
      );
    }
  });
  if (locks) worker.postMessage({ type: 'model-diff:lifeline', name } satisfies LifelineRequest);
  return { end: () => void (ended = true) };
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
  return new URL('ort/', siteBase()).href;
}

/**
 * The message for a worker that stopped under a running task: `model` names it ("Model A"), `kept` says what is
 * kept and how to go on.
 */
export function engineFailureMessage(model: string, f: EngineFailure, kept: string): string {
  const detail = f.detail.replace(/[.\s]+$/, '');
  if (f.kind === 'device-lost') {
    return (
      `${model} lost its GPU during the run (WebGPU device lost: ${detail}). ${kept} If it happens again, run on ` +
      'the CPU instead (device=wasm): the GPU may be out of memory or its driver may have restarted.'
    );
  }
  return (
    `${model}'s engine stopped unexpectedly (${detail}). ${kept} If it happens again, the model may be too large ` +
    'for this device.'
  );
}
