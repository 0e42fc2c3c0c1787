// The profiling loop: both models answer every prompt (each in its own worker, in parallel), then each scores the
// other's answer. Soft cancellation between prompts through an AbortSignal.

import type { GenerationSettings, PromptInput, TokenStep } from '../core/engine/types.ts';
import { withFeatures } from '../core/diff/profile-features.ts';
import type { CrossScore, ModelProfile, PairProfile, ResponseRecord } from '../core/profile/types.ts';
import type { Prompt, PromptSet } from '../core/prompts/index.ts';
import { promptSetHash, toChat } from '../core/prompts/index.ts';
import { textSteps } from '../core/diff/cross-likelihood.ts';
import { generationKey, scoreKey } from '../core/profile/cache-keys.ts';
import type { RecordCache } from './profile-store.ts';
import type { EngineApi } from '../../workers/engine-api.ts';

/** What profiling needs of an engine: a worker's Comlink proxy, or an engine object called directly (Node). */
export interface EngineLike {
  engine: Pick<EngineApi, 'generate' | 'score' | 'tokenize' | 'tokenTexts'>;
  info: import('../core/engine/types.ts').ModelInfo;
}

export interface ProfileProgress {
  done: number;
  total: number;
  /** Engine calls made (generate and score) and records reused from the cache, so far. */
  computed: number;
  cached: number;
  tokens: number;
  elapsedMs: number;
  tokensPerSecond: number;
}

export interface ProfileOptions {
  settings: GenerationSettings;
  signal?: AbortSignal;
  onProgress?: (p: ProfileProgress) => void;
  /** Where finished records are kept; a hit is used instead of calling the engine. */
  cache?: RecordCache;
  /** Told when the cache fails (storage full…); the run goes on without caching. */
  onWarning?: (message: string) => void;
}

export function promptInput(p: Prompt): PromptInput {
  if (p.tags?.includes('raw') && p.prompt !== undefined) return { text: p.prompt };
  return { messages: toChat(p) };
}

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;

/**
 * Settles with the engine call, or rejects as soon as the signal aborts: a stop terminates the workers, and a
 * terminated worker never answers the call that was in flight.
 */
function orAbort<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Promise.all that settles every promise before rejecting: when one model fails or the run stops, the other's
 * record, if it was finishing, is still saved before the error reaches the page — so "finished" means "stored".
 */
async function allSaved<T extends readonly unknown[]>(work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** The ids the scorer should score for a response: the same ids when the vocabularies match, else its own. */
async function scoredIds(scorer: EngineLike, owner: EngineLike, rec: ResponseRecord): Promise<number[]> {
  if (scorer.info.tokenizerFingerprint === owner.info.tokenizerFingerprint) return textSteps(rec).map((t) => t.id);
  return scorer.engine.tokenize(rec.text);
}

/**
 * Engine calls through the record cache: a hit is used instead of calling the engine, a computed value is stored
 * at once; a failing cache (storage full…) is dropped with a warning and the run goes on without it.
 */
export function cachedCalls(options: Pick<ProfileOptions, 'cache' | 'signal' | 'onWarning'>) {
  let cache = options.cache;
  const counts = { computed: 0, cached: 0 };
  const through = async <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    const hit = cache ? await cache.get<T>(key).catch(() => undefined) : undefined;
    if (hit !== undefined) {
      counts.cached += 1;
      return hit;
    }
    const value = await orAbort(compute(), options.signal);
    counts.computed += 1;
    try {
      await cache?.put(key, value);
    } catch (e) {
      cache = undefined;
      options.onWarning?.(e instanceof Error ? e.message : String(e));
    }
    return value;
  };
  return {
    through,
    get computed() {
      return counts.computed;
    },
    get cached() {
      return counts.cached;
    },
  };
}

/**
 * One model's responses to a prompt set, without cross-scoring: what the N-way comparison needs. Uses the same
 * cache keys as profilePair, so responses from a pairwise run are reused and the other way round.
 */
export async function profileModel(
  side: { handle: EngineLike; spec: string; label: string },
  set: PromptSet,
  options: ProfileOptions,
): Promise<ModelProfile> {
  const { settings, signal, onProgress } = options;
  const started = performance.now();
  const calls = cachedCalls(options);
  const records: ResponseRecord[] = [];
  let tokens = 0;
  for (const prompt of set.prompts) {
    signal?.throwIfAborted();
    const rec = await calls.through(generationKey(side.handle.info.fingerprint, settings, prompt), async () =>
      toRecord(prompt.id, await side.handle.engine.generate(promptInput(prompt), settings)),
    );
    records.push({ ...rec, promptId: prompt.id });
    tokens += rec.tokens.length;
    const elapsedMs = performance.now() - started;
    onProgress?.({
      done: records.length,
      total: set.prompts.length,
      computed: calls.computed,
      cached: calls.cached,
      tokens,
      elapsedMs,
      tokensPerSecond: (tokens / elapsedMs) * 1000,
    });
  }
  return withFeatures(
    {
      spec: side.spec,
      label: side.label,
      model: side.handle.info,
      settings,
      records,
      tokenTexts: await tokenTexts(side.handle, records),
    },
    set,
  );
}

export async function profilePair(
  a: { handle: EngineLike; spec: string; label: string },
  b: { handle: EngineLike; spec: string; label: string },
  set: PromptSet,
  options: ProfileOptions,
): Promise<PairProfile> {
  const { settings, signal, onProgress, onWarning } = options;
  const started = performance.now();
  const recA: ResponseRecord[] = [];
  const recB: ResponseRecord[] = [];
  const aUnderB: CrossScore[] = [];
  const bUnderA: CrossScore[] = [];
  let tokens = 0;
  const calls = cachedCalls(options);
  const through = calls.through;
  const same = a.handle.info.tokenizerFingerprint === b.handle.info.tokenizerFingerprint;
  const owners = (r: ResponseRecord) => (same ? textSteps(r).map((t) => t.top.map((x) => x.id)) : undefined);
  const warned = new Set<string>();
  for (const prompt of set.prompts) {
    signal?.throwIfAborted();
    const input = promptInput(prompt);
    const gen = (side: typeof a) =>
      through(generationKey(side.handle.info.fingerprint, settings, prompt), async () =>
        toRecord(prompt.id, await side.handle.engine.generate(input, settings)),
      );
    const [ra, rb] = (await allSaved([gen(a), gen(b)])).map((r) => ({ ...r, promptId: prompt.id })) as [
      ResponseRecord,
      ResponseRecord,
    ];
    const crossScore = async (scorer: typeof a, owner: typeof a, rec: ResponseRecord): Promise<CrossScore> => {
      const ids = await orAbort(scoredIds(scorer.handle, owner.handle, rec), signal);
      const candidates = owners(rec);
      const key = scoreKey(scorer.handle.info.fingerprint, prompt, ids, settings.topK, candidates);
      const scored = await through(key, () => scorer.handle.engine.score(input, ids, settings.topK, candidates));
      if (scored.unavailable && !warned.has(scorer.label)) {
        warned.add(scorer.label);
        onWarning?.(`${scorer.label}: ${scored.unavailable}`);
      }
      return {
        promptId: prompt.id,
        tokens: scored.tokens,
        bytes: bytes(rec.text),
        ...(scored.unavailable ? { unavailable: scored.unavailable } : {}),
      };
    };
    const [sab, sba] = await allSaved([crossScore(b, a, ra), crossScore(a, b, rb)]);
    recA.push(ra);
    recB.push(rb);
    aUnderB.push(sab);
    bUnderA.push(sba);
    tokens += ra.tokens.length + rb.tokens.length;
    const elapsedMs = performance.now() - started;
    onProgress?.({
      done: recA.length,
      total: set.prompts.length,
      computed: calls.computed,
      cached: calls.cached,
      tokens,
      elapsedMs,
      tokensPerSecond: (tokens / elapsedMs) * 1000,
    });
  }
  const profile = async (side: typeof a, records: ResponseRecord[], scored: CrossScore[]): Promise<ModelProfile> =>
    withFeatures(
      {
        spec: side.spec,
        label: side.label,
        model: side.handle.info,
        settings,
        records,
        tokenTexts: await tokenTexts(side.handle, [...records, ...scored]),
      },
      set,
    );
  return {
    promptSet: { id: set.id, name: set.name, hash: promptSetHash(set), n: set.prompts.length },
    a: await profile(a, recA, bUnderA),
    b: await profile(b, recB, aUnderB),
    aUnderB,
    bUnderA,
  };
}

function toRecord(
  promptId: string,
  g: {
    promptTokens: number[];
    tokens: TokenStep[];
    text: string;
    stop: 'eos' | 'length';
    timings: ResponseRecord['timings'];
  },
): ResponseRecord {
  return {
    promptId,
    text: g.text,
    promptTokenCount: g.promptTokens.length,
    tokens: g.tokens,
    stop: g.stop,
    timings: g.timings,
  };
}

/** Texts of every id a model produced or scored (its scores of the other's responses are in its own tokens). */
async function tokenTexts(
  h: EngineLike,
  records: readonly { tokens: readonly TokenStep[] }[],
): Promise<Record<number, string>> {
  const ids = [...new Set(records.flatMap((r) => r.tokens.flatMap((t) => [t.id, ...t.top.map((x) => x.id)])))];
  const texts = await h.engine.tokenTexts(ids);
  return Object.fromEntries(ids.map((id, i) => [id, texts[i] ?? '']));
}
