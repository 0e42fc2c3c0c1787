// The ONNX engine: transformers.js (over onnxruntime-web, WebGPU or WASM) for files, tokenizer and chat template,
// and our own decode loop over full-logit forward passes for exact log-probabilities, entropy and top-k.
// Runs inside a dedicated worker: one model per worker, so transformers.js's global env is this model's alone.
// Its parts: onnx-runtime.ts (device, weight format, runtime setup), kv-batch.ts (caches and batches), taps.ts and
// engine-taps.ts (activation taps, steering and the logit lens), weights.ts (weights for the weight diff).

import {
  AutoModelForCausalLM,
  AutoTokenizer,
  DynamicCache,
  Tensor,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import type {
  GenerationResult,
  GenerationSettings,
  LoadProgress,
  ModelInfo,
  ModelSource,
  PromptInput,
  ScoreResult,
} from '../src/core/engine/types.ts';
import { onnxFileOf } from '../src/core/onnx-dtypes.ts';
import { fnv1a64 } from '../src/core/prompts/hash.ts';
import { encodePrompt, idTexts } from './prompt-tokens.ts';
import type {
  ActivationRequest,
  Activations,
  EngineApi,
  LensResult,
  RuntimeOptions,
  ScoreRequest,
  SteeringRequest,
  TapLayout,
} from './engine-api.ts';
import { readGpuFacts } from './gpu-facts.ts';
import { cachingFetch } from './model-cache.ts';
import { explainOnnxFailure, preflight, undeclaredExternalData } from './preflight.ts';
import { counting, lazyBodies, mount, resolverFor, sourceId, unmount } from './model-files.ts';
import { serveWeights, weightSource } from './weights.ts';
import { weightsDigest } from './model-bytes.ts';
import type { WeightSource } from '../src/core/internals/onnx-weights.ts';
import { disposeCache, lastRow } from './kv-batch.ts';
import { chooseDevice, chooseWeights, configureRuntime, isNode, sourceLabel } from './onnx-runtime.ts';
import { EngineTaps } from './engine-taps.ts';
import { BatchedDecoder } from './batched-decoder.ts';
import { transfer } from 'comlink';

type Outputs = Record<string, Tensor>;

export class OnnxEngine implements EngineApi {
  #model: PreTrainedModel | null = null;
  #tokenizer: PreTrainedTokenizer | null = null;
  #info: ModelInfo | null = null;
  #mountId: string | null = null;
  #steps: { cache: DynamicCache; length: number } | null = null;
  /** The loaded model file's weights, read again (one tensor at a time) only when the weight diff asks. */
  #weights: WeightSource | null = null;
  /** Told when the WebGPU device this model runs on is lost (GPU process crash, driver reset, out of memory). */
  onDeviceLost: ((message: string) => void) | null = null;
  #batches: BatchedDecoder | null = null;
  #taps: EngineTaps | null = null;
  /** See BatchedDecoder.BATCH_BYTES (settable for tests). */
  static get BATCH_BYTES(): number {
    return BatchedDecoder.BATCH_BYTES;
  }
  static set BATCH_BYTES(bytes: number) {
    BatchedDecoder.BATCH_BYTES = bytes;
  }

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
    // Optimum writes model.onnx_data without declaring it in config.json; transformers.js then never fetches it.
    const external = await undeclaredExternalData(resolver, onnxFileOf(weights.dtype), checked.config);
    const model = await AutoModelForCausalLM.from_pretrained(id, {
      dtype: weights.dtype,
      device,
      ...(external ? { use_external_data_format: external } : {}),
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
    // The weights' content: fine-tunes of one base can share every other part of the fingerprint.
    const digest = await weightsDigest(resolver, onnxFileOf(weights.dtype));
    if (device === 'webgpu') await this.#watchDevice(model);
    this.#model = model;
    this.#tokenizer = tokenizer;
    this.#weights = weightSource(resolver, onnxFileOf(weights.dtype), (ids) => this.tokenTexts(ids));
    const info: ModelInfo = {
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
      fingerprint: fnv1a64(
        [configText, tokenizerFingerprint, String(onnxBytes), weights.dtype, device, digest].join('\u0000'),
      ),
      notes: [...deviceNotes, ...weights.notes, ...(await cache.settle())],
    };
    this.#info = info;
    this.#batches = new BatchedDecoder(model, info, (ids) => this.decode(ids));
    // Special tokens a model never writes as text (BOS, unknown, padding: every special one but the end token).
    const unwritten = new Set(tokenizer.all_special_ids.filter((id) => !info.eosTokenIds.includes(id)));
    this.#taps = new EngineTaps(
      model,
      info,
      resolver,
      onnxFileOf(weights.dtype),
      this.#weights,
      (ids) => this.decode(ids),
      unwritten,
    );
    return info;
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
    return (await this.generateBatch([prompt], settings))[0]!;
  }

  async generateBatch(prompts: PromptInput[], settings: GenerationSettings): Promise<GenerationResult[]> {
    const { batches } = this.#ready();
    return batches.generate(await Promise.all(prompts.map((p) => this.encode(p))), settings);
  }

  async score(prompt: PromptInput, continuation: number[], k: number, candidates?: number[][]): Promise<ScoreResult> {
    return (await this.scoreBatch([{ prompt, continuation, ...(candidates ? { candidates } : {}) }], k))[0]!;
  }

  async scoreBatch(items: ScoreRequest[], k: number): Promise<ScoreResult[]> {
    const { batches } = this.#ready();
    return batches.score(await Promise.all(items.map((i) => this.encode(i.prompt))), items, k);
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

  /** This model's weights, tensor by tensor (Node and tests; the page uses serveWeights). */
  weights(): WeightSource {
    if (!this.#weights) throw new Error('No model is loaded.');
    return this.#weights;
  }

  async serveWeights(port: MessagePort): Promise<void> {
    serveWeights(port, this.weights());
  }

  async tapLayout(): Promise<TapLayout> {
    return this.#ready().taps.layout();
  }

  /** The residual stream's activations; their buffers are moved to the caller, not copied (Comlink transfer). */
  async activations(request: ActivationRequest): Promise<Activations> {
    const a = await this.#ready().taps.activations(request);
    return transfer(
      a,
      a.data.map((d) => d.buffer as ArrayBuffer),
    );
  }

  async generateSteered(request: SteeringRequest): Promise<GenerationResult> {
    const { taps } = this.#ready();
    return taps.generateSteered(request, await this.encode(request.prompt));
  }

  async logitLens(vectors: Float32Array[], k: number): Promise<LensResult> {
    return this.#ready().taps.logitLens(vectors, k);
  }

  async dispose(): Promise<void> {
    await this.endSteps();
    this.#batches?.release();
    this.#batches = null;
    await this.#taps?.release();
    this.#taps = null;
    await this.#model?.dispose();
    if (this.#mountId) unmount(this.#mountId);
    this.#mountId = null;
    this.#model = null;
    this.#tokenizer = null;
    this.#info = null;
    this.#weights = null;
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
    if (!this.#model || !this.#tokenizer || !this.#info || !this.#batches || !this.#taps)
      throw new Error('No model is loaded in this worker: call load() first.');
    return {
      model: this.#model,
      tokenizer: this.#tokenizer,
      info: this.#info,
      batches: this.#batches,
      taps: this.#taps,
    };
  }
}
