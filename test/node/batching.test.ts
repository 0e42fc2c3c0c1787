// Batched decoding and KV-cache reuse (the engine and profiler speed-ups) give the same results as one prompt at a
// time: the same engine code as the browser, on onnxruntime-node, with the forged models (prompts of different
// lengths are left-padded; replies end at different steps, so finished rows leave the batch).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { GenerationResult, ScoredStep, TokenStep } from '../../src/core/engine/types.ts';
import type { PairProfile } from '../../src/core/profile/types.ts';
import { forgeFamily } from '../../src/core/forge/index.ts';
import { buildLlamaOnnx } from '../../src/core/onnx/llama-graph.ts';
import { loadFolder, readFolder, readPromptSet } from '../../src/node/profile-forged.ts';
import { profileModel, profilePair, promptInput } from '../../src/services/profiler.ts';
import type { RecordCache } from '../../src/services/profile-store.ts';
import { BatchedDecoder } from '../../workers/batched-decoder.ts';
import { OnnxEngine } from '../../workers/onnx-engine.ts';

/**
 * Counts the batches an engine's decoder runs (its generate() calls itself once per part): the sizes of each call,
 * in order, until `stop` is called.
 */
function countBatches(engine: OnnxEngine): { sizes: number[]; stop: () => void } {
  const sizes: number[] = [];
  const original = BatchedDecoder.prototype.generate;
  BatchedDecoder.prototype.generate = function (this: BatchedDecoder, rows, settings) {
    if (this.info.id === engineIds.get(engine)) sizes.push(rows.length);
    return original.call(this, rows, settings);
  };
  return { sizes, stop: () => (BatchedDecoder.prototype.generate = original) };
}
const engineIds = new WeakMap<OnnxEngine, string>();

const root = join(import.meta.dirname, '..', '..');
const forged = join(root, 'public', 'forged');
const demo = readPromptSet(join(root, 'public', 'prompts', 'forged-demo.json'));
const set = { ...demo, prompts: demo.prompts.slice(0, 10) };
const inputs = set.prompts.map(promptInput);
/** Chat prompts (short replies) between story openers as raw text (long ones): rows end at different steps. */
const mixed = [
  { text: 'Once upon a time' },
  ...inputs.slice(0, 3),
  { text: 'One day the little dog' },
  ...inputs.slice(3, 6),
  { text: 'The cat' },
];
const greedy = { maxNewTokens: 24, temperature: 0, seed: 1, topK: 10 };
const TOL = 1e-4;

function sameSteps(got: (TokenStep | ScoredStep)[], want: (TokenStep | ScoredStep)[], what: string): void {
  assert.deepEqual(
    got.map((s) => s.id),
    want.map((s) => s.id),
    `${what}: token ids`,
  );
  got.forEach((s, j) => {
    const w = want[j]!;
    assert.ok(Math.abs(s.logprob - w.logprob) < TOL, `${what} step ${j}: logprob ${s.logprob} vs ${w.logprob}`);
    assert.ok(Math.abs(s.entropy - w.entropy) < TOL, `${what} step ${j}: entropy`);
    assert.deepEqual(
      s.top.map((t) => t.id),
      w.top.map((t) => t.id),
      `${what} step ${j}: top-k ids`,
    );
    const c = (s as ScoredStep).candidates;
    (c ?? []).forEach((x, i) =>
      assert.ok(Math.abs(x.logprob - (w as ScoredStep).candidates![i]!.logprob) < TOL, `${what}: candidates`),
    );
  });
}

test('generateBatch equals generate() prompt by prompt (greedy and sampled), with uneven prompts and replies', async () => {
  const { engine } = await loadFolder(join(forged, 'forged-trigger'), 'forged-trigger');
  try {
    // `mixed`: prompts of very different lengths, run one by one and their caches stacked; `inputs`: similar
    // lengths, one left-padded pass. Both then decode as one batch.
    for (const prompts of [mixed, inputs]) {
      for (const settings of [greedy, { ...greedy, temperature: 0.9, seed: 7 }]) {
        const batch = await engine.generateBatch(prompts, settings);
        const one: GenerationResult[] = [];
        for (const input of prompts) one.push(await engine.generate(input, settings));
        assert.ok(new Set(one.map((g) => g.promptTokens.length)).size > 1, 'prompts of different lengths');
        if (prompts === mixed) {
          assert.ok(new Set(one.map((g) => g.tokens.length)).size > 1, 'rows finish at different steps');
        }
        batch.forEach((g, i) => {
          assert.deepEqual(g.promptTokens, one[i]!.promptTokens);
          assert.equal(g.text, one[i]!.text);
          assert.equal(g.stop, one[i]!.stop);
          sameSteps(g.tokens, one[i]!.tokens, `T=${settings.temperature} prompt ${i}`);
        });
      }
    }
  } finally {
    await engine.dispose();
  }
});

test("scoreBatch right after generateBatch (the prompts' cache reused) equals score() from scratch", async () => {
  const { engine } = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  const other = await loadFolder(join(forged, 'forged-boost'), 'forged-boost');
  try {
    const own = await engine.generateBatch(inputs, greedy);
    const theirs = await other.engine.generateBatch(inputs, greedy);
    const jobs = inputs.map((prompt, i) => ({
      prompt,
      continuation: theirs[i]!.tokens.map((t) => t.id),
      candidates: theirs[i]!.tokens.map((t) => t.top.map((x) => x.id)),
    }));
    const reused = await engine.scoreBatch(jobs, greedy.topK);
    // A different batch first, so every score() below starts from nothing.
    await engine.generate({ text: 'Once upon a time' }, greedy);
    for (const [i, job] of jobs.entries()) {
      const fresh = await engine.score(job.prompt, job.continuation, greedy.topK, job.candidates);
      assert.deepEqual(reused[i]!.promptTokens, fresh.promptTokens);
      sameSteps(reused[i]!.tokens, fresh.tokens, `prompt ${i}`);
    }
    // Scoring its own replies gives back the log-probabilities it generated them with.
    const self = await engine.scoreBatch(
      inputs.map((prompt, i) => ({ prompt, continuation: own[i]!.tokens.map((t) => t.id) })),
      greedy.topK,
    );
    self.forEach((s, i) => sameSteps(s.tokens, own[i]!.tokens, `own reply ${i}`));
    const empty = await engine.scoreBatch([{ prompt: inputs[0]!, continuation: [] }], greedy.topK);
    assert.deepEqual(empty[0]!.tokens, []);
  } finally {
    await engine.dispose();
    await other.engine.dispose();
  }
});

function memoryCache(): RecordCache & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async <T>(key: string) => structuredClone(map.get(key)) as T | undefined,
    put: async (key, value) => void map.set(key, structuredClone(value)),
  };
}

async function profile(batchSize: number, cache?: RecordCache) {
  const a = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  const b = await loadFolder(join(forged, 'forged-trigger'), 'forged-trigger');
  let stats = { computed: 0, cached: 0 };
  try {
    const pair = await profilePair({ handle: a, spec: 'a', label: 'a' }, { handle: b, spec: 'b', label: 'b' }, set, {
      settings: greedy,
      batchSize,
      ...(cache ? { cache } : {}),
      onProgress: (p) => (stats = { computed: p.computed, cached: p.cached }),
    });
    return { pair, stats };
  } finally {
    await a.engine.dispose();
    await b.engine.dispose();
  }
}

const withoutTimings = (p: PairProfile) => ({
  ...p,
  a: { ...p.a, records: p.a.records.map((r) => ({ ...r, timings: null })) },
  b: { ...p.b, records: p.b.records.map((r) => ({ ...r, timings: null })) },
});

test('a batched profile equals the unbatched one, and a resumed batched run repeats it exactly', async () => {
  const cache = memoryCache();
  const batched = await profile(4, cache);
  const single = await profile(1);
  assert.deepEqual(
    batched.pair.a.records.map((r) => r.text),
    single.pair.a.records.map((r) => r.text),
  );
  assert.deepEqual(
    batched.pair.b.records.map((r) => r.text),
    single.pair.b.records.map((r) => r.text),
  );
  for (const side of ['aUnderB', 'bUnderA'] as const) {
    batched.pair[side].forEach((s, i) => sameSteps(s.tokens, single.pair[side][i]!.tokens, `${side} ${i}`));
  }
  assert.deepEqual(batched.stats, { computed: 4 * set.prompts.length, cached: 0 });

  // Lose part of one group's records, as a closed tab can: the whole group is recomputed and gives the same bits.
  const lost = [...cache.map.keys()].filter((k, i) => i % 3 === 0);
  lost.forEach((k) => cache.map.delete(k));
  const resumed = await profile(4, cache);
  assert.equal(resumed.stats.computed, lost.length);
  assert.equal(resumed.stats.cached, 4 * set.prompts.length - lost.length);
  assert.deepEqual(withoutTimings(resumed.pair), withoutTimings(batched.pair));
});

test("one model's batched profile (N-way) equals the unbatched one and reuses the pair's responses", async () => {
  const h = await loadFolder(join(forged, 'forged-trigger'), 'forged-trigger');
  try {
    const side = { handle: h, spec: 't', label: 't' };
    const single = await profileModel(side, set, { settings: greedy });
    const cache = memoryCache();
    let stats = { computed: 0, cached: 0 };
    const batched = await profileModel(side, set, {
      settings: greedy,
      batchSize: 4,
      cache,
      onProgress: (p) => (stats = { computed: p.computed, cached: p.cached }),
    });
    assert.deepEqual(
      batched.records.map((r) => r.promptId),
      set.prompts.map((p) => p.id),
      'records in set order',
    );
    batched.records.forEach((r, i) => {
      assert.equal(r.text, single.records[i]!.text);
      sameSteps(r.tokens, single.records[i]!.tokens, `record ${i}`);
    });
    assert.deepEqual(stats, { computed: set.prompts.length, cached: 0 });
    // The pairwise profiler finds the same responses under the same keys.
    const a = await loadFolder(join(forged, 'forged-base'), 'forged-base');
    try {
      let pairStats = { computed: 0, cached: 0 };
      await profilePair({ handle: a, spec: 'a', label: 'a' }, { handle: h, spec: 't', label: 't' }, set, {
        settings: greedy,
        batchSize: 4,
        cache,
        onProgress: (p) => (pairStats = { computed: p.computed, cached: p.cached }),
      });
      assert.equal(pairStats.cached, set.prompts.length, "the second model's responses come from the cache");
    } finally {
      await a.engine.dispose();
    }
  } finally {
    await h.engine.dispose();
  }
});

test('a model without a position_ids input is never batched across prompt lengths: same numbers as one by one', async () => {
  // Such a model counts positions itself, so left padding would shift the shorter prompts (exports of some
  // architectures leave the input out). Reference: the same weights with the input, one prompt at a time.
  const files = readFolder(join(forged, 'forged-base'));
  files['onnx/model.onnx'] = buildLlamaOnnx(forgeFamily().base.weights, '', { positionIds: false });
  const counted = new OnnxEngine();
  await counted.load({ kind: 'files', name: 'no-positions', files }, { runtimeBase: '', device: 'wasm' });
  const { engine: reference } = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  try {
    const prompts = [...mixed, ...inputs];
    const batch = await counted.generateBatch(prompts, greedy);
    const jobs = prompts.map((prompt, i) => ({
      prompt,
      continuation: batch[(i + 1) % prompts.length]!.tokens.map((t) => t.id),
    }));
    const scored = await counted.scoreBatch(jobs, greedy.topK);
    for (const [i, prompt] of prompts.entries()) {
      const want = await reference.generate(prompt, greedy);
      assert.equal(batch[i]!.text, want.text, `prompt ${i}`);
      sameSteps(batch[i]!.tokens, want.tokens, `prompt ${i}`);
      const fresh = await reference.score(prompt, jobs[i]!.continuation, greedy.topK);
      sameSteps(scored[i]!.tokens, fresh.tokens, `score ${i}`);
    }
  } finally {
    await counted.dispose();
    await reference.dispose();
  }
});

test('a group larger than the batch memory budget runs in parts, with the same numbers', async () => {
  const { engine, info } = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  const budget = OnnxEngine.BATCH_BYTES;
  try {
    const whole = await engine.generateBatch(inputs, greedy);
    const jobs = inputs.map((prompt, i) => ({
      prompt,
      continuation: whole[(i + 1) % inputs.length]!.tokens.map((t) => t.id),
    }));
    const scored = await engine.scoreBatch(jobs, greedy.topK);
    // Room for less than a row: every prompt runs on its own (the engine calls itself once per part).
    OnnxEngine.BATCH_BYTES = 1;
    engineIds.set(engine, info.id);
    const counter = countBatches(engine);
    const parted = await engine.generateBatch(inputs, greedy).finally(counter.stop);
    assert.deepEqual(counter.sizes, [inputs.length, ...inputs.map(() => 1)]);
    const partedScores = await engine.scoreBatch(jobs, greedy.topK);
    whole.forEach((g, i) => {
      assert.equal(parted[i]!.text, g.text);
      sameSteps(parted[i]!.tokens, g.tokens, `prompt ${i}`);
      sameSteps(partedScores[i]!.tokens, scored[i]!.tokens, `score ${i}`);
    });
  } finally {
    OnnxEngine.BATCH_BYTES = budget;
    await engine.dispose();
  }
});

test('prompts of different lengths share a batch where left padding checks out, and go by length where not', async () => {
  const files = readFolder(join(forged, 'forged-base'));
  files['onnx/model.onnx'] = buildLlamaOnnx(forgeFamily().base.weights, '', { positionIds: false });
  const counted = new OnnxEngine();
  const countedInfo = await counted.load(
    { kind: 'files', name: 'no-positions', files },
    { runtimeBase: '', device: 'wasm' },
  );
  const { engine: standard, info: standardInfo } = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  try {
    const lengths = new Set((await Promise.all(mixed.map((p) => standard.encode(p)))).map((r) => r.length));
    assert.ok(lengths.size > 2, 'prompts of several lengths');
    engineIds.set(standard, standardInfo.id);
    engineIds.set(counted, countedInfo.id);
    const together = countBatches(standard);
    await standard.generateBatch(mixed, greedy).finally(together.stop);
    assert.deepEqual(together.sizes, [mixed.length], 'one batch');
    const apart = countBatches(counted);
    await counted.generateBatch(mixed, greedy).finally(apart.stop);
    assert.deepEqual(apart.sizes.length, 1 + lengths.size, 'one batch per prompt length');
  } finally {
    await counted.dispose();
    await standard.dispose();
  }
});
