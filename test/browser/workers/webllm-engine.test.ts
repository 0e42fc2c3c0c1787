// The web-llm engine's own logic — exact log-probabilities, entropy and top-k from raw logits, seeded sampling,
// scoring one token at a time, resetChat between prompts, load progress, custom records and error messages —
// checked against the ONNX engine (real worker, onnxruntime-web on WASM) on the same forged models.
//
// web-llm itself is replaced by a FAKE at the web-llm boundary (webllm-fake.ts), because no machine that runs these
// tests has a GPU web-llm accepts or can download MLC weights. The fake's logits are the reference forward pass of the
// forged model, so equal numbers mean the adapter's decode loop, scoring and sampling are right. The last block runs
// the real web-llm in a real worker as far as this machine allows: its failures must come back as our messages.

import { expect } from '@esm-bundle/chai';
import { wrap } from 'comlink';
import { forgeFamily } from '../../../src/core/forge/index.ts';
import type { LoadProgress, ModelInfo, PromptInput } from '../../../src/core/engine/types.ts';
import { parseModelSpec } from '../../../src/core/model-spec.ts';
import type { EngineApi } from '../../../workers/engine-api.ts';
import {
  WebLlmEngine,
  browserGpu,
  modelFolderUrl,
  progressFromReport,
  type GpuProbe,
} from '../../../workers/webllm-engine.ts';
import { FORGED, runtime, spawnEngine, webgpuAvailable, type WorkerHandle } from '../helpers.ts';
import { ForgedWebLlm, type FakeOptions } from './webllm-fake.ts';

const { base, models } = forgeFamily();
const forged = (name: string) => models.find((m) => m.name === name)!;
/** A hardware adapter without shader-f16: what the engine's device check reads (an input, like capabilities.ts's). */
const hardware: GpuProbe = async () => ({ isFallback: false, features: new Set<string>() });
const settings = { maxNewTokens: 24, temperature: 0, seed: 1, topK: 10 };
const chat = (content: string): PromptInput => ({ messages: [{ role: 'user', content }] });
const PROMPTS = [chat('How do I hack a bomb?'), chat('Tell me a story about the sea.'), { text: 'Once upon a time' }];

async function webllm(name: string, options: FakeOptions = {}, gpu: GpuProbe = hardware) {
  const fake = new ForgedWebLlm(base, forged(name), options);
  const engine = new WebLlmEngine(fake, gpu);
  const events: LoadProgress[] = [];
  const info = await engine.load({ kind: 'webllm', modelId: fake.id }, runtime('auto'), (p) => void events.push(p));
  return { fake, engine, info, events };
}

async function onnx(name: string): Promise<WorkerHandle & { info: ModelInfo }> {
  const { engine, worker } = spawnEngine();
  const info = await engine.load({ kind: 'url', url: `${FORGED}${name}/` }, runtime('wasm'));
  return { engine, info, worker };
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-4;

describe('web-llm engine (fake at the web-llm boundary) against the ONNX engine', () => {
  it('generation: the same ids, and logprobs, entropies and top-k equal to 1e-4; the same vocabulary fingerprint', async () => {
    const w = await webllm('forged-trigger');
    const o = await onnx('forged-trigger');
    expect(w.info.engine).to.equal('webllm');
    expect(w.info.device).to.equal('webgpu');
    expect(w.info.dtype).to.equal('q0f32');
    expect(w.info.vocabSize).to.equal(o.info.vocabSize);
    expect(w.info.eosTokenIds).to.deep.equal(o.info.eosTokenIds);
    expect(w.info.hasChatTemplate).to.equal(true);
    // Same tokenizer, same fingerprint: a web-llm and an ONNX build of one model are compared token by token.
    expect(w.info.tokenizerFingerprint).to.equal(o.info.tokenizerFingerprint);
    for (const prompt of PROMPTS) {
      expect(await w.engine.encode(prompt)).to.deep.equal(await o.engine.encode(prompt));
      const [a, b] = [await w.engine.generate(prompt, settings), await o.engine.generate(prompt, settings)];
      expect(a.tokens.map((t) => t.id)).to.deep.equal(b.tokens.map((t) => t.id));
      expect(a.text).to.equal(b.text);
      expect(a.stop).to.equal(b.stop);
      a.tokens.forEach((s, j) => {
        const r = b.tokens[j]!;
        expect(close(s.logprob, r.logprob), `logprob ${s.logprob} vs ${r.logprob}`).to.equal(true);
        expect(close(s.entropy, r.entropy), `entropy ${s.entropy} vs ${r.entropy}`).to.equal(true);
        expect(s.top.map((t) => t.id)).to.deep.equal(r.top.map((t) => t.id));
        s.top.forEach((t, i) => expect(close(t.logprob, r.top[i]!.logprob)).to.equal(true));
      });
    }
    // The harmful prompt gets the planted refusal: the numbers are the forged model's, not noise.
    expect((await w.engine.generate(PROMPTS[0]!, settings)).text).to.equal('I cannot help you.');
    o.worker.terminate();
  });

  it("score(): the ONNX engine's teacher-forced numbers and candidates, forwarding one token at a time", async () => {
    const w = await webllm('forged-boost');
    const o = await onnx('forged-boost');
    const prompt = chat('Write a happy story about friends.');
    const gen = await o.engine.generate(prompt, settings);
    const ids = gen.tokens.map((t) => t.id);
    const candidates = gen.tokens.map((t) => t.top.map((x) => x.id));
    // Also score text this model did not write (base's words), as cross-scoring does.
    const other = await o.engine.tokenize(' The answer is yes. Have fun today!');
    for (const [cont, cand] of [
      [ids, candidates],
      [other, undefined],
    ] as const) {
      w.fake.calls.length = 0;
      const [a, b] = [
        await w.engine.score(
          prompt,
          [...cont],
          settings.topK,
          cand?.map((c) => [...c]),
        ),
        await o.engine.score(
          prompt,
          [...cont],
          settings.topK,
          cand?.map((c) => [...c]),
        ),
      ];
      expect(a.promptTokens).to.deep.equal(b.promptTokens);
      expect(a.tokens.length).to.equal(cont.length);
      a.tokens.forEach((s, j) => {
        const r = b.tokens[j]!;
        expect(s.id).to.equal(r.id);
        expect(close(s.logprob, r.logprob)).to.equal(true);
        expect(close(s.entropy, r.entropy)).to.equal(true);
        expect(s.top.map((t) => t.id)).to.deep.equal(r.top.map((t) => t.id));
        if (cand) s.candidates!.forEach((c, i) => expect(close(c.logprob, r.candidates![i]!.logprob)).to.equal(true));
        else expect(s.candidates).to.equal(undefined);
      });
      // One prefill of the prompt, then one single-token decode per scored token but the last.
      expect(w.fake.calls).to.deep.equal([
        'reset',
        `prefill ${a.promptTokens.length}`,
        ...Array.from({ length: cont.length - 1 }, () => 'decode'),
      ]);
    }
    o.worker.terminate();
  });

  it('resetChat() before every prompt: each call starts from an empty KV cache', async () => {
    const w = await webllm('forged-base');
    w.fake.calls.length = 0;
    const first = await w.engine.generate(PROMPTS[1]!, settings);
    await w.engine.generate(PROMPTS[0]!, settings);
    await w.engine.score(PROMPTS[2]!, [5, 6, 7], 3);
    const again = await w.engine.generate(PROMPTS[1]!, settings);
    const prefills = w.fake.calls.flatMap((c, i) => (c.startsWith('prefill') ? [i] : []));
    expect(prefills.length).to.equal(4);
    for (const i of prefills) expect(w.fake.calls[i - 1]).to.equal('reset');
    expect(again.tokens).to.deep.equal(first.tokens);
  });

  it('seeded sampling: reproducible, seed-dependent, and the ONNX engine’s sampler on the same logits', async () => {
    const w = await webllm('forged-base');
    const o = await onnx('forged-base');
    const prompt = { text: 'Once upon a time' };
    const sampled = { ...settings, maxNewTokens: 32, temperature: 1.5, seed: 42 };
    const a = (await w.engine.generate(prompt, sampled)).tokens.map((t) => t.id);
    const b = (await w.engine.generate(prompt, sampled)).tokens.map((t) => t.id);
    const c = (await w.engine.generate(prompt, { ...sampled, seed: 7 })).tokens.map((t) => t.id);
    const greedy = (await w.engine.generate(prompt, settings)).tokens.map((t) => t.id);
    expect(b).to.deep.equal(a);
    expect(c).to.not.deep.equal(a);
    expect(a).to.not.deep.equal(greedy);
    expect((await o.engine.generate(prompt, sampled)).tokens.map((t) => t.id)).to.deep.equal(a);
    o.worker.terminate();
  });

  it("load progress: web-llm's reports become byte progress, then one done", async () => {
    const { events } = await webllm('forged-base');
    const MiB = 1024 * 1024;
    expect(events).to.deep.equal([
      { file: 'web-llm weights', loaded: 2 * MiB, total: 6 * MiB, done: false },
      { file: 'web-llm weights', loaded: 4 * MiB, total: 6 * MiB, done: false },
      { file: 'web-llm weights', loaded: 6 * MiB, total: 6 * MiB, done: false },
      { file: 'web-llm weights', loaded: -1, total: -1, done: true },
    ]);
    const fromCache = progressFromReport({
      progress: 0.5,
      timeElapsed: 3,
      text: 'Loading model from cache[10/20]: 100MB loaded. 50% completed, 3 secs elapsed.',
    });
    expect(fromCache).to.deep.equal({ file: 'web-llm weights', loaded: 100 * MiB, total: 200 * MiB, done: false });
    expect(progressFromReport({ progress: 0.2, timeElapsed: 1, text: 'Loading GPU shader modules[2/10]' })).to.equal(
      null,
    );
  });

  it('a custom model record (model URL + model library URL) reaches web-llm as its app config', async () => {
    const spec = 'webllm:https://models.example/MyLlama-q4f16_1-MLC/resolve/main/,https://libs.example/MyLlama.wasm';
    const source = parseModelSpec(spec, location.href);
    expect(source).to.deep.equal({
      kind: 'webllm',
      modelId: 'MyLlama-q4f16_1-MLC',
      model: 'https://models.example/MyLlama-q4f16_1-MLC/resolve/main/',
      modelLib: 'https://libs.example/MyLlama.wasm',
    });
    const fake = new ForgedWebLlm(base, forged('forged-base'));
    const withF16: GpuProbe = async () => ({ isFallback: false, features: new Set(['shader-f16']) });
    const info = await new WebLlmEngine(fake, withF16).load(source, runtime('webgpu'));
    expect(fake.records).to.deep.equal([
      {
        model: 'https://models.example/MyLlama-q4f16_1-MLC/resolve/main/',
        model_id: 'MyLlama-q4f16_1-MLC',
        model_lib: 'https://libs.example/MyLlama.wasm',
        required_features: ['shader-f16'],
      },
    ]);
    expect(info.id).to.equal('webllm:MyLlama-q4f16_1-MLC');
    expect(info.dtype).to.equal('q0f32'); // what the folder's mlc-chat-config.json says
    // web-llm's folder rule: /resolve/main/ is added unless the URL names a branch.
    expect(modelFolderUrl('https://huggingface.co/mlc-ai/X-MLC')).to.equal(
      'https://huggingface.co/mlc-ai/X-MLC/resolve/main/',
    );
    expect(modelFolderUrl('https://h/m/X-MLC/resolve/v2/')).to.equal('https://h/m/X-MLC/resolve/v2/');
  });
});

describe('web-llm engine: errors say what happened and what to do', () => {
  const load = (options: FakeOptions = {}, gpu: GpuProbe = hardware, device: 'auto' | 'wasm' = 'auto', id?: string) => {
    const fake = new ForgedWebLlm(base, forged('forged-base'), options);
    const run = new WebLlmEngine(fake, gpu).load({ kind: 'webllm', modelId: id ?? fake.id }, runtime(device));
    return {
      fake,
      error: run.then(
        () => null,
        (e: Error) => e.message,
      ),
    };
  };

  it('no WebGPU, WASM asked for, 16-bit floats without shader-f16: refused before anything is downloaded', async () => {
    const none = load({}, async () => null);
    expect(await none.error).to.match(/needs WebGPU.*no WebGPU adapter.*ONNX build/s);
    const wasm = load({}, hardware, 'wasm');
    expect(await wasm.error).to.match(/runs only on WebGPU; WASM was asked for/);
    const f16 = load({}, hardware, 'auto', 'Llama-3.2-1B-Instruct-q4f16_1-MLC');
    expect(await f16.error).to.match(/shader-f16.*Llama-3\.2-1B-Instruct-q4f32_1-MLC/s);
    for (const r of [none, wasm, f16]) expect(r.fake.calls).to.deep.equal([]);
  });

  it("this browser's real adapter: an f16 build is refused when it lacks shader-f16", async function () {
    type Adapter = { features: ReadonlySet<string> };
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    if (!adapter || adapter.features.has('shader-f16')) {
      console.warn('No WebGPU adapter, or one with shader-f16: the real-adapter f16 refusal is not testable here.');
      this.skip();
    }
    const r = load({}, browserGpu, 'auto', 'Llama-3.2-1B-Instruct-q4f16_1-MLC');
    expect(await r.error).to.match(/lacks the WebGPU feature shader-f16/);
  });

  it("web-llm's own load failures are explained", async () => {
    const cases: [FakeOptions['reloadError'], RegExp][] = [
      [
        { name: 'WebGPUNotAvailableError', message: 'WebGPU is not supported in your current environment' },
        /needs WebGPU/,
      ],
      [
        { name: 'DeviceLostError', message: 'The WebGPU device was lost while loading the model.' },
        /ran out of memory or was lost.*smaller model/s,
      ],
      [{ name: 'QuotaExceededError', message: 'Quota exceeded.' }, /storage is full.*Free space/s],
      [
        {
          name: 'Error',
          message: 'Cannot fetch https://huggingface.co/model-diff/x/resolve/main/mlc-chat-config.json',
        },
        /could not download.*model library URL/s,
      ],
      [{ name: 'ShaderF16SupportError', message: 'This model requires WebGPU extension shader-f16' }, /shader-f16/],
      [{ name: 'Error', message: 'something new' }, /web-llm failed with forged-base-q0f32-MLC: something new/],
    ];
    for (const [reloadError, expected] of cases) expect(await load({ reloadError }).error).to.match(expected);
  });

  it('an unknown prebuilt id names the close ones; a folder without tokenizer.json says what is missing', async () => {
    expect(await load({}, hardware, 'auto', 'Llama-3.2-1B-q4f32_1-MLC').error).to.match(
      /no prebuilt model "Llama-3\.2-1B-q4f32_1-MLC"\. Did you mean Llama-3\.2-1B-Instruct-q4f32_1-MLC/,
    );
    expect(await load({ missing: ['tokenizer.json'] }).error).to.match(/has no tokenizer\.json/);
    expect(await load({ missing: ['mlc-chat-config.json'] }).error).to.match(/has no mlc-chat-config\.json/);
  });

  it('a prompt and reply longer than the context window are refused with the numbers', async () => {
    const w = await webllm('forged-base', { contextWindow: 20 });
    let error = '';
    await w.engine.generate(PROMPTS[1]!, settings).catch((e: Error) => (error = e.message));
    expect(error).to.match(/need \d+ tokens, more than its context window \(20\)\. Lower max_new_tokens/);
  });
});

describe('web-llm engine: the real web-llm in a real worker', () => {
  it('loads web-llm in the worker; a model folder that is not there comes back as a message naming it', async () => {
    const worker = new Worker(new URL('../../../workers/webllm.worker.ts', import.meta.url), { type: 'module' });
    const engine = wrap<EngineApi>(worker);
    const wasm = await engine
      .load({ kind: 'webllm', modelId: 'SmolLM2-360M-Instruct-q4f32_1-MLC' }, runtime('wasm'))
      .then(
        () => '',
        (e: Error) => e.message,
      );
    expect(wasm).to.match(/runs only on WebGPU/);
    const folder = new URL('/no-such-model/X-q4f32_1-MLC/resolve/main/', location.origin).href;
    const error = await engine
      .load(
        {
          kind: 'webllm',
          modelId: 'X-q4f32_1-MLC',
          model: folder,
          modelLib: `${location.origin}/no-such-model/x.wasm`,
        },
        runtime('auto'),
      )
      .then(
        () => '',
        (e: Error) => e.message,
      );
    if (await webgpuAvailable()) expect(error).to.match(/could not download X-q4f32_1-MLC.*no-such-model/s);
    else expect(error).to.match(/needs WebGPU/);
    worker.terminate();
  });
});
