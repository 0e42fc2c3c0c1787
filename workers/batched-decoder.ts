// The ONNX engine's batched decoding and scoring: prompts left-padded into one batch (or run in parts that fit a
// memory budget, or by length where a model fails the padding check), one forward pass per step for all rows,
// finished rows leaving the batch, and the prompts' cache kept from generating for scoring the same prompts.

import { DynamicCache, Tensor, type PreTrainedModel } from '@huggingface/transformers';
import { decodeStep, scoreStep } from '../src/core/engine/distribution.ts';
import type {
  GenerationResult,
  GenerationSettings,
  ModelInfo,
  ScoreResult,
  TokenStep,
} from '../src/core/engine/types.ts';
import { createRng } from '../src/core/random.ts';
import type { ScoreRequest } from './engine-api.ts';
import {
  PADDING_LIMIT,
  PADDING_TOLERANCE,
  disposeKv,
  inParts,
  isCpu,
  selectRows,
  stackLeftPadded,
  type Kv,
} from './kv-batch.ts';

type Outputs = Record<string, Tensor>;

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

export class BatchedDecoder {
  /**
   * What one batch may hold in KV cache and logits: a larger group of prompts is run in parts. Scoring 8 replies of
   * 256 tokens with a 151,936-token vocabulary (Qwen2.5) is 1.2 GB of logits at once, past what WASM or a browser's
   * GPU budget allows; one prompt at a time never exceeds what an unbatched engine would hold. Settable for tests.
   */
  static BATCH_BYTES = 256 * 2 ** 20;
  #prefix: Prefix | null = null;
  /** Whether prompts of different lengths may share a batch (see #padsSafely); null until first needed. */
  #padding: Promise<boolean> | null = null;

  constructor(
    readonly model: PreTrainedModel,
    readonly info: ModelInfo,
    readonly decode: (ids: number[]) => Promise<string>,
  ) {}

  async generate(rows: number[][], settings: GenerationSettings): Promise<GenerationResult[]> {
    if (rows.length === 0) return [];
    const parts = await this.#parts(rows, settings.maxNewTokens, 1);
    if (parts)
      return inParts(parts, (idx) =>
        this.generate(
          idx.map((i) => rows[i]!),
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
    const info = this.info;
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

  async score(rows: number[][], items: ScoreRequest[], k: number): Promise<ScoreResult[]> {
    if (items.every((i) => i.continuation.length === 0))
      return rows.map((promptTokens) => ({ promptTokens, tokens: [] }));
    const widest = Math.max(...items.map((i) => i.continuation.length));
    const parts = await this.#parts(rows, widest, widest);
    if (parts)
      return inParts(parts, (idx) =>
        this.score(
          idx.map((i) => rows[i]!),
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

  /**
   * The prompts' KV cache and last-position logits, left-padded into one batch. Kept after generating so that
   * scoring the same prompts (the other model's responses to them) starts from it instead of recomputing them.
   */
  async #prefill(rows: number[][]): Promise<Prefix> {
    const key = rows.map((r) => r.join(',')).join(';');
    if (this.#prefix?.key === key) return this.#prefix;
    this.release();
    if (rows.some((r) => r.length === 0))
      throw new Error('A prompt encoded to no tokens: there is nothing to continue.');
    const width = Math.max(...rows.map((r) => r.length));
    const pad = (r: number[]) => width - r.length;
    const mask = rows.map((r) => [...new Array<number>(pad(r)).fill(0), ...new Array<number>(r.length).fill(1)]);
    const real = rows.reduce((n, r) => n + r.length, 0);
    if (rows.length > 1 && width * rows.length > PADDING_LIMIT * real && this.info.device !== 'webgpu') {
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
    const config = this.model.config as unknown as Record<string, number | undefined>;
    const layers = config['num_hidden_layers'] ?? 1;
    const heads = config['num_attention_heads'] ?? 1;
    const kvHeads = config['num_key_value_heads'] ?? heads;
    const headDim = config['head_dim'] ?? (config['hidden_size'] ?? 0) / heads;
    return 4 * (tokens * layers * 2 * kvHeads * headDim + logitRows * this.info.vocabSize);
  }

  /** The input names of the model's ONNX session (none known: an empty list). */
  #inputNames(): readonly string[] {
    const model = this.model as unknown as { sessions: Record<string, { inputNames?: string[] } | undefined> };
    return model.sessions['model']?.inputNames ?? [];
  }

  /** Rows of logits the prompt's pass makes: one where the graph takes num_logits_to_keep, else one per position. */
  #promptLogitRows(promptTokens: number): number {
    const inputs = this.#inputNames();
    return inputs.includes('num_logits_to_keep') ? 1 : promptTokens;
  }

  /** Consecutive parts of `n` rows that each fit BATCH_BYTES (at least one row each); null when all fit at once. */
  #withinBudget(n: number, rowBytes: number): number[][] | null {
    const fit = Math.max(1, Math.floor(BatchedDecoder.BATCH_BYTES / rowBytes));
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
      const info = this.info;
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

  release(): void {
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
    const model = this.model;
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
}
