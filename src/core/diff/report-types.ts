// The diff report: the versioned data contract between the diff engine and every view, export and embed.
// Documented as a JSON schema in report-schema.ts; validated on import.

import type { GenerationSettings } from '../engine/types.ts';
import type { FeatureCategory, FeatureKind, FeatureValue } from '../features/index.ts';

export const REPORT_SCHEMA_VERSION = 1;

export interface ModelSummary {
  label: string;
  spec: string;
  id: string;
  engine: string;
  architecture: string;
  vocabSize: number;
  device: string;
  dtype: string;
  parameterBytes: number;
  tokenizerFingerprint: string;
}

export interface EffectSize {
  measure: 'cohens-h' | 'rank-biserial';
  value: number;
  magnitude: 'negligible' | 'small' | 'medium' | 'large';
  /**
   * Rank-biserial only: its 95% interval (U-statistic projection, linked prompts together, atanh scale; see
   * stats/rank-biserial-interval.ts), for the rows a forest plot draws — overall and significant ones. Absent
   * elsewhere, and in reports made before it.
   */
  ci?: [number, number];
}

/** One paired test of one feature, overall (promptCategory null) or within one prompt category. */
export interface Difference {
  feature: string;
  description: string;
  kind: Exclude<FeatureKind, 'categorical'>;
  category: FeatureCategory;
  promptCategory: string | null;
  n: number;
  /** Mean of the feature for A and B (a proportion for binary features). */
  meanA: number;
  meanB: number;
  /** Paired mean difference B − A, with a seeded paired-bootstrap 95% interval. */
  effect: number;
  ci: [number, number];
  p: number;
  q: number;
  test: 'mcnemar-exact' | 'mcnemar-chi-square' | 'wilcoxon-exact' | 'wilcoxon-normal' | 'none';
  effectSize: EffectSize;
  significant: boolean;
  sentence: string;
  /** Prompts that show the difference most, strongest first. */
  examples: string[];
}

export interface Hunk {
  category: FeatureCategory;
  /** Indices into `differences`, biggest effect first. */
  differences: number[];
}

export interface TokenBoost {
  token: string;
  id: number;
  /** Mean log-probability difference where the token was among the most boosted. */
  score: number;
  count: number;
}

export interface WordScore {
  word: string;
  z: number;
  countA: number;
  countB: number;
}

/** One of a model's likeliest next tokens at a position. */
export interface TokenChoice {
  token: string;
  /** Natural-log probability under that model. */
  logprob: number;
}

/**
 * A piece of a response as the prompt view shades it: usually one token of the other model's tokenization (the
 * scorer's), several when a token's text cannot stand alone (a byte piece of a multi-byte character).
 */
export interface ResponseToken {
  /** The text this piece covers; the pieces of a response spell it exactly. */
  text: string;
  /** Surprisal in bits under the other model (null when it gave the token probability 0). */
  bits: number | null;
  /** Same vocabulary only (then the pieces are the owner's own tokens): surprisal under the owner itself. */
  selfBits?: number | null;
  /** Same vocabulary only: KL(B‖A) at this position on {owner's top-k, rest}, nats (a lower bound). */
  kl?: number;
  /** Same vocabulary only: A's and B's likeliest next tokens at this position, likeliest first. */
  topA?: TokenChoice[];
  topB?: TokenChoice[];
}

export interface PromptSide {
  text: string;
  tokenCount: number;
  stop: 'eos' | 'length';
  features: Record<string, FeatureValue>;
  /** This response's bits per byte under its own model and under the other model. */
  selfBitsPerByte: number | null;
  crossBitsPerByte: number | null;
  /**
   * The response cut into the other model's tokens with their surprisal. Optional: reports before it lack it, and
   * in large sets only some prompts carry it (DiffOptions.tokenDetailLimit).
   */
  tokens?: ResponseToken[];
}

export interface PromptDiff {
  id: string;
  category: string;
  subcategory?: string;
  harmful: boolean;
  /** The user-visible prompt text (last user turn for chats). */
  prompt: string;
  a: PromptSide;
  b: PromptSide;
  /** Mean and max per-token KL(B‖A) over this prompt's responses, same tokenizer only. */
  kl: { mean: number; max: number } | null;
}

export interface PowerNote {
  promptCategory: string | null;
  n: number;
  /**
   * Smallest paired difference in proportions detectable at α = 0.05 with 80% power, at the observed discordance;
   * null when no difference of any size was detectable (too few prompts).
   */
  mdeBinary: number | null;
  /** The same for continuous features, in units of d_z; null for no prompts. */
  mdeContinuous: number | null;
}

export interface DiffReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generator: { name: 'model-diff'; version: string };
  models: [ModelSummary, ModelSummary];
  promptSet: { id: string; name: string; hash: string; n: number };
  settings: GenerationSettings;
  options: { alpha: number; resamples: number; seed: number; minCategorySize: number };
  differences: Difference[];
  hunks: Hunk[];
  power: PowerNote[];
  tokens: {
    sameTokenizer: boolean;
    meanKl: number | null;
    meanJs: number | null;
    boostedInA: TokenBoost[];
    boostedInB: TokenBoost[];
  };
  /** Bits per byte of each model's responses under the other model (and under itself). */
  crossLikelihood: { aUnderB: number | null; bUnderA: number | null; aUnderA: number | null; bUnderB: number | null };
  words: { distinctiveA: WordScore[]; distinctiveB: WordScore[] };
  prompts: PromptDiff[];
}
