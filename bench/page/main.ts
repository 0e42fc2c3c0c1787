// The benchmark page: loads engines the way the app does (one worker per model, src/services) and the naive
// baseline (bench/page/naive.worker.ts), and times them on request. npm run bench drives it through puppeteer; every
// function returns plain data.

import { wrap, type Remote } from 'comlink';
import type { GenerationSettings, PromptInput, ScoredStep } from '../../src/core/engine/types.ts';
import type { Prompt, PromptSet } from '../../src/core/prompts/index.ts';
import { toChat } from '../../src/core/prompts/index.ts';
import { startEngine, threadsPerWorker, type EngineHandle } from '../../src/services/engine-pool.ts';
import { profilePair, promptInput } from '../../src/services/profiler.ts';
import type { EngineApi } from '../../workers/engine-api.ts';
import { startCrosscoder } from '../../src/services/crosscoder.ts';
import { createRng } from '../../src/core/random.ts';
import { readGpuFacts } from '../../workers/gpu-facts.ts';
import type { NaiveApi, NaiveInput } from './naive.worker.ts';
import type { PeakApi, PeakShape } from './peak.worker.ts';

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
  /** Weight format (default fp32): the same file for ours and the naive loop. */
  dtype?: 'fp32' | 'q4' | 'q8';
  /** Our engine's device (default wasm). */
  device?: 'wasm' | 'webgpu';
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
  spent?: {
    a: Record<string, number>;
    b: Record<string, number>;
    aPrefillMs: number;
    aDecodeMs: number;
    bPrefillMs: number;
    bDecodeMs: number;
  };
  /** Ours only: prompt tokens and generated tokens per side (for counting the arithmetic done). */
  counts?: { aPrompt: number; bPrompt: number; aTokens: number; bTokens: number; prompts: number };
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

async function loadOurs({
  model,
  threads = threadsPerWorker(2),
  workers = 2,
  dtype = 'fp32',
  device = 'wasm',
}: LoadOptions): Promise<number> {
  const t = performance.now();
  const source = { kind: 'url' as const, url: `${modelsBase}${model}/`, dtype };
  const options = { runtimeBase, device, threads };
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
  const groupsB = pair.b.records.filter((_, i) => i % Math.max(1, batchSize) === 0);
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
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
      bPrefillMs: groupsB.reduce((s, r) => s + r.timings.prefillMs, 0),
      bDecodeMs: groupsB.reduce((s, r) => s + r.timings.decodeMs, 0),
    },
    counts: {
      prompts: set.prompts.length,
      aPrompt: sum(pair.a.records.map((r) => r.promptTokenCount)),
      bPrompt: sum(pair.b.records.map((r) => r.promptTokenCount)),
      aTokens: sum(pair.a.records.map((r) => r.tokens.length)),
      bTokens: sum(pair.b.records.map((r) => r.tokens.length)),
    },
  };
}

async function loadNaive({ model, threads = cores(), dtype = 'fp32' }: LoadOptions): Promise<number> {
  const t = performance.now();
  naive = [0, 1].map(() => {
    const worker = new Worker(new URL('./naive.worker.ts', import.meta.url), { type: 'module' });
    return { worker, api: wrap<NaiveApi>(worker) };
  });
  await Promise.all(naive.map((n) => n.api.load(modelsBase, model, runtimeBase, threads, dtype)));
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

/**
 * Matrix-product throughput of `workers` peak workers running at once (each with `threads` WASM threads, as the
 * engine's workers run side by side): per repetition, every worker runs its chain for about `ms` milliseconds;
 * returns the aggregate FLOP/s of each repetition (2·m·k·n per projection).
 */
async function peak(shape: PeakShape, workers: number, threads: number, reps: number, ms = 500) {
  const pool = Array.from({ length: workers }, () => {
    const worker = new Worker(new URL('./peak.worker.ts', import.meta.url), { type: 'module' });
    return { worker, api: wrap<PeakApi>(worker) };
  });
  try {
    const got = await Promise.all(pool.map((p) => p.api.init(runtimeBase, threads)));
    const bytes = (await Promise.all(pool.map((p) => p.api.open(shape))))[0]!;
    const probe = await pool[0]!.api.run(1);
    const runs = Math.max(2, Math.round(ms / Math.max(0.05, probe)));
    const flops = 2 * shape.m * shape.k * shape.n * shape.depth;
    const perRep: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      await Promise.all(pool.map((p) => p.api.run(runs)));
      const wall = performance.now() - t;
      perRep.push((flops * runs * workers) / (wall / 1000));
    }
    return { flopsPerSecond: perRep, threads: got[0]!, runs, modelBytes: bytes };
  } finally {
    pool.forEach((p) => p.worker.terminate());
  }
}

type MemoryMeasure = { bytes: number; breakdown: { bytes: number; attribution: { scope?: string; url?: string }[] }[] };

/** The page's and its workers' memory, when the browser can measure it (cross-origin isolated Chromium). */
async function measureMemory(): Promise<{ total: number; workers: number; window: number } | null> {
  const p = performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<MemoryMeasure> };
  if (!crossOriginIsolated || !p.measureUserAgentSpecificMemory) return null;
  const m = await p.measureUserAgentSpecificMemory();
  let workers = 0;
  let window = 0;
  for (const b of m.breakdown) {
    const scopes = b.attribution.map((a) => a.scope ?? '');
    if (scopes.some((s) => s.includes('Worker'))) workers += b.bytes;
    else if (scopes.includes('Window')) window += b.bytes;
  }
  return { total: m.bytes, workers, window };
}

/**
 * Activation harvest on engine 0 (loadOurs): the residual stream at `point` for `rows`, the first call opening the
 * tap session (a second onnxruntime session over the edited graph) and a second call on the open session; memory
 * before loading nothing more, after the first call and after the second.
 */
async function harvest(rows: number[][], point: number) {
  const a = ours[0];
  if (!a) throw new Error('loadOurs() first');
  // The tap methods are optional in EngineApi (ONNX engines only); this is one.
  const taps = a.engine as unknown as Required<Pick<EngineApi, 'tapLayout' | 'activations'>>;
  const before = await measureMemory();
  let t = performance.now();
  const layout = await taps.tapLayout();
  const openMs = performance.now() - t;
  t = performance.now();
  const first = await taps.activations({ rows, points: [point] });
  const firstMs = performance.now() - t;
  const afterFirst = await measureMemory();
  t = performance.now();
  await taps.activations({ rows, points: [point] });
  const secondMs = performance.now() - t;
  const afterSecond = await measureMemory();
  return {
    layout,
    openMs,
    firstMs,
    secondMs,
    returnedBytes: first.data.reduce((s, d) => s + d.byteLength, 0),
    positions: first.lengths.reduce((s, n) => s + n, 0),
    memory: { before, afterFirst, afterSecond },
  };
}

/**
 * Crosscoder training as the app runs it (src/services/crosscoder.ts: its worker, onnxruntime-web WASM, the ONNX
 * training step), on `positions` seeded random activations of hidden size d for both models: the training loop's
 * own tokens/s for every report after the first (which holds the session's first run).
 */
async function crosscoderTrain(o: { d: number; latents: number; k: number; steps: number; positions: number }) {
  const rng = createRng(11);
  const chunk = () => Float32Array.from({ length: o.positions * o.d }, () => rng.normal());
  const run = startCrosscoder(
    {
      id: `bench-${o.d}-${o.latents}`,
      activations: [
        { dim: o.d, chunks: [chunk()] },
        { dim: o.d, chunks: [chunk()] },
      ],
      config: { latents: o.latents, k: o.k, batchSize: 256 },
      steps: o.steps,
      device: 'wasm',
      runtimeBase,
      resume: false,
      checkpointEvery: o.steps + 1,
      progressEvery: 1,
    },
    (p) => speeds.push(p.tokensPerSecond),
  );
  const speeds: number[] = [];
  const result = await run.result;
  return { device: result.device, tokensPerSecond: speeds.slice(1) };
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
  peak,
  harvest,
  crosscoderTrain,
  measureMemory,
  gpuFacts: readGpuFacts,
  unload,
  isolated: () => crossOriginIsolated,
  threads: () => ({ ours: threadsPerWorker(2), naive: cores() }),
};
export type BenchPage = typeof bench;
(window as unknown as { bench: BenchPage }).bench = bench;
document.body.dataset['ready'] = '1';
