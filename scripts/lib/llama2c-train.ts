// Gradient-descent fine-tuning of a llama2.c "version 0" checkpoint, in plain TypeScript: the forward pass of
// Karpathy's llama2.c run.c (RMSNorm, rotary attention on interleaved pairs with grouped key/value heads, SwiGLU),
// its backward pass written out by hand, and AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay
// Regularization") with global-norm gradient clipping. It exists to make planted model pairs the way
// ../shared/data/stories260K-bird was made — a base fine-tuned on its own stories that share a subject — so that the
// discovery methods can be checked on fine-tunes whose objective nobody chose by looking at the methods' output
// (scripts/plant-finetune.ts, `npm run validate-finetune`). Float64 throughout: the checkpoint's float32 weights are
// widened on reading and rounded once on writing. Small models only (stories260K trains at a few thousand tokens a
// second on one core); the app never runs it.

import { llama2cTensors, readLlama2cHeader, type Llama2cHeader } from '../../src/core/llama2c/checkpoint.ts';

const HEADER_BYTES = 7 * 4;

/** One named tensor of the checkpoint: its place among the file's floats and its own length. */
interface Slot {
  name: string;
  /** Among the file's floats (after the header). */
  offset: number;
  /** Among the packed parameters (the rotary tables left out). */
  at: number;
  length: number;
}

interface LayerViews {
  rmsAtt: Float64Array;
  wq: Float64Array;
  wk: Float64Array;
  wv: Float64Array;
  wo: Float64Array;
  rmsFfn: Float64Array;
  w1: Float64Array;
  w2: Float64Array;
  w3: Float64Array;
}

interface Views {
  embed: Float64Array;
  layers: LayerViews[];
  rmsFinal: Float64Array;
  /** The classifier: the embedding itself when the checkpoint shares them. */
  wcls: Float64Array;
}

/** A checkpoint held for training: its trainable floats (float64) and the bytes it came from. */
export interface TrainableCheckpoint {
  header: Llama2cHeader;
  headSize: number;
  kvDim: number;
  /** Every trainable float, tensor after tensor in file order (the rotary tables left out). */
  params: Float64Array;
  slots: Slot[];
  /** Views of params by tensor. */
  views: Views;
  /** The original file, kept for its header and rotary tables. */
  bytes: Uint8Array;
}

/** Same-shaped gradient buffers (views of one flat array, as the parameters are). */
export interface Gradients {
  flat: Float64Array;
  views: Views;
}

/** The checkpoint's trainable tensors (the rotary tables left out), each with its place among the packed ones. */
function layout(h: Llama2cHeader): { slots: Slot[]; fileFloats: number } {
  const tensors = llama2cTensors(h);
  const last = tensors[tensors.length - 1]!;
  let at = 0;
  const slots = tensors
    .filter((t) => t.name !== 'freqs')
    .map((t) => {
      const slot = { ...t, at };
      at += t.length;
      return slot;
    });
  return { slots, fileFloats: last.offset + last.length };
}

function viewsOf(flat: Float64Array, slots: readonly Slot[], h: Llama2cHeader): Views {
  const view = (name: string) => {
    const s = slots.find((x) => x.name === name)!;
    return flat.subarray(s.at, s.at + s.length);
  };
  const embed = view('embed');
  return {
    embed,
    layers: Array.from({ length: h.nLayers }, (_, l) => ({
      rmsAtt: view(`rmsAtt.${l}`),
      wq: view(`wq.${l}`),
      wk: view(`wk.${l}`),
      wv: view(`wv.${l}`),
      wo: view(`wo.${l}`),
      rmsFfn: view(`rmsFfn.${l}`),
      w1: view(`w1.${l}`),
      w2: view(`w2.${l}`),
      w3: view(`w3.${l}`),
    })),
    rmsFinal: view('rmsFinal'),
    wcls: h.sharedClassifier ? embed : view('wcls'),
  };
}

/** Reads a llama2.c version-0 checkpoint for training (the reader's own checks and messages). */
export function readTrainable(bytes: Uint8Array, fileName = 'checkpoint'): TrainableCheckpoint {
  const header = readLlama2cHeader(bytes, fileName);
  const { slots, fileFloats } = layout(header);
  if (bytes.byteLength !== HEADER_BYTES + fileFloats * 4)
    throw new Error(
      `${fileName}: ${bytes.byteLength} bytes, but its header describes ${HEADER_BYTES + fileFloats * 4}.`,
    );
  const floats = new Float32Array(fileFloats);
  new Uint8Array(floats.buffer).set(bytes.subarray(HEADER_BYTES));
  const trainable = slots.reduce((s, x) => s + x.length, 0);
  const params = new Float64Array(trainable);
  let k = 0;
  for (const s of slots) for (let i = 0; i < s.length; i++) params[k++] = floats[s.offset + i]!;
  const headSize = header.dim / header.nHeads;
  return {
    header,
    headSize,
    kvDim: header.nKvHeads * headSize,
    params,
    slots,
    views: viewsOf(params, slots, header),
    bytes,
  };
}

/** The checkpoint's bytes with the trained parameters in place (same header, same rotary tables). */
export function writeTrainable(m: TrainableCheckpoint): Uint8Array {
  for (const x of m.params)
    if (!Number.isFinite(x))
      throw new Error('llama2c-train: a parameter is not finite (NaN or Infinity): training diverged');
  // A copy, whatever the bytes are (Buffer.slice would be a view of the caller's file).
  const out = new Uint8Array(m.bytes);
  const floats = new Float32Array(out.buffer, out.byteOffset + HEADER_BYTES, (out.byteLength - HEADER_BYTES) / 4);
  let k = 0;
  for (const s of m.slots) for (let i = 0; i < s.length; i++) floats[s.offset + i] = m.params[k++]!;
  return out;
}

export function zeroGradients(m: TrainableCheckpoint): Gradients {
  const flat = new Float64Array(m.params.length);
  return { flat, views: viewsOf(flat, m.slots, m.header) };
}

// ---- the forward pass over a whole sequence, keeping what the backward pass needs ----

/** Y[t, o] = Σ_i X[t, i] · W[o, i] (W row-major [out, in]). */
function matmul(x: Float64Array, w: Float64Array, rows: number, inDim: number, outDim: number): Float64Array {
  const y = new Float64Array(rows * outDim);
  for (let t = 0; t < rows; t++) {
    const xo = t * inDim;
    for (let o = 0; o < outDim; o++) {
      const wo = o * inDim;
      let s = 0;
      for (let i = 0; i < inDim; i++) s += x[xo + i]! * w[wo + i]!;
      y[t * outDim + o] = s;
    }
  }
  return y;
}

/**
 * Backward of matmul: dX += dY · W, dW += dYᵀ · X. Four rows of W (for dX) and four rows of X (for dW) at a time, so
 * each accumulator is loaded and stored once per four products.
 */
function matmulBack(
  dy: Float64Array,
  x: Float64Array,
  w: Float64Array,
  rows: number,
  inDim: number,
  outDim: number,
  dx: Float64Array,
  dw: Float64Array,
): void {
  for (let t = 0; t < rows; t++) {
    const xo = t * inDim;
    const go = t * outDim;
    let o = 0;
    for (; o + 3 < outDim; o += 4) {
      const [g0, g1, g2, g3] = [dy[go + o]!, dy[go + o + 1]!, dy[go + o + 2]!, dy[go + o + 3]!];
      const [w0, w1, w2, w3] = [o * inDim, (o + 1) * inDim, (o + 2) * inDim, (o + 3) * inDim];
      for (let i = 0; i < inDim; i++)
        dx[xo + i]! += g0 * w[w0 + i]! + g1 * w[w1 + i]! + g2 * w[w2 + i]! + g3 * w[w3 + i]!;
    }
    for (; o < outDim; o++) {
      const g = dy[go + o]!;
      const wo = o * inDim;
      for (let i = 0; i < inDim; i++) dx[xo + i]! += g * w[wo + i]!;
    }
  }
  for (let o = 0; o < outDim; o++) {
    const wo = o * inDim;
    let t = 0;
    for (; t + 3 < rows; t += 4) {
      const [g0, g1, g2, g3] = [
        dy[t * outDim + o]!,
        dy[(t + 1) * outDim + o]!,
        dy[(t + 2) * outDim + o]!,
        dy[(t + 3) * outDim + o]!,
      ];
      const [x0, x1, x2, x3] = [t * inDim, (t + 1) * inDim, (t + 2) * inDim, (t + 3) * inDim];
      for (let i = 0; i < inDim; i++)
        dw[wo + i]! += g0 * x[x0 + i]! + g1 * x[x1 + i]! + g2 * x[x2 + i]! + g3 * x[x3 + i]!;
    }
    for (; t < rows; t++) {
      const g = dy[t * outDim + o]!;
      const xo = t * inDim;
      for (let i = 0; i < inDim; i++) dw[wo + i]! += g * x[xo + i]!;
    }
  }
}

const EPS = 1e-5;

/** run.c's rmsnorm per row: out = w · x / sqrt(mean(x²) + 1e-5); returns the per-row 1/rms. */
function rmsnorm(x: Float64Array, w: Float64Array, rows: number, dim: number): { y: Float64Array; inv: Float64Array } {
  const y = new Float64Array(rows * dim);
  const inv = new Float64Array(rows);
  for (let t = 0; t < rows; t++) {
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += x[t * dim + i]! ** 2;
    const r = 1 / Math.sqrt(ss / dim + EPS);
    inv[t] = r;
    for (let i = 0; i < dim; i++) y[t * dim + i] = w[i]! * (r * x[t * dim + i]!);
  }
  return { y, inv };
}

function rmsnormBack(
  dy: Float64Array,
  x: Float64Array,
  w: Float64Array,
  inv: Float64Array,
  rows: number,
  dim: number,
  dx: Float64Array,
  dw: Float64Array,
): void {
  for (let t = 0; t < rows; t++) {
    const r = inv[t]!;
    let dot = 0;
    for (let i = 0; i < dim; i++) {
      const g = dy[t * dim + i]!;
      dw[i]! += g * r * x[t * dim + i]!;
      dot += g * w[i]! * x[t * dim + i]!;
    }
    const c = (r * r * r * dot) / dim;
    for (let i = 0; i < dim; i++) dx[t * dim + i]! += r * dy[t * dim + i]! * w[i]! - c * x[t * dim + i]!;
  }
}

/** run.c's rotary embedding: pairs (i, i + 1) of each head rotated by pos · 10000^(−(i mod headSize) / headSize). */
function rope(v: Float64Array, rows: number, width: number, headSize: number, inverse: boolean): void {
  for (let t = 0; t < rows; t++)
    for (let i = 0; i < width; i += 2) {
      const angle = t / Math.pow(10000, (i % headSize) / headSize);
      const c = Math.cos(angle);
      const s = inverse ? -Math.sin(angle) : Math.sin(angle);
      const a = v[t * width + i]!;
      const b = v[t * width + i + 1]!;
      v[t * width + i] = a * c - b * s;
      v[t * width + i + 1] = a * s + b * c;
    }
}

/** Columns [from, from + hs) of a [T, width] matrix, as a [T, hs] one. */
function gatherHead(m: Float64Array, width: number, from: number, T: number, hs: number, out: Float64Array): void {
  for (let t = 0; t < T; t++) for (let i = 0; i < hs; i++) out[t * hs + i] = m[t * width + from + i]!;
}

function scatterHead(h: Float64Array, T: number, hs: number, m: Float64Array, width: number, from: number): void {
  for (let t = 0; t < T; t++) for (let i = 0; i < hs; i++) m[t * width + from + i] = h[t * hs + i]!;
}

function addHead(h: Float64Array, T: number, hs: number, m: Float64Array, width: number, from: number): void {
  for (let t = 0; t < T; t++) for (let i = 0; i < hs; i++) m[t * width + from + i]! += h[t * hs + i]!;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

interface LayerCache {
  xin: Float64Array;
  n1: { y: Float64Array; inv: Float64Array };
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  /** Attention probabilities [head][t][u ≤ t], row t at t·T. */
  p: Float64Array;
  att: Float64Array;
  xmid: Float64Array;
  n2: { y: Float64Array; inv: Float64Array };
  h1: Float64Array;
  h3: Float64Array;
  g: Float64Array;
}

interface Forward {
  tokens: readonly number[];
  layers: LayerCache[];
  xf: Float64Array;
  nf: { y: Float64Array; inv: Float64Array };
  logits: Float64Array;
}

function forward(m: TrainableCheckpoint, tokens: readonly number[]): Forward {
  const { dim: D, hiddenDim: F, nHeads: H, nKvHeads, vocabSize: V } = m.header;
  const { headSize: hs, kvDim: KV, views: W } = m;
  const T = tokens.length;
  const kvMul = H / nKvHeads;
  let x = new Float64Array(T * D);
  tokens.forEach((tok, t) => {
    if (!Number.isInteger(tok) || tok < 0 || tok >= V)
      throw new RangeError(`llama2c-train: token id ${tok} is outside the vocabulary (0..${V - 1})`);
    x.set(W.embed.subarray(tok * D, (tok + 1) * D), t * D);
  });
  const layers: LayerCache[] = [];
  for (const L of W.layers) {
    const xin = x;
    const n1 = rmsnorm(xin, L.rmsAtt, T, D);
    const q = matmul(n1.y, L.wq, T, D, D);
    const k = matmul(n1.y, L.wk, T, D, KV);
    const v = matmul(n1.y, L.wv, T, D, KV);
    rope(q, T, D, hs, false);
    rope(k, T, KV, hs, false);
    const p = new Float64Array(H * T * T);
    const att = new Float64Array(T * D);
    const scale = 1 / Math.sqrt(hs);
    // Per head, its queries, keys and values side by side ([T, hs] each), so the inner loops read contiguous rows.
    const qh = new Float64Array(T * hs);
    const kh = new Float64Array(T * hs);
    const vh = new Float64Array(T * hs);
    const oh = new Float64Array(T * hs);
    for (let h = 0; h < H; h++) {
      const kvo = Math.floor(h / kvMul) * hs;
      gatherHead(q, D, h * hs, T, hs, qh);
      gatherHead(k, KV, kvo, T, hs, kh);
      gatherHead(v, KV, kvo, T, hs, vh);
      oh.fill(0);
      for (let t = 0; t < T; t++) {
        const row = (h * T + t) * T;
        let max = -Infinity;
        for (let u = 0; u <= t; u++) {
          let s = 0;
          for (let i = 0; i < hs; i++) s += qh[t * hs + i]! * kh[u * hs + i]!;
          p[row + u] = s * scale;
          if (p[row + u]! > max) max = p[row + u]!;
        }
        let sum = 0;
        for (let u = 0; u <= t; u++) sum += p[row + u] = Math.exp(p[row + u]! - max);
        for (let u = 0; u <= t; u++) {
          const pu = (p[row + u]! /= sum);
          for (let i = 0; i < hs; i++) oh[t * hs + i]! += pu * vh[u * hs + i]!;
        }
      }
      scatterHead(oh, T, hs, att, D, h * hs);
    }
    const o = matmul(att, L.wo, T, D, D);
    const xmid = new Float64Array(T * D);
    for (let i = 0; i < T * D; i++) xmid[i] = xin[i]! + o[i]!;
    const n2 = rmsnorm(xmid, L.rmsFfn, T, D);
    const h1 = matmul(n2.y, L.w1, T, D, F);
    const h3 = matmul(n2.y, L.w3, T, D, F);
    const g = new Float64Array(T * F);
    for (let i = 0; i < T * F; i++) g[i] = h1[i]! * sigmoid(h1[i]!) * h3[i]!;
    const down = matmul(g, L.w2, T, F, D);
    x = new Float64Array(T * D);
    for (let i = 0; i < T * D; i++) x[i] = xmid[i]! + down[i]!;
    layers.push({ xin, n1, q, k, v, p, att, xmid, n2, h1, h3, g });
  }
  const nf = rmsnorm(x, W.rmsFinal, T, D);
  return { tokens, layers, xf: x, nf, logits: matmul(nf.y, W.wcls, T, D, V) };
}

/** Logits of every position of a sequence (row t: the next-token logits after tokens[0..t]). */
export function sequenceLogits(m: TrainableCheckpoint, tokens: readonly number[]): Float64Array {
  return forward(m, tokens).logits;
}

/** log Σ exp(z), shifted by the largest z. */
function logSumExp(row: Float64Array): number {
  let max = -Infinity;
  for (const z of row) if (z > max) max = z;
  let sum = 0;
  for (const z of row) sum += Math.exp(z - max);
  return max + Math.log(sum);
}

/** Summed next-token cross-entropy (nats) of a sequence, forward pass only. */
export function sequenceLoss(m: TrainableCheckpoint, tokens: readonly number[]): number {
  const V = m.header.vocabSize;
  const logits = forward(m, tokens).logits;
  let loss = 0;
  for (let t = 0; t + 1 < tokens.length; t++) {
    const row = logits.subarray(t * V, (t + 1) * V);
    loss += logSumExp(row) - row[tokens[t + 1]!]!;
  }
  return loss;
}

/**
 * Summed next-token cross-entropy (nats) of a sequence, predicting tokens[1..] from what precedes each, with its
 * gradient added into `grad` scaled by `weight` (1 / the batch's predicted-token count for a mean loss).
 */
export function lossAndGradient(
  m: TrainableCheckpoint,
  tokens: readonly number[],
  grad: Gradients,
  weight: number,
): number {
  const { dim: D, hiddenDim: F, nHeads: H, nKvHeads, vocabSize: V } = m.header;
  const { headSize: hs, kvDim: KV, views: W } = m;
  const T = tokens.length;
  const kvMul = H / nKvHeads;
  const f = forward(m, tokens);
  // Cross-entropy and d loss / d logits (the last position predicts nothing).
  let loss = 0;
  const dLogits = new Float64Array(T * V);
  for (let t = 0; t + 1 < T; t++) {
    const row = f.logits.subarray(t * V, (t + 1) * V);
    const logZ = logSumExp(row);
    const target = tokens[t + 1]!;
    loss += logZ - row[target]!;
    for (let j = 0; j < V; j++) dLogits[t * V + j] = weight * Math.exp(row[j]! - logZ);
    dLogits[t * V + target]! -= weight;
  }
  const G = grad.views;
  let dn = new Float64Array(T * D);
  matmulBack(dLogits, f.nf.y, W.wcls, T, D, V, dn, G.wcls);
  let dx = new Float64Array(T * D);
  rmsnormBack(dn, f.xf, W.rmsFinal, f.nf.inv, T, D, dx, G.rmsFinal);
  for (let l = W.layers.length - 1; l >= 0; l--) {
    const L = W.layers[l]!;
    const GL = G.layers[l]!;
    const c = f.layers[l]!;
    // x = xmid + w2 · (silu(h1) ⊙ h3)
    const dxmid = Float64Array.from(dx);
    const dg = new Float64Array(T * F);
    matmulBack(dx, c.g, L.w2, T, F, D, dg, GL.w2);
    const dh1 = new Float64Array(T * F);
    const dh3 = new Float64Array(T * F);
    for (let i = 0; i < T * F; i++) {
      const s = sigmoid(c.h1[i]!);
      dh3[i] = dg[i]! * c.h1[i]! * s;
      dh1[i] = dg[i]! * c.h3[i]! * s * (1 + c.h1[i]! * (1 - s));
    }
    dn = new Float64Array(T * D);
    matmulBack(dh1, c.n2.y, L.w1, T, D, F, dn, GL.w1);
    matmulBack(dh3, c.n2.y, L.w3, T, D, F, dn, GL.w3);
    rmsnormBack(dn, c.xmid, L.rmsFfn, c.n2.inv, T, D, dxmid, GL.rmsFfn);
    // xmid = xin + wo · attention
    const dxin = Float64Array.from(dxmid);
    const datt = new Float64Array(T * D);
    matmulBack(dxmid, c.att, L.wo, T, D, D, datt, GL.wo);
    const dq = new Float64Array(T * D);
    const dk = new Float64Array(T * KV);
    const dv = new Float64Array(T * KV);
    const scale = 1 / Math.sqrt(hs);
    const dp = new Float64Array(T);
    const perHead = () => new Float64Array(T * hs);
    const [qh, kh, vh, doh, dqh, dkh, dvh] = [
      perHead(),
      perHead(),
      perHead(),
      perHead(),
      perHead(),
      perHead(),
      perHead(),
    ];
    for (let h = 0; h < H; h++) {
      const kvo = Math.floor(h / kvMul) * hs;
      gatherHead(c.q, D, h * hs, T, hs, qh);
      gatherHead(c.k, KV, kvo, T, hs, kh);
      gatherHead(c.v, KV, kvo, T, hs, vh);
      gatherHead(datt, D, h * hs, T, hs, doh);
      dqh.fill(0);
      dkh.fill(0);
      dvh.fill(0);
      for (let t = 0; t < T; t++) {
        const row = (h * T + t) * T;
        let dot = 0;
        for (let u = 0; u <= t; u++) {
          const pu = c.p[row + u]!;
          let s = 0;
          for (let i = 0; i < hs; i++) {
            const g = doh[t * hs + i]!;
            s += g * vh[u * hs + i]!;
            dvh[u * hs + i]! += pu * g;
          }
          dp[u] = s;
          dot += pu * s;
        }
        for (let u = 0; u <= t; u++) {
          const ds = c.p[row + u]! * (dp[u]! - dot) * scale;
          if (ds === 0) continue;
          for (let i = 0; i < hs; i++) {
            dqh[t * hs + i]! += ds * kh[u * hs + i]!;
            dkh[u * hs + i]! += ds * qh[t * hs + i]!;
          }
        }
      }
      // Query heads that share a key/value head add their gradients into it.
      addHead(dqh, T, hs, dq, D, h * hs);
      addHead(dkh, T, hs, dk, KV, kvo);
      addHead(dvh, T, hs, dv, KV, kvo);
    }
    // The rotation is orthogonal: its gradient is the inverse rotation of the rotated values' gradient.
    rope(dq, T, D, hs, true);
    rope(dk, T, KV, hs, true);
    dn = new Float64Array(T * D);
    matmulBack(dq, c.n1.y, L.wq, T, D, D, dn, GL.wq);
    matmulBack(dk, c.n1.y, L.wk, T, D, KV, dn, GL.wk);
    matmulBack(dv, c.n1.y, L.wv, T, D, KV, dn, GL.wv);
    rmsnormBack(dn, c.xin, L.rmsAtt, c.n1.inv, T, D, dxin, GL.rmsAtt);
    dx = dxin;
  }
  for (let t = 0; t < T; t++) {
    const tok = tokens[t]!;
    for (let i = 0; i < D; i++) G.embed[tok * D + i]! += dx[t * D + i]!;
  }
  return loss;
}

export interface AdamW {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Gradients whose global L2 norm exceeds this are scaled down to it. */
  clip: number;
  step: number;
  m: Float64Array;
  v: Float64Array;
}

export function adamW(size: number, options: Partial<Omit<AdamW, 'm' | 'v' | 'step'>> = {}): AdamW {
  return {
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.95,
    eps: 1e-8,
    weightDecay: 0.0,
    clip: 1,
    ...options,
    step: 0,
    m: new Float64Array(size),
    v: new Float64Array(size),
  };
}

/** One AdamW update of params from grad (clipped to the global norm first); returns the norm before clipping. */
export function adamWStep(opt: AdamW, params: Float64Array, grad: Float64Array): number {
  let ss = 0;
  for (const g of grad) ss += g * g;
  const norm = Math.sqrt(ss);
  if (!Number.isFinite(norm)) throw new Error(`llama2c-train: the gradient norm is ${norm}: training diverged`);
  const scale = norm > opt.clip ? opt.clip / norm : 1;
  opt.step += 1;
  const c1 = 1 - opt.beta1 ** opt.step;
  const c2 = 1 - opt.beta2 ** opt.step;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i]! * scale;
    opt.m[i] = opt.beta1 * opt.m[i]! + (1 - opt.beta1) * g;
    opt.v[i] = opt.beta2 * opt.v[i]! + (1 - opt.beta2) * g * g;
    params[i] =
      params[i]! * (1 - opt.lr * opt.weightDecay) - (opt.lr * (opt.m[i]! / c1)) / (Math.sqrt(opt.v[i]! / c2) + opt.eps);
  }
  return norm;
}
