// The ONNX engine's activation taps: a second onnxruntime session over the model's graph edited to output its
// residual stream and take a steering vector (src/core/internals/activation-taps.ts). Opened on first use from the
// bytes the engine already resolved (external data passed as it is, never rewritten), with the same runtime and
// device as the model's own session, and released when the engine is disposed. It reads activations for given token
// rows and decodes with a vector added to the stream (steering); profiling never uses it.

import { Tensor } from '@huggingface/transformers';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-common';
import {
  addTaps,
  planTaps,
  STEERING_INPUT,
  tapName,
  TapError,
  type TapPlan,
} from '../src/core/internals/activation-taps.ts';
import { indexOnnx, memorySource } from '../src/core/internals/onnx-initializers.ts';

type Feeds = Record<string, OrtTensor>;
/** The external-data name the edited graph gives its embedded weights (a view of the model's own bytes). */
const EMBEDDED_WEIGHTS = 'model_diff_embedded_weights';
type SessionClass = {
  create(buffer: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
};

export class TapSession {
  private constructor(
    readonly session: InferenceSession,
    readonly plan: TapPlan,
  ) {}

  /**
   * Opens the tap session. `like` is the model's own session (its class is the runtime transformers.js loaded, so
   * the taps share its WASM instance or GPU device); `files` resolves a path relative to the model file's folder.
   */
  static async open(
    like: InferenceSession,
    model: Uint8Array,
    externalData: { path: string; data: Uint8Array }[],
    device: string,
    layers: number | undefined,
  ): Promise<TapSession> {
    const index = await indexOnnx(memorySource(model));
    const plan = planTaps(index, layers);
    // onnxruntime-web takes external data as buffers: the embedded weights are handed over as a view of the bytes
    // already read (no copy), so its heap holds them once. onnxruntime-node ('cpu') reads external data from
    // files only, so there the graph keeps them embedded.
    const weightsFile = device === 'cpu' ? null : EMBEDDED_WEIGHTS;
    const edited = addTaps(model, index, plan, weightsFile);
    const external = weightsFile ? [...externalData, { path: weightsFile, data: model }] : externalData;
    const Session = (like as unknown as { constructor: SessionClass }).constructor;
    const executionProviders = device === 'webgpu' ? ['webgpu'] : device === 'cpu' ? ['cpu'] : ['wasm'];
    const session = await Session.create(edited, {
      executionProviders,
      ...(external.length ? { externalData: external } : {}),
    } as InferenceSession.SessionOptions).catch((e: unknown) => {
      throw new TapError(
        `The graph edited for activation taps did not load (${e instanceof Error ? e.message : String(e)}): this ` +
          "export's residual stream could not be tapped. The profile and weight diff are unaffected.",
      );
    });
    return new TapSession(session, plan);
  }

  /**
   * One forward pass of equal-length rows; the taps at `points`, and with `decoding` the logits of the last position
   * and the cache (reading activations fetches the taps alone: nothing else is copied out of the runtime).
   */
  async forward(
    ids: number[][],
    points: number[],
    steering: Float32Array | null,
    past: Feeds | null,
    pastLength: number,
    decoding = true,
  ): Promise<{ taps: Float32Array[]; last: Float32Array[]; present: Feeds }> {
    const B = ids.length;
    const S = ids[0]!.length;
    const feeds: Feeds = {};
    const int64 = (rows: number[][], n: number) =>
      ort(
        new Tensor(
          'int64',
          BigInt64Array.from(rows.flat(), (x) => BigInt(x)),
          [B, n],
        ),
      );
    const names = this.session.inputNames;
    feeds['input_ids'] = int64(ids, S);
    if (names.includes('attention_mask'))
      feeds['attention_mask'] = int64(
        ids.map(() => new Array<number>(pastLength + S).fill(1)),
        pastLength + S,
      );
    if (names.includes('position_ids'))
      feeds['position_ids'] = int64(
        ids.map(() => Array.from({ length: S }, (_, j) => pastLength + j)),
        S,
      );
    if (names.includes('num_logits_to_keep'))
      feeds['num_logits_to_keep'] = ort(new Tensor('int64', BigInt64Array.of(1n), []));
    const { layers, hiddenSize } = this.plan;
    feeds[STEERING_INPUT] = ort(
      new Tensor('float32', steering ?? new Float32Array((layers + 1) * hiddenSize), [layers + 1, hiddenSize]),
    );
    for (const meta of this.session.inputMetadata) {
      if (!meta.name.startsWith('past_key_values')) continue;
      if (past?.[meta.name]) {
        feeds[meta.name] = past[meta.name]!;
        continue;
      }
      const shape = meta.isTensor ? meta.shape : [];
      const heads = Number(shape[1]);
      const dim = Number(shape[3]);
      if (!Number.isInteger(heads) || !Number.isInteger(dim))
        throw new TapError(`The graph's ${meta.name} input has no fixed head count and size; it cannot be fed.`);
      const type = meta.isTensor && meta.type === 'float16' ? 'float16' : 'float32';
      feeds[meta.name] = ort(
        new Tensor(type, type === 'float16' ? new Uint16Array(0) : new Float32Array(0), [B, heads, 0, dim]),
      );
    }
    const fetches = decoding
      ? ['logits', ...points.map(tapName), ...this.session.outputNames.filter((n) => n.startsWith('present'))]
      : points.map(tapName);
    const out = await this.session.run(feeds, fetches);
    const taps = points.map((p) => out[tapName(p)]!.data as Float32Array);
    if (!decoding) return { taps, last: [], present: {} };
    const logits = out['logits']!;
    const [, L, V] = logits.dims as [number, number, number];
    const raw = logits.type === 'float32' ? (logits.data as Float32Array) : toFloat32(logits);
    const last = ids.map((_, b) => raw.slice((b * L + L - 1) * V, (b * L + L) * V));
    const present: Feeds = {};
    for (const [name, t] of Object.entries(out))
      if (name.startsWith('present')) present[name.replace('present', 'past_key_values')] = t;
    return { taps, last, present };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function ort(t: Tensor): OrtTensor {
  return (t as unknown as { ort_tensor: OrtTensor }).ort_tensor;
}

function toFloat32(t: OrtTensor): Float32Array {
  const wrapped = new Tensor(t.type as 'float16', t.data as Uint16Array, t.dims as number[]);
  return wrapped.to('float32').data as Float32Array;
}
