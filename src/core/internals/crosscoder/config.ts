// The crosscoder's configuration, every default documented, and the latent layout (shared, A-only, B-only). Pure
// data; the method is in forward.ts / backward.ts (reference) and onnx-step.ts (the graph the trainer runs).

/** Two models: index 0 is A, index 1 is B. Hidden sizes may differ; each model has its own encoder and decoder. */
export type Pair<T> = readonly [T, T];

export interface CrosscoderConfig {
  /** Hidden size of each model's activations. */
  dims: Pair<number>;
  /** Dictionary size L. Default 16 × the larger hidden size. */
  latents: number;
  /** Share of latents only A may use (encoder and decoder), DFC-style; the same share for B. Default 0.05. */
  exclusiveShare: number;
  /** Mean active latents per token: BatchTopK keeps the top k·B scaled activations of a batch. Default 16. */
  k: number;
  /** Tokens per step. Default 256. */
  batchSize: number;
  /** Adam learning rate (β1 0.9, β2 0.999, ε 1e-8). Default 1e-3, decayed linearly to 0 over the last 20% of steps. */
  lr: number;
  /** Global gradient-norm clip. Default 1. */
  clipNorm: number;
  /** Dead latents revived by AuxK: top auxK of each token's dead pre-activations. Default (dA + dB) / 2. */
  auxK: number;
  /** Weight of the AuxK loss (Gao et al. 2024's 1/32). */
  auxAlpha: number;
  /** A latent is dead once it has not fired for this many tokens. Default 25 batches. */
  deadAfterTokens: number;
  /** EMA decay of the inference threshold (the smallest kept scaled activation per batch). Default 0.99. */
  thresholdBeta: number;
  /** Initial decoder row norm per model (encoder starts as the decoder's transpose). Default 0.1. */
  initNorm: number;
  seed: number;
}

export function crosscoderConfig(dims: Pair<number>, over: Partial<Omit<CrosscoderConfig, 'dims'>> = {}) {
  const [dA, dB] = dims;
  const c: CrosscoderConfig = {
    dims,
    latents: 16 * Math.max(dA, dB),
    exclusiveShare: 0.05,
    k: 16,
    batchSize: 256,
    lr: 1e-3,
    clipNorm: 1,
    auxK: Math.floor((dA + dB) / 2),
    auxAlpha: 1 / 32,
    deadAfterTokens: 25 * (over.batchSize ?? 256),
    thresholdBeta: 0.99,
    initNorm: 0.1,
    seed: 1,
    ...over,
  };
  if (!Number.isInteger(c.latents) || c.latents < 3) throw new Error('crosscoder: latents must be an integer ≥ 3.');
  if (c.k < 1 || c.k > c.latents) throw new Error(`crosscoder: k must lie in 1..${c.latents}.`);
  if (!(c.exclusiveShare >= 0 && c.exclusiveShare < 0.5)) throw new Error('crosscoder: exclusiveShare in [0, 0.5).');
  return c;
}

/** Latents [0, shared) both models use; then A-only; then B-only. */
export interface Partition {
  shared: number;
  aOnly: number;
  bOnly: number;
}

export function partition(c: CrosscoderConfig): Partition {
  const each = Math.round(c.latents * c.exclusiveShare);
  return { shared: c.latents - 2 * each, aOnly: each, bOnly: each };
}

/** mask[m][j] = 1 when latent j may read from and write to model m. */
export function latentMasks(c: CrosscoderConfig): Pair<Float32Array> {
  const p = partition(c);
  const a = new Float32Array(c.latents).fill(1);
  const b = new Float32Array(c.latents).fill(1);
  b.fill(0, p.shared, p.shared + p.aOnly); // A-only latents never touch B
  a.fill(0, p.shared + p.aOnly); // B-only latents never touch A
  return [a, b];
}

/** Which side a latent was dedicated to by the partition. */
export function latentKind(c: CrosscoderConfig, j: number): 'shared' | 'a-only' | 'b-only' {
  const p = partition(c);
  return j < p.shared ? 'shared' : j < p.shared + p.aOnly ? 'a-only' : 'b-only';
}
