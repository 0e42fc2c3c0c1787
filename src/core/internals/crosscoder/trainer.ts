// The training loop over any Stepper: learning-rate schedule, dead-latent bookkeeping for AuxK, the inference
// threshold's EMA, progress (tokens/s, loss, explained variance per model, L0, dead latents), soft stop, and
// checkpoints. Deterministic given the config and data; resuming from a checkpoint replays the same batches.

import type { CrosscoderConfig, Pair } from './config.ts';
import { BatchSource, type TrainingData } from './activations.ts';
import type { Stepper } from './stepper.ts';

export interface TrainerState {
  step: number;
  /** Tokens since each latent was last kept by BatchTopK. */
  sinceFired: Float32Array;
  /** Inference threshold on f·Σ‖d‖ (EMA of each batch's smallest kept value); NaN before the first step. */
  threshold: number;
}

export interface TrainProgress {
  step: number;
  steps: number;
  tokensPerSecond: number;
  loss: number;
  /** 1 − reconstruction error / variance, per model, over the steps since the last report. */
  explained: Pair<number>;
  /** Mean kept latents per token. */
  l0: number;
  dead: number;
  threshold: number;
}

export interface TrainOptions {
  steps: number;
  onProgress?: (p: TrainProgress) => void;
  progressEvery?: number;
  /** Asked between steps; true stops the run (soft stop) after a checkpoint. */
  shouldStop?: () => boolean | Promise<boolean>;
  checkpointEvery?: number;
  onCheckpoint?: (state: TrainerState) => Promise<void>;
  /** A clock in milliseconds, for tokens/s only (core reads no clock itself). */
  now: () => number;
}

export function freshTrainerState(c: CrosscoderConfig): TrainerState {
  return { step: 0, sinceFired: new Float32Array(c.latents), threshold: NaN };
}

/** Constant, with a short warm-up, decaying linearly to 0 over the last 20% of steps. */
export function learningRate(c: CrosscoderConfig, step: number, steps: number): number {
  const warm = Math.min(100, Math.ceil(steps * 0.05));
  const decay = Math.floor(steps * 0.8);
  if (step < warm) return (c.lr * (step + 1)) / warm;
  if (step >= decay) return (c.lr * (steps - step)) / (steps - decay);
  return c.lr;
}

export async function train(
  c: CrosscoderConfig,
  data: TrainingData,
  stepper: Stepper,
  state: TrainerState,
  o: TrainOptions,
): Promise<{ state: TrainerState; status: 'done' | 'stopped' }> {
  const source = new BatchSource(data, c.batchSize, c.seed);
  const now = o.now;
  const every = o.progressEvery ?? 20;
  const dead = new Uint8Array(c.latents);
  let window = { steps: 0, sq: [0, 0] as [number, number], loss: 0, kept: 0, started: now() };
  const s: TrainerState = { ...state, sinceFired: new Float32Array(state.sinceFired) };
  const report = () => {
    if (!o.onProgress || window.steps === 0) return;
    const seconds = Math.max(1e-3, (now() - window.started) / 1000);
    const tokens = window.steps * c.batchSize;
    o.onProgress({
      step: s.step,
      steps: o.steps,
      tokensPerSecond: tokens / seconds,
      loss: window.loss / window.steps,
      explained: [0, 1].map((m) => 1 - window.sq[m]! / tokens / data.variance[m]!) as unknown as Pair<number>,
      l0: window.kept / tokens,
      dead: dead.reduce((a, b) => a + b, 0),
      threshold: s.threshold,
    });
    window = { steps: 0, sq: [0, 0], loss: 0, kept: 0, started: now() };
  };
  while (s.step < o.steps) {
    if (await o.shouldStop?.()) {
      await o.onCheckpoint?.(s);
      return { state: s, status: 'stopped' };
    }
    for (let j = 0; j < c.latents; j++) dead[j] = s.sinceFired[j]! >= c.deadAfterTokens ? 1 : 0;
    const r = await stepper.step(source.batch(s.step), dead, learningRate(c, s.step, o.steps));
    if (!Number.isFinite(r.loss)) throw new Error(`crosscoder: the loss became ${r.loss} at step ${s.step}.`);
    for (let j = 0; j < c.latents; j++) {
      s.sinceFired[j] = r.fired[j]! > 0 ? 0 : s.sinceFired[j]! + c.batchSize;
      window.kept += r.fired[j]!;
    }
    if (Number.isFinite(r.minKept)) {
      s.threshold = Number.isNaN(s.threshold)
        ? r.minKept
        : c.thresholdBeta * s.threshold + (1 - c.thresholdBeta) * r.minKept;
    }
    window.steps++;
    window.loss += r.loss;
    window.sq[0] += r.squaredError[0];
    window.sq[1] += r.squaredError[1];
    s.step++;
    if (s.step % every === 0 || s.step === o.steps) report();
    if (o.checkpointEvery && s.step % o.checkpointEvery === 0 && s.step < o.steps) await o.onCheckpoint?.(s);
  }
  await o.onCheckpoint?.(s);
  return { state: s, status: 'done' };
}
