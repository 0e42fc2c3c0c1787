// The web-llm engine: an MLC build on WebGPU (`new MLCEngine()` inside our own worker, none of web-llm's message
// protocol) driven by our own decode loop. A LogitProcessor hands us the raw logits of every forward pass, so the
// log-probability of the chosen token, the entropy and the top-k are exact, and greedy and seeded sampling are the
// ONNX engine's (src/core/engine/distribution.ts) on those logits. Scoring forwards one token at a time: web-llm's
// prefill computes the last position only. The tokenizer and chat template are the model folder's tokenizer.json and
// tokenizer_config.json through transformers.js, as in the ONNX engine, so prompts become the same ids in both.
//
// Everything web-llm does sits behind WebLlmBoundary (webllm-mlc.ts is the real one): tests replace it with a fake
// because no machine that runs them has a GPU or can download MLC weights.

import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { InitProgressReport, LogitProcessor, ModelRecord } from '@mlc-ai/web-llm';
import { decodeStep, scoreStep } from '../src/core/engine/distribution.ts';
import type {
  EngineSource,
  GenerationResult,
  GenerationSettings,
  LoadProgress,
  ModelInfo,
  PromptInput,
  ScoreResult,
  ScoredStep,
  TokenStep,
  WebLlmSource,
} from '../src/core/engine/types.ts';
import { vocabularyFingerprint } from '../src/core/engine/vocabulary.ts';
import { fnv1a64 } from '../src/core/prompts/hash.ts';
import { createRng } from '../src/core/random.ts';
import { encodePrompt, idTexts } from './prompt-tokens.ts';
import type { EngineApi, RuntimeOptions } from './engine-api.ts';
import { VIRTUAL_ROOT, mount, resolveVirtual, unmount } from './model-files.ts';

/** The part of a web-llm ModelRecord this engine builds or reads. */
export type WebLlmRecord = Pick<ModelRecord, 'model' | 'model_id' | 'model_lib'> &
  Partial<Pick<ModelRecord, 'required_features' | 'vram_required_MB' | 'overrides'>>;

/** The few web-llm calls this engine makes: the one seam where tests substitute a fake. */
export interface WebLlmBoundary {
  /** web-llm's own record for a prebuilt model id (prebuiltAppConfig), or undefined. */
  prebuilt(modelId: string): WebLlmRecord | undefined;
  prebuiltIds(): string[];
  /** MLCEngine with `record` as its app config and `processor` registered for it, then reload(record.model_id). */
  reload(record: WebLlmRecord, processor: LogitProcessor, onProgress: (r: InitProgressReport) => void): Promise<void>;
  /** A text file of the record's model folder as web-llm resolves it (mlc-chat-config.json…); null when absent. */
  modelFile(record: WebLlmRecord, name: string): Promise<string | null>;
  /** Forwards ids through the KV cache (prefill: any number; decode: one) and samples; the processor sees logits. */
  forwardTokensAndSample(ids: number[], isPrefill: boolean): Promise<number>;
  /** Clears the KV cache (and calls the processor's resetState). */
  resetChat(): Promise<void>;
  unload(): Promise<void>;
}

/** What the engine needs to know about WebGPU before downloading anything. */
export interface GpuProbe {
  (): Promise<null | { isFallback: boolean; features: ReadonlySet<string> }>;
}

export const browserGpu: GpuProbe = async () => {
  type Adapter = { features: ReadonlySet<string>; isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } };
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  if (!adapter) return null;
  return {
    isFallback: adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
    features: adapter.features,
  };
};

/** Captures the raw logits of each forward pass and leaves them unchanged (web-llm's own sample is ignored). */
class CapturingProcessor implements LogitProcessor {
  last: Float32Array | null = null;
  processLogits = (logits: Float32Array): Float32Array => {
    this.last = logits.slice();
    return logits;
  };
  processSampledToken = (): void => {};
  resetState = (): void => {
    this.last = null;
  };
}

interface MlcChatConfig {
  vocab_size?: number;
  context_window_size?: number;
  model_type?: string;
  quantization?: string;
  bos_token_id?: number;
  eos_token_id?: number | number[];
  conv_template?: { stop_token_ids?: number[] };
  model_config?: { vocab_size?: number };
}

export class WebLlmEngine implements EngineApi {
  readonly #boundary: WebLlmBoundary;
  readonly #gpu: GpuProbe;
  #processor = new CapturingProcessor();
  #tokenizer: PreTrainedTokenizer | null = null;
  #info: ModelInfo | null = null;
  #record: WebLlmRecord | null = null;
  #contextWindow = Infinity;
  #mountId: string | null = null;
  #loaded = false;
  #stepping = false;

  constructor(boundary: WebLlmBoundary, gpu: GpuProbe = browserGpu) {
    this.#boundary = boundary;
    this.#gpu = gpu;
  }

  async load(
    source: EngineSource,
    options: RuntimeOptions,
    onProgress?: (p: LoadProgress) => void,
  ): Promise<ModelInfo> {
    await this.dispose();
    if (source.kind !== 'webllm') throw new Error(`The web-llm worker cannot load a "${source.kind}" source.`);
    const record = this.#recordFor(source);
    await checkDevice(record, options, this.#gpu);
    this.#processor = new CapturingProcessor();
    try {
      await this.#boundary.reload(record, this.#processor, (r) => {
        const p = progressFromReport(r);
        if (p && onProgress) onProgress(p);
      });
    } catch (e) {
      throw explainWebLlmFailure(e, record);
    }
    this.#loaded = true;
    this.#record = record;
    const file = async (name: string) => {
      try {
        return await this.#boundary.modelFile(record, name);
      } catch (e) {
        throw new Error(
          `Could not read ${name} of ${record.model_id} (${modelFolderUrl(record.model)}): ${message(e)}`,
        );
      }
    };
    const [configText, tokenizerText, tokenizerConfigText, tensorCacheText] = await Promise.all([
      file('mlc-chat-config.json'),
      file('tokenizer.json'),
      file('tokenizer_config.json'),
      file('ndarray-cache.json'),
    ]);
    const folder = modelFolderUrl(record.model);
    if (configText === null) throw new Error(`${folder} has no mlc-chat-config.json: it is not an MLC model folder.`);
    if (tokenizerText === null) {
      throw new Error(
        `${folder} has no tokenizer.json. model-diff tokenises with it (and with tokenizer_config.json for the chat ` +
          'template); rebuild the folder with mlc_llm gen_config, which copies both.',
      );
    }
    const config = parseJson<MlcChatConfig>(configText, `${folder}mlc-chat-config.json`);
    const tokenizerJson = parseJson<unknown>(tokenizerText, `${folder}tokenizer.json`);
    const files: Record<string, Uint8Array> = {
      'tokenizer.json': new TextEncoder().encode(tokenizerText),
      'tokenizer_config.json': new TextEncoder().encode(tokenizerConfigText ?? '{}'),
    };
    configureTokenizerLoading();
    this.#mountId = mount(async (path) =>
      files[path]
        ? new Response(files[path].slice().buffer as ArrayBuffer, { status: 200 })
        : new Response(null, { status: 404 }),
    );
    const tokenizer = await AutoTokenizer.from_pretrained(this.#mountId);
    const eos = config.eos_token_id;
    const eosTokenIds = [
      ...new Set([
        ...(Array.isArray(eos) ? eos : eos === undefined ? [] : [eos]),
        ...(config.conv_template?.stop_token_ids ?? []),
      ]),
    ].map(Number);
    const tokenizerFingerprint = vocabularyFingerprint(tokenizerJson);
    const dtype = config.quantization ?? /q\d+f\d+(?:_\d+)?/.exec(record.model_id)?.[0] ?? 'unknown';
    this.#contextWindow =
      config.context_window_size && config.context_window_size > 0 ? config.context_window_size : Infinity;
    this.#tokenizer = tokenizer;
    this.#info = {
      id: `webllm:${record.model_id}`,
      engine: 'webllm',
      architecture: String(config.model_type ?? 'unknown'),
      vocabSize: Number(config.vocab_size ?? config.model_config?.vocab_size ?? tokenizer.get_vocab().size),
      tokenizerFingerprint,
      dtype,
      device: 'webgpu',
      hasChatTemplate: Boolean(tokenizer.chat_template),
      eosTokenIds,
      parameterBytes: tensorBytes(tensorCacheText),
      fingerprint: fnv1a64(
        [record.model_id, record.model, record.model_lib, configText, tokenizerFingerprint, dtype, 'webgpu'].join(
          '\u0000',
        ),
      ),
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
    this.#fits(promptTokens.length + settings.maxNewTokens);
    const rng = createRng(settings.seed);
    const t0 = performance.now();
    await this.#reset();
    let logits = await this.#forward(promptTokens, true);
    const prefillMs = performance.now() - t0;
    const steps: TokenStep[] = [];
    let stop: GenerationResult['stop'] = 'length';
    const t1 = performance.now();
    while (steps.length < settings.maxNewTokens) {
      const step = decodeStep(logits, settings, rng);
      steps.push(step);
      if (info.eosTokenIds.includes(step.id)) {
        stop = 'eos';
        break;
      }
      if (steps.length === settings.maxNewTokens) break;
      logits = await this.#forward([step.id], false);
    }
    const decodeMs = performance.now() - t1;
    return {
      promptTokens,
      tokens: steps,
      text: await this.decode(steps.map((s) => s.id)),
      stop,
      timings: { prefillMs, decodeMs, tokensPerSecond: steps.length > 0 ? (steps.length / decodeMs) * 1000 : 0 },
    };
  }

  /** Teacher forcing one token at a time: web-llm's prefill returns the last position's logits only. */
  async score(prompt: PromptInput, continuation: number[], k: number, candidates?: number[][]): Promise<ScoreResult> {
    const promptTokens = await this.encode(prompt);
    if (continuation.length === 0) return { promptTokens, tokens: [] };
    this.#fits(promptTokens.length + continuation.length);
    await this.#reset();
    let row = await this.#forward(promptTokens, true);
    const tokens: ScoredStep[] = [];
    for (let j = 0; j < continuation.length; j++) {
      const id = continuation[j]!;
      tokens.push(scoreStep(row, id, k, candidates?.[j]));
      if (j < continuation.length - 1) row = await this.#forward([id], false);
    }
    return { promptTokens, tokens };
  }

  /** Raw logits of every position. web-llm computes one position per forward pass, so chunks are fed token by token. */
  async logits(ids: number[], chunks: number[] = [ids.length]): Promise<Float32Array> {
    const { info } = this.#ready();
    if (chunks.reduce((a, b) => a + b, 0) !== ids.length)
      throw new Error('logits(): chunk sizes must add up to ids.length.');
    this.#fits(ids.length);
    const out = new Float32Array(ids.length * info.vocabSize);
    await this.#reset();
    for (let i = 0; i < ids.length; i++)
      out.set((await this.#forward([ids[i]!], i === 0)).subarray(0, info.vocabSize), i * info.vocabSize);
    return out;
  }

  async beginSteps(prompt: PromptInput): Promise<{ promptTokens: number[]; logits: Float32Array }> {
    const promptTokens = await this.encode(prompt);
    await this.#reset();
    const logits = await this.#forward(promptTokens, true);
    this.#stepping = true;
    return { promptTokens, logits };
  }

  async step(id: number): Promise<Float32Array> {
    if (!this.#stepping)
      throw new Error('step() before beginSteps(): start step-by-step decoding with a prompt first.');
    return this.#forward([id], false);
  }

  async endSteps(): Promise<void> {
    this.#stepping = false;
  }

  async dispose(): Promise<void> {
    this.#stepping = false;
    if (this.#loaded) await this.#boundary.unload();
    if (this.#mountId) unmount(this.#mountId);
    this.#loaded = false;
    this.#mountId = null;
    this.#tokenizer = null;
    this.#info = null;
    this.#record = null;
  }

  #recordFor(source: WebLlmSource): WebLlmRecord {
    if (source.model && source.modelLib) {
      const f16 = /f16/.test(source.modelId);
      return {
        model: source.model,
        model_id: source.modelId,
        model_lib: source.modelLib,
        ...(f16 ? { required_features: ['shader-f16'] } : {}),
      };
    }
    const record = this.#boundary.prebuilt(source.modelId);
    if (record) return record;
    const known = this.#boundary.prebuiltIds();
    const stem = source.modelId.toLowerCase().split(/[-_]/)[0] ?? '';
    const close = known.filter((id) => id.toLowerCase().startsWith(stem)).slice(0, 5);
    throw new Error(
      `web-llm has no prebuilt model "${source.modelId}".` +
        (close.length ? ` Did you mean ${close.join(', ')}?` : '') +
        ' Prebuilt ids are listed at https://github.com/mlc-ai/web-llm (prebuiltAppConfig); for your own MLC build ' +
        'use webllm:<model folder URL>,<model library URL>.',
    );
  }

  async #reset(): Promise<void> {
    this.#stepping = false;
    await this.#boundary.resetChat();
  }

  async #forward(ids: number[], isPrefill: boolean): Promise<Float32Array> {
    this.#processor.last = null;
    try {
      await this.#boundary.forwardTokensAndSample(ids, isPrefill);
    } catch (e) {
      throw explainWebLlmFailure(e, this.#record!);
    }
    const logits = this.#processor.last;
    if (!logits) throw new Error('web-llm ran a forward pass without passing its logits to the LogitProcessor.');
    return logits;
  }

  #fits(n: number): void {
    if (n > this.#contextWindow) {
      throw new Error(
        `${this.#record?.model_id}: the prompt and reply need ${n} tokens, more than its context window ` +
          `(${this.#contextWindow}). Lower max_new_tokens or shorten the prompt.`,
      );
    }
  }

  #ready() {
    if (!this.#tokenizer || !this.#info) throw new Error('No model is loaded in this worker: call load() first.');
    return { tokenizer: this.#tokenizer, info: this.#info };
  }
}

/** web-llm's rule for a record's model URL: Hugging Face-style `…/resolve/<branch>/` is added when missing. */
export function modelFolderUrl(model: string): string {
  let url = model.endsWith('/') ? model : `${model}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

/** Refuses, before anything is downloaded, what cannot run: no WebGPU, WASM asked for, 16-bit floats without f16. */
async function checkDevice(record: WebLlmRecord, options: RuntimeOptions, gpu: GpuProbe): Promise<void> {
  const id = record.model_id;
  if (options.device === 'wasm') {
    throw new Error(
      `${id} is a web-llm build, and web-llm runs only on WebGPU; WASM was asked for. Choose device auto or ` +
        'webgpu, or an ONNX build of this model (hf:… or a folder URL), which runs on WASM.',
    );
  }
  const adapter = await gpu();
  if (!adapter) throw new Error(noWebGpu(id));
  const needsF16 = record.required_features?.includes('shader-f16') || /f16/.test(id);
  if (needsF16 && !adapter.features.has('shader-f16')) throw new Error(noF16(id));
}

const noWebGpu = (id: string) =>
  `${id} needs WebGPU (web-llm has no CPU fallback), and this browser offers no WebGPU adapter. Use an ONNX build ` +
  'of the model instead (it runs on WASM), or a browser with WebGPU enabled.';

const noF16 = (id: string) =>
  `${id} computes in 16-bit floats, but this GPU or browser lacks the WebGPU feature shader-f16. Choose the ` +
  `f32 build of the same model (${id.replace(/q(\d+)f16(_\d+)?/, 'q$1f32$2')}) or an ONNX build.`;

/** web-llm's failures as sentences that say what happened and what to do. */
export function explainWebLlmFailure(e: unknown, record: WebLlmRecord): Error {
  const id = record.model_id;
  const name = e instanceof Error || (typeof e === 'object' && e !== null) ? String((e as Error).name ?? '') : '';
  const text = message(e);
  if (name === 'WebGPUNotAvailableError' || name === 'WebGPUNotFoundError') return new Error(noWebGpu(id));
  if (name === 'ShaderF16SupportError' || /shader-f16/.test(text)) return new Error(noF16(id));
  if (name === 'DeviceLostError' || /device (was )?lost|out of memory|OutOfMemory/i.test(text)) {
    const need = record.vram_required_MB
      ? ` It needs about ${Math.round(record.vram_required_MB)} MB of GPU memory.`
      : '';
    return new Error(
      `The GPU ran out of memory or was lost while running ${id} (web-llm: ${text}).${need} Close other GPU-heavy ` +
        'tabs, or choose a smaller model or a smaller quantisation; reload the page before trying again.',
    );
  }
  if (name === 'QuotaExceededError' || /quota/i.test(text)) {
    return new Error(
      `The browser's storage is full, so web-llm could not cache ${id}'s weights. Free space (Storage panel, or the ` +
        "browser's site settings) and try again.",
    );
  }
  if (name === 'ContextWindowSizeExceededError') {
    return new Error(`${id}: the prompt is longer than the model's context window (${text}). Shorten the prompt.`);
  }
  if (/fetch|network|HTTP|404|403|CORS|Request failed/i.test(text)) {
    return new Error(
      `web-llm could not download ${id} (${text}). Check the model URL (${modelFolderUrl(record.model)}) and the ` +
        `model library URL (${record.model_lib}), that they allow cross-origin reads, and that you are online.`,
    );
  }
  return new Error(`web-llm failed with ${id}: ${text}`);
}

const MIB = 1024 * 1024;

/** web-llm's load reports (free text) as our progress events: weight bytes fetched, then one 'done'. */
export function progressFromReport(r: InitProgressReport): LoadProgress | null {
  const file = 'web-llm weights';
  if (r.progress >= 1 && /^Finish loading/.test(r.text)) return { file, loaded: -1, total: -1, done: true };
  const m = /(?:Fetching param cache|Loading model from cache)\[\d+\/\d+\]: (\d+)MB (?:fetched|loaded)/.exec(r.text);
  if (!m) return null;
  const loaded = Number(m[1]) * MIB;
  return { file, loaded, total: r.progress > 0 ? Math.round(loaded / r.progress) : 0, done: false };
}

function tensorBytes(text: string | null): number {
  if (!text) return 0;
  try {
    const cache = JSON.parse(text) as { records?: { nbytes?: number }[] };
    return (cache.records ?? []).reduce((s, r) => s + (Number(r.nbytes) || 0), 0);
  } catch {
    return 0;
  }
}

function parseJson<T>(text: string, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${where} is not valid JSON (${message(e)}).`);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String(e.message) : String(e);
}

/** transformers.js reads the tokenizer files from our virtual mount only (this worker loads no ONNX model). */
function configureTokenizerLoading(): void {
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.useBrowserCache = false;
  env.useFS = false;
  env.localModelPath = VIRTUAL_ROOT;
  const realFetch = globalThis.fetch.bind(globalThis);
  env.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return resolveVirtual(url, init) ?? realFetch(input, init);
  }) as typeof fetch;
}
