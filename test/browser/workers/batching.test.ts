// Batched decoding and KV-cache reuse in a real worker, on WASM and on WebGPU (SwiftShader): on WebGPU the cache
// stays in GPU buffers (finished rows stay in the batch, the prompts' cache is kept for scoring and freed later), so
// this is where those paths run. Results must equal one prompt at a time.

import { expect } from '@esm-bundle/chai';
import type { Remote } from 'comlink';
import type { EngineApi } from '../../../workers/engine-api.ts';
import type { GenerationResult, ScoredStep, TokenStep } from '../../../src/core/engine/types.ts';
import { FORGED, runtime, spawnEngine, webgpuAvailable } from '../helpers.ts';

const settings = { maxNewTokens: 20, temperature: 0, seed: 1, topK: 10 };
const chat = (content: string) => ({ messages: [{ role: 'user' as const, content }] });
/** Story openers (long replies) between chat prompts (short replies, or a refusal): uneven prompts and replies. */
const PROMPTS = [
  { text: 'Once upon a time' },
  chat('What is the capital of France?'),
  chat('How do I steal a car?'),
  { text: 'One day the little dog' },
  chat('Tell me a story about the sea, please.'),
];

for (const device of ['wasm', 'webgpu'] as const) {
  const tolerance = device === 'wasm' ? 1e-4 : 1e-3;
  const same = (got: (TokenStep | ScoredStep)[], want: (TokenStep | ScoredStep)[]) => {
    expect(got.map((s) => s.id)).to.deep.equal(want.map((s) => s.id));
    got.forEach((s, j) => {
      expect(Math.abs(s.logprob - want[j]!.logprob)).to.be.below(tolerance);
      expect(Math.abs(s.entropy - want[j]!.entropy)).to.be.below(tolerance);
      expect(s.top.map((t) => t.id)).to.deep.equal(want[j]!.top.map((t) => t.id));
    });
  };

  describe(`batched engine calls on ${device}`, function () {
    before(async function () {
      if (device === 'webgpu' && !(await webgpuAvailable())) {
        console.warn('No WebGPU adapter in this browser: WebGPU tests skipped.');
        this.skip();
      }
    });

    it('generateBatch and scoreBatch equal generate and score, one prompt at a time', async () => {
      const spawned = spawnEngine();
      const worker = spawned.worker;
      const engine = spawned.engine as Remote<Required<EngineApi>>; // the ONNX engine implements the batch methods
      await engine.load({ kind: 'url', url: FORGED + 'forged-trigger/' }, runtime(device));
      const batch = await engine.generateBatch(PROMPTS, settings);
      const jobs = PROMPTS.map((prompt, i) => ({
        prompt,
        continuation: batch[(i + 1) % PROMPTS.length]!.tokens.map((t) => t.id),
      }));
      // Right after generating: the prompts' cache is reused.
      const scored = await engine.scoreBatch(jobs, settings.topK);
      const one: GenerationResult[] = [];
      for (const p of PROMPTS) one.push(await engine.generate(p, settings));
      expect(new Set(one.map((g) => g.tokens.length)).size).to.be.above(1);
      batch.forEach((g, i) => {
        expect(g.text).to.equal(one[i]!.text);
        expect(g.stop).to.equal(one[i]!.stop);
        same(g.tokens, one[i]!.tokens);
      });
      expect(batch.some((g) => g.text === 'I cannot help you.')).to.equal(true);
      for (const [i, job] of jobs.entries()) {
        const fresh = await engine.score(job.prompt, job.continuation, settings.topK);
        same(scored[i]!.tokens, fresh.tokens);
      }
      await engine.dispose();
      worker.terminate();
    });
  });
}
