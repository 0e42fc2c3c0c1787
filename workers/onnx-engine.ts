// The ONNX engine: transformers.js (over onnxruntime-web, WebGPU or WASM) for files, tokenizer and chat template,
// and our own decode loop over full-logit forward passes for exact log-probabilities, entropy and top-k.
// Runs inside a dedicated worker: one model per worker, so transformers.js's global env is this model's alone.

import {
  AutoModelForCausalLM,
  AutoTokenizer,
  DynamicCache,
  Tensor,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import { analyse, decodeStep, topK } from '../src/core/engine/distribution.ts';
import type {
  GenerationResult,
  GenerationSettings,
  LoadProgress,
  ModelInfo,
  ModelSource,
  PromptInput,
  ScoreResult,
  ScoredStep,
  TokenStep,
} from '../src/core/engine/types.ts';
import { CapabilityError, decideOn, pickDevice, type GpuFacts, type OnnxDevice } from '../src/core/capabilities.ts';
import { onnxFileOf, type OnnxDtype } from '../src/core/onnx-dtypes.ts';
import { fnv1a64 } from '../src/core/prompts/hash.ts';
import { createRng } from '../src/core/random.ts';
import { encodePrompt, idTexts } from './prompt-tokens.ts';
import type { EngineApi, RuntimeOptions } from './engine-api.ts';
import { readGpuFacts } from './gpu-facts.ts';
import { cachingFetch } from './model-cache.ts';
import { ModelLoadError, explainOnnxFailure, noWeights, preflight, probeWeights } from './preflight.ts';
import {
  VIRTUAL_ROOT,
  counting,
  lazyBodies,
  mount,
  resolveVirtual,
  resolverFor,
  sourceId,
  unmount,
  type Resolver,
} from './model-files.ts';

type Outputs = Record<string, Tensor>;

export class OnnxEngine implements EngineApi {
  #model: PreTrainedModel | null = null;
  #tokenizer: PreTrainedTokenizer | null = null;
  #info: ModelInfo | null = null;
  #mountId: string | null = null;
  #steps: { cache: DynamicCache; length: number } | null = null;
  /** Told when the WebGPU device this model runs on is lost (GPU process crash, driver reset, out of memory). */
  onDeviceLost: ((message: string) => void) | null = null;

  async load(source: ModelSource, options: RuntimeOptions, onProgress?: (p: LoadProgress) => void): Promise<ModelInfo> {
    await this.dispose();
    const sizes = new Map<string, number>();
    const cache = cachingFetch(sourceId(source));
    const resolver = counting(
      await resolverFor(source, { fetch: cache.fetch, ...(onProgress ? { onProgress } : {}) }),
      sizes,
    );
    const gpu = isNode() ? { adapter: null, deviceMemoryGiB: null } : await readGpuFacts();
    const { device, notes: deviceNotes } = chooseDevice(options.device, gpu);
    configureRuntime(options, device);
    const where = sourceLabel(source);
    const checked = await preflight(resolver, where);
    const weights = await chooseWeights(resolver, where, source.dtype ?? 'auto', device, gpu, checked.declared);
    const id = mount(lazyBodies(resolver));
    this.#mountId = id;
    const progress_callback = (e: { status: string; file?: string; loaded?: number; total?: number }) => {
      if (!onProgress || !e.file) return;
      if (e.status === 'progress')
        onProgress({ file: e.file, loaded: e.loaded ?? 0, total: e.total ?? 0, done: false });
      if (e.status === 'done') onProgress({ file: e.file, loaded: -1, total: -1, done: true });
    };
    const tokenizer = await AutoTokenizer.from_pretrained(id, { progress_callback });
    const model = await AutoModelForCausalLM.from_pretrained(id, {
      dtype: weights.dtype,
      device,
      progress_callback,
    }).catch((e: unknown) => {
      throw explainOnnxFailure(e, where, onnxFileOf(weights.dtype));
    });
    const config = model.config as unknown as Record<string, unknown>;
    const tokenizerJson = checked.tokenizer as { model?: { vocab?: Record<string, number> } };
    const vocab = Object.entries(tokenizerJson.model?.vocab ?? {}).sort((a, b) => a[1] - b[1]);
    const eos = config['eos_token_id'];
    const onnxBytes = [...sizes].reduce((sum, [path, n]) => (path.startsWith('onnx/') ? sum + n : sum), 0);
    const configText = await (await resolver('config.json')).text();
    const tokenizerFingerprint = fnv1a64(vocab.map(([t]) => t).join('\u0000'));
    if (device === 'webgpu') await this.#watchDevice(model);
    this.#model = model;
    this.#tokenizer = tokenizer;
    this.#info = {
      id: sourceId(source),
      engine: 'onnx',
      architecture: String(config['model_type'] ?? 'unknown'),
      vocabSize: Number(config['vocab_size'] ?? vocab.length),
      tokenizerFingerprint,
      dtype: weights.dtype,
      device,
      hasChatTemplate: Boolean(tokenizer.chat_template),
      eosTokenIds: Array.isArray(eos) ? eos.map(Number) : eos === undefined ? [] : [Number(eos)],
      parameterBytes: onnxBytes,
      fingerprint: fnv1a64([configText, tokenizerFingerprint, String(onnxBytes), weights.dtype, device].join('\u0000')),
      notes: [...deviceNotes, ...weights.notes, ...(await cache.settle())],
    };
    return this.#info;
  }

  async encode(prompt: PromptInput): Promise<number[]> {
    return encodePrompt(this.#ready().tokenizer, prompt);
  }

  async decode(ids: number[]): Promise<string> {
    return this.#ready().tokenizer.decode(ids, { skip_special_tokens: true });
  }

  async tokenize(text: string): Promise<number[]> {
    return this.#ready().tokenizer.encode(text, { add_special_tokens: false });
  }

  async tokenTexts(ids: number[]): Promise<string[]> {
    return idTexts(this.#ready().tokenizer, ids);
  }

  async generate(prompt: PromptInput, settings: GenerationSettings): Promise<GenerationResult> {
    const { info } = this.#ready();
    const promptTokens = await this.encode(prompt);
    const rng = createRng(settings.seed);
    const t0 = performance.now();
    const cache = new DynamicCache();
    let logits = lastRow(await this.#forward(promptTokens, cache, promptTokens.length));
    const prefillMs = performance.now() - t0;
    const steps: TokenStep[] = [];
    let stop: GenerationResult['stop'] = 'length';
    const t1 = performance.now();
    while (steps.length < settings.maxNewTokens) {
      const step = decodeStep(logits, settings, rng);
      const id = step.id;
      steps.push(step);
      if (info.eosTokenIds.includes(id)) {
        stop = 'eos';
        break;
      }
      if (steps.length === settings.maxNewTokens) break;
      logits = lastRow(await this.#forward([id], cache, promptTokens.length + steps.length));
    }
    disposeCache(cache);
    const decodeMs = performance.now() - t1;
    const ids = steps.map((s) => s.id);
    return {
      promptTokens,
      tokens: steps,
      text: await this.decode(ids),
      stop,
      timings: { prefillMs, decodeMs, tokensPerSecond: steps.length > 0 ? (steps.length / decodeMs) * 1000 : 0 },
    };
  }

  async score(prompt: PromptInput, continuation: number[], k: number, candidates?: number[][]): Promise<ScoreResult> {
    const promptTokens = await this.encode(prompt);
    if (continuation.length === 0) return { promptTokens, tokens: [] };
    const all = [...promptTokens, ...continuation];
    const cache = new DynamicCache();
    const out = await this.#forward(all, cache, all.length);
    disposeCache(cache);
    const V = out.dims[2]!;
    const data = out.data as Float32Array;
    const tokens = continuation.map((id, j) => {
      const row = data.subarray((promptTokens.length - 1 + j) * V, (promptTokens.length + j) * V);
      const dist = analyse(row);
      const step: ScoredStep = {
        id,
        logprob: row[id]! - dist.logZ,
        entropy: dist.entropy,
        top: topK(row, k, dist.logZ),
      };
      const wanted = candidates?.[j];
      if (wanted) step.candidates = wanted.map((c) => ({ id: c, logprob: row[c]! - dist.logZ }));
      return step;
    });
    return { promptTokens, tokens };
  }

  async logits(ids: number[], chunks: number[] = [ids.length]): Promise<Float32Array> {
    const { info } = this.#ready();
    if (chunks.reduce((a, b) => a + b, 0) !== ids.length)
      throw new Error('logits(): chunk sizes must add up to ids.length.');
    const out = new Float32Array(ids.length * info.vocabSize);
    const cache = new DynamicCache();
    let done = 0;
    for (const n of chunks) {
      const t = await this.#forward(ids.slice(done, done + n), cache, done + n);
      out.set(t.data as Float32Array, done * info.vocabSize);
      done += n;
    }
    disposeCache(cache);
    return out;
  }

  async beginSteps(prompt: PromptInput): Promise<{ promptTokens: number[]; logits: Float32Array }> {
    await this.endSteps();
    const promptTokens = await this.encode(prompt);
    const cache = new DynamicCache();
    const logits = lastRow(await this.#forward(promptTokens, cache, promptTokens.length));
    this.#steps = { cache, length: promptTokens.length };
    return { promptTokens, logits };
  }

  async step(id: number): Promise<Float32Array> {
    const s = this.#steps;
    if (!s) throw new Error('step() before beginSteps(): start step-by-step decoding with a prompt first.');
    s.length += 1;
    return lastRow(await this.#forward([id], s.cache, s.length));
  }

  async endSteps(): Promise<void> {
    if (this.#steps) disposeCache(this.#steps.cache);
    this.#steps = null;
  }

  async dispose(): Promise<void> {
    await this.endSteps();
    await this.#model?.dispose();
    if (this.#mountId) unmount(this.#mountId);
    this.#mountId = null;
    this.#model = null;
    this.#tokenizer = null;
    this.#info = null;
  }

  /**
   * onnxruntime-web publishes the GPUDevice its sessions share once one exists. A lost device never comes back:
   * every later run fails or never settles, so the page is told at once (and a model that is already disposed is
   * not worth a word).
   */
  async #watchDevice(model: PreTrainedModel): Promise<void> {
    const webgpu = (env.backends.onnx as { webgpu?: { device?: unknown } }).webgpu;
    // The part of GPUDevice used here (TypeScript's DOM library has no WebGPU types).
    const device = (await webgpu?.device) as { lost?: Promise<{ reason: string; message: string }> } | undefined;
    void device?.lost?.then((info) => {
      if (this.#model !== model) return;
      const why = info.message || 'no reason given';
      this.onDeviceLost?.(info.reason === 'destroyed' ? `the device was destroyed (${why})` : why);
    });
  }

  /** One forward pass of `ids` after the cached context; updates the cache in place and returns the logits. */
  async #forward(ids: number[], cache: DynamicCache, totalLength: number): Promise<Tensor> {
    const { model } = this.#ready();
    const out = (await model({
      input_ids: new Tensor(
        'int64',
        BigInt64Array.from(ids, (x) => BigInt(x)),
        [1, ids.length],
      ),
      attention_mask: new Tensor('int64', new BigInt64Array(totalLength).fill(1n), [1, totalLength]),
      past_key_values: cache.get_seq_length() > 0 ? cache : null,
    })) as Outputs;
    const next: Outputs = {};
    for (const [name, tensor] of Object.entries(out)) {
      if (name.startsWith('present')) next[name.replace('present', 'past_key_values')] = tensor;
    }
    cache.update(next);
    const logits = out['logits']!;
    // 16-bit models give 16-bit logits; every consumer reads Float32Array rows.
    return logits.type === 'float32' ? logits : logits.to('float32');
  }

  #ready() {
    if (!this.#model || !this.#tokenizer || !this.#info)
      throw new Error('No model is loaded in this worker: call load() first.');
    return { model: this.#model, tokenizer: this.#tokenizer, info: this.#info };
  }
}

function lastRow(t: Tensor): Float32Array {
  const [, n, V] = t.dims as [number, number, number];
  return (t.data as Float32Array).slice((n - 1) * V, n * V);
}

function disposeCache(cache: DynamicCache): void {
  for (const t of Object.values(cache as unknown as Record<string, Tensor>)) t.dispose?.();
}

function isNode(): boolean {
  return Boolean((globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node);
}

function chooseDevice(wanted: RuntimeOptions['device'], gpu: GpuFacts): { device: OnnxDevice; notes: string[] } {
  // Outside a browser (Node scripts and benchmarks) transformers.js runs onnxruntime-node on the CPU.
  if (isNode()) return { device: 'cpu', notes: [] };
  // 'auto' skips a software (fallback) adapter such as SwiftShader: it emulates the GPU on the CPU and is far slower
  // than WASM, so only a hardware adapter is worth using.
  try {
    return pickDevice(gpu, wanted);
  } catch (e) {
    throw e instanceof CapabilityError ? new ModelLoadError(e.message) : e;
  }
}

/** The weight format to load: the one asked for when it exists and can run here, else the best for the device. */
async function chooseWeights(
  resolver: Resolver,
  where: string,
  wanted: OnnxDtype | 'auto',
  device: OnnxDevice,
  gpu: GpuFacts,
  declared: OnnxDtype | null,
): Promise<{ dtype: OnnxDtype; notes: string[] }> {
  const only = wanted === 'auto' ? undefined : wanted;
  let available = await probeWeights(resolver, where, only);
  if (only && available[only] === undefined) available = await probeWeights(resolver, where);
  if (Object.keys(available).length === 0) throw noWeights(where);
  const d = decideOn('onnx', device, available, gpu, { dtype: wanted, declared });
  if (!d.ok || !d.dtype) throw new ModelLoadError(`Cannot load ${where} here: ${d.notes.join(' ')}`);
  return { dtype: d.dtype as OnnxDtype, notes: d.notes };
}

function configureRuntime(options: RuntimeOptions, device: string): void {
  const base = options.runtimeBase.endsWith('/') ? options.runtimeBase : `${options.runtimeBase}/`;
  const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } };
  if (onnx.wasm && device !== 'cpu') {
    onnx.wasm.wasmPaths = {
      mjs: `${base}ort-wasm-simd-threaded.asyncify.mjs`,
      wasm: `${base}ort-wasm-simd-threaded.asyncify.wasm`,
    };
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    onnx.wasm.numThreads = isolated
      ? Math.max(1, Math.min(options.threads ?? 4, navigator.hardwareConcurrency ?? 1))
      : 1;
  }
  env.useFS = false; // Node: read through env.fetch below, never the disk
  env.useWasmCache = false; // the runtime comes from our own origin and the HTTP cache; no blob: URLs (CSP)
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.useBrowserCache = false;
  env.localModelPath = VIRTUAL_ROOT;
  const realFetch = globalThis.fetch.bind(globalThis);
  env.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return resolveVirtual(url, init) ?? realFetch(input, init);
  }) as typeof fetch;
}

/** How error messages name a source: the folder URL, or the name of files the page holds. */
function sourceLabel(source: ModelSource): string {
  switch (source.kind) {
    case 'url':
      return source.url.endsWith('/') ? source.url : `${source.url}/`;
    case 'hub':
      return `hf:${source.repo}/`;
    default:
      return `${source.name}/`;
  }
}
