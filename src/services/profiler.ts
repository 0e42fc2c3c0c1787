// The profiling loop: both models answer every prompt (each in its own worker, in parallel), then each scores the
// other's answer. Prompts go in groups (batchSize) to engines that decode several prompts together; scoring a group
// right after generating it lets each engine reuse the prompts' KV cache. Soft cancellation between prompts through
// an AbortSignal.

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
  /** generateBatch and scoreBatch (EngineApi) are used when present and options.batchSize is above 1. */
  engine: Pick<EngineApi, 'generate' | 'score' | 'tokenize' | 'tokenTexts'> & {
    generateBatch?: unknown;
    scoreBatch?: unknown;
  };
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
  /**
   * Prompts per group (default 1). Above 1, both engines must implement generateBatch and scoreBatch (a worker's
   * Comlink proxy seems to have every method, so the caller says so by choosing the size). Groups are fixed slices
   * of the set, so an interrupted run resumes with the same groups and computes the same numbers.
   */
  batchSize?: number;
  /**
   * Seeded samples per prompt and model (default 1). Sample j uses seed + j; above 1 the settings must sample
   * (temperature > 0): the same greedy reply k times says nothing more.
   */
  samples?: number;
  /**
   * Prompts (the first groups) on which each model also re-scores its own replies, measuring the runtime's noise
   * floor (default 0: off). Worth it where the runtime is not exact (WebGPU, half precision, a remote server).
   */
  noisePrompts?: number;
  /**
   * Told after each finished group of prompts (profilePair), with how many prompts are done: `partial()` assembles the pair and prompt set of the
   * prompts finished so far, for provisional findings. Called synchronously; assembling costs a tokenTexts call per
   * model, so the caller decides when (if ever) to ask. Features are left to the diff, which extracts them.
   */
  onGroup?: (done: number, partial: () => Promise<{ pair: PairProfile; set: PromptSet }>) => void;
}

/** The settings of sample j: the run's seed plus j (sample 0 is the run's own settings, so k = 1 is unchanged). */
export const sampleSettings = (settings: GenerationSettings, j: number): GenerationSettings =>
  j === 0 ? settings : { ...settings, seed: settings.seed + j };

/** Prompts per group for engines that decode several together (ONNX workers); `npm run bench` measured it. */
export const PROFILE_BATCH = 8;

export function promptInput(p: Prompt): PromptInput {
  if (p.tags?.includes('raw') && p.prompt !== undefined) return { text: p.prompt };
  return { messages: toChat(p) };
}

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;

/** A prompt's length in characters: how batches are grouped (a stand-in for its length in tokens). */
function promptChars(p: Prompt): number {
  return p.messages ? p.messages.reduce((n, m) => n + m.content.length, 0) : (p.prompt ?? '').length;
}

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
function cachedCalls(options: Pick<ProfileOptions, 'cache' | 'signal' | 'onWarning'>) {
  let cache = options.cache;
  const counts = { computed: 0, cached: 0 };
  /**
   * The cached values for a group's keys, or the group computed as a whole when any is missing (so every record
   * comes from the same batch as in an uninterrupted run: a resumed run computes the same numbers), each new
   * value stored at once.
   */
  const group = async <T>(keys: readonly string[], compute: () => Promise<T[]>): Promise<T[]> => {
    const hits = await Promise.all(
      keys.map((key) => (cache ? cache.get<T>(key).catch(() => undefined) : Promise.resolve(undefined))),
    );
    const missing = hits.flatMap((h, i) => (h === undefined ? [i] : []));
    counts.cached += keys.length - missing.length;
    if (missing.length === 0) return hits as T[];
    const values = await orAbort(compute(), options.signal);
    counts.computed += missing.length;
    for (const i of missing) {
      try {
        await cache?.put(keys[i]!, values[i]);
      } catch (e) {
        cache = undefined;
        options.onWarning?.(e instanceof Error ? e.message : String(e));
      }
    }
    return hits.map((h, i) => (h === undefined ? values[i]! : h));
  };
  return {
    group,
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
  const calls = cachedCalls(options);
  const batchSize = batchSizeFor([side.handle], options.batchSize);
  const order = groupOrder(set, batchSize);
  const records: ResponseRecord[] = [];
  const progress = progressOf(set.prompts.length, calls, onProgress);
  for (let first = 0; first < order.length; first += batchSize) {
    signal?.throwIfAborted();
    const slots = order.slice(first, first + batchSize);
    const group = slots.map((i) => set.prompts[i]!);
    const recs = await generated(side.handle, group, settings, batchSize, calls);
    for (const [i, rec] of recs.entries()) {
      if (i > 0) signal?.throwIfAborted();
      records[slots[i]!] = rec;
      progress(rec.tokens.length);
    }
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
  const recA: ResponseRecord[] = [];
  const recB: ResponseRecord[] = [];
  const aUnderB: CrossScore[] = [];
  const bUnderA: CrossScore[] = [];
  const calls = cachedCalls(options);
  const samples = Math.max(1, Math.floor(options.samples ?? 1));
  if (samples > 1 && settings.temperature === 0)
    throw new Error(`${samples} samples per prompt need sampling (temperature > 0): greedy replies are all the same.`);
  const progress = progressOf(set.prompts.length * samples, calls, onProgress);
  const warned = new Set<string>();
  const batchSize = batchSizeFor([a.handle, b.handle], options.batchSize);
  const same = a.handle.info.tokenizerFingerprint === b.handle.info.tokenizerFingerprint;
  const topIds = (r: ResponseRecord) => textSteps(r).map((t) => t.top.map((x) => x.id));
  const owners = (r: ResponseRecord) => (same ? topIds(r) : undefined);
  const noise = { a: [] as CrossScore[], b: [] as CrossScore[] };
  const noisePrompts = Math.max(0, Math.floor(options.noisePrompts ?? 0));
  const order = groupOrder(set, batchSize);
  /** Slots whose every sample is profiled (for onGroup). */
  const finished: number[] = [];
  for (let first = 0; first < order.length; first += batchSize) {
    signal?.throwIfAborted();
    const slots = order.slice(first, first + batchSize);
    const group = slots.map((i) => set.prompts[i]!);
    const inputs = group.map(promptInput);
    for (let j = 0; j < samples; j++) {
      const settingsJ = sampleSettings(settings, j);
      const gen = (side: typeof a) => generated(side.handle, group, settingsJ, batchSize, calls);
      const [ra, rb] = (await allSaved([gen(a), gen(b)])).map((recs) =>
        j === 0 ? recs : recs.map((r) => ({ ...r, sample: j })),
      ) as [ResponseRecord[], ResponseRecord[]];
      const crossScore = async (scorer: typeof a, owner: typeof a, recs: ResponseRecord[]): Promise<CrossScore[]> => {
        const { engine, info } = scorer.handle;
        const ids = await orAbort(Promise.all(recs.map((r) => scoredIds(scorer.handle, owner.handle, r))), signal);
        const candidates = recs.map(scorer === owner ? topIds : owners);
        const keys = group.map((p, i) => scoreKey(info.fingerprint, p, ids[i]!, settings.topK, candidates[i]));
        const jobs = inputs.map((prompt, i) => ({
          prompt,
          continuation: ids[i]!,
          ...(candidates[i] ? { candidates: candidates[i] } : {}),
        }));
        const scored = await calls.group(keys, async () =>
          batchSize > 1
            ? (engine as unknown as Batching).scoreBatch(jobs, settings.topK)
            : Promise.all(jobs.map((job) => engine.score(job.prompt, job.continuation, settings.topK, job.candidates))),
        );
        return scored.map((s, i) => {
          if (s.unavailable && !warned.has(scorer.label)) {
            warned.add(scorer.label);
            onWarning?.(`${scorer.label}: ${s.unavailable}`);
          }
          return {
            promptId: group[i]!.id,
            ...(j > 0 ? { sample: j } : {}),
            tokens: s.tokens,
            bytes: bytes(recs[i]!.text),
            ...(s.unavailable ? { unavailable: s.unavailable } : {}),
          };
        });
      };
      const [sab, sba] = await allSaved([crossScore(b, a, ra), crossScore(a, b, rb)]);
      // The noise floor: each model re-scores its own replies (the same runtime path as scoring the other's).
      if (j === 0 && noise.a.length < noisePrompts) {
        const [na, nb] = await allSaved([crossScore(a, a, ra), crossScore(b, b, rb)]);
        noise.a.push(...na);
        noise.b.push(...nb);
      }
      for (let i = 0; i < group.length; i++) {
        // A stop asked for while the group ran ends the run here: between prompts, like an unbatched run.
        if (i > 0) signal?.throwIfAborted();
        const at = slots[i]! * samples + j;
        recA[at] = ra[i]!;
        recB[at] = rb[i]!;
        aUnderB[at] = sab[i]!;
        bUnderA[at] = sba[i]!;
        progress(ra[i]!.tokens.length + rb[i]!.tokens.length);
      }
    }
    finished.push(...slots);
    if (options.onGroup) {
      const done = [...finished].sort((x, y) => x - y);
      options.onGroup(done.length, () => {
        const at = done.flatMap((i) => Array.from({ length: samples }, (_, j) => i * samples + j));
        const pick = <T>(list: T[]) => at.map((k) => list[k]!);
        const sub = { ...set, prompts: done.map((i) => set.prompts[i]!) };
        return assemble(sub, pick(recA), pick(recB), pick(aUnderB), pick(bUnderA), false).then((pair) => ({
          pair,
          set: sub,
        }));
      });
    }
  }
  return assemble(set, recA, recB, aUnderB, bUnderA, true);

  async function assemble(
    of: PromptSet,
    ra: ResponseRecord[],
    rb: ResponseRecord[],
    sab: CrossScore[],
    sba: CrossScore[],
    features: boolean,
  ): Promise<PairProfile> {
    const profile = async (side: typeof a, records: ResponseRecord[], scored: CrossScore[]): Promise<ModelProfile> => {
      const p: ModelProfile = {
        spec: side.spec,
        label: side.label,
        model: side.handle.info,
        settings,
        records,
        tokenTexts: await tokenTexts(side.handle, [...records, ...scored]),
      };
      return features ? withFeatures(p, of) : p;
    };
    return {
      promptSet: { id: of.id, name: of.name, hash: promptSetHash(of), n: of.prompts.length },
      a: await profile(a, ra, sba),
      b: await profile(b, rb, sab),
      aUnderB: sab,
      bUnderA: sba,
      ...(noise.a.length > 0 ? { noise } : {}),
    };
  }
}

/** Counts finished prompts and tokens and tells onProgress after each prompt. */
function progressOf(total: number, calls: ReturnType<typeof cachedCalls>, onProgress?: (p: ProfileProgress) => void) {
  const started = performance.now();
  let done = 0;
  let tokens = 0;
  return (newTokens: number) => {
    done += 1;
    tokens += newTokens;
    const elapsedMs = performance.now() - started;
    onProgress?.({
      done,
      total,
      computed: calls.computed,
      cached: calls.cached,
      tokens,
      elapsedMs,
      tokensPerSecond: (tokens / elapsedMs) * 1000,
    });
  };
}

type Batching = Required<Pick<EngineApi, 'generateBatch' | 'scoreBatch'>>;

/** The group size to use: `wanted` when every engine decodes several prompts together, else 1. */
function batchSizeFor(handles: EngineLike[], wanted = 1): number {
  const size = Math.max(1, Math.floor(wanted));
  const batched = (h: EngineLike) =>
    typeof h.engine.generateBatch === 'function' && typeof h.engine.scoreBatch === 'function';
  return size > 1 && handles.every(batched) ? size : 1;
}

/**
 * The order prompts are profiled in, as indices into the set. In groups: by length, so little of a batch is
 * padding; a fixed function of the set, so a resumed run makes the same groups. One prompt at a time: set order.
 */
function groupOrder(set: PromptSet, batchSize: number): number[] {
  const order = set.prompts.map((_, i) => i);
  if (batchSize > 1) order.sort((x, y) => promptChars(set.prompts[x]!) - promptChars(set.prompts[y]!) || x - y);
  return order;
}

/** One model's responses to a group of prompts, through the record cache (the group computed as a whole). */
async function generated(
  handle: EngineLike,
  group: Prompt[],
  settings: GenerationSettings,
  batchSize: number,
  calls: ReturnType<typeof cachedCalls>,
): Promise<ResponseRecord[]> {
  const { engine, info } = handle;
  const inputs = group.map(promptInput);
  const keys = group.map((p) => generationKey(info.fingerprint, settings, p));
  const records = await calls.group(keys, async () => {
    const results =
      batchSize > 1
        ? await (engine as unknown as Batching).generateBatch(inputs, settings)
        : await Promise.all(inputs.map((input) => engine.generate(input, settings)));
    return results.map((g, i) => toRecord(group[i]!.id, g));
  });
  return records.map((r, i) => ({ ...r, promptId: group[i]!.id }));
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
