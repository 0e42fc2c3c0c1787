// Training data for the crosscoder: two models' activations at aligned positions, given as chunks (one chunk per
// text, [positions, d] row-major, BOS first). Drops the BOS position and attention-sink positions, normalises each
// model separately to mean norm √d, subsamples past a token cap (and says so), and serves seeded shuffled batches.

import { createRng } from '../../random.ts';
import type { Pair } from './config.ts';
import type { Batch } from './reference.ts';

export interface ActivationChunks {
  /** Hidden size. */
  dim: number;
  /** chunk[i]: [n_i, dim]; chunk i of A and of B hold the same positions (aligned by the caller). */
  chunks: readonly Float32Array[];
}

export interface PrepareOptions {
  /** Leading positions of each chunk to drop (BOS, which is also these models' attention sink). Default 1. */
  dropFirst?: number;
  /** Also drop positions whose norm exceeds this multiple of the median norm in either model. Default 8. */
  sinkFactor?: number;
  /** Keep at most this many positions (an even, seeded subsample). Default 262144. */
  maxTokens?: number;
  seed?: number;
}

export interface TrainingData {
  dims: Pair<number>;
  tokens: number;
  /** x[m]: [tokens, d_m], normalised. */
  x: Pair<Float32Array>;
  /** origin[2t], origin[2t+1]: chunk index and position of row t. */
  origin: Int32Array;
  /** Multiply raw activations by scale[m] to get the training space (√d / mean norm). */
  scale: Pair<number>;
  /** Mean of each model's normalised data (the decoder bias starts there). */
  mean: Pair<Float32Array>;
  /** Mean squared distance from the mean, per token (explained variance's denominator). */
  variance: Pair<number>;
  notes: string[];
}

function norm(x: Float32Array, row: number, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += x[row * d + i]! ** 2;
  return Math.sqrt(s);
}

export function prepareActivations(sets: Pair<ActivationChunks>, options: PrepareOptions = {}): TrainingData {
  const dropFirst = options.dropFirst ?? 1;
  const sinkFactor = options.sinkFactor ?? 8;
  const maxTokens = options.maxTokens ?? 262144;
  const [a, b] = sets;
  if (a.chunks.length !== b.chunks.length) throw new Error('crosscoder: the two models have different chunk counts.');
  const dims = [a.dim, b.dim] as const;
  const candidates: number[] = []; // chunk, position pairs
  const norms: number[][] = [[], []];
  a.chunks.forEach((ca, i) => {
    const cb = b.chunks[i]!;
    const n = ca.length / a.dim;
    if (!Number.isInteger(n) || cb.length / b.dim !== n) {
      throw new Error(`crosscoder: chunk ${i} holds ${n} positions for A and ${cb.length / b.dim} for B.`);
    }
    for (let p = dropFirst; p < n; p++) {
      candidates.push(i, p);
      norms[0]!.push(norm(ca, p, a.dim));
      norms[1]!.push(norm(cb, p, b.dim));
    }
  });
  if (candidates.length === 0) throw new Error('crosscoder: no aligned positions to train on.');
  const median = norms.map((ns) => [...ns].sort((x, y) => x - y)[Math.floor(ns.length / 2)]!);
  const keep: number[] = [];
  let sinks = 0;
  for (let t = 0; t < candidates.length / 2; t++) {
    if (norms[0]![t]! > sinkFactor * median[0]! || norms[1]![t]! > sinkFactor * median[1]!) sinks++;
    else keep.push(t);
  }
  const notes: string[] = [];
  if (sinks) notes.push(`${sinks} attention-sink positions (norm over ${sinkFactor}× the median) dropped.`);
  let rows = keep;
  if (keep.length > maxTokens) {
    const rng = createRng(options.seed ?? 1);
    const shuffled = [...keep];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    rows = shuffled.slice(0, maxTokens).sort((x, y) => x - y);
    notes.push(`${keep.length} positions: a seeded subsample of ${maxTokens} was used.`);
  }
  const N = rows.length;
  const origin = new Int32Array(2 * N);
  const x = dims.map((d) => new Float32Array(N * d));
  const scale = [0, 1].map((m) => {
    let s = 0;
    for (const t of rows) s += norms[m]![t]!;
    return Math.sqrt(dims[m]!) / (s / N);
  });
  rows.forEach((t, r) => {
    const chunk = candidates[2 * t]!;
    const pos = candidates[2 * t + 1]!;
    origin[2 * r] = chunk;
    origin[2 * r + 1] = pos;
    [a, b].forEach((set, m) => {
      const d = dims[m]!;
      const src = set.chunks[chunk]!;
      for (let i = 0; i < d; i++) x[m]![r * d + i] = src[pos * d + i]! * scale[m]!;
    });
  });
  const mean = dims.map((d, m) => {
    const mu = new Float64Array(d);
    for (let r = 0; r < N; r++) for (let i = 0; i < d; i++) mu[i] = mu[i]! + x[m]![r * d + i]!;
    return Float32Array.from(mu, (v) => v / N);
  });
  const variance = dims.map((d, m) => {
    let v = 0;
    for (let r = 0; r < N; r++) for (let i = 0; i < d; i++) v += (x[m]![r * d + i]! - mean[m]![i]!) ** 2;
    return v / N;
  });
  return {
    dims,
    tokens: N,
    x: x as unknown as Pair<Float32Array>,
    origin,
    scale: scale as unknown as Pair<number>,
    mean: mean as unknown as Pair<Float32Array>,
    variance: variance as unknown as Pair<number>,
    notes,
  };
}

/** Rows of batch `step`: epoch e uses the seeded permutation e, so a resumed run sees the same batches. */
export class BatchSource {
  readonly #data: TrainingData;
  readonly #size: number;
  readonly #seed: number;
  #epoch = -1;
  #perm = new Int32Array(0);
  readonly #buffers: Pair<Float32Array>;

  constructor(data: TrainingData, batchSize: number, seed: number) {
    if (data.tokens < batchSize) {
      throw new Error(`crosscoder: ${data.tokens} positions are fewer than one batch (${batchSize}).`);
    }
    this.#data = data;
    this.#size = batchSize;
    this.#seed = seed;
    this.#buffers = [new Float32Array(batchSize * data.dims[0]), new Float32Array(batchSize * data.dims[1])];
  }

  get batchesPerEpoch(): number {
    return Math.floor(this.#data.tokens / this.#size);
  }

  /** The batch for a step (its arrays are reused by the next call). */
  batch(step: number): Batch {
    const per = this.batchesPerEpoch;
    const epoch = Math.floor(step / per);
    if (epoch !== this.#epoch) {
      const rng = createRng(this.#seed * 7919 + epoch);
      const perm = Int32Array.from({ length: this.#data.tokens }, (_, i) => i);
      for (let i = perm.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = t;
      }
      this.#perm = perm;
      this.#epoch = epoch;
    }
    const start = (step % per) * this.#size;
    this.#data.dims.forEach((d, m) => {
      const src = this.#data.x[m]!;
      const out = this.#buffers[m]!;
      for (let b = 0; b < this.#size; b++)
        out.set(src.subarray(this.#perm[start + b]! * d, (this.#perm[start + b]! + 1) * d), b * d);
    });
    return { size: this.#size, x: this.#buffers };
  }
}
