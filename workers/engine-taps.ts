// The ONNX engine's internals lens: activations from the residual stream, decoding with a steering vector added to
// it, and the logit lens (a residual-space vector read through the model's final norm weight and unembedding). The
// tap session (taps.ts) opens on first use from the model file the engine loaded, and closes with the engine.

import type { PreTrainedModel } from '@huggingface/transformers';
import type { InferenceSession } from 'onnxruntime-common';
import { decodeStep } from '../src/core/engine/distribution.ts';
import type { GenerationResult, ModelInfo } from '../src/core/engine/types.ts';
import { TapError } from '../src/core/internals/activation-taps.ts';
import type { WeightSource } from '../src/core/internals/onnx-weights.ts';
import { readableExtremes, tokenScores } from '../src/core/internals/top-direction.ts';
import { createRng } from '../src/core/random.ts';
import type { ActivationRequest, Activations, LensResult, SteeringRequest, TapLayout } from './engine-api.ts';
import type { Resolver } from './model-files.ts';
import { readModelBytes } from './model-bytes.ts';
import { TapSession } from './taps.ts';

/** At most this many float32 values held per forward pass (rows × positions × hidden × all points, × 2): 64 MiB. */
const TAP_VALUES = 16 * 2 ** 20;

export class EngineTaps {
  #session: Promise<TapSession> | null = null;
  #lens: Promise<{ head: Float32Array; rows: number; cols: number; tokenAxis: 0 | 1; norm?: Float32Array }> | null =
    null;

  constructor(
    readonly model: PreTrainedModel,
    readonly info: ModelInfo,
    readonly resolver: Resolver,
    readonly file: string,
    readonly weights: WeightSource,
    readonly decode: (ids: number[]) => Promise<string>,
    /** Token ids the logit lens passes over besides those that do not read as text: specials never written. */
    readonly unwritten: ReadonlySet<number> = new Set(),
  ) {}

  async layout(): Promise<TapLayout> {
    const { plan } = await this.#open();
    return { layers: plan.layers, hiddenSize: plan.hiddenSize };
  }

  /** The stream at `points` for each row (its first `firstPositions` tokens when given), rows of one length batched. */
  async activations(req: ActivationRequest): Promise<Activations> {
    const taps = await this.#open();
    const { hiddenSize, layers } = taps.plan;
    for (const p of req.points)
      if (!Number.isInteger(p) || p < 0 || p > layers)
        throw new TapError(`Stream point ${p} does not exist: this model has points 0 (embedding) to ${layers}.`);
    const rows = req.rows.map((r) => (req.firstPositions ? r.slice(0, req.firstPositions) : r));
    if (rows.some((r) => r.length === 0)) throw new TapError('A row of tokens is empty: there is nothing to read.');
    const lengths = rows.map((r) => r.length);
    const offsets = lengths.map((_, i) => lengths.slice(0, i).reduce((a, b) => a + b, 0));
    const total = lengths.reduce((a, b) => a + b, 0);
    const data = req.points.map(() => new Float32Array(total * hiddenSize));
    const byLength = new Map<number, number[]>();
    rows.forEach((r, i) => byLength.set(r.length, [...(byLength.get(r.length) ?? []), i]));
    for (const [n, members] of byLength) {
      // The edited graph outputs every stream point and its cache whichever are fetched, and the runtime holds them
      // all until the pass ends: rows per pass are sized by that (every point, and the cache counted as much again).
      const fit = Math.max(1, Math.floor(TAP_VALUES / (n * hiddenSize * (layers + 1) * 2)));
      for (let s = 0; s < members.length; s += fit) {
        const part = members.slice(s, s + fit);
        const out = await taps.forward(
          part.map((i) => rows[i]!),
          req.points,
          null,
          null,
          0,
          false,
        );
        out.taps.forEach((t, k) =>
          part.forEach((row, b) =>
            data[k]!.set(t.subarray(b * n * hiddenSize, (b + 1) * n * hiddenSize), offsets[row]! * hiddenSize),
          ),
        );
      }
    }
    return { hiddenSize, points: [...req.points], lengths, data };
  }

  /** Decodes one prompt with `vector` added to the stream at `point` at every position (batch of one). */
  async generateSteered(req: SteeringRequest, promptTokens: number[]): Promise<GenerationResult> {
    const taps = await this.#open();
    const { hiddenSize, layers } = taps.plan;
    if (!Number.isInteger(req.point) || req.point < 1 || req.point > layers)
      throw new TapError(`Steering point ${req.point} does not exist: this model has points 1 to ${layers}.`);
    if (req.vector.length !== hiddenSize)
      throw new TapError(
        `A steering vector must have ${hiddenSize} values (this model's hidden size), not ${req.vector.length}.`,
      );
    const steering = new Float32Array((layers + 1) * hiddenSize);
    steering.set(req.vector, req.point * hiddenSize);
    const { settings } = req;
    const rng = createRng(settings.seed);
    const t0 = performance.now();
    let out = await taps.forward([promptTokens], [], steering, null, 0);
    const prefillMs = performance.now() - t0;
    const tokens: GenerationResult['tokens'] = [];
    let stop: GenerationResult['stop'] = 'length';
    let length = promptTokens.length;
    for (;;) {
      const step = decodeStep(out.last[0]!, settings, rng);
      tokens.push(step);
      if (this.info.eosTokenIds.includes(step.id)) stop = 'eos';
      if (stop === 'eos' || tokens.length >= settings.maxNewTokens) break;
      out = await taps.forward([[step.id]], [], steering, out.present, length);
      length += 1;
    }
    const decodeMs = performance.now() - t0 - prefillMs;
    return {
      promptTokens,
      tokens,
      text: await this.decode(tokens.map((s) => s.id)),
      stop,
      timings: { prefillMs, decodeMs, tokensPerSecond: tokens.length ? (tokens.length / decodeMs) * 1000 : 0 },
    };
  }

  /**
   * The logit lens of each vector: scores of every token for the vector scaled by the final norm's weight and read
   * through the unembedding (the normalisation's own scale does not change the order, so it is left out); the k
   * highest and the k lowest (the highest of its negative) among the tokens that read as text (byte pieces and
   * control characters are passed over: top-direction.ts isReadableToken) and that a model writes (not BOS, unknown or
   * padding: their rows are untrained in a small model and took the extremes).
   */
  async logitLens(vectors: Float32Array[], k: number): Promise<LensResult> {
    const lens = await (this.#lens ??= this.#readLens());
    const matrix = { data: lens.head, rows: lens.rows, cols: lens.cols };
    const texts = async (ids: number[]) => {
      const read = (await this.weights.tokenTexts?.(ids)) ?? ids.map(() => '?');
      return read.map((t, i) => (this.unwritten.has(ids[i]!) ? '' : t));
    };
    const rows: LensResult['rows'] = [];
    for (const v of vectors) {
      const scores = tokenScores(matrix, lens.tokenAxis, Float64Array.from(v), lens.norm);
      const { up, down, text } = await readableExtremes(scores, k, texts);
      const token = (id: number) => ({ id, score: scores[id]!, text: text.get(id)! });
      rows.push({ top: up.map(token), bottom: down.map(token) });
    }
    return { rows };
  }

  async release(): Promise<void> {
    const s = this.#session;
    this.#session = null;
    this.#lens = null;
    await (await s?.catch(() => null))?.release();
  }

  #open(): Promise<TapSession> {
    this.#session ??= (async () => {
      const { bytes, externalData } = await readModelBytes(this.resolver, this.file, 'activation taps');
      const config = this.model.config as unknown as Record<string, unknown>;
      const layers = typeof config['num_hidden_layers'] === 'number' ? config['num_hidden_layers'] : undefined;
      const own = (this.model as unknown as { sessions: Record<string, InferenceSession> }).sessions['model'];
      if (!own) throw new TapError('This model has no decoder session to tap.');
      return TapSession.open(own, bytes, externalData, this.info.device, layers);
    })();
    return this.#session;
  }

  async #readLens() {
    const manifest = await this.weights.manifest();
    const head =
      manifest.tensors.find((t) => t.module === 'head') ?? manifest.tensors.find((t) => t.module === 'embedding');
    if (!head) throw new TapError('This model has no unembedding the logit lens could read.');
    const m = await this.weights.read(head.key);
    const tokenAxis: 0 | 1 =
      head.module === 'head' && head.outAxis !== null ? head.outAxis : m.dims[0] === this.info.vocabSize ? 0 : 1;
    const norm = manifest.tensors.some((t) => t.key === 'ln_final')
      ? (await this.weights.read('ln_final')).data
      : undefined;
    return { head: m.data, rows: m.dims[0]!, cols: m.dims[1]!, tokenAxis, ...(norm ? { norm } : {}) };
  }
}
