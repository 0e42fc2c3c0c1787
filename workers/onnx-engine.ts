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
import { decodeStep, scoreStep } from '../src/core/engine/distribution.ts';
import type {
  GenerationResult,
  GenerationSettings,
  LoadProgress,
  ModelInfo,
  ModelSource,
  PromptInput,
  ScoreResult,
  TokenStep,
} from '../src/core/engine/types.ts';
import { CapabilityError, decideOn, pickDevice, type GpuFacts, type OnnxDevice } from '../src/core/capabilities.ts';
import { onnxFileOf, type OnnxDtype } from '../src/core/onnx-dtypes.ts';
import { fnv1a64 } from '../src/core/prompts/hash.ts';
import { createRng } from '../src/core/random.ts';
import { encodePrompt, idTexts } from './prompt-tokens.ts';
import type { EngineApi, RuntimeOptions, ScoreRequest } from './engine-api.ts';
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
import { serveWeights, weightSource } from './weights.ts';
import type { WeightSource } from '../src/core/internals/onnx-weights.ts';

type Outputs = Record<string, Tensor>;
/** A KV cache by input name (past_key_values.{layer}.key|value). */
type Kv = Record<string, Tensor>;

interface Prefix {
  /** The prompts' token ids, as one string: the same prompts in the same order reuse this prefix. */
  key: string;
  /** Per row: 0 for left padding, 1 for prompt tokens. */
  mask: number[][];
  kv: Kv;
  /** Per row: the logits at the prompt's last position (they predict the first new token). */
  last: Float32Array[];
}

interface RunOutput {
  /** [B, length, vocab], row-major. */
  logits: Float32Array;
  length: number;
  vocab: number;
  kv: Kv;
}

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
  #prefix: Prefix | null = null;
  /**
   * What one batch may hold in KV cache and logits: a larger group of prompts is run in parts. Scoring 8 replies of
   * 256 tokens with a 151,936-token vocabulary (Qwen2.5) is 1.2 GB of logits at once, past what WASM or a browser's
   * GPU budget allows; one prompt at a time never exceeds what an unbatched engine would hold. Settable for tests.
   */
  static BATCH_BYTES = 256 * 2 ** 20;
  /** Whether prompts of different lengths may share a batch (see #padsSafely); null until first needed. */
  #padding: Promise<boolean> | null = null;

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
    this.#weights = weightSource(resolver, onnxFileOf(weights.dtype), (ids) => this.tokenTexts(ids));
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
    return (await this.generateBatch([prompt], settings))[0]!;
  }

  async generateBatch(prompts: PromptInput[], settings: GenerationSettings): Promise<GenerationResult[]> {
    this.#ready();
    const rows = await Promise.all(prompts.map((p) => this.encode(p)));
    if (rows.length === 0) return [];
    const parts = await this.#parts(rows, settings.maxNewTokens, 1);
    if (parts)
      return inParts(parts, (idx) =>
        this.generateBatch(
          idx.map((i) => prompts[i]!),
          settings,
        ),
      );
    return this.#decodeRows(rows, settings);
  }

  /**
   * Decodes the prompts' token rows as one batch (generateBatch has already split what must not share one);
   * `throughEos` decodes past end tokens (the padding check compares every step).
   */
  async #decodeRows(rows: number[][], settings: GenerationSettings, throughEos = false): Promise<GenerationResult[]> {
    const { info } = this.#ready();
    const t0 = performance.now();
    const prefix = await this.#prefill(rows);
    const prefillMs = performance.now() - t0;
    const rngs = rows.map(() => createRng(settings.seed));
    const steps: TokenStep[][] = rows.map(() => []);
    const stop: GenerationResult['stop'][] = rows.map(() => 'length');
    // The rows still decoding, as indices into `rows`, and their state in the running batch (same order).
    let active = rows.map((_, r) => r);
    let logits: Float32Array[] = prefix.last;
    let mask = prefix.mask.map((m) => [...m]);
    let past = prefix.kv;
    let owned = false; // the prefix's cache belongs to the prefix (kept for scoring); later caches are ours
    const t1 = performance.now();
    const finished = rows.map(() => false);
    for (;;) {
      const next: number[] = [];
      active.forEach((r, b) => {
        if (finished[r]) {
          next.push(steps[r]!.at(-1)!.id); // still in the batch (its cache is on the GPU): computed, ignored
          return;
        }
        const step = decodeStep(logits[b]!, settings, rngs[r]!);
        const id = step.id;
        steps[r]!.push(step);
        next.push(id);
        if (!throughEos && info.eosTokenIds.includes(id)) stop[r] = 'eos';
        if (stop[r] === 'eos' || steps[r]!.length === settings.maxNewTokens) finished[r] = true;
      });
      const live = active.flatMap((r, b) => (finished[r] ? [] : [b]));
      if (live.length === 0) break;
      if (live.length < active.length && isCpu(past)) {
        // Finished rows leave the batch (their cache rows are dropped) instead of being computed for nothing.
        const kept = selectRows(past, live);
        if (owned) disposeKv(past);
        past = kept;
        owned = true;
        active = live.map((b) => active[b]!);
        mask = live.map((b) => mask[b]!);
        next.splice(0, next.length, ...live.map((b) => next[b]!));
      }
      const positions = active.map((r) => [rows[r]!.length + steps[r]!.length - 1]);
      mask = mask.map((m) => [...m, 1]);
      const out = await this.#run(
        next.map((id) => [id]),
        mask,
        positions,
        past,
      );
      if (owned) disposeKv(past);
      past = out.kv;
      owned = true;
      logits = active.map((_, b) => out.logits.subarray(b * out.vocab, (b + 1) * out.vocab));
    }
    if (owned) disposeKv(past);
    const decodeMs = performance.now() - t1;
    return Promise.all(
      rows.map(async (promptTokens, r) => ({
        promptTokens,
        tokens: steps[r]!,
        text: await this.decode(steps[r]!.map((s) => s.id)),
        stop: stop[r]!,
        timings: {
          prefillMs,
          decodeMs,
          tokensPerSecond: steps[r]!.length > 0 ? (steps[r]!.length / decodeMs) * 1000 : 0,
        },
      })),
    );
  }

  async score(prompt: PromptInput, continuation: number[], k: number, candidates?: number[][]): Promise<ScoreResult> {
    return (await this.scoreBatch([{ prompt, continuation, ...(candidates ? { candidates } : {}) }], k))[0]!;
  }

  async scoreBatch(items: ScoreRequest[], k: number): Promise<ScoreResult[]> {
    const rows = await Promise.all(items.map((i) => this.encode(i.prompt)));
    if (items.every((i) => i.continuation.length === 0))
      return rows.map((promptTokens) => ({ promptTokens, tokens: [] }));
    const widest = Math.max(...items.map((i) => i.continuation.length));
    const parts = await this.#parts(rows, widest, widest);
    if (parts)
      return inParts(parts, (idx) =>
        this.scoreBatch(
          idx.map((i) => items[i]!),
          k,
        ),
      );
    // The prompts' cache is usually still here from generating (same prompts, same batch): only the continuations
    // run. Position j of a continuation is predicted by the logits of position j - 1, the first by the prompt's last.
    const prefix = await this.#prefill(rows);
    const width = Math.max(...items.map((i) => i.continuation.length)) - 1;
    let out: RunOutput | null = null;
    if (width > 0) {
      const ids = items.map((i) =>
        Array.from({ length: width }, (_, j) => (j < i.continuation.length - 1 ? i.continuation[j]! : 0)),
      );
      const mask = items.map((i, r) => [
        ...prefix.mask[r]!,
        ...Array.from({ length: width }, (_, j) => (j < i.continuation.length - 1 ? 1 : 0)),
      ]);
      const positions = rows.map((p) => Array.from({ length: width }, (_, j) => p.length + j));
      out = await this.#run(ids, mask, positions, prefix.kv);
      disposeKv(out.kv);
    }
    return items.map((item, r) => {
      const tokens = item.continuation.map((id, j) => {
        const row =
          j === 0
            ? prefix.last[r]!
            : out!.logits.subarray((r * width + j - 1) * out!.vocab, (r * width + j) * out!.vocab);
        return scoreStep(row, id, k, item.candidates?.[j]);
      });
      return { promptTokens: rows[r]!, tokens };
    });
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

  async dispose(): Promise<void> {
    await this.endSteps();
    this.#releasePrefix();
    this.#padding = null;
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

  /**
   * The prompts' KV cache and last-position logits, left-padded into one batch. Kept after generating so that
   * scoring the same prompts (the other model's responses to them) starts from it instead of recomputing them.
   */
  async #prefill(rows: number[][]): Promise<Prefix> {
    const key = rows.map((r) => r.join(',')).join(';');
    if (this.#prefix?.key === key) return this.#prefix;
    this.#releasePrefix();
    if (rows.some((r) => r.length === 0))
      throw new Error('A prompt encoded to no tokens: there is nothing to continue.');
    const width = Math.max(...rows.map((r) => r.length));
    const pad = (r: number[]) => width - r.length;
    const mask = rows.map((r) => [...new Array<number>(pad(r)).fill(0), ...new Array<number>(r.length).fill(1)]);
    const real = rows.reduce((n, r) => n + r.length, 0);
    if (rows.length > 1 && width * rows.length > PADDING_LIMIT * real && this.#ready().info.device !== 'webgpu') {
      // Prompts of very different lengths: each runs alone (no arithmetic on padding), and their caches are
      // left-padded into one batch on the CPU (on WebGPU the cache stays in GPU buffers: one padded pass instead).
      const parts: RunOutput[] = [];
      for (const r of rows) parts.push(await this.#run([r], [r.map(() => 1)], [r.map((_, i) => i)], null, 1));
      const last = parts.map((o) => o.logits.slice((o.length - 1) * o.vocab, o.length * o.vocab));
      this.#prefix = {
        key,
        mask,
        kv: stackLeftPadded(
          parts.map((o) => o.kv),
          width,
        ),
        last,
      };
      return this.#prefix;
    }
    const ids = rows.map((r) => [...new Array<number>(pad(r)).fill(0), ...r]);
    const positions = rows.map((r) => [...new Array<number>(pad(r)).fill(0), ...r.map((_, i) => i)]);
    const out = await this.#run(ids, mask, positions, null, 1);
    const V = out.vocab;
    const L = out.length; // 1 when the graph can leave out the other positions' logits, else width
    const last = rows.map((_, b) => out.logits.slice((b * L + L - 1) * V, (b * L + L) * V));
    this.#prefix = { key, mask, kv: out.kv, last };
    return this.#prefix;
  }

  /**
   * How a group of prompt rows must be split, or null when it can run as one batch: by prompt length when this
   * model fails the padding check, else into parts that fit BATCH_BYTES. `newTokens` follow each prompt; at most
   * `logitRows` rows of logits per row are held at once (the prompt's pass may hold more).
   */
  async #parts(rows: number[][], newTokens: number, logitRows: number): Promise<number[][] | null> {
    const prompt = Math.max(...rows.map((r) => r.length));
    const bytes = this.#rowBytes(prompt + newTokens, Math.max(logitRows, this.#promptLogitRows(prompt)));
    return (await this.#unevenParts(rows)) ?? this.#withinBudget(rows.length, bytes);
  }

  /**
   * Bytes one row of a batch holds at its largest: its KV cache over `tokens` positions (float32, every layer) and
   * `logitRows` rows of logits.
   */
  #rowBytes(tokens: number, logitRows: number): number {
    const config = this.#ready().model.config as unknown as Record<string, number | undefined>;
    const layers = config['num_hidden_layers'] ?? 1;
    const heads = config['num_attention_heads'] ?? 1;
    const kvHeads = config['num_key_value_heads'] ?? heads;
    const headDim = config['head_dim'] ?? (config['hidden_size'] ?? 0) / heads;
    return 4 * (tokens * layers * 2 * kvHeads * headDim + logitRows * this.#ready().info.vocabSize);
  }

  /** The input names of the model's ONNX session (none known: an empty list). */
  #inputNames(): readonly string[] {
    const model = this.#ready().model as unknown as { sessions: Record<string, { inputNames?: string[] } | undefined> };
    return model.sessions['model']?.inputNames ?? [];
  }

  /** Rows of logits the prompt's pass makes: one where the graph takes num_logits_to_keep, else one per position. */
  #promptLogitRows(promptTokens: number): number {
    const inputs = this.#inputNames();
    return inputs.includes('num_logits_to_keep') ? 1 : promptTokens;
  }

  /** Consecutive parts of `n` rows that each fit BATCH_BYTES (at least one row each); null when all fit at once. */
  #withinBudget(n: number, rowBytes: number): number[][] | null {
    const fit = Math.max(1, Math.floor(OnnxEngine.BATCH_BYTES / rowBytes));
    if (n <= fit) return null;
    return Array.from({ length: Math.ceil(n / fit) }, (_, p) =>
      Array.from({ length: Math.min(fit, n - p * fit) }, (_, k) => p * fit + k),
    );
  }

  /**
   * The rows' indices grouped by prompt length when prompts of different lengths must not share a batch (more than
   * one length, and this model fails the padding check); otherwise null.
   */
  async #unevenParts(rows: number[][]): Promise<number[][] | null> {
    const byLength = new Map<number, number[]>();
    rows.forEach((r, i) => byLength.set(r.length, [...(byLength.get(r.length) ?? []), i]));
    if (byLength.size < 2 || (await this.#padsSafely())) return null;
    return [...byLength.values()];
  }

  /**
   * Whether left padding leaves this model's numbers as they are one prompt at a time, checked once per model on
   * two made-up pairs of prompts (similar lengths: one padded pass; very different: caches stacked), three greedy steps
   * each. Exports differ: a graph without a position_ids input counts positions itself, and some attention kernels
   * assume no left padding. A model that fails runs prompts of one length per batch: slower, never different.
   */
  #padsSafely(): Promise<boolean> {
    this.#padding ??= (async () => {
      const { info } = this.#ready();
      const id = (k: number) => (k * 7919 + 11) % info.vocabSize;
      const ids = (n: number, from: number) => Array.from({ length: n }, (_, k) => id(from + k));
      const settings = { maxNewTokens: 3, temperature: 0, seed: 1, topK: 5 };
      for (const pair of [
        [ids(7, 0), ids(8, 50)],
        [ids(2, 100), ids(12, 150)],
      ]) {
        const batch = await this.#decodeRows(pair, settings, true);
        for (const [r, row] of pair.entries()) {
          const [alone] = await this.#decodeRows([row], settings, true);
          const same = alone!.tokens.every((t, j) => {
            const b = batch[r]!.tokens[j];
            return b?.id === t.id && Math.abs(b.logprob - t.logprob) < PADDING_TOLERANCE;
          });
          if (!same) return false;
        }
      }
      return true;
    })();
    return this.#padding;
  }

  #releasePrefix(): void {
    if (this.#prefix) disposeKv(this.#prefix.kv);
    this.#prefix = null;
  }

  /**
   * One forward pass of a batch: ids [B, S] after the cache `past` ([B, kv, T, d]; null for none), mask [B, T + S]
   * (0 = padding), positions [B, S]. Returns the logits [B, L, V] as one array (L = S, or `keep` when the graph
   * takes num_logits_to_keep: the output head then runs on the last `keep` positions only) and the new cache;
   * `past` is left as it was (the caller decides when to free it).
   */
  async #run(ids: number[][], mask: number[][], positions: number[][], past: Kv | null, keep = 0): Promise<RunOutput> {
    const { model } = this.#ready();
    const inputs = this.#inputNames();
    const keeps = keep > 0 && inputs.includes('num_logits_to_keep');
    const B = ids.length;
    const S = ids[0]!.length;
    const T = mask[0]!.length;
    const int64 = (rows: number[][], n: number) =>
      new Tensor(
        'int64',
        BigInt64Array.from(rows.flat(), (x) => BigInt(x)),
        [B, n],
      );
    const out = (await model({
      input_ids: int64(ids, S),
      attention_mask: int64(mask, T),
      position_ids: int64(positions, S),
      past_key_values: past ? new DynamicCache(past) : null,
      ...(keeps ? { num_logits_to_keep: new Tensor('int64', BigInt64Array.of(BigInt(keep)), []) } : {}),
    })) as Outputs;
    const kv: Kv = {};
    for (const [name, tensor] of Object.entries(out)) {
      if (name.startsWith('present')) kv[name.replace('present', 'past_key_values')] = tensor;
    }
    // 16-bit models give 16-bit logits; every consumer reads Float32Array rows.
    const raw = out['logits']!;
    const logits = raw.type === 'float32' ? raw : raw.to('float32');
    return { logits: logits.data as Float32Array, length: logits.dims.at(-2)!, vocab: logits.dims.at(-1)!, kv };
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

/** Runs each part (indices into the whole) on its own and puts the results back in the whole's order. */
async function inParts<T>(parts: number[][], run: (indices: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const part of parts) (await run(part)).forEach((r, k) => (out[part[k]!] = r));
  return out;
}

function lastRow(t: Tensor): Float32Array {
  const [, n, V] = t.dims as [number, number, number];
  return (t.data as Float32Array).slice((n - 1) * V, n * V);
}

/**
 * How far a padded row's log-probabilities may stray from the same prompt alone: far above float32 noise (1e-6) and
 * half-precision noise (1e-3), far below what wrong positions or an ignored mask do (0.01 to 1 and more).
 */
const PADDING_TOLERANCE = 5e-3;

/** Above this ratio of padded to real prompt tokens, a group's prompts run one by one (see #prefill). */
const PADDING_LIMIT = 1.25;

/** Single-row caches [1, heads, n_i, d] left-padded with zeros into one [rows, heads, width, d] cache. */
function stackLeftPadded(kvs: Kv[], width: number): Kv {
  const out: Kv = {};
  for (const name of Object.keys(kvs[0]!)) {
    const first = kvs[0]![name]!;
    const [, heads, , d] = first.dims as [number, number, number, number];
    const data = sameKind(first.data as Float32Array, kvs.length * heads * width * d);
    kvs.forEach((kv, b) => {
      const t = kv[name]!;
      const n = t.dims[2]!;
      const src = t.data as Float32Array;
      for (let h = 0; h < heads; h++) {
        data.set(src.subarray(h * n * d, (h + 1) * n * d), ((b * heads + h) * width + width - n) * d);
      }
      t.dispose?.();
    });
    out[name] = new Tensor(first.type, data, [kvs.length, heads, width, d]);
  }
  return out;
}

/** A zeroed array of the same element type as `like` (a 16-bit cache is a Uint16Array or Float16Array). */
function sameKind(like: Float32Array, length: number): Float32Array {
  return new (like.constructor as Float32ArrayConstructor)(length);
}

function disposeKv(kv: Kv): void {
  for (const t of Object.values(kv)) t.dispose?.();
}

function isCpu(kv: Kv): boolean {
  return Object.values(kv).every((t) => (t as Tensor & { location?: string }).location !== 'gpu-buffer');
}

/** The cache of some batch rows only ([B, heads, T, d] → [rows.length, heads, T, d]), copied on the CPU. */
function selectRows(kv: Kv, rows: number[]): Kv {
  const out: Kv = {};
  for (const [name, t] of Object.entries(kv)) {
    const [B, ...rest] = t.dims as number[];
    const size = rest.reduce((a, b) => a * b, 1);
    const data = t.data as Float32Array;
    const kept = sameKind(data, rows.length * size);
    rows.forEach((b, i) => kept.set(data.subarray(b * size, (b + 1) * size), i * size));
    if (B === undefined) throw new Error(`selectRows: ${name} has no batch dimension`);
    out[name] = new Tensor(t.type, kept, [rows.length, ...rest]);
  }
  return out;
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
