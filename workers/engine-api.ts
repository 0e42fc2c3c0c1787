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
  dispose(): Promise<void>;
}
