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

export interface ProfileCase {
  key: string;
  model: string;
  set: string;
  prompts: number;
  maxNewTokens: number;
  reps: number;
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
): Promise<PartResult> {
  const figures: Figure[] = [];
  const details: Record<string, unknown> = { batchSize, threadsPerWorker: await page.call('threads') };
  for (const c of cases) {
    const set = subset(c.set, c.prompts);
    const settings: GenerationSettings = { maxNewTokens: c.maxNewTokens, temperature: 0, seed: 1, topK: 10 };
    opts.log(`profile ${c.key}: loading ${c.model} (our 2 workers + naive 2 workers) …`);
    const loadOurs = await page.call('loadOurs', {
      model: c.model,
      ...(opts.threads ? { threads: opts.threads } : {}),
    });
    const loadNaive = await page.call('loadNaive', { model: c.model });
    // Warm-up, not timed. WebAssembly code tiers up while it runs (the compiled runtime is shared by the page's
    // workers): the first full runs measured 1.3–4× slower than later ones. Two full runs of ours, and one prompt
    // of the naive loop (it only ever runs one prompt at a time).
    for (let i = 0; i < 2; i++) await page.call('runOurs', set, settings, batchSize);
    await page.call('runNaive', { ...set, prompts: set.prompts.slice(0, 1) }, settings);
    const ours: RunResult[] = [];
    const naive: RunResult[] = [];
    for (let r = 0; r < c.reps; r++) {
      const runOurs = async () => ours.push(await page.call('runOurs', set, settings, batchSize));
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
    const spent = ours.at(-1)!.spent!;
    const share = (x: number) => `${((x / ours.at(-1)!.ms) * 100).toFixed(0)}%`;
    opts.log(
      `  ours, last rep, model A: prompts ${share(spent.aPrefillMs)}, decoding ${share(spent.aDecodeMs)}, ` +
        `scoring B's replies ${share(spent.a['scoreBatch'] ?? spent.a['score'] ?? 0)} of the wall time`,
    );
    opts.log(
      `  same A responses in both loops: ${check.sameText}/${set.prompts.length}; max |Δ logprob| of B's scores ` +
        `of them: ${check.compared ? check.maxLogprobDiff.toExponential(1) : '–'} (${check.tokens} tokens of ` +
        `${check.compared} responses tokenised alike)`,
    );
  }
  return { part: 'profile', figures, details };
}
