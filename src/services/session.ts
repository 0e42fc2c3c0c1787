// One comparison run, start to finish, for one <model-diff> element: prompt set, two engine workers, profiling,
// then the diff in its own worker. Owns its workers and terminates them when done or stopped.

import { wrap } from 'comlink';
import type { DiffReport } from '../core/diff/report-types.ts';
import type { GenerationSettings, LoadProgress, ModelInfo } from '../core/engine/types.ts';
import { modelLabel, parseModelSpec } from '../core/model-spec.ts';
import type { DiffWorkerApi } from '../../workers/diff.worker.ts';
import { runtimeBase, startEngine, type EngineHandle } from './engine-pool.ts';
import { profilePair, type ProfileProgress } from './profiler.ts';
import { loadPromptSet } from './prompt-sets.ts';

export type SessionEvent =
  | { phase: 'prompts'; name: string; n: number }
  | { phase: 'load'; side: 'a' | 'b'; progress: LoadProgress }
  | { phase: 'loaded'; side: 'a' | 'b'; info: ModelInfo }
  | { phase: 'profile'; progress: ProfileProgress }
  | { phase: 'diff' };

export interface SessionRequest {
  modelA: string;
  modelB: string;
  prompts: string;
  settings: GenerationSettings;
  device?: 'auto' | 'webgpu' | 'wasm';
  signal?: AbortSignal;
  onEvent?: (e: SessionEvent) => void;
}

export async function runSession(req: SessionRequest): Promise<DiffReport> {
  const base = document.baseURI;
  const emit = req.onEvent ?? (() => {});
  const sourceA = parseModelSpec(req.modelA, base);
  const sourceB = parseModelSpec(req.modelB, base);
  const set = await loadPromptSet(req.prompts, base);
  emit({ phase: 'prompts', name: set.name, n: set.prompts.length });
  const options = { runtimeBase: runtimeBase(), device: req.device ?? 'auto' };
  const handles: EngineHandle[] = [];
  const stop = () => handles.forEach((h) => h.terminate());
  req.signal?.addEventListener('abort', stop, { once: true });
  try {
    const start = async (side: 'a' | 'b', source: typeof sourceA) => {
      const h = await startEngine(source, options, (progress) => emit({ phase: 'load', side, progress }));
      handles.push(h);
      emit({ phase: 'loaded', side, info: h.info });
      return h;
    };
    const [a, b] = await Promise.all([start('a', sourceA), start('b', sourceB)]);
    req.signal?.throwIfAborted();
    const pair = await profilePair(
      { handle: a, spec: req.modelA, label: modelLabel(req.modelA) },
      { handle: b, spec: req.modelB, label: modelLabel(req.modelB) },
      set,
      { settings: req.settings, signal: req.signal, onProgress: (progress) => emit({ phase: 'profile', progress }) },
    );
    stop();
    emit({ phase: 'diff' });
    const worker = new Worker(new URL('../../workers/diff.worker.ts', import.meta.url), {
      type: 'module',
      name: 'model-diff-stats',
    });
    try {
      return await wrap<DiffWorkerApi>(worker).diff(pair, set);
    } finally {
      worker.terminate();
    }
  } finally {
    stop();
  }
}
