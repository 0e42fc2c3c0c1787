// The crosscoder worker's reading for a run, after training: the candidates (genuine exclusives; the shared latents
// that lean most towards one model on the training data; the latents that fire most differently on the two models'
// own training replies), the activation
// windows around each one's strongest positions (the page turns them into snippets with token texts), each
// candidate's decoder row in its own model (read through that model's unembedding by its engine), the held-out test
// of each (src/core/internals/crosscoder/confirm.ts), and the decoders as the compact file a report carries.

import type { TrainingData } from '../src/core/internals/crosscoder/activations.ts';
import {
  confirmOnHeldOut,
  pickCandidates,
  pickReplyCandidates,
  windows,
  trainingLean,
  type HeldOut,
  type ReplyLayout,
  type Window,
} from '../src/core/internals/crosscoder/candidates.ts';
import type { Confirmation } from '../src/core/internals/crosscoder/confirm.ts';
import { exportDictionary, type CrosscoderDictionary } from '../src/core/internals/crosscoder/dictionary.ts';
import type { LatentScan } from '../src/core/internals/crosscoder/reading.ts';

export interface AnalysedCandidate {
  latent: number;
  own: 0 | 1;
  /** What its held-out test measures (Candidate.statistic); absent: the direction's share of variance. */
  statistic?: 'direction' | 'replies';
  windows: Window[];
  /** The latent's decoder row in its own model (training space; a positive scale of the raw space). */
  direction: Float32Array;
  /** Cosine of its A and B decoder rows (null across hidden sizes or where one is zero). */
  cosine: number | null;
  /** Null when fewer than two held-out prompts had positions. */
  confirmation: Confirmation | null;
}

export interface CrosscoderAnalysis {
  candidates: AnalysedCandidate[];
  /** Shared latents whose directions differ most, with their B decoder row and windows (same hidden size only). */
  changed: { latent: number; direction: Float32Array; windows: Window[] }[];
  /** exportDictionary without the encoder: decoders, biases, threshold, scale. */
  decoders: Uint8Array;
  /** Per-token explained-variance denominators of the training data. */
  variance: [number, number];
}

const SNIPPETS = 5;

export function analyse(
  dict: CrosscoderDictionary,
  data: TrainingData,
  scan: LatentScan,
  heldOut: HeldOut,
  changed: readonly { latent: number }[],
  replies: ReplyLayout | null = null,
): CrosscoderAnalysis {
  const chosen = pickCandidates(dict, scan, trainingLean(dict, data));
  const taken = new Set(chosen.map((k) => k.latent));
  const byReplies =
    replies && dict.config.dims[0] === dict.config.dims[1] ? pickReplyCandidates(dict, scan, data, replies, taken) : [];
  const picked = [...chosen, ...byReplies];
  const tests = confirmOnHeldOut(dict, data, heldOut, picked);
  const row = (m: 0 | 1, j: number) => {
    const d = dict.config.dims[m];
    return dict.params.decoder[m].slice(j * d, (j + 1) * d);
  };
  return {
    candidates: picked.map((k, i) => ({
      ...k,
      windows: windows(dict, data, k.latent, scan.top[k.latent]!.slice(0, SNIPPETS)),
      direction: row(k.own, k.latent),
      cosine: cosine(dict, k.latent),
      confirmation: tests[i] ?? null,
    })),
    changed: changed.slice(0, 5).map(({ latent }) => ({
      latent,
      direction: row(1, latent),
      windows: windows(dict, data, latent, scan.top[latent]!.slice(0, SNIPPETS)),
    })),
    decoders: exportDictionary(dict, { encoder: false }),
    variance: [data.variance[0], data.variance[1]],
  };
}

function cosine(dict: CrosscoderDictionary, j: number): number | null {
  const [dA, dB] = dict.config.dims;
  if (dA !== dB) return null;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < dA; i++) {
    const x = dict.params.decoder[0][j * dA + i]!;
    const y = dict.params.decoder[1][j * dA + i]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : null;
}
