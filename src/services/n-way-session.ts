// One N-way run for one <model-diff-matrix>: every model answers the prompt set in turn (one worker at a time, so
// only one model is in memory), through the same record cache as pairwise runs, then nWay() in the stats worker.

import type { NWayReport } from '../core/diff/n-way.ts';
import type { GenerationSettings, LoadProgress, ModelInfo } from '../core/engine/types.ts';
import { modelLabel, parseModelSpec } from '../core/model-spec.ts';
import type { ModelProfile } from '../core/profile/types.ts';
import { nWayInWorker } from './diff-worker.ts';
import { batchesPrompts, engineFailureMessage, runtimeBase, startEngine } from './engine-pool.ts';
import { PROFILE_BATCH, profileModel, type ProfileProgress } from './profiler.ts';
import { idbCache, type RecordCache } from './profile-store.ts';
import { loadPromptSet } from './prompt-sets.ts';
import { siteBase } from './site-base.ts';

export type NWayEvent =
  | { phase: 'prompts'; name: string; n: number }
  | { phase: 'load'; model: number; label: string; progress: LoadProgress }
  | { phase: 'loaded'; model: number; label: string; info: ModelInfo }
  | { phase: 'profile'; model: number; label: string; progress: ProfileProgress }
  | { phase: 'diff' }
  | { phase: 'warning'; message: string };

export interface NWayRequest {
  /** Three or more models, as the URL contract spells them. */
  models: string[];
  /** A bundled set id or URL. */
  prompts: string;
  settings: GenerationSettings;
  device?: 'auto' | 'webgpu' | 'wasm';
  signal?: AbortSignal;
  onEvent?: (e: NWayEvent) => void;
  /** Default: this site's IndexedDB store; null disables caching. */
  cache?: RecordCache | null;
}

const NWAY_SAVED = 'Finished responses are saved in this browser: press Run to continue where it stopped.';

export async function runNWay(req: NWayRequest): Promise<NWayReport> {
  if (req.models.length < 3) {
    throw new Error(
      `The distance matrix needs three or more models (got ${req.models.length}); for two, compare them.`,
    );
  }
  const base = siteBase();
  const emit = req.onEvent ?? (() => {});
  const specs = req.models.map((m) => ({ spec: m, label: modelLabel(m), source: parseModelSpec(m, base) }));
  const set = await loadPromptSet(req.prompts, base);
  emit({ phase: 'prompts', name: set.name, n: set.prompts.length });
  const cache = req.cache === undefined ? idbCache() : (req.cache ?? undefined);
  const profiles: ModelProfile[] = [];
  for (const [model, m] of specs.entries()) {
    req.signal?.throwIfAborted();
    // A worker that dies never answers its pending call: end the run with a message instead of hanging.
    const crash = new AbortController();
    const signal = req.signal ? AbortSignal.any([req.signal, crash.signal]) : crash.signal;
    const handle = await startEngine(
      m.source,
      { runtimeBase: runtimeBase(), device: req.device ?? 'auto' },
      (progress) => emit({ phase: 'load', model, label: m.label, progress }),
      (failure) => crash.abort(new Error(engineFailureMessage(`Model ${model + 1} (${m.label})`, failure, NWAY_SAVED))),
    );
    const stop = () => handle.terminate();
    signal.addEventListener('abort', stop, { once: true });
    try {
      emit({ phase: 'loaded', model, label: m.label, info: handle.info });
      profiles.push(
        await profileModel({ handle, spec: m.spec, label: m.label }, set, {
          settings: req.settings,
          batchSize: batchesPrompts(m.source) ? PROFILE_BATCH : 1,
          signal,
          ...(cache ? { cache } : {}),
          onWarning: (message) => emit({ phase: 'warning', message }),
          onProgress: (progress) => emit({ phase: 'profile', model, label: m.label, progress }),
        }),
      );
    } finally {
      signal.removeEventListener('abort', stop);
      stop();
    }
  }
  emit({ phase: 'diff' });
  return nWayInWorker(profiles, set);
}
