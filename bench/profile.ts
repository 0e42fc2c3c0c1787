// Part 1: profiling throughput in Chromium. Our profiler (src/services/profiler.ts over two engine workers, the
// same model loaded as A and B) against the naive loop (bench/page/naive.worker.ts: transformers.js
// pipeline('text-generation') per prompt, plus a scoring pass per response for each model), in the same page,
// with the same model files, prompts, greedy settings and WASM thread count. Repetitions alternate which goes first.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GenerationSettings } from '../src/core/engine/types.ts';
import { parsePromptSet, type PromptSet } from '../src/core/prompts/index.ts';
import type { RunResult } from './page/main.ts';
import type { BenchSession } from './lib/browser.ts';
import { ROOT, median, pairedRatio, type BenchOptions, type Figure, type PartResult } from './lib/common.ts';
import { shapedParameters } from './lib/models.ts';
import type { MachinePeak } from './peak.ts';

export interface ProfileCase {
  key: string;
  model: string;
  set: string;
  prompts: number;
  maxNewTokens: number;
  reps: number;
  /** Weight format of the file both loops load (default fp32). */
  dtype?: 'fp32' | 'q4' | 'q8';
  /** The SmolLM2-135M-shaped model: its arithmetic is counted and set against the machine's peak. */
  shaped?: boolean;
  /** Untimed full runs of ours before the repetitions (default 2). */
  warmups?: number;
}

/**
 * The useful arithmetic of one run of ours, in FLOPs: 2 × the decoder layers' weights × every position a forward
 * pass computes, plus 2 × the output head (vocabulary × hidden, tied to the embedding) × every logits row. Per
 * model and prompt: generating n tokens is a prompt pass over p positions (one logits row: num_logits_to_keep) and
 * n − 1 decoding steps; scoring the other model's m tokens is m positions over the prompt's cached keys and values
 * (m rows). Attention's own products (QKᵀ, AV: ≈ 2% at these lengths) and the embedding lookup are not counted.
 */
export function usefulFlops(c: NonNullable<RunResult['counts']>) {
  const { total, embedding } = shapedParameters();
  const layers = 2 * (total - embedding);
  const head = 2 * embedding;
  const side = (prompt: number, own: number, other: number) => ({
    prompt: layers * prompt + head * c.prompts,
    decode: (layers + head) * (own - c.prompts),
    score: (layers + head) * other,
  });
  const a = side(c.aPrompt, c.aTokens, c.bTokens);
  const b = side(c.bPrompt, c.bTokens, c.aTokens);
  return { a, b, total: a.prompt + a.decode + a.score + b.prompt + b.decode + b.score };
}

export function subset(setId: string, n: number): PromptSet {
  const file = join(ROOT, 'public', 'prompts', `${setId}.json`);
  const set = parsePromptSet(readFileSync(file, 'utf8'), { filename: file }).set;
  return { ...set, id: `${set.id}-first-${n}`, prompts: set.prompts.slice(0, n) };
}

/**
 * Did both loops do the same work? A's responses compared as text (the pipeline keeps a leading space), and the
 * largest |Δ| of B's log-probabilities of them over the tokens both scored alike: ours scores the ids A generated
 * (its end token included), the naive loop re-tokenises the text, so the longest common prefix of ids is compared.
 */
function agreement(
  a: RunResult,
  b: RunResult,
): { sameText: number; compared: number; tokens: number; maxLogprobDiff: number } {
  let sameText = 0;
  let compared = 0;
  let tokens = 0;
  let maxLogprobDiff = 0;
  a.texts.forEach((t, i) => {
    if (t.trim() !== b.texts[i]!.trim()) return;
    sameText += 1;
    const x = a.crossScores[i]!;
    const y = b.crossScores[i]!;
    let j = 0;
    for (; j < Math.min(x.length, y.length) && x[j]!.id === y[j]!.id; j++) {
      maxLogprobDiff = Math.max(maxLogprobDiff, Math.abs(x[j]!.logprob - y[j]!.logprob));
    }
    if (j > 0) compared += 1;
    tokens += j;
  });
  return { sameText, compared, tokens, maxLogprobDiff };
}

export async function profileThroughput(
  page: BenchSession,
  cases: ProfileCase[],
  opts: BenchOptions,
  batchSize: number,
  peak: MachinePeak | null = null,
): Promise<PartResult> {
  const figures: Figure[] = [];
  const details: Record<string, unknown> = { batchSize, threadsPerWorker: await page.call('threads') };
  for (const c of cases) {
    const set = subset(c.set, c.prompts);
    const settings: GenerationSettings = { maxNewTokens: c.maxNewTokens, temperature: 0, seed: 1, topK: 10 };
    const dtype = c.dtype ?? 'fp32';
    opts.log(`profile ${c.key}: loading ${c.model} (${dtype}; our 2 workers + naive 2 workers) …`);
    const loadOurs = await page.call('loadOurs', {
      model: c.model,
      dtype,
      ...(opts.threads ? { threads: opts.threads } : {}),
    });
    const loadNaive = await page.call('loadNaive', { model: c.model, dtype });
    // Warm-up, not timed. WebAssembly code tiers up while it runs (the compiled runtime is shared by the page's
    // workers): the first full runs measured 1.3–4× slower than later ones. Two full runs of ours, and one prompt
    // of the naive loop (it only ever runs one prompt at a time).
    for (let i = 0; i < (c.warmups ?? 2); i++) await page.call('runOurs', set, settings, batchSize);
    await page.call('runNaive', { ...set, prompts: set.prompts.slice(0, 1) }, settings);
    const ours: RunResult[] = [];
    const naive: RunResult[] = [];
    for (let r = 0; r < c.reps; r++) {
      const runOurs = async () => {
        ours.push(await page.call('runOurs', set, settings, batchSize));
        opts.log(`  rep ${r + 1}/${c.reps}: ours ${(ours.at(-1)!.ms / 1000).toFixed(1)} s`);
      };
      const runNaive = async () => naive.push(await page.call('runNaive', set, settings));
      if (r % 2 === 0) {
        await runOurs();
        await runNaive();
      } else {
        await runNaive();
        await runOurs();
      }
      opts.log(
        `  rep ${r + 1}/${c.reps}: ours ${(ours.at(-1)!.ms / 1000).toFixed(1)} s, naive ${(naive.at(-1)!.ms / 1000).toFixed(1)} s`,
      );
    }
    await page.call('unload');
    const check = agreement(ours[0]!, naive[0]!);
    // Tokens generated: the naive loop only gets text back from the pipeline, and re-tokenising it counts a few
    // more or fewer. When both loops wrote the same responses, both generated the same tokens: count ours for both.
    const same = check.sameText === set.prompts.length;
    const ppm = (x: RunResult) => (x.prompts / x.ms) * 60_000;
    const tps = (x: RunResult) => ((same ? ours[0]!.tokens : x.tokens) / x.ms) * 1000;
    const what = `${c.key}: ${set.prompts.length} ${c.set} prompts, ${c.maxNewTokens} new tokens, greedy`;
    for (const [unit, f] of [
      ['prompts/min', ppm],
      ['tokens/s', tps],
    ] as const) {
      const value = median(ours.map(f));
      const base = median(naive.map(f));
      const ratio = pairedRatio(ours.map(f), naive.map(f));
      figures.push({
        part: 'profile',
        what,
        unit,
        value,
        reps: ours.map(f),
        baseline: { what: 'naive loop', value: base, reps: naive.map(f) },
        ratio,
        target: '≥ 3×',
        met: ratio >= 3,
      });
    }
    details[c.key] = {
      model: c.model,
      prompts: set.prompts.map((p) => p.id),
      settings,
      loadMs: { ours: loadOurs, naive: loadNaive },
      oursMs: ours.map((x) => x.ms),
      naiveMs: naive.map((x) => x.ms),
      tokens: { ours: ours[0]!.tokens, naive: naive[0]!.tokens },
      oursSpentMs: ours.map((x) => x.spent),
      agreement: { ...check, of: set.prompts.length },
    };
    // The time split of ours: model A's engine calls as shares of the wall time (B runs beside it and looks alike),
    // medians over the repetitions; "other" is the wall time outside A's prompt passes, decoding and scoring.
    const scoreMs = (x: RunResult, side: 'a' | 'b') => x.spent![side]['scoreBatch'] ?? x.spent![side]['score'] ?? 0;
    const split = {
      prompt: median(ours.map((x) => x.spent!.aPrefillMs / x.ms)),
      decode: median(ours.map((x) => x.spent!.aDecodeMs / x.ms)),
      score: median(ours.map((x) => scoreMs(x, 'a') / x.ms)),
      other: median(ours.map((x) => 1 - (x.spent!.aPrefillMs + x.spent!.aDecodeMs + scoreMs(x, 'a')) / x.ms)),
    };
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    opts.log(
      `  ours, model A (medians): prompt pass ${pct(split.prompt)}, decoding ${pct(split.decode)}, scoring B's ` +
        `replies ${pct(split.score)}, other ${pct(split.other)} of the wall time`,
    );
    (details[c.key] as Record<string, unknown>)['split'] = split;
    if (c.shaped && ours[0]!.counts) {
      const f = usefulFlops(ours[0]!.counts);
      const rate = ours.map((x) => f.total / (x.ms / 1000));
      const fp32Peak = peak?.fp32 ?? NaN;
      const ownPeak = peak ? (dtype === 'fp32' ? peak.fp32 : peak[dtype]) : NaN;
      figures.push({
        part: 'profile',
        what:
          `${c.key}: useful arithmetic (2 × weights × positions + 2 × head × logits rows) ÷ this CPU's fp32 ` +
          `MatMul peak (same run)`,
        unit: 'GFLOP/s',
        value: median(rate) / 1e9,
        reps: rate.map((x) => x / 1e9),
        baseline: { what: 'fp32 MatMul peak', value: fp32Peak / 1e9, reps: [] },
        ratio: median(rate) / fp32Peak,
        target: '≥ 0.3× (30%)',
        met: median(rate) / fp32Peak >= 0.3,
        ...(dtype !== 'fp32'
          ? {
              notes: [
                `${dtype} MatMulNBits peak ${(ownPeak / 1e9).toFixed(1)} GFLOP/s: ` +
                  `${((median(rate) / ownPeak) * 100).toFixed(0)}% of it`,
              ],
            }
          : {}),
      });
      // Where it goes: each phase's own rate (model A's arithmetic in that phase ÷ the time A spent in it) against
      // one worker's share of the peak (the peak ran on as many workers at once as the engine runs).
      const perWorker = ownPeak / 2;
      const phase = (flops: number, ms: (x: RunResult) => number) => median(ours.map((x) => flops / (ms(x) / 1000)));
      const phases = {
        prompt: phase(f.a.prompt, (x) => x.spent!.aPrefillMs),
        decode: phase(f.a.decode, (x) => x.spent!.aDecodeMs),
        score: phase(f.a.score, (x) => scoreMs(x, 'a')),
      };
      (details[c.key] as Record<string, unknown>)['flops'] = { ...f, perSecond: rate, peak, phases };
      opts.log(
        `  useful ${(median(rate) / 1e9).toFixed(2)} GFLOP/s = ${((median(rate) / fp32Peak) * 100).toFixed(0)}% ` +
          `of the fp32 peak ${(fp32Peak / 1e9).toFixed(1)}` +
          (dtype !== 'fp32'
            ? `, ${((median(rate) / ownPeak) * 100).toFixed(0)}% of the ${dtype} peak ${(ownPeak / 1e9).toFixed(1)}`
            : '') +
          `; model A per phase (of one worker's peak share): ` +
          Object.entries(phases)
            .map(([k, v]) => `${k} ${(v / 1e9).toFixed(2)} GFLOP/s (${((v / perWorker) * 100).toFixed(0)}%)`)
            .join(', '),
      );
    }
    opts.log(
      `  same A responses in both loops: ${check.sameText}/${set.prompts.length}; max |Δ logprob| of B's scores ` +
        `of them: ${check.compared ? check.maxLogprobDiff.toExponential(1) : '–'} (${check.tokens} tokens of ` +
        `${check.compared} responses tokenised alike)`,
    );
  }
  return { part: 'profile', figures, details };
}
