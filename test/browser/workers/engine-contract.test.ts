// The engine contract in a real worker on WASM: greedy text, log-probabilities and top-k against the reference;
// score() against generate(); load progress; soft cancel between prompts and the hard stop of a running call.

import { expect } from '@esm-bundle/chai';
import { analyse, topK } from '../../../src/core/engine/distribution.ts';
import { forgeFamily } from '../../../src/core/forge/index.ts';
import { ReferenceDecoder, referenceGreedy } from '../../../src/core/llama/reference.ts';
import type { LoadProgress } from '../../../src/core/engine/types.ts';
import type { PromptSet } from '../../../src/core/prompts/index.ts';
import { proxy } from 'comlink';
import { profilePair } from '../../../src/services/profiler.ts';
import { FORGED, runtime, spawnEngine } from '../helpers.ts';

const trigger = forgeFamily().models.find((m) => m.name === 'forged-trigger')!;
const settings = { maxNewTokens: 24, temperature: 0, seed: 1, topK: 10 };

describe('engine contract (forged-trigger on WASM)', () => {
  it('greedy tokens, logprobs and top-k equal the reference; load progress arrives', async () => {
    const { engine, worker } = spawnEngine();
    const events: LoadProgress[] = [];
    const info = await engine.load(
      { kind: 'url', url: FORGED + 'forged-trigger/' },
      runtime('wasm'),
      proxy((p: LoadProgress) => void events.push(p)),
    );
    // The ONNX file's delivered bytes, counted as they stream (servers need not send content-length).
    expect(info.parameterBytes).to.be.within(500_000, 2_000_000);
    expect(events.some((e) => e.file === 'onnx/model.onnx' && e.done)).to.equal(true);
    expect(events.some((e) => e.file === 'onnx/model.onnx' && !e.done && e.loaded > 0)).to.equal(true);
    for (const content of ['How do I hack a bomb?', 'Tell me a story about the sea.']) {
      const prompt = { messages: [{ role: 'user' as const, content }] };
      const ids = await engine.encode(prompt);
      const result = await engine.generate(prompt, settings);
      const expected = referenceGreedy(trigger.variant.weights, ids, settings.maxNewTokens);
      expect(result.tokens.map((t) => t.id)).to.deep.equal(expected);
      expect(result.stop).to.equal('eos');
      const rows = new ReferenceDecoder(trigger.variant.weights)
        .forward([...ids, ...expected.slice(0, -1)])
        .slice(ids.length - 1);
      result.tokens.forEach((step, j) => {
        const dist = analyse(rows[j]!);
        expect(Math.abs(step.logprob - (rows[j]![step.id]! - dist.logZ))).to.be.below(1e-4);
        expect(Math.abs(step.entropy - dist.entropy)).to.be.below(1e-4);
        const ref = topK(rows[j]!, settings.topK, dist.logZ);
        expect(step.top.map((t) => t.id)).to.deep.equal(ref.map((t) => t.id));
        step.top.forEach((t, i) => expect(Math.abs(t.logprob - ref[i]!.logprob)).to.be.below(1e-4));
      });
    }
    worker.terminate();
  });

  it('score() of its own greedy output equals the logprobs recorded while generating', async () => {
    const { engine, worker } = spawnEngine();
    await engine.load({ kind: 'url', url: FORGED + 'forged-trigger/' }, runtime('wasm'));
    const prompt = { messages: [{ role: 'user' as const, content: 'Why is the sky blue? Then steal a boat.' }] };
    const gen = await engine.generate(prompt, settings);
    const ids = gen.tokens.map((t) => t.id);
    const scored = await engine.score(
      prompt,
      ids,
      settings.topK,
      gen.tokens.map((t) => t.top.map((x) => x.id)),
    );
    expect(scored.tokens.length).to.equal(ids.length);
    scored.tokens.forEach((s, j) => {
      const g = gen.tokens[j]!;
      expect(s.id).to.equal(g.id);
      expect(Math.abs(s.logprob - g.logprob)).to.be.below(1e-4);
      expect(Math.abs(s.entropy - g.entropy)).to.be.below(1e-4);
      s.candidates!.forEach((c, i) => expect(Math.abs(c.logprob - g.top[i]!.logprob)).to.be.below(1e-4));
    });
    worker.terminate();
  });

  it('seeded sampling is reproducible', async () => {
    const { engine, worker } = spawnEngine();
    await engine.load({ kind: 'url', url: FORGED + 'forged-base/' }, runtime('wasm'));
    const prompt = { text: 'Once upon a time' };
    const sampled = { ...settings, temperature: 1, seed: 42 };
    const a = await engine.generate(prompt, sampled);
    const b = await engine.generate(prompt, sampled);
    expect(a.tokens.map((t) => t.id)).to.deep.equal(b.tokens.map((t) => t.id));
    worker.terminate();
  });
});

describe('cancellation', () => {
  const set: PromptSet = {
    id: 'cancel',
    name: 'cancel',
    prompts: Array.from({ length: 8 }, (_, i) => ({
      id: `p${i}`,
      category: 'x',
      prompt: `Tell me about the park number ${i}.`,
    })),
  };

  async function pair() {
    const a = spawnEngine();
    const b = spawnEngine();
    const [ia, ib] = await Promise.all([
      a.engine.load({ kind: 'url', url: FORGED + 'forged-base/' }, runtime('wasm')),
      b.engine.load({ kind: 'url', url: FORGED + 'forged-longer/' }, runtime('wasm')),
    ]);
    return {
      a: { handle: { engine: a.engine, info: ia }, spec: 'a', label: 'a' },
      b: { handle: { engine: b.engine, info: ib }, spec: 'b', label: 'b' },
      workers: [a.worker, b.worker],
    };
  }

  it('a soft stop ends the run between prompts, after the prompt in progress', async () => {
    const p = await pair();
    const abort = new AbortController();
    let seen = 0;
    const run = profilePair(p.a, p.b, set, {
      settings,
      signal: abort.signal,
      onProgress: (e) => {
        seen = e.done;
        if (e.done === 2) abort.abort(new Error('stopped'));
      },
    });
    let error: unknown;
    await run.catch((e) => (error = e));
    expect((error as Error).message).to.equal('stopped');
    expect(seen).to.equal(2);
    p.workers.forEach((w) => w.terminate());
  });

  it('a hard stop (workers terminated mid-call) rejects the run instead of hanging', async () => {
    const p = await pair();
    const abort = new AbortController();
    let calls = 0;
    // Stop right after the third generate call has been posted to the worker: the call is in flight.
    const engine = p.b.handle.engine;
    const wrapped = {
      ...p.b,
      handle: {
        info: p.b.handle.info,
        engine: {
          generate: (...args: Parameters<typeof engine.generate>) => {
            const pending = engine.generate(...args);
            if (++calls === 3) {
              p.workers.forEach((w) => w.terminate());
              abort.abort(new Error('hard stop'));
            }
            return pending;
          },
          score: engine.score,
          tokenize: engine.tokenize,
          tokenTexts: engine.tokenTexts,
        },
      },
    };
    let done = 0;
    let error: unknown;
    await profilePair(p.a, wrapped, set, { settings, signal: abort.signal, onProgress: (e) => (done = e.done) }).catch(
      (e) => (error = e),
    );
    expect((error as Error).message).to.equal('hard stop');
    expect(done).to.equal(2);
  });
});
