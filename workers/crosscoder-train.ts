// The crosscoder worker's logic, callable without a Worker: prepare both models' activations, resume from the
// checkpoint with the same fingerprint, train on the chosen device with progress and soft stop, then hand back the
// fp16 dictionary and its reading (bands, frequencies, ν, top positions) for the report.

import {
  prepareActivations,
  type ActivationChunks,
  type PrepareOptions,
  type TrainingData,
} from '../src/core/internals/crosscoder/activations.ts';
import {
  crosscoderConfig,
  partition,
  type CrosscoderConfig,
  type Pair,
} from '../src/core/internals/crosscoder/config.ts';
import { exportDictionary, type CrosscoderDictionary } from '../src/core/internals/crosscoder/dictionary.ts';
import { initParams, zeroAdam } from '../src/core/internals/crosscoder/params.ts';
import {
  bandOf,
  changedShared,
  countExclusives,
  decoderRowNorms,
  decoderTokens,
  relativeNorms,
  scanLatents,
  type ExclusiveCounts,
  type LatentScan,
} from '../src/core/internals/crosscoder/reading.ts';
import { freshTrainerState, train, type TrainProgress } from '../src/core/internals/crosscoder/trainer.ts';
import { createStepper, resolveDevice, type CrosscoderDevice } from './crosscoder-runtime.ts';
import { loadCheckpoint, saveCheckpoint } from './crosscoder-store.ts';
import { analyse, type CrosscoderAnalysis } from './crosscoder-analyse.ts';
import type { HeldOut, ReplyLayout } from '../src/core/internals/crosscoder/candidates.ts';

export interface CrosscoderTrainRequest {
  /** Checkpoint key: the caller's name for this pair, layer and corpus. */
  id: string;
  activations: Pair<ActivationChunks>;
  config?: Partial<Omit<CrosscoderConfig, 'dims'>>;
  prepare?: PrepareOptions;
  /** Default: 30 passes over the data, at least 300 steps. */
  steps?: number;
  device?: CrosscoderDevice;
  /** Where this site serves onnxruntime-web's files. */
  runtimeBase: string;
  /** Continue from a matching checkpoint (default true). */
  resume?: boolean;
  checkpointEvery?: number;
  progressEvery?: number;
  /**
   * Each model's unembedding [vocab, d] and final-norm weight [d], when the caller has them: the reading then gives
   * every exclusive or shifted latent's decoder direction as the token ids it raises most.
   */
  unembedding?: Pair<{ weight: Float32Array; finalNorm: Float32Array } | null>;
  /** Prompts kept out of training: the candidates (genuine exclusives) are tested on them (crosscoder-analyse.ts). */
  heldOut?: HeldOut;
  /** Which training chunks are each model's replies: latents that fire more on one model's replies are candidates. */
  replies?: ReplyLayout;
  /** Also train the same configuration on A against A (seed + 1): the exclusives it finds are the noise floor. */
  noiseFloor?: boolean;
}

export interface CrosscoderReading {
  relativeNorm: Float32Array;
  frequency: Float32Array;
  /** ν_r and ν_ε per latent (null across different hidden sizes). */
  nu: { r: Float32Array; eps: Float32Array } | null;
  /** Strongest positions of each latent that fires: chunk index, position in it, activation. */
  top: { latent: number; hits: { chunk: number; position: number; value: number }[] }[];
  counts: ExclusiveCounts;
  /** Decoder directions through each model's unembedding, for latents outside the shared band that fire. */
  tokens: { latent: number; model: 0 | 1; ids: number[] }[];
  /** Shared latents whose two decoder directions differ most (same hidden size only). */
  changed: { latent: number; cosine: number; r: number }[] | null;
}

export interface CrosscoderTrainResult {
  status: 'done' | 'stopped';
  device: string;
  resumedFrom: number | null;
  step: number;
  steps: number;
  tokens: number;
  notes: string[];
  last: TrainProgress | null;
  /** exportDictionary(): the fp16 file that travels with the report. */
  dictionary: Uint8Array;
  reading: CrosscoderReading;
  /** With heldOut: the candidates, their snippet windows, decoder rows and held-out tests. */
  analysis?: CrosscoderAnalysis;
  /** With noiseFloor: genuine exclusives of the A-against-A dictionary, and its training time. */
  floor?: { exclusives: number; seconds: number };
}

export interface TrainControl {
  stopped: boolean;
}

/** A macrotask turn, so a cancel() message can arrive between steps (a resolved await would not let it in). */
const turn = () =>
  new Promise<void>((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });

function fingerprint(c: CrosscoderConfig, data: TrainingData, steps: number): string {
  let h = 0x811c9dc5;
  for (const x of data.x) {
    const bits = new Uint32Array(x.buffer, x.byteOffset, x.length);
    for (let i = 0; i < bits.length; i += 7) h = Math.imul(h ^ bits[i]!, 0x01000193) >>> 0;
  }
  return JSON.stringify({ c, tokens: data.tokens, steps, h });
}

export async function trainCrosscoder(
  req: CrosscoderTrainRequest,
  onProgress: (p: TrainProgress & { pass?: 'floor' }) => void = () => {},
  control: TrainControl = { stopped: false },
): Promise<CrosscoderTrainResult> {
  const dims = [req.activations[0].dim, req.activations[1].dim] as const;
  const data = prepareActivations(req.activations, req.prepare);
  const config = crosscoderConfig(dims, req.config);
  const batchesPerEpoch = Math.floor(data.tokens / config.batchSize);
  if (batchesPerEpoch < 1) {
    throw new Error(`crosscoder: ${data.tokens} aligned positions are fewer than one batch (${config.batchSize}).`);
  }
  const steps = req.steps ?? Math.max(300, 30 * batchesPerEpoch);
  const fp = fingerprint(config, data, steps);
  const saved = req.resume === false ? undefined : await loadCheckpoint(req.id);
  const resume = saved && saved.fingerprint === fp ? saved : null;
  const params = resume?.params ?? initParams(config, data.mean);
  const adam = resume?.adam ?? zeroAdam(params);
  const device = await resolveDevice(req.device ?? 'auto');
  const stepper = await createStepper(config, params, adam, device, req.runtimeBase);
  const notes = [...data.notes];
  let last: TrainProgress | null = null;
  try {
    const { state, status } = await train(config, data, stepper, resume?.trainer ?? freshTrainerState(config), {
      steps,
      now: () => performance.now(),
      progressEvery: req.progressEvery ?? 20,
      checkpointEvery: req.checkpointEvery ?? 200,
      onProgress: (p) => {
        last = p;
        onProgress(p);
      },
      shouldStop: async () => {
        await turn();
        return control.stopped;
      },
      onCheckpoint: async (trainer) => {
        const s = await stepper.state();
        await saveCheckpoint({ id: req.id, fingerprint: fp, config, steps, trainer, params: s.params, adam: s.adam });
      },
    });
    const s = await stepper.state();
    const dict: CrosscoderDictionary = {
      config,
      params: s.params,
      threshold: state.threshold,
      scale: data.scale,
      steps: state.step,
    };
    const p = partition(config);
    notes.push(`${config.latents} latents: ${p.shared} shared, ${p.aOnly} dedicated to A, ${p.bOnly} to B.`);
    const reading = read(dict, data, req.unembedding);
    const analysis =
      req.heldOut && status === 'done'
        ? analyse(dict, data, reading.scan, req.heldOut, reading.reading.changed ?? [], req.replies ?? null)
        : undefined;
    let floor: CrosscoderTrainResult['floor'];
    if (req.noiseFloor && status === 'done') {
      const t0 = performance.now();
      const rest = { ...req };
      delete rest.heldOut;
      delete rest.replies;
      delete rest.noiseFloor;
      delete rest.unembedding;
      const self = await trainCrosscoder(
        {
          ...rest,
          id: `${req.id}:floor`,
          activations: [req.activations[0], req.activations[0]],
          steps,
          config: { ...req.config, seed: config.seed + 1 },
        },
        (x) => onProgress({ ...x, pass: 'floor' }),
        control,
      );
      const c = self.reading.counts;
      // Across hidden sizes the pair has no latent scaling: its floor counts every exclusive, as the pair does.
      const sameSize = dims[0] === dims[1];
      floor = {
        exclusives: sameSize ? c.aOnlyGenuine + c.bOnlyGenuine : c.aOnly + c.bOnly,
        seconds: (performance.now() - t0) / 1000,
      };
    }
    return {
      status,
      device: stepper.kind,
      resumedFrom: resume ? resume.trainer.step : null,
      step: state.step,
      steps,
      tokens: data.tokens,
      notes,
      last,
      dictionary: exportDictionary(dict),
      reading: reading.reading,
      ...(analysis ? { analysis } : {}),
      ...(floor ? { floor } : {}),
    };
  } finally {
    stepper.dispose();
  }
}

function read(
  dict: CrosscoderDictionary,
  data: TrainingData,
  unembedding: CrosscoderTrainRequest['unembedding'],
): { reading: CrosscoderReading; scan: LatentScan } {
  const scan = scanLatents(dict, data);
  const r = relativeNorms(dict);
  const tokens: CrosscoderReading['tokens'] = [];
  const norms = decoderRowNorms(dict);
  for (let j = 0; j < dict.config.latents; j++) {
    if (!(scan.frequency[j]! >= 1e-3) || bandOf(r[j]!) === 'shared') continue;
    for (const m of [0, 1] as const) {
      const u = unembedding?.[m];
      if (!u || norms[m][j] === 0) continue;
      tokens.push({ latent: j, model: m, ids: decoderTokens(dict, m, j, u.weight, u.finalNorm, 10).map((t) => t.id) });
    }
  }
  const top = scan.top.flatMap((hits, latent) =>
    hits.length === 0
      ? []
      : [
          {
            latent,
            hits: hits.map((h) => ({
              chunk: data.origin[2 * h.row]!,
              position: data.origin[2 * h.row + 1]!,
              value: h.value,
            })),
          },
        ],
  );
  const reading = {
    relativeNorm: Float32Array.from(r),
    frequency: Float32Array.from(scan.frequency),
    nu: scan.nu ? { r: Float32Array.from(scan.nu.r), eps: Float32Array.from(scan.nu.eps) } : null,
    top,
    counts: countExclusives(dict, scan),
    tokens,
    changed: changedShared(dict, scan.frequency, 20),
  };
  return { reading, scan };
}
