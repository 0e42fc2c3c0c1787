// Profiles: the evidence every diff rests on. One model's responses to a prompt set, plus the other model's
// teacher-forced scores of them. Plain data: stored and exported as is; sent to the diff worker with the token steps
// packed into transferred typed arrays (packed-steps.ts) and rebuilt there exactly.

import type { GenerationSettings, ModelInfo, ScoredStep, TokenStep } from '../engine/types.ts';
import type { FeatureValue } from '../features/index.ts';

export interface ResponseRecord {
  promptId: string;
  /** Which of a prompt's seeded samples (0-based; absent: 0, the only one). */
  sample?: number;
  text: string;
  promptTokenCount: number;
  tokens: TokenStep[];
  stop: 'eos' | 'length';
  timings: { prefillMs: number; decodeMs: number; tokensPerSecond: number };
}

/** A response scored by the other model: the token ids are the scorer's own tokenisation of the response text. */
export interface CrossScore {
  promptId: string;
  /** The sample of the scored response (absent: 0). */
  sample?: number;
  /** With the same vocabulary, each step also holds the scorer's log-probabilities of the owner's top-k ids. */
  tokens: ScoredStep[];
  /** UTF-8 bytes of the scored text, for bits per byte. */
  bytes: number;
  /** Why the scorer could not score (a server without prompt log-probabilities); tokens is then empty. */
  unavailable?: string;
}

export interface ModelProfile {
  /** What the user asked for (URL contract string) and a display label. */
  spec: string;
  label: string;
  model: ModelInfo;
  settings: GenerationSettings;
  records: ResponseRecord[];
  /** Texts of the token ids this model produced in records or scored in the other model's responses (token views). */
  tokenTexts: Record<number, string>;
  /**
   * Every record's extracted features, computed once when the profile is assembled (diffs, N-way comparisons and
   * exports reuse them). Used only while `version` and `promptSetHash` match the running extractors and the prompt
   * set; otherwise (older profiles, edited sets) the diff extracts them again.
   */
  features?: ProfileFeatures;
}

export interface ProfileFeatures {
  version: string;
  promptSetHash: string;
  byPrompt: Record<string, Record<string, FeatureValue>>;
}

export interface PairProfile {
  promptSet: { id: string; name: string; hash: string; n: number };
  a: ModelProfile;
  b: ModelProfile;
  /** A's responses scored by B, and B's by A, in prompt order (with samples: each prompt's samples in order). */
  aUnderB: CrossScore[];
  bUnderA: CrossScore[];
  /**
   * Each model's own replies (sample 0) re-scored by itself on some prompts: the runtime's noise floor, measured
   * where it is not exact (absent: not measured).
   */
  noise?: { a: CrossScore[]; b: CrossScore[] };
}
