// The benchmark page: loads engines the way the app does (one worker per model, src/services) and the naive
// baseline (bench/page/naive.worker.ts), and times them on request. npm run bench drives it through puppeteer; every
// function returns plain data.

import { wrap, type Remote } from 'comlink';
import type { GenerationSettings, PromptInput, ScoredStep } from '../../src/core/engine/types.ts';
import type { Prompt, PromptSet } from '../../src/core/prompts/index.ts';
import { toChat } from '../../src/core/prompts/index.ts';
import { startEngine, threadsPerWorker, type EngineHandle } from '../../src/services/engine-pool.ts';
import { profilePair, promptInput } from '../../src/services/profiler.ts';
import type { NaiveApi, NaiveInput } from './naive.worker.ts';

const runtimeBase = new URL('/ort/', location.origin).href;
const modelsBase = new URL('/models/', location.origin).href;

let ours: EngineHandle[] = [];
let naive: { api: Remote<NaiveApi>; worker: Worker }[] = [];

export interface LoadOptions {
  model: string;
  /**
   * WASM threads per worker (ignored unless cross-origin isolated). Default: ours as the app does (the cores shared
   * between its two workers, which run at the same time); the naive loop runs one model at a time, so all cores.
   */
  threads?: number;
  /** Engine workers to start (default 2: model A and model B). */
  workers?: number;
}

export interface RunResult {
  ms: number;
  prompts: number;
  /** Generated tokens, both models. */
  tokens: number;
  /** Model A's responses, for checking that both loops did the same work. */
  texts: string[];
  /** B's scores of A's response tokens: each token's id and log-probability. */
  crossScores: { id: number; logprob: number }[][];
  /** Where the time went (ours only): milliseconds per engine method and side, and A's prompt/decode split. */
  spent?: { a: Record<string, number>; b: Record<string, number>; aPrefillMs: number; aDecodeMs: number };
}

type Spent = Record<string, number>;

/** The engine with each call's wall time added to `spent` under the method's name. */
function timed(h: EngineHandle, spent: Spent) {
  const methods = ['generate', 'score', 'generateBatch', 'scoreBatch', 'tokenize', 'tokenTexts'] as const;
  const engine = Object.fromEntries(
    methods.map((m) => [
      m,
      async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await (h.engine[m] as unknown as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          spent[m] = (spent[m] ?? 0) + performance.now() - t;
        }
      },
    ]),
  );
  return { info: h.info, engine: engine as unknown as EngineHandle['engine'] };
}

const cores = () => Math.min(4, navigator.hardwareConcurrency || 1);

async function loadOurs({ model, threads = threadsPerWorker(2), workers = 2 }: LoadOptions): Promise<number> {
  const t = performance.now();
  const source = { kind: 'url' as const, url: `${modelsBase}${model}/` };
  const options = { runtimeBase, device: 'wasm' as const, threads };
  ours = await Promise.all(Array.from({ length: workers }, () => startEngine(source, options, () => {})));
  return performance.now() - t;
}

async function runOurs(set: PromptSet, settings: GenerationSettings, batchSize: number): Promise<RunResult> {
  const [a, b] = ours;
  if (!a || !b) throw new Error('loadOurs() first');
  // Every repetition starts cold: an engine keeps the last prompts' KV cache for scoring them, and the previous
  // repetition's last group would otherwise skip its prompt pass. A one-token prompt replaces it (not timed).
  const cold = { maxNewTokens: 1, temperature: 0, seed: 0, topK: 1 };
  await Promise.all([a, b].map((h) => h.engine.generate({ tokens: [0] }, cold)));
  const spentA: Spent = {};
  const spentB: Spent = {};
  const t = performance.now();
  const pair = await profilePair(
    { handle: timed(a, spentA), spec: 'a', label: 'a' },
    { handle: timed(b, spentB), spec: 'b', label: 'b' },
    set,
    { settings, batchSize },
  );
  const ms = performance.now() - t;
  // Every record of a group carries its group's timings: count each group once.
  const groups = pair.a.records.filter((_, i) => i % Math.max(1, batchSize) === 0);
  return {
    ms,
    prompts: set.prompts.length,
    tokens: [...pair.a.records, ...pair.b.records].reduce((s, r) => s + r.tokens.length, 0),
    texts: pair.a.records.map((r) => r.text),
    crossScores: pair.aUnderB.map((s) => s.tokens.map(({ id, logprob }) => ({ id, logprob }))),
    spent: {
      a: spentA,
      b: spentB,
      aPrefillMs: groups.reduce((s, r) => s + r.timings.prefillMs, 0),
      aDecodeMs: groups.reduce((s, r) => s + r.timings.decodeMs, 0),
    },
  };
}

async function loadNaive({ model, threads = cores() }: LoadOptions): Promise<number> {
  const t = performance.now();
  naive = [0, 1].map(() => {
    const worker = new Worker(new URL('./naive.worker.ts', import.meta.url), { type: 'module' });
    return { worker, api: wrap<NaiveApi>(worker) };
  });
  await Promise.all(naive.map((n) => n.api.load(modelsBase, model, runtimeBase, threads)));
  return performance.now() - t;
}

const naiveInput = (p: Prompt): NaiveInput => {
  const input: PromptInput = promptInput(p);
  return 'text' in input ? input.text : toChat(p);
};

/** One prompt at a time: A generates, B generates, each response is scored by its own model and the other one. */
async function runNaive(set: PromptSet, settings: GenerationSettings): Promise<RunResult> {
  const [A, B] = naive.map((n) => n.api);
  if (!A || !B) throw new Error('loadNaive() first');
  const k = settings.topK;
  const t = performance.now();
  let tokens = 0;
  const texts: string[] = [];
  const crossScores: RunResult['crossScores'] = [];
  for (const p of set.prompts) {
    const input = naiveInput(p);
    const ta = await A.generate(input, settings.maxNewTokens);
    const tb = await B.generate(input, settings.maxNewTokens);
    const ownA: ScoredStep[] = await A.score(input, ta, k);
    const ownB: ScoredStep[] = await B.score(input, tb, k);
    const tops = (s: ScoredStep[]) => s.map((x) => x.top.map((c) => c.id));
    const aUnderB = await B.score(input, ta, k, tops(ownA));
    await A.score(input, tb, k, tops(ownB));
    tokens += ownA.length + ownB.length;
    texts.push(ta);
    crossScores.push(aUnderB.map(({ id, logprob }) => ({ id, logprob })));
  }
  return { ms: performance.now() - t, prompts: set.prompts.length, tokens, texts, crossScores };
}

/** Times one call of an engine method on a worker of loadOurs (for experiments). */
async function engineCall(
  worker: number,
  method: string,
  ...args: unknown[]
): Promise<{ ms: number; result: unknown }> {
  const h = ours[worker];
  if (!h) throw new Error('loadOurs() first');
  const t = performance.now();
  const result = await (h.engine as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args);
  return { ms: performance.now() - t, result };
}

/** Milliseconds to download a model's ONNX file into an ArrayBuffer (the floor under any load time). */
async function fetchOnly(model: string): Promise<number> {
  const t = performance.now();
  await (await fetch(`${modelsBase}${model}/onnx/model.onnx`)).arrayBuffer();
  return performance.now() - t;
}

/** Greedy decoding speed of one engine worker (model A of loadOurs). */
async function decode(prompt: PromptInput, maxNewTokens: number) {
  const a = ours[0];
  if (!a) throw new Error('loadOurs() first');
  const g = await a.engine.generate(prompt, { maxNewTokens, temperature: 0, seed: 1, topK: 10 });
  return { tokens: g.tokens.length, ids: g.tokens.map((t) => t.id), ...g.timings };
}

function unload(): void {
  ours.forEach((h) => h.terminate());
  naive.forEach((n) => n.worker.terminate());
  ours = [];
  naive = [];
}

const bench = {
  loadOurs,
  runOurs,
  loadNaive,
  runNaive,
  decode,
  fetchOnly,
  engineCall,
  unload,
  isolated: () => crossOriginIsolated,
  threads: () => ({ ours: threadsPerWorker(2), naive: cores() }),
};
export type BenchPage = typeof bench;
(window as unknown as { bench: BenchPage }).bench = bench;
document.body.dataset['ready'] = '1';
