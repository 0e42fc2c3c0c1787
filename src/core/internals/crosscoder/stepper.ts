// One interface over the two ways to run a training step: the TypeScript reference (any JS context) and the ONNX
// graph on an onnxruntime session (WASM or WebGPU; the caller supplies the runtime, so this file imports none).

import { latentMasks, type CrosscoderConfig, type Pair } from './config.ts';
import { buildTrainingStep, next, stateNames } from './onnx-step.ts';
import { fromList, paramList, paramShapes, type AdamState, type CrosscoderParams } from './params.ts';
import { ADAM, referenceStep, type Batch } from './reference.ts';

export interface StepStats {
  loss: number;
  mainLoss: number;
  auxLoss: number;
  squaredError: Pair<number>;
  fired: Float32Array;
  minKept: number;
  gradNorm: number;
}

export interface Stepper {
  readonly kind: string;
  step(batch: Batch, dead: Uint8Array, lr: number): Promise<StepStats>;
  /** Parameters and Adam state as they stand (a copy; on a GPU this downloads them). */
  state(): Promise<{ params: CrosscoderParams; adam: AdamState }>;
  dispose(): void;
}

export class ReferenceStepper implements Stepper {
  readonly kind = 'typescript';
  readonly #masks: Pair<Float32Array>;
  #params: CrosscoderParams;
  #adam: AdamState;

  constructor(
    readonly config: CrosscoderConfig,
    params: CrosscoderParams,
    adam: AdamState,
  ) {
    this.#masks = latentMasks(config);
    this.#params = params;
    this.#adam = adam;
  }

  async step(batch: Batch, dead: Uint8Array, lr: number): Promise<StepStats> {
    const r = referenceStep(this.config, this.#params, this.#adam, batch, dead, lr, this.#masks);
    this.#params = r.params;
    this.#adam = r.adam;
    return r;
  }

  async state() {
    return { params: this.#params, adam: this.#adam };
  }

  dispose(): void {}
}

/** The slice of an onnxruntime session (web or node) the graph stepper needs. */
export interface StepTensor {
  dispose?(): void;
}
export interface StepRuntime<T extends StepTensor = StepTensor> {
  float(data: Float32Array, dims: readonly number[]): T;
  int64(data: BigInt64Array, dims: readonly number[]): T;
  run(feeds: Record<string, T>): Promise<Record<string, T>>;
  /** The values of a tensor, downloaded if it lives on a GPU. */
  read(t: T): Promise<Float32Array>;
}

export class GraphStepper<T extends StepTensor> implements Stepper {
  readonly kind: string;
  /** Parameters, first and second moments as runtime tensors, in stateNames() order. */
  #state: T[];
  #step: number;
  readonly #deadBuffer: Float32Array;

  constructor(
    readonly config: CrosscoderConfig,
    readonly runtime: StepRuntime<T>,
    params: CrosscoderParams,
    adam: AdamState,
    kind = 'onnx',
  ) {
    this.kind = kind;
    const shapes = stateShapes(config);
    const arrays = [...paramList(params), ...adam.m, ...adam.v];
    this.#state = arrays.map((a, i) => runtime.float(new Float32Array(a), shapes[i]!));
    this.#step = adam.step;
    this.#deadBuffer = new Float32Array(config.latents);
  }

  static graph(config: CrosscoderConfig): Uint8Array {
    return buildTrainingStep(config);
  }

  async step(batch: Batch, dead: Uint8Array, lr: number): Promise<StepStats> {
    const c = this.config;
    if (batch.size !== c.batchSize) throw new Error(`crosscoder: the graph takes batches of ${c.batchSize}.`);
    const rt = this.runtime;
    const deadIdx: bigint[] = [];
    for (let j = 0; j < c.latents; j++) {
      this.#deadBuffer[j] = dead[j]!;
      if (dead[j]) deadIdx.push(BigInt(j));
    }
    const nDead = deadIdx.length;
    // With none dead, one index whose flag is 0 keeps the aux columns non-empty (their products are then zero).
    if (!nDead) deadIdx.push(0n);
    const t = this.#step + 1;
    const names = stateNames();
    const feeds: Record<string, T> = {
      x0: rt.float(batch.x[0], [batch.size, c.dims[0]]),
      x1: rt.float(batch.x[1], [batch.size, c.dims[1]]),
      dead: rt.float(this.#deadBuffer, [c.latents]),
      k_top: rt.int64(BigInt64Array.of(BigInt(Math.min(c.k * batch.size, batch.size * c.latents))), [1]),
      k_aux: rt.int64(BigInt64Array.of(BigInt(Math.max(1, Math.min(c.auxK, nDead)))), [1]),
      dead_idx: rt.int64(BigInt64Array.from(deadIdx), [deadIdx.length]),
      lr: rt.float(Float32Array.of(lr), []),
      bc1: rt.float(Float32Array.of(1 / (1 - ADAM.beta1 ** t)), []),
      bc2: rt.float(Float32Array.of(1 / (1 - ADAM.beta2 ** t)), []),
    };
    names.forEach((n, i) => (feeds[n] = this.#state[i]!));
    const out = await rt.run(feeds);
    for (const [name, tensor] of Object.entries(feeds)) if (!names.includes(name)) tensor.dispose?.();
    for (const old of this.#state) old.dispose?.();
    this.#state = names.map((n) => out[next(n)]!);
    this.#step = t;
    const scalar = async (n: string) => {
      const v = (await rt.read(out[n]!))[0]!;
      out[n]!.dispose?.();
      return v;
    };
    const sq = await rt.read(out.squared_error!);
    const fired = new Float32Array(await rt.read(out.fired!));
    out.squared_error!.dispose?.();
    out.fired!.dispose?.();
    const minKept = await scalar('min_kept');
    return {
      loss: await scalar('loss'),
      mainLoss: await scalar('main_loss'),
      auxLoss: await scalar('aux_loss'),
      squaredError: [sq[0]!, sq[1]!],
      fired,
      minKept: minKept >= 1e38 ? Infinity : minKept,
      gradNorm: await scalar('grad_norm'),
    };
  }

  async state() {
    const arrays = await Promise.all(this.#state.map(async (t) => new Float32Array(await this.runtime.read(t))));
    const n = arrays.length / 3;
    return {
      params: fromList(arrays.slice(0, n)),
      adam: { step: this.#step, m: arrays.slice(n, 2 * n), v: arrays.slice(2 * n) },
    };
  }

  dispose(): void {
    for (const t of this.#state) t.dispose?.();
    this.#state = [];
  }
}

function stateShapes(c: CrosscoderConfig): number[][] {
  const p = paramShapes(c);
  return [...p, ...p, ...p];
}
