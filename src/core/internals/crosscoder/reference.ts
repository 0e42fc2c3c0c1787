// The crosscoder's training step in plain TypeScript — forward, hand-derived gradients, one clipped Adam update — the
// ground truth the ONNX training graph (onnx-step.ts) is tested against. Float64 arithmetic over float32 storage.
//
// Method (a BatchTopK crosscoder with a dedicated partition):
//   Lindsey et al. 2024, "Sparse Crosscoders for Cross-Layer Features and Model Diffing" (transformer-circuits.pub):
//     one latent space, each model its own encoder and decoder, f = ReLU(Σ_m W_e^m x^m + b_e), x̂^m = D^mᵀ f + b_d^m.
//   Minder et al. 2025, arXiv 2504.02922, "Overcoming Sparsity Artifacts in Crosscoders…": BatchTopK over the batch
//     on f_i·Σ_m‖d_i^m‖, an AuxK loss for dead latents, a threshold learned for inference, latent scaling (reading.ts).
//   Jiralerspong & Bricken 2026, arXiv 2602.11729, Dedicated Feature Crosscoders: a small share of latents only
//     model A may use and one only B may use (here both their encoder and decoder are masked to that model).
// Loss = (1/B) Σ_b Σ_m ‖x_b^m − x̂_b^m‖² + α·AuxK, AuxK = (1/B) Σ_b ‖e_b − ê_b‖² / ((1/B) Σ_b ‖e_b − ē‖²), where
// e = x − x̂ is held constant (no gradient through the main reconstruction) and ê reconstructs it, without biases,
// from each token's top auxK dead latents. The selection masks are piecewise constant: gradients flow through f.

import type { CrosscoderConfig, Pair } from './config.ts';
import { fromList, paramList, type AdamState, type CrosscoderParams } from './params.ts';
import { kthLargest } from './select.ts';

export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** One batch: x[m] is [B, d_m] row-major, normalised as the trainer normalises. */
export interface Batch {
  size: number;
  x: Pair<Float32Array>;
}

/** Selections and the AuxK target held fixed (finite-difference checks freeze them at the base point). */
export interface Frozen {
  active: Uint8Array;
  aux: Uint8Array;
  residual: Pair<Float64Array>;
  denom: number;
}

export interface Forward extends Frozen {
  f: Float64Array; // [B, L] post-ReLU
  xhat: Pair<Float64Array>;
  ehat: Pair<Float64Array>;
  squaredError: Pair<number>; // Σ_b ‖x_b^m − x̂_b^m‖²
  mainLoss: number;
  auxLoss: number;
  loss: number;
  fired: Float32Array; // [L] tokens of this batch on which each latent was kept
  minKept: number; // smallest kept f·‖d‖ (Infinity when none): the inference threshold's EMA input
}

/** Σ_m ‖d_j^m‖ per latent. */
export function decoderNorms(c: CrosscoderConfig, p: CrosscoderParams): Float64Array {
  const L = c.latents;
  const n = new Float64Array(L);
  c.dims.forEach((d, m) => {
    const w = p.decoder[m]!;
    for (let j = 0; j < L; j++) {
      let ss = 0;
      for (let i = 0; i < d; i++) ss += w[j * d + i]! ** 2;
      n[j] = n[j]! + Math.sqrt(ss);
    }
  });
  return n;
}

/** ReLU(Σ_m x^m W_e^m + b_e), [B, L]. */
export function encode(c: CrosscoderConfig, p: CrosscoderParams, batch: Batch): Float64Array {
  const L = c.latents;
  const B = batch.size;
  const f = new Float64Array(B * L);
  for (let b = 0; b < B; b++) {
    const row = b * L;
    for (let j = 0; j < L; j++) f[row + j] = p.encoderBias[j]!;
    c.dims.forEach((d, m) => {
      const x = batch.x[m]!;
      const w = p.encoder[m]!;
      for (let i = 0; i < d; i++) {
        const xv = x[b * d + i]!;
        if (xv === 0) continue;
        const base = i * L;
        for (let j = 0; j < L; j++) f[row + j] = f[row + j]! + xv * w[base + j]!;
      }
    });
    for (let j = 0; j < L; j++) if (f[row + j]! < 0) f[row + j] = 0;
  }
  return f;
}

/** x̂^m (or, with bias false, the bias-free decode) of the latents picked by `keep`. */
function decode(c: CrosscoderConfig, p: CrosscoderParams, f: Float64Array, keep: Uint8Array, B: number, bias: boolean) {
  const L = c.latents;
  return c.dims.map((d, m) => {
    const out = new Float64Array(B * d);
    const w = p.decoder[m]!;
    const bd = p.decoderBias[m]!;
    for (let b = 0; b < B; b++) {
      if (bias) for (let i = 0; i < d; i++) out[b * d + i] = bd[i]!;
      for (let j = 0; j < L; j++) {
        if (!keep[b * L + j]) continue;
        const a = f[b * L + j]!;
        for (let i = 0; i < d; i++) out[b * d + i] = out[b * d + i]! + a * w[j * d + i]!;
      }
    }
    return out;
  }) as unknown as Pair<Float64Array>;
}

/** BatchTopK: keep the top kTop values of f·‖d‖ over the whole batch (only positive ones). */
function selectTop(f: Float64Array, norms: Float64Array, L: number, kTop: number) {
  const scaled = new Float64Array(f.length);
  const pool = new Float64Array(f.length);
  let positive = 0;
  for (let t = 0; t < f.length; t++) {
    const s = f[t]! * norms[t % L]!;
    scaled[t] = s;
    if (s > 0) pool[positive++] = s;
  }
  const active = new Uint8Array(f.length);
  if (positive === 0) return { active, scaled };
  const thr = kthLargest(pool, positive, Math.min(kTop, positive));
  for (let t = 0; t < f.length; t++) active[t] = scaled[t]! >= thr && scaled[t]! > 0 ? 1 : 0;
  return { active, scaled };
}

/** AuxK: per token, the top auxK dead latents by f (positive ones only). */
function selectAux(f: Float64Array, dead: Uint8Array, L: number, B: number, auxK: number): Uint8Array {
  const aux = new Uint8Array(f.length);
  let nDead = 0;
  for (let j = 0; j < L; j++) nDead += dead[j]!;
  if (nDead === 0 || auxK < 1) return aux;
  const k = Math.min(auxK, nDead);
  const pool = new Float64Array(nDead);
  for (let b = 0; b < B; b++) {
    let n = 0;
    for (let j = 0; j < L; j++) if (dead[j]) pool[n++] = f[b * L + j]!;
    const thr = kthLargest(pool, n, k);
    for (let j = 0; j < L; j++) {
      const v = f[b * L + j]!;
      aux[b * L + j] = dead[j] && v >= thr && v > 0 ? 1 : 0;
    }
  }
  return aux;
}

export function forward(
  c: CrosscoderConfig,
  p: CrosscoderParams,
  batch: Batch,
  dead: Uint8Array,
  frozen?: Frozen,
): Forward {
  const L = c.latents;
  const B = batch.size;
  const f = encode(c, p, batch);
  const norms = decoderNorms(c, p);
  const top = selectTop(f, norms, L, c.k * B);
  const active = frozen?.active ?? top.active;
  const aux = frozen?.aux ?? selectAux(f, dead, L, B, c.auxK);
  const xhat = decode(c, p, f, active, B, true);
  const ehat = decode(c, p, f, aux, B, false);
  const fired = new Float32Array(L);
  let minKept = Infinity;
  for (let t = 0; t < f.length; t++) {
    if (!active[t]) continue;
    fired[t % L] = fired[t % L]! + 1;
    if (top.scaled[t]! < minKept) minKept = top.scaled[t]!;
  }
  const squaredError = [0, 0];
  const residual = c.dims.map((d, m) => {
    const e = new Float64Array(B * d);
    const x = batch.x[m]!;
    for (let t = 0; t < B * d; t++) {
      e[t] = x[t]! - xhat[m]![t]!;
      squaredError[m] = squaredError[m]! + e[t]! ** 2;
    }
    return e;
  }) as unknown as Pair<Float64Array>;
  const e = frozen?.residual ?? residual;
  let denom = frozen?.denom;
  if (denom === undefined) {
    let v = 0;
    c.dims.forEach((d, m) => {
      for (let i = 0; i < d; i++) {
        let mean = 0;
        for (let b = 0; b < B; b++) mean += e[m]![b * d + i]!;
        mean /= B;
        for (let b = 0; b < B; b++) v += (e[m]![b * d + i]! - mean) ** 2;
      }
    });
    denom = v / B;
  }
  let auxNum = 0;
  c.dims.forEach((d, m) => {
    for (let t = 0; t < B * d; t++) auxNum += (ehat[m]![t]! - e[m]![t]!) ** 2;
  });
  const hasDead = dead.some((x) => x) ? 1 : 0;
  const mainLoss = (squaredError[0]! + squaredError[1]!) / B;
  const auxLoss = hasDead ? auxNum / B / (denom + 1e-12) : 0;
  return {
    f,
    active,
    aux,
    residual: e,
    denom,
    xhat,
    ehat,
    squaredError: squaredError as unknown as Pair<number>,
    mainLoss,
    auxLoss,
    loss: mainLoss + c.auxAlpha * auxLoss,
    fired,
    minKept,
  };
}

/** ∂loss/∂θ in PARAM_NAMES order (masked entries exactly 0). */
export function gradients(
  c: CrosscoderConfig,
  p: CrosscoderParams,
  batch: Batch,
  fw: Forward,
  masks: Pair<Float32Array>,
): Float64Array[] {
  const L = c.latents;
  const B = batch.size;
  // Without dead latents the aux mask is empty and this term contributes nothing.
  const coef = (2 * c.auxAlpha) / (B * (fw.denom + 1e-12));
  // ∂/∂x̂^m = (2/B)(x̂ − x); ∂/∂ê^m = coef (ê − e).
  const g = c.dims.map((d, m) => fw.xhat[m]!.map((v, t) => (2 / B) * (v - batch.x[m]![t]!)));
  const ga = c.dims.map((d, m) => fw.ehat[m]!.map((v, t) => coef * (v - fw.residual[m]![t]!)));
  const dPre = new Float64Array(B * L);
  const dDec = c.dims.map((d) => new Float64Array(L * d));
  const dEnc = c.dims.map((d) => new Float64Array(d * L));
  const dDecBias = c.dims.map((d, m) => {
    const s = new Float64Array(d);
    for (let b = 0; b < B; b++) for (let i = 0; i < d; i++) s[i] = s[i]! + g[m]![b * d + i]!;
    return s;
  });
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < L; j++) {
      const t = b * L + j;
      const on = fw.active[t]!;
      const onAux = fw.aux[t]!;
      if (!on && !onAux) continue;
      const a = fw.f[t]!;
      let dp = 0;
      c.dims.forEach((d, m) => {
        const w = p.decoder[m]!;
        const dd = dDec[m]!;
        for (let i = 0; i < d; i++) {
          const gi = (on ? g[m]![b * d + i]! : 0) + (onAux ? ga[m]![b * d + i]! : 0);
          dd[j * d + i] = dd[j * d + i]! + a * gi;
          dp += gi * w[j * d + i]!;
        }
      });
      dPre[t] = dp;
    }
  }
  const dEncBias = new Float64Array(L);
  for (let t = 0; t < B * L; t++) dEncBias[t % L] = dEncBias[t % L]! + dPre[t]!;
  c.dims.forEach((d, m) => {
    const x = batch.x[m]!;
    const de = dEnc[m]!;
    const mask = masks[m]!;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < L; j++) {
        const dp = dPre[b * L + j]!;
        if (dp === 0 || !mask[j]) continue;
        for (let i = 0; i < d; i++) de[i * L + j] = de[i * L + j]! + x[b * d + i]! * dp;
      }
    }
    const dd = dDec[m]!;
    for (let j = 0; j < L; j++) if (!mask[j]) dd.fill(0, j * d, (j + 1) * d);
  });
  return [dEnc[0]!, dEnc[1]!, dEncBias, dDec[0]!, dDec[1]!, dDecBias[0]!, dDecBias[1]!];
}

/** Global-norm clipping then one Adam step; returns new arrays (inputs untouched) and the pre-clip norm. */
export function adamUpdate(
  c: CrosscoderConfig,
  p: CrosscoderParams,
  state: AdamState,
  grads: readonly Float64Array[],
  lr: number,
): { params: CrosscoderParams; adam: AdamState; gradNorm: number } {
  let ss = 0;
  for (const g of grads) for (const v of g) ss += v * v;
  const gradNorm = Math.sqrt(ss);
  const scale = c.clipNorm / Math.max(gradNorm, c.clipNorm);
  const t = state.step + 1;
  const bc1 = 1 / (1 - ADAM.beta1 ** t);
  const bc2 = 1 / (1 - ADAM.beta2 ** t);
  const list = paramList(p);
  const out: Float32Array[] = [];
  const m2: Float32Array[] = [];
  const v2: Float32Array[] = [];
  list.forEach((theta, k) => {
    const g = grads[k]!;
    const m = new Float32Array(theta.length);
    const v = new Float32Array(theta.length);
    const next = new Float32Array(theta.length);
    for (let i = 0; i < theta.length; i++) {
      const gi = g[i]! * scale;
      const mi = ADAM.beta1 * state.m[k]![i]! + (1 - ADAM.beta1) * gi;
      const vi = ADAM.beta2 * state.v[k]![i]! + (1 - ADAM.beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      next[i] = theta[i]! - (lr * (mi * bc1)) / (Math.sqrt(vi * bc2) + ADAM.eps);
    }
    out.push(next);
    m2.push(m);
    v2.push(v);
  });
  return { params: fromList(out), adam: { step: t, m: m2, v: v2 }, gradNorm };
}

export interface StepResult {
  params: CrosscoderParams;
  adam: AdamState;
  loss: number;
  mainLoss: number;
  auxLoss: number;
  squaredError: Pair<number>;
  fired: Float32Array;
  minKept: number;
  gradNorm: number;
}

/** One training step of the reference. */
export function referenceStep(
  c: CrosscoderConfig,
  p: CrosscoderParams,
  adam: AdamState,
  batch: Batch,
  dead: Uint8Array,
  lr: number,
  masks: Pair<Float32Array>,
): StepResult {
  const fw = forward(c, p, batch, dead);
  const grads = gradients(c, p, batch, fw, masks);
  const up = adamUpdate(c, p, adam, grads, lr);
  return {
    ...up,
    loss: fw.loss,
    mainLoss: fw.mainLoss,
    auxLoss: fw.auxLoss,
    squaredError: fw.squaredError,
    fired: fw.fired,
    minKept: fw.minKept,
  };
}
