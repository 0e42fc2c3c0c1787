// The engine contract every model runtime gives the profiler (ONNX via transformers.js, web-llm, remote servers).
// Plain data only: these objects cross worker boundaries and are stored in IndexedDB.

import type { OnnxDtype } from '../onnx-dtypes.ts';

export type EngineKind = 'onnx' | 'webllm' | 'openai';
export type Device = 'webgpu' | 'wasm' | 'cpu' | 'remote';

/** A file's bytes without reading them yet: a DOM File or Blob (cloned to a worker without copying). */
export interface BlobLike {
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Where a model comes from. Every kind resolves to the same Hugging Face-layout files inside the worker. */
export type ModelSource = (
  | { kind: 'url'; url: string }
  | { kind: 'hub'; repo: string; revision?: string }
  | { kind: 'files'; name: string; files: Record<string, Uint8Array | BlobLike> }
  | {
      kind: 'llama2c';
      name: string;
      checkpoint: string | Uint8Array | BlobLike;
      tokenizer: string | Uint8Array | BlobLike;
    }
) & {
  /** Weight format to load (transformers.js names: fp32, fp16, q8, q4…); absent or 'auto': chosen for the device. */
  dtype?: OnnxDtype | 'auto';
};

/**
 * A web-llm (MLC) model: a prebuilt id from web-llm's own list, or a custom record — the model folder URL (weights,
 * mlc-chat-config.json, tokenizer files) and the compiled model library (.wasm) URL.
 */
export interface WebLlmSource {
  kind: 'webllm';
  modelId: string;
  model?: string;
  modelLib?: string;
}

/**
 * A model behind an OpenAI-compatible HTTP server (vLLM, llama.cpp server, Ollama). `apiKey` is held in memory only:
 * it is never part of a model spec, a share URL, a cache key or a report.
 */
export interface OpenAiSource {
  kind: 'openai';
  /** The API root, e.g. http://localhost:8000/v1 (requests go to <baseUrl>/chat/completions…). */
  baseUrl: string;
  model: string;
  apiKey?: string;
}

/** Everything an engine worker can load. ModelSource is the subset that resolves to Hugging Face-layout files. */
export type EngineSource = ModelSource | WebLlmSource | OpenAiSource;

export interface ModelInfo {
  id: string;
  engine: EngineKind;
  architecture: string;
  vocabSize: number;
  /** Hash of the vocabulary: equal fingerprints mean token ids mean the same thing in both models. */
  tokenizerFingerprint: string;
  dtype: string;
  device: Device;
  hasChatTemplate: boolean;
  eosTokenIds: number[];
  parameterBytes: number;
  /** Identifies the weights and tokenizer actually loaded (config, vocabulary, weight bytes): the cache key's model part. */
  fingerprint: string;
  /** What the engine chose and why (device, weight format, size), and warnings such as a full cache. */
  notes?: string[];
}

/** Bytes of one model file so far. total is 0 when the server does not say; -1 in both on the final 'done'. */
export interface LoadProgress {
  file: string;
  loaded: number;
  total: number;
  done: boolean;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * A prompt as the engine sees it: a chat (rendered with the model's template when it has one), raw text (the
 * tokenizer adds BOS when it is configured to), or token ids used as they are.
 */
export type PromptInput = { messages: ChatMessage[] } | { text: string } | { tokens: number[] };

export interface GenerationSettings {
  maxNewTokens: number;
  /** 0 = greedy. Otherwise tokens are sampled from the temperature-scaled, top-k-truncated distribution. */
  temperature: number;
  seed: number;
  /** How many alternatives to record per step. */
  topK: number;
}

export interface TokenAlternative {
  id: number;
  logprob: number;
}

/** One decoding or scoring step. logprob and entropy are of the raw (temperature 1) distribution. */
export interface TokenStep {
  id: number;
  logprob: number;
  entropy: number;
  top: TokenAlternative[];
}

export interface GenerationResult {
  promptTokens: number[];
  tokens: TokenStep[];
  text: string;
  /** Why decoding stopped. */
  stop: 'eos' | 'length';
  timings: { prefillMs: number; decodeMs: number; tokensPerSecond: number };
}

/** A scored token: its step, plus the scorer's log-probabilities of the requested candidate ids at that position. */
export interface ScoredStep extends TokenStep {
  candidates?: TokenAlternative[];
}

export interface ScoreResult {
  promptTokens: number[];
  tokens: ScoredStep[];
  /**
   * Set when this engine cannot score text it did not write (a server without prompt log-probabilities): why, in a
   * sentence. tokens is then empty and the report's cross-likelihood for it is unavailable, not zero.
   */
  unavailable?: string;
}
