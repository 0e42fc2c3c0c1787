// One comparison run, start to finish, for one <model-diff> element: prompt set, two engine workers, profiling,
// then the diff in its own worker. Owns its workers and terminates them when done or stopped.

import { prefetchBundledTexts } from './bundled-texts.ts';
import type { DiffReport, InternalsSection } from '../core/diff/report-types.ts';
import type { GenerationSettings, LoadProgress, ModelInfo, ModelSource } from '../core/engine/types.ts';
import { modelLabel, parseModelSpec } from '../core/model-spec.ts';
import type { PromptSet } from '../core/prompts/index.ts';
import { diffInWorker } from './diff-worker.ts';
import {
  batchesPrompts,
  engineFailureMessage,
  withKey,
  type ApiKeys,
  runtimeBase,
  startEngine,
  threadsPerWorker,
  type EngineFailure,
  type EngineHandle,
} from './engine-pool.ts';
import { PROFILE_BATCH, profilePair, type ProfileProgress } from './profiler.ts';
import { idbCache, type RecordCache } from './profile-store.ts';
import { loadPromptSet } from './prompt-sets.ts';
import { provisionalFindings } from './provisional.ts';
import { siteBase } from './site-base.ts';
import { readInternals } from './internals-session.ts';
import { crosscoderForSession, withReportQ, type CrosscoderEvent } from './crosscoder-session.ts';
import type { CrosscoderEngine } from './crosscoder-harvest.ts';
import type { ExtraTest } from '../core/diff/build-report.ts';

export type SessionEvent =
  | { phase: 'prompts'; name: string; n: number }
  | { phase: 'load'; side: 'a' | 'b'; progress: LoadProgress }
  | { phase: 'loaded'; side: 'a' | 'b'; info: ModelInfo }
  | { phase: 'profile'; progress: ProfileProgress }
  | { phase: 'diff' }
  | { phase: 'weights'; done: number; total: number }
  | { phase: 'lens'; done: number; total: number }
  /** Findings on the prompts finished so far (`done` of `total`): provisional until the run's report. */
  | { phase: 'provisional'; report: DiffReport; done: number; total: number }
  | { phase: 'warning'; message: string }
  /** Crosscoder (crosscoder: true): harvest, training (step of steps, loss, explained variance), its noise floor. */
  | CrosscoderEvent;

/** A model as the URL contract spells it, or a source the page built (e.g. files the user picked). */
export type ModelChoice = string | { label: string; source: ModelSource };

/** Prompts on which the noise floor is measured where the runtime is not exact. */
export const NOISE_PROMPTS = 16;

/** Deterministic CPU kernels: the same model scores the same text the same way, up to rounding. */
export const exactRuntime = (m: ModelInfo) => m.engine === 'onnx' && (m.device === 'wasm' || m.device === 'cpu');

export interface SessionRequest {
  modelA: ModelChoice;
  modelB: ModelChoice;
  /**
   * API keys for models behind OpenAI-compatible servers, per side: held in memory for this run only, never put in
   * a spec, a link, a cache key, a record or the report.
   */
  apiKeys?: ApiKeys;
  /** A bundled set id or URL, or an already parsed set (a local file). */
  prompts: string | PromptSet;
  settings: GenerationSettings;
  /** Seeded samples per prompt and model (default 1: greedy). Above 1, settings.temperature must be above 0. */
  samples?: number;
  device?: 'auto' | 'webgpu' | 'wasm';
  signal?: AbortSignal;
  onEvent?: (e: SessionEvent) => void;
  /** Finished records are kept here and reused (default: this site's IndexedDB store); null disables caching. */
  cache?: RecordCache | null;
  /**
   * Read the models' insides too (default true): the weight diff, for two ONNX models of one architecture; other
   * pairs get a note saying why it is absent. false (the URL's internals=0) leaves the report's internals out.
   */
  internals?: boolean;
  /**
   * Also train a crosscoder on both residual streams (the URL's crosscoder=1; default off: it costs training time),
   * its exclusive latents tested on the held-out prompts and joined to the report's tests. Needs internals.
   */
  crosscoder?: boolean;
  /** With crosscoder: also train A against A (seed 2) in this run, for a noise floor measured on this pair (twice the time). */
  crosscoderNoiseFloor?: boolean;
  /** The crosscoder's stream point (the URL's crosscoder_layer, as given; out of range: the middle one, with a note). */
  crosscoderLayer?: string | number;
  /** The lens's stream point (the URL's lens_layer, as given; checked against the models, a note when out of range). */
  lensLayer?: string | number;
  /** What the lens reads: 'bundled' (default) texts, or the run's 'prompts' (the URL's lens_texts). */
  lensTexts?: string;
}

export interface SessionResult {
  report: DiffReport;
  /** The prompt set as run (for follow-ups such as amplification). */
  set: PromptSet;
  /** Engine calls made and records reused from the cache. */
  stats: { computed: number; cached: number };
}

export async function runSession(req: SessionRequest): Promise<SessionResult> {
  const base = siteBase();
  const emit = req.onEvent ?? (() => {});
  const resolve = (m: ModelChoice) =>
    typeof m === 'string'
      ? { spec: m, label: modelLabel(m), source: parseModelSpec(m, base) }
      : { spec: `local:${m.label}`, ...m };
  const modelA = resolve(req.modelA);
  const modelB = resolve(req.modelB);
  const sourceA = withKey(modelA.source, req.apiKeys?.a);
  const sourceB = withKey(modelB.source, req.apiKeys?.b);
  const set = typeof req.prompts === 'string' ? await loadPromptSet(req.prompts, base) : req.prompts;
  emit({ phase: 'prompts', name: set.name, n: set.prompts.length });
  // The internals' bundled texts load while the models do: the lens and crosscoder then never wait on the network.
  if (req.internals !== false) prefetchBundledTexts(base);
  const options = { runtimeBase: runtimeBase(), device: req.device ?? 'auto', threads: threadsPerWorker(2) };
  const handles: EngineHandle[] = [];
  // A failed worker never answers its pending call: abort the run with a message instead of hanging.
  const crash = new AbortController();
  const signal = req.signal ? AbortSignal.any([req.signal, crash.signal]) : crash.signal;
  let stats = { computed: 0, cached: 0 };
  const cache = req.cache === undefined ? idbCache() : (req.cache ?? undefined);
  const stop = () => handles.forEach((h) => h.terminate());
  signal.addEventListener('abort', stop, { once: true });
  let finished = false;
  try {
    const start = async (side: 'a' | 'b', source: typeof sourceA) => {
      const h = await startEngine(
        source,
        options,
        (progress) => emit({ phase: 'load', side, progress }),
        (failure) => crash.abort(new Error(failureMessage(side, failure))),
      );
      // The other model failed to load while this one loaded: nobody will use or stop this worker.
      if (finished) h.terminate();
      handles.push(h);
      emit({ phase: 'loaded', side, info: h.info });
      return h;
    };
    const [a, b] = await Promise.all([start('a', sourceA), start('b', sourceB)]);
    signal.throwIfAborted();
    const total = set.prompts.length;
    const provisional = provisionalFindings({
      total,
      onReport: (report, done) => emit({ phase: 'provisional', report, done, total }),
    });
    signal.addEventListener('abort', () => provisional.stop(), { once: true });
    const pair = await profilePair(
      { handle: a, spec: modelA.spec, label: modelA.label },
      { handle: b, spec: modelB.spec, label: modelB.label },
      set,
      {
        settings: req.settings,
        ...(req.samples && req.samples > 1 ? { samples: req.samples } : {}),
        // Where the runtime is not exact (a GPU, a remote server), each model also re-scores its own replies on the
        // first prompts: the verdict's noise floor is then measured, not assumed.
        noisePrompts: [a.info, b.info].every(exactRuntime) ? 0 : NOISE_PROMPTS,
        // ONNX workers decode several prompts together (npm run bench measured the size); web-llm and
        // OpenAI-compatible engines take one at a time (a Comlink proxy cannot tell: it has every method).
        batchSize: batchesPrompts(sourceA) && batchesPrompts(sourceB) ? PROFILE_BATCH : 1,
        signal,
        cache,
        onWarning: (message) => emit({ phase: 'warning', message }),
        onProgress: (progress) => {
          stats = { computed: progress.computed, cached: progress.cached };
          emit({ phase: 'profile', progress });
        },
        onGroup: (done, partial) => provisional.offer(done, partial),
      },
    );
    provisional.stop();
    // While both workers still hold their models: the weight diff reads their files again, one tensor at a time.
    let internals: InternalsSection | undefined;
    if (req.internals !== false) {
      internals = await readInternals(a, b, set, signal, emit, cache, {
        ...(req.lensLayer !== undefined ? { layer: req.lensLayer } : {}),
        ...(req.lensTexts !== undefined ? { texts: req.lensTexts } : {}),
      });
    }
    let extraTests: ExtraTest[] = [];
    if (internals && req.crosscoder) {
      const side = (h: EngineHandle) => ({ engine: h.engine as unknown as CrosscoderEngine, info: h.info });
      const cc = await crosscoderForSession(side(a), side(b), set, pair, {
        site: base,
        runtimeBase: options.runtimeBase,
        signal,
        emit,
        cache,
        noiseFloor: req.crosscoderNoiseFloor === true,
        ...(req.crosscoderLayer !== undefined ? { layer: req.crosscoderLayer } : {}),
      });
      extraTests = cc.tests;
      const note = [internals.note, cc.note].filter(Boolean).join(' ');
      internals = { ...internals, crosscoder: cc.section, note: note || null };
    }
    stop();
    emit({ phase: 'diff' });
    const report = await diffInWorker(pair, set, extraTests.length ? { extraTests } : {});
    // The crosscoder's candidates in the report's one family: its q and verdict, written back into the section.
    if (internals?.crosscoder)
      internals = { ...internals, crosscoder: withReportQ(internals.crosscoder, report.differences) };
    return { report: internals ? { ...report, internals } : report, stats, set };
  } finally {
    finished = true;
    stop();
  }
}

const SAVED = 'Finished prompts are saved in this browser: press Run to continue where it stopped.';

/** What the page says when a model's worker stops during a run: what happened, that nothing is lost, what to do. */
export function failureMessage(side: 'a' | 'b', f: EngineFailure): string {
  return engineFailureMessage(`Model ${side.toUpperCase()}`, f, SAVED);
}
