// The one boundary between the page and a model worker: what a worker exposes through Comlink.
// Every argument and result is structured-cloneable data; progress streams back through a proxied callback.

import type {
  EngineSource,
  GenerationResult,
  GenerationSettings,
  LoadProgress,
  ModelInfo,
  PromptInput,
  ScoreResult,
} from '../src/core/engine/types.ts';

export interface RuntimeOptions {
  /** Absolute URL of the folder holding onnxruntime-web's .mjs/.wasm files (served by this site, never a CDN). */
  runtimeBase: string;
  /** 'auto' picks WebGPU on a hardware adapter, WASM otherwise (a software adapter is slower than WASM). */
  device: 'auto' | 'webgpu' | 'wasm';
  /** WASM threads; ignored unless the page is cross-origin isolated. */
  threads?: number;
}

/** One teacher-forced scoring job of scoreBatch(): the arguments of score(). */
export interface ScoreRequest {
  prompt: PromptInput;
  continuation: number[];
  candidates?: number[][];
}

/** Activations to read: token rows, the stream points (0 embedding, l + 1 after decoder layer l), first positions. */
export interface ActivationRequest {
  rows: number[][];
  points: number[];
  /** Only each row's first positions (a causal model's first k activations need only its first k tokens). */
  firstPositions?: number;
}

/** Activations at some stream points: per point, the rows' positions stacked ([Σ lengths, hidden], float32). */
export interface Activations {
  hiddenSize: number;
  points: number[];
  lengths: number[];
  data: Float32Array[];
}

export interface TapLayout {
  /** Decoder layers found in the graph's structure (stream points 0..layers). */
  layers: number;
  hiddenSize: number;
}

/** One reply decoded with `vector` added to the residual stream at `point` (1..layers) at every position. */
export interface SteeringRequest {
  prompt: PromptInput;
  settings: GenerationSettings;
  point: number;
  vector: Float32Array;
}

/** Per vector: the tokens the logit lens scores highest and lowest. */
/** Per vector, the tokens it raises most and lowers most: id, score, and the token's text on its own. */
export interface LensResult {
  rows: { top: LensToken[]; bottom: LensToken[] }[];
}

export interface LensToken {
  id: number;
  score: number;
  text: string;
}

export interface EngineApi {
  /** Each engine loads the sources of its kind (ONNX: files; web-llm: webllm; OpenAI-compatible: openai). */
  load(source: EngineSource, options: RuntimeOptions, onProgress?: (p: LoadProgress) => void): Promise<ModelInfo>;
  /** Token ids of a prompt exactly as generate() will feed them (chat template applied when there is one). */
  encode(prompt: PromptInput): Promise<number[]>;
  decode(ids: number[]): Promise<string>;
  /** Token ids of plain text with no special tokens: how this model would tokenise another model's response. */
  tokenize(text: string): Promise<number[]>;
  /** Decodes each id on its own, for token-level views. */
  tokenTexts(ids: number[]): Promise<string[]>;
  generate(prompt: PromptInput, settings: GenerationSettings): Promise<GenerationResult>;
  /**
   * generate() for several prompts decoded together (one forward pass per step for all of them): the same results
   * as generate() on each prompt, up to floating-point rounding. Optional: engines that cannot batch leave it out,
   * and the profiler then calls generate() per prompt.
   */
  generateBatch?(prompts: PromptInput[], settings: GenerationSettings): Promise<GenerationResult[]>;
  /**
   * Teacher-forced log-probabilities of `continuation` (token ids) after the prompt, with top-k per position, and,
   * when given, the log-probabilities of `candidates[j]` at position j (e.g. the other model's top-k there).
   */
  score(prompt: PromptInput, continuation: number[], topK: number, candidates?: number[][]): Promise<ScoreResult>;
  /** score() for several jobs in one forward pass. Optional, like generateBatch. */
  scoreBatch?(items: ScoreRequest[], topK: number): Promise<ScoreResult[]>;
  /**
   * Raw logits for `ids`, fed through the KV cache in chunks of the given sizes (one chunk = one forward pass).
   * Row-major [ids.length, vocab]. For checking the cache against a reference; profiling never needs it.
   */
  logits(ids: number[], chunks?: number[]): Promise<Float32Array>;
  /**
   * Step-by-step decoding driven from outside (diff amplification combines two models' logits at each step):
   * beginSteps encodes the prompt and returns the logits for the first new token; step appends a token and returns
   * the next logits; endSteps frees the cache.
   */
  beginSteps(prompt: PromptInput): Promise<{ promptTokens: number[]; logits: Float32Array }>;
  step(id: number): Promise<Float32Array>;
  endSteps(): Promise<void>;
  /**
   * Serves this model's weights on `port` (a WeightSource over Comlink: the manifest of weights with their roles,
   * each weight as float32 on request) for the weight-diff worker. ONNX engines only; web-llm and OpenAI-compatible
   * engines have no weights to give, and the session never asks them (a Comlink proxy has every method).
   */
  serveWeights?(port: MessagePort): Promise<void>;
  /**
   * Activation taps (ONNX engines only; others leave them out): the graph's layers found from its structure, the
   * residual stream read for token rows, decoding with a steering vector added, and the logit lens. A graph whose
   * layers cannot be found rejects with a TapError that says so.
   */
  tapLayout?(): Promise<TapLayout>;
  activations?(request: ActivationRequest): Promise<Activations>;
  generateSteered?(request: SteeringRequest): Promise<GenerationResult>;
  logitLens?(vectors: Float32Array[], k: number): Promise<LensResult>;
  dispose(): Promise<void>;
}
