// The profiling loop: both models answer every prompt (each in its own worker, in parallel), then each scores the
// other's answer. Soft cancellation between prompts through an AbortSignal.

import type { GenerationSettings, PromptInput, TokenStep } from '../core/engine/types.ts';
import type { CrossScore, ModelProfile, PairProfile, ResponseRecord } from '../core/profile/types.ts';
import type { Prompt, PromptSet } from '../core/prompts/index.ts';
import { promptSetHash, toChat } from '../core/prompts/index.ts';
import { textSteps } from '../core/diff/cross-likelihood.ts';
import type { EngineApi } from '../../workers/engine-api.ts';

/** What profiling needs of an engine: a worker's Comlink proxy, or an engine object called directly (Node). */
export interface EngineLike {
  engine: Pick<EngineApi, 'generate' | 'score' | 'tokenize' | 'tokenTexts'>;
  info: import('../core/engine/types.ts').ModelInfo;
}

export interface ProfileProgress {
  done: number;
  total: number;
  tokens: number;
  elapsedMs: number;
  tokensPerSecond: number;
}

export interface ProfileOptions {
  settings: GenerationSettings;
  signal?: AbortSignal;
  onProgress?: (p: ProfileProgress) => void;
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

/** The ids the scorer should score for a response: the same ids when the vocabularies match, else its own. */
async function scoredIds(scorer: EngineLike, owner: EngineLike, rec: ResponseRecord): Promise<number[]> {
  if (scorer.info.tokenizerFingerprint === owner.info.tokenizerFingerprint) return textSteps(rec).map((t) => t.id);
  return scorer.engine.tokenize(rec.text);
}

export async function profilePair(
  a: { handle: EngineLike; spec: string; label: string },
  b: { handle: EngineLike; spec: string; label: string },
  set: PromptSet,
  options: ProfileOptions,
): Promise<PairProfile> {
  const { settings, signal, onProgress } = options;
  const started = performance.now();
  const recA: ResponseRecord[] = [];
  const recB: ResponseRecord[] = [];
  const aUnderB: CrossScore[] = [];
  const bUnderA: CrossScore[] = [];
  let tokens = 0;
  for (const prompt of set.prompts) {
    signal?.throwIfAborted();
    const input = promptInput(prompt);
    const [ga, gb] = await orAbort(
      Promise.all([a.handle.engine.generate(input, settings), b.handle.engine.generate(input, settings)]),
      signal,
    );
    const ra = toRecord(prompt.id, ga);
    const rb = toRecord(prompt.id, gb);
    const [idsAforB, idsBforA] = await orAbort(
      Promise.all([scoredIds(b.handle, a.handle, ra), scoredIds(a.handle, b.handle, rb)]),
      signal,
    );
    const same = a.handle.info.tokenizerFingerprint === b.handle.info.tokenizerFingerprint;
    const owners = (r: ResponseRecord) => (same ? textSteps(r).map((t) => t.top.map((x) => x.id)) : undefined);
    const [sab, sba] = await orAbort(
      Promise.all([
        b.handle.engine.score(input, idsAforB, settings.topK, owners(ra)),
        a.handle.engine.score(input, idsBforA, settings.topK, owners(rb)),
      ]),
      signal,
    );
    recA.push(ra);
    recB.push(rb);
    aUnderB.push({ promptId: prompt.id, tokens: sab.tokens, bytes: bytes(ra.text) });
    bUnderA.push({ promptId: prompt.id, tokens: sba.tokens, bytes: bytes(rb.text) });
    tokens += ra.tokens.length + rb.tokens.length;
    const elapsedMs = performance.now() - started;
    onProgress?.({
      done: recA.length,
      total: set.prompts.length,
      tokens,
      elapsedMs,
      tokensPerSecond: (tokens / elapsedMs) * 1000,
    });
  }
  const profile = async (side: typeof a, records: ResponseRecord[]): Promise<ModelProfile> => ({
    spec: side.spec,
    label: side.label,
    model: side.handle.info,
    settings,
    records,
    tokenTexts: await tokenTexts(side.handle, records),
  });
  return {
    promptSet: { id: set.id, name: set.name, hash: promptSetHash(set), n: set.prompts.length },
    a: await profile(a, recA),
    b: await profile(b, recB),
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

async function tokenTexts(h: EngineLike, records: ResponseRecord[]): Promise<Record<number, string>> {
  const ids = [...new Set(records.flatMap((r) => r.tokens.flatMap((t) => [t.id, ...t.top.map((x) => x.id)])))];
  const texts = await h.engine.tokenTexts(ids);
  return Object.fromEntries(ids.map((id, i) => [id, texts[i] ?? '']));
}
