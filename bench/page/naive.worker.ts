// The baseline the profiler is measured against: what a user would write without it. transformers.js's
// pipeline('text-generation') answers one prompt at a time, and a separate forward pass over prompt + response gives
// the per-token log-probabilities (log-softmax, top-k) that the pipeline does not return. Same model files, same
// runtime, same thread count and the same maths for log-softmax and top-k as the profiler.

import { expose } from 'comlink';
import { Tensor, env, pipeline, type TextGenerationPipeline } from '@huggingface/transformers';
import { scoreStep } from '../../src/core/engine/distribution.ts';
import type { ChatMessage, ScoredStep } from '../../src/core/engine/types.ts';

export type NaiveInput = string | ChatMessage[];

let generator: TextGenerationPipeline | null = null;

function ready(): TextGenerationPipeline {
  if (!generator) throw new Error('naive worker: load() first');
  return generator;
}

/** Prompt ids exactly as the pipeline makes them. */
function promptIds(input: NaiveInput): number[] {
  const tok = ready().tokenizer;
  if (typeof input === 'string') {
    const add = Boolean((tok as unknown as { add_bos_token?: boolean }).add_bos_token);
    return tok.encode(input, { add_special_tokens: add });
  }
  const text = tok.apply_chat_template(input, { tokenize: false, add_generation_prompt: true }) as unknown as string;
  return tok.encode(text, { add_special_tokens: false });
}

const api = {
  /** `dtype`: the weight format to load (transformers.js names: fp32, q4, q8), the same file our engine loads. */
  async load(
    modelsBase: string,
    name: string,
    runtimeBase: string,
    threads: number,
    dtype: 'fp32' | 'q4' | 'q8' = 'fp32',
  ): Promise<number> {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    env.remoteHost = modelsBase;
    env.remotePathTemplate = '{model}/';
    env.useBrowserCache = false;
    env.useWasmCache = false;
    const wasm = (env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } }).wasm!;
    wasm.wasmPaths = {
      mjs: `${runtimeBase}ort-wasm-simd-threaded.asyncify.mjs`,
      wasm: `${runtimeBase}ort-wasm-simd-threaded.asyncify.wasm`,
    };
    wasm.numThreads = threads;
    generator = (await pipeline('text-generation', name, { dtype, device: 'wasm' })) as TextGenerationPipeline;
    return wasm.numThreads;
  },

  async generate(input: NaiveInput, maxNewTokens: number): Promise<string> {
    const out = (await ready()(input as string, {
      max_new_tokens: maxNewTokens,
      do_sample: false,
      return_full_text: false,
    })) as { generated_text: string | ChatMessage[] }[];
    const g = out[0]!.generated_text;
    return typeof g === 'string' ? g : g.at(-1)!.content;
  },

  /** Teacher-forced scores of `text` after the prompt: one forward pass over prompt + response. */
  async score(input: NaiveInput, text: string, k: number, candidates?: number[][]): Promise<ScoredStep[]> {
    const { model, tokenizer } = ready();
    const prompt = promptIds(input);
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    if (ids.length === 0) return [];
    const all = [...prompt, ...ids];
    const out = (await model({
      input_ids: new Tensor(
        'int64',
        BigInt64Array.from(all, (x) => BigInt(x)),
        [1, all.length],
      ),
      attention_mask: new Tensor('int64', new BigInt64Array(all.length).fill(1n), [1, all.length]),
    })) as { logits: Tensor };
    const V = out.logits.dims[2]!;
    const data = out.logits.data as Float32Array;
    return ids.map((id, j) => {
      return scoreStep(data.subarray((prompt.length - 1 + j) * V, (prompt.length + j) * V), id, k, candidates?.[j]);
    });
  },
};

export type NaiveApi = typeof api;
expose(api);
