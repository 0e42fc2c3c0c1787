// A plain TypeScript forward pass of the Llama decoder: the ground truth the ONNX graph and engines are checked against.
// Deliberately simple loops in float64; speed is not its job.

import type { LlamaWeights } from './weights.ts';

/** y[o] = sum_i W[o, i] x[i] for a row-major [out, in] matrix. */
function matVec(w: Float32Array, x: Float64Array, out: number): Float64Array {
  const inDim = x.length;
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let s = 0;
    const base = o * inDim;
    for (let i = 0; i < inDim; i++) s += w[base + i]! * x[i]!;
    y[o] = s;
  }
  return y;
}

function rmsNorm(x: Float64Array, weight: Float32Array, eps: number): Float64Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const inv = 1 / Math.sqrt(ss / x.length + eps);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i]! * inv * weight[i]!;
  return y;
}

/** Hugging Face RoPE: rotate the two halves of each head (not interleaved pairs). In place. */
function rope(v: Float64Array, heads: number, headDim: number, pos: number, theta: number): void {
  const half = headDim / 2;
  for (let h = 0; h < heads; h++) {
    const o = h * headDim;
    for (let i = 0; i < half; i++) {
      const freq = Math.pow(theta, (-2 * i) / headDim);
      const angle = pos * freq;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      const a = v[o + i]!;
      const b = v[o + i + half]!;
      v[o + i] = a * c - b * s;
      v[o + i + half] = b * c + a * s;
    }
  }
}

const silu = (x: number) => x / (1 + Math.exp(-x));

/** A decoding session with its own KV cache; feed tokens in any chunking, get the logits of each. */
export class ReferenceDecoder {
  readonly #w: LlamaWeights;
  readonly #keys: Float64Array[][] = []; // [layer][position] -> kvHeads*headDim
  readonly #values: Float64Array[][] = [];

  constructor(weights: LlamaWeights) {
    this.#w = weights;
    for (let l = 0; l < weights.config.numLayers; l++) {
      this.#keys.push([]);
      this.#values.push([]);
    }
  }

  get length(): number {
    return this.#keys[0]?.length ?? 0;
  }

  /** Appends tokens to the context and returns one logits vector per appended token. */
  forward(tokens: readonly number[]): Float64Array[] {
    return tokens.map((t) => this.#step(t));
  }

  /**
   * forward() that also returns, per appended token, the residual stream as Hugging Face's hidden_states numbers it
   * without the final norm: hidden[0] the embedding, hidden[l + 1] the stream after decoder layer l. `steering[l + 1]`,
   * when given, is added to the stream after layer l at every position (activation steering), before it is recorded.
   */
  forwardWithHidden(
    tokens: readonly number[],
    steering?: readonly (ArrayLike<number> | null)[],
  ): { logits: Float64Array[]; hidden: Float64Array[][] } {
    const logits: Float64Array[] = [];
    const hidden: Float64Array[][] = [];
    for (const t of tokens) {
      const h: Float64Array[] = [];
      logits.push(this.#step(t, h, steering));
      hidden.push(h);
    }
    return { logits, hidden };
  }

  #step(token: number, hidden?: Float64Array[], steering?: readonly (ArrayLike<number> | null)[]): Float64Array {
    const { config: c, embed, layers, finalNorm, lmHead } = this.#w;
    if (!Number.isInteger(token) || token < 0 || token >= c.vocabSize) {
      throw new Error(`Reference decoder: token id ${token} is outside the vocabulary (0..${c.vocabSize - 1}).`);
    }
    const D = c.hiddenSize;
    const hd = c.headDim;
    const rep = c.numHeads / c.numKvHeads;
    const pos = this.length;
    let x = Float64Array.from(embed.subarray(token * D, (token + 1) * D));
    hidden?.push(Float64Array.from(x));
    for (let l = 0; l < c.numLayers; l++) {
      const L = layers[l]!;
      const h = rmsNorm(x, L.attnNorm, c.rmsNormEps);
      const q = matVec(L.wq, h, c.numHeads * hd);
      const k = matVec(L.wk, h, c.numKvHeads * hd);
      const v = matVec(L.wv, h, c.numKvHeads * hd);
      rope(q, c.numHeads, hd, pos, c.ropeTheta);
      rope(k, c.numKvHeads, hd, pos, c.ropeTheta);
      this.#keys[l]!.push(k);
      this.#values[l]!.push(v);
      const keys = this.#keys[l]!;
      const values = this.#values[l]!;
      const attn = new Float64Array(c.numHeads * hd);
      const scale = 1 / Math.sqrt(hd);
      for (let head = 0; head < c.numHeads; head++) {
        const kvh = Math.floor(head / rep);
        const scores = new Float64Array(keys.length);
        let max = -Infinity;
        for (let t = 0; t < keys.length; t++) {
          let s = 0;
          for (let i = 0; i < hd; i++) s += q[head * hd + i]! * keys[t]![kvh * hd + i]!;
          s *= scale;
          scores[t] = s;
          if (s > max) max = s;
        }
        let sum = 0;
        for (let t = 0; t < scores.length; t++) {
          scores[t] = Math.exp(scores[t]! - max);
          sum += scores[t]!;
        }
        for (let t = 0; t < scores.length; t++) {
          const p = scores[t]! / sum;
          for (let i = 0; i < hd; i++) attn[head * hd + i] = attn[head * hd + i]! + p * values[t]![kvh * hd + i]!;
        }
      }
      const o = matVec(L.wo, attn, D);
      for (let i = 0; i < D; i++) x[i] = x[i]! + o[i]!;
      const h2 = rmsNorm(x, L.ffnNorm, c.rmsNormEps);
      const gate = matVec(L.wGate, h2, c.intermediateSize);
      const up = matVec(L.wUp, h2, c.intermediateSize);
      for (let i = 0; i < gate.length; i++) gate[i] = silu(gate[i]!) * up[i]!;
      const down = matVec(L.wDown, gate, D);
      const next = new Float64Array(D);
      for (let i = 0; i < D; i++) next[i] = x[i]! + down[i]!;
      x = next;
      const add = steering?.[l + 1];
      if (add) for (let i = 0; i < D; i++) x[i] = x[i]! + add[i]!;
      hidden?.push(Float64Array.from(x));
    }
    return matVec(lmHead, rmsNorm(x, finalNorm, c.rmsNormEps), c.vocabSize);
  }
}

export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** Greedy decoding from a prompt; stops after maxNewTokens or at any stop id (which is included). */
export function referenceGreedy(
  weights: LlamaWeights,
  prompt: readonly number[],
  maxNewTokens: number,
  stopIds: readonly number[] = weights.config.eosTokenIds,
): number[] {
  const dec = new ReferenceDecoder(weights);
  let logits = dec.forward(prompt).at(-1);
  const out: number[] = [];
  while (logits && out.length < maxNewTokens) {
    const next = argmax(logits);
    out.push(next);
    if (stopIds.includes(next)) break;
    logits = dec.forward([next])[0];
  }
  return out;
}
