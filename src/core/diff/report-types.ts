// The diff report: the versioned data contract between the diff engine and every view, export and embed.
// Documented as a JSON schema in report-schema.ts; validated on import.

import type { GenerationSettings } from '../engine/types.ts';
import type { FeatureCategory, FeatureKind, FeatureValue } from '../features/index.ts';

export const REPORT_SCHEMA_VERSION = 2;

/**
 * Where the report groups a row: the extractors' feature categories, plus what discovery finds in what is said
 * (vocabulary) and, from the internals lens, inside the models (internals).
 */
export type ReportCategory = FeatureCategory | 'vocabulary' | 'internals';

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
  category: ReportCategory;
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
  test: 'mcnemar-exact' | 'mcnemar-chi-square' | 'wilcoxon-exact' | 'wilcoxon-normal' | 'sign-flip' | 'none';
  effectSize: EffectSize;
  significant: boolean;
  sentence: string;
  /** Prompts that show the difference most, strongest first. */
  examples: string[];
}

export interface Hunk {
  category: ReportCategory;
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
  /** Seeded samples per model when more than one (a and b then show the first; statistics use their means). */
  samples?: number;
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

/** How much two runs of the same model differ on this runtime: the floor any real difference must clear. */
export interface NoiseFloor {
  /** Mean per-prompt divergence of a model against itself (same unit as the verdict). */
  value: number;
  /** True when measured in this run (each model re-scoring its own replies); false: the runtime's rounding. */
  measured: boolean;
  /** How, in words. */
  method: string;
  /** Prompts it was measured on (0 when not measured). */
  n: number;
}

/** Do the two models behave differently at all on this prompt set? */
export interface Verdict {
  /**
   * identical: one vocabulary, the same replies and every next-token distribution equal (within the floor);
   * differs: the per-prompt divergence exceeds the noise floor (sign-flip test); indistinguishable: it does not.
   */
  status: 'identical' | 'differs' | 'indistinguishable';
  /** kl: mean per-token KL(B‖A) over both replies (one vocabulary); llr: the log-likelihood ratio in bits per byte. */
  statistic: 'kl' | 'llr';
  unit: 'nats per token' | 'bits per byte';
  n: number;
  /** Mean excess of the per-prompt divergence over the noise floor, with its paired-bootstrap 95% interval. */
  effect: number;
  ci: [number, number];
  /** One-sided sign-flip permutation p-value of the excess (linked prompts flip together). */
  p: number;
  noiseFloor: NoiseFloor;
  /** Prompts whose divergence exceeds the floor. */
  promptsAbove: number;
  sentence: string;
}

/** Where a behaviour happens: a trait of the prompts, found by a search whose p accounts for the search. */
export interface Condition {
  kind: 'prompt-words' | 'prompt-category';
  /** The trait in a few words ("prompts that contain “kill” or “bomb”"). */
  label: string;
  /** The trait with its evidence. */
  sentence: string;
  /** Word conditions: each word, on how many prompts it occurs, and on how many of those the behaviour happens. */
  words?: { word: string; prompts: number; happens: number }[];
  category?: string;
  /** Prompts with the trait (and where the behaviour happens), and without; null for within-category rows. */
  confirmation: { withTrait: number; happensWith: number; withoutTrait: number; happensWithout: number } | null;
  /** Permutation p of the search's best lift (the maximum over every word union and category); within-category: the row's p. */
  p: number;
  test: 'permutation' | 'within-category';
  candidatesTested: number;
}

/** One change, said once: a lead row and the rows the same prompts drive. */
export interface Behaviour {
  id: string;
  category: ReportCategory;
  /** broad: happens on most prompts with no condition (e.g. the sharpening of any fine-tune); specific otherwise. */
  scope: 'broad' | 'specific';
  sentence: string;
  /** The lead row's effect, interval and q. */
  effect: number;
  ci: [number, number];
  q: number;
  /** Index into `differences` of the lead row. */
  lead: number;
  /** Indices into `differences` of every row of this behaviour, the lead first. */
  evidence: number[];
  /** What else changes with it, in words. */
  consequences: string[];
  condition: Condition | null;
  /** Prompt ids where it shows most. */
  examples: string[];
}

/** How discovered differences were chosen and confirmed. */
export interface Discovery {
  method: 'split';
  seed: number;
  discoveryPrompts: number;
  confirmationPrompts: number;
  /** Words and n-grams scored on the discovery half, and how many were tested on the confirmation half. */
  candidatesScored: number;
  candidatesTested: number;
  sentence: string;
}

/** Where a weight sits in the decoder: attention q/k/v/o (qkv when packed), MLP gate/up/down, norms, embedding, head. */
export type WeightModule =
  | 'attn.q'
  | 'attn.k'
  | 'attn.v'
  | 'attn.qkv'
  | 'attn.o'
  | 'mlp.gate'
  | 'mlp.up'
  | 'mlp.gate_up'
  | 'mlp.down'
  | 'norm.input'
  | 'norm.post_attention'
  | 'norm.final'
  | 'embedding'
  | 'head'
  | 'other';

/** One weight tensor of A paired with B's tensor of the same structural role. */
export interface WeightTensorDiff {
  /** Stable role name shared by both models (blocks.0.attn.q, embed, unembed, ln_final; other:<name>). */
  key: string;
  /** A's initializer name. */
  name: string;
  /** Decoder layer (0-based); null for the embedding, head, final norm and unplaced tensors. */
  layer: number | null;
  module: WeightModule;
  /** [out, in] for matrices, [n] for vectors. */
  shape: number[];
  /** ‖W_B − W_A‖_F / ‖W_A‖_F: exactly 0 for identical weights; null when A's tensor is all zeros and B's is not. */
  relative: number | null;
  /** ‖W_A‖_F. */
  normA: number;
  /** ‖W_B − W_A‖_F. */
  normDelta: number;
}

/** The top singular direction of one large ΔW, read as tokens. */
export interface WeightDirection {
  key: string;
  name: string;
  layer: number | null;
  module: WeightModule;
  relative: number | null;
  /**
   * output: the residual direction the change writes (o, down, embedding) read through B's final norm and
   * unembedding, or (head) the vocabulary direction itself; input: the residual direction a changed reader
   * (q, k, v, gate, up) responds to most, read through B's embedding.
   */
  side: 'output' | 'input';
  /** Share of ‖ΔW‖²_F this direction carries (σ₁² / ‖ΔW‖²_F). */
  share: number;
  /**
   * Tokens at the two ends of the direction, strongest first (a singular direction has no sign of its own: the end
   * holding the largest score is called "up").
   */
  tokensUp: string[];
  tokensDown: string[];
}

/** How two models' weights differ, tensor by tensor (same architecture and shapes only). */
export interface WeightDiff {
  /** identical: every paired tensor is bit-for-bit equal (every relative change exactly 0). */
  status: 'identical' | 'differs';
  /** Decoder layers found in the graph. */
  layers: number;
  /** B stores one matrix as both embedding and head (listed once, as head). */
  tiedEmbedding: boolean;
  tensors: WeightTensorDiff[];
  /** The largest relative changes among matrices (at most 3), with their top direction. */
  top: WeightDirection[];
}

/** One position of the activation-difference lens: how large δ_p is, whether it holds, and how it reads. */
export interface LensPosition {
  /** Position among the documents' tokens (0 = the first after any BOS). */
  position: number;
  documents: number;
  /** ‖δ_p‖, and relative to B's mean residual norm at the layer. */
  norm: number;
  relative: number;
  /**
   * Sign-flip permutation p of ‖δ_p‖ over documents, and its BH q: over positions × the stream points read when the
   * lens has `points`, over positions alone in older reports.
   */
  p: number;
  q: number;
  /** B's logit lens of +δ_p and of −δ_p: token texts, strongest first (empty where q ≥ alpha). */
  tokensUp: string[];
  tokensDown: string[];
}

/** A steered reply: B decoding with α · mean‖h_B‖ · δ̂ added to its residual stream at the lens's layer. */
export interface SteeringSample {
  prompt: string;
  /** In units of B's mean residual norm at the layer; 0 is B unsteered. */
  alpha: number;
  text: string;
}

/** The lens at one stream point (read in the same forward pass as every other point). */
export interface LensLayer {
  /** 0: the embeddings; n: the residual after decoder layer n − 1. */
  point: number;
  rows: LensPosition[];
}

/** The activation-difference lens (Minder et al. 2025): same hidden size and layer count only. */
export interface DiffLens {
  /** The residual stream point steered at and shown first (`rows`): after decoder layer point − 1. */
  point: number;
  layers: number;
  hiddenSize: number;
  /** Which texts were read (the bundled generic or story set, or the prompt set), and how many. */
  texts: string;
  documents: number;
  /** How many first positions were read per document, and whether a leading BOS token was left out. */
  positions: number;
  bosSkipped: boolean;
  meanNormB: number;
  /** Every difference is exactly 0: the two streams are the same. */
  identical: boolean;
  rows: LensPosition[];
  /**
   * The lens at every stream point read (0..layers, or evenly spaced ones with `point` when memory is short), one BH
   * family over all their positions; `point`'s entry has the same rows as `rows`. Absent in older reports.
   * (Named `points`: `layers` is the layer count.)
   */
  points?: LensLayer[];
  /**
   * Leading tokens every document shares (a BOS, a chat template's opening), left out so position 0 is the first
   * token where documents can differ; absent in older reports (`bosSkipped` says whether a BOS was).
   */
  prefix?: number;
  /** Steering with δ̂ (the mean of δ_p over positions, unit length); null when δ is zero or nowhere significant. */
  steering: SteeringSample[] | null;
}

/** One token of a crosscoder snippet and the latent's activation there (0 where it does not fire). */
export interface CrosscoderToken {
  text: string;
  activation: number;
}

/** A stretch of text around one of a latent's strongest activations. */
export interface CrosscoderSnippet {
  /** Where the text came from: the bundled corpus, a prompt, or one model's reply (with the prompt's id). */
  source: 'corpus' | 'prompt' | 'reply-a' | 'reply-b';
  promptId: string | null;
  /** The tokens of one model's tokenization (B's for B-only and shared latents, A's for A-only). */
  tokens: CrosscoderToken[];
  /** Index into tokens of the strongest activation. */
  peak: number;
}

/**
 * A candidate's check on prompts its dictionary was not trained on: per held-out prompt, each model's share of its
 * variance along the latent's decoder direction in the model it is exclusive to or leans to (or, for latents chosen
 * by the replies, its mean activation on each model's own reply); the leaning model's minus the other's, one-sided
 * sign-flip test over prompts, BH q within the report's family.
 */
export interface CrosscoderConfirmation {
  /**
   * What was measured per held-out prompt: 'direction' (absent in older reports), each model's share of its variance
   * along the latent's decoder direction; 'replies', the latent's mean activation on each model's own reply.
   */
  statistic?: 'direction' | 'replies';
  n: number;
  effect: number;
  ci: [number, number];
  p: number;
  q: number;
  confirmed: boolean;
}

/** One crosscoder latent worth reading: an exclusive candidate or a shared latent whose two directions differ. */
export interface CrosscoderFeature {
  latent: number;
  band: 'a-only' | 'b-only' | 'shifted' | 'shared';
  /** Relative decoder norm r = ‖d_B‖ / (‖d_A‖ + ‖d_B‖). */
  relativeNorm: number;
  /** Cosine between the latent's A and B decoder directions; null when the hidden sizes differ or one is 0. */
  cosine: number | null;
  /** Latent scaling (Minder et al.): ν on the reconstruction and on the error; null where not computed. */
  nu: { reconstruction: number; error: number } | null;
  /** Share of training positions where it fires. */
  frequency: number;
  /** Its decoder direction read through that model's unembedding: token texts, strongest first. */
  decoderTokens: string[];
  snippets: CrosscoderSnippet[];
  /** Null for shared latents (not candidates) and where no held-out prompts were left. */
  confirmation: CrosscoderConfirmation | null;
  /**
   * Candidates: the model it leans to (exclusive to, holds more of, or fires more on the replies of), whose decoder
   * and tokenization its card reads. Absent in older reports and for "concepts that changed": by r (B from ½ up).
   */
  leansTo?: 'a' | 'b';
}

/** A BatchTopK crosscoder trained in the page on both models' residual streams (Lindsey et al. 2024; DFCs). */
export interface CrosscoderSection {
  /** Residual stream point read in each model (after decoder layer point − 1). */
  points: [number, number];
  hiddenSizes: [number, number];
  latents: number;
  /** Share of latents dedicated to A alone and to B alone. */
  dedicated: number;
  k: number;
  steps: number;
  seed: number;
  device: string;
  seconds: number;
  /** Positions used; the share of positions where both tokenizations end a token at the same character. */
  alignment: { sameVocabulary: boolean; rate: number; positions: number };
  /** What was harvested: corpus documents, training prompts (with both replies), held-out prompts. */
  data: { corpus: string; documents: number; trainPrompts: number; heldOutPrompts: number };
  /** At the end of training, on the training data: explained variance per model, mean L0, dead latents. */
  fit: { explainedVariance: [number, number]; l0: number; dead: number };
  bands: { aOnly: number; bOnly: number; sharedLow: number; sharedHigh: number };
  /** Histogram of r over live latents: counts[i] in [edges[i], edges[i + 1]). */
  histogram: { edges: number[]; counts: number[] };
  counts: { aOnly: number; bOnly: number; shared: number; shifted: number; dead: number };
  /** Exclusives expected where the models differ in nothing, at these thresholds, and how that was measured. */
  noiseFloor: { expected: number; method: string };
  /** The candidates: A-only and B-only latents after latent scaling, strongest first, then latents both write that were chosen on the training prompts (a lean to one model, or firing more on its replies). */
  exclusives: CrosscoderFeature[];
  /** Shared latents whose A and B directions differ most ("concepts that changed"). */
  changed: CrosscoderFeature[];
  /** The trained decoders, fp16, base64 (exportDictionary without encoder); null when too large to carry. */
  dictionary: string | null;
  notes: string[];
}

/** What was read inside the models (schema 2, optional: reports without it open). */
export interface InternalsSection {
  /** null when the weights could not be compared: `note` says why. */
  weights: WeightDiff | null;
  /** The activation-difference lens; null when it could not run (`note` says why); absent in older reports. */
  lens?: DiffLens | null;
  /** The crosscoder, when the run asked for one (crosscoder=1); null when it could not run (`note` says why). */
  crosscoder?: CrosscoderSection | null;
  /** Why something is absent, or what to know about it (e.g. tensors found in only one model); null when nothing. */
  note: string | null;
}

export interface DiffReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generator: { name: 'model-diff'; version: string };
  models: [ModelSummary, ModelSummary];
  promptSet: { id: string; name: string; hash: string; n: number };
  /** With `samples` when each prompt was answered more than once per model. */
  settings: GenerationSettings & { samples?: number };
  options: { alpha: number; resamples: number; seed: number; minCategorySize: number };
  /** Schema 2: null in reports opened from schema 1. */
  verdict: Verdict | null;
  behaviours: Behaviour[];
  discovery: Discovery | null;
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
  /**
   * Optional: what the models' insides show (the weight diff) for ONNX pairs of one architecture; absent when the
   * run was asked not to look (internals=0) and in reports made before it.
   */
  internals?: InternalsSection;
}
