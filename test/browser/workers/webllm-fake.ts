// A FAKE at the web-llm boundary, and only there: these machines have no GPU that web-llm accepts and cannot download
// MLC weights or model libraries, so MLCEngine itself cannot run a model here. The fake behaves as web-llm does at
// the calls WebLlmBoundary names — a KV cache that only resetChat() clears, prefill of any length, decode of exactly
// one token, the registered LogitProcessor called with the raw logits of the last position before web-llm samples,
// resetState() on resetChat(), progress reports in web-llm's own wording — and its logits are real: the TypeScript
// reference forward pass of a forged model. Its model folder holds that model's real tokenizer files and the
// mlc-chat-config.json that mlc_llm would write for it. Everything the adapter does is the real code.

import { prebuiltAppConfig, type InitProgressReport, type LogitProcessor } from '@mlc-ai/web-llm';
import { forgedFolder, type ForgedModel } from '../../../src/core/forge/index.ts';
import type { ForgedBase } from '../../../src/core/forge/base.ts';
import { ReferenceDecoder, argmax } from '../../../src/core/llama/reference.ts';
import type { WebLlmBoundary, WebLlmRecord } from '../../../workers/webllm-engine.ts';

export interface FakeOptions {
  /** Thrown by reload(), as web-llm would (an object with web-llm's error name and message). */
  reloadError?: { name: string; message: string };
  /** Files the folder lacks (404). */
  missing?: string[];
  contextWindow?: number;
}

export class ForgedWebLlm implements WebLlmBoundary {
  /** Every boundary call, in order: 'reload <id>', 'reset', 'prefill <n>', 'decode', 'unload'. */
  readonly calls: string[] = [];
  records: WebLlmRecord[] = [];
  readonly #model: ForgedModel;
  readonly #files: Map<string, string>;
  readonly #options: FakeOptions;
  #processor: LogitProcessor | null = null;
  #decoder: ReferenceDecoder | null = null;

  constructor(base: ForgedBase, model: ForgedModel, options: FakeOptions = {}) {
    this.#model = model;
    this.#options = options;
    const folder = forgedFolder(base, model);
    const text = (name: string) => new TextDecoder().decode(folder.get(name)!);
    const c = model.variant.weights.config;
    this.#files = new Map([
      ['tokenizer.json', text('tokenizer.json')],
      ['tokenizer_config.json', text('tokenizer_config.json')],
      [
        'mlc-chat-config.json',
        JSON.stringify({
          model_type: 'llama',
          quantization: 'q0f32',
          vocab_size: c.vocabSize,
          context_window_size: options.contextWindow ?? c.maxPositionEmbeddings,
          bos_token_id: c.bosTokenId,
          eos_token_id: c.eosTokenIds[0],
          conv_template: { stop_token_ids: c.eosTokenIds },
          tokenizer_files: ['tokenizer.json', 'tokenizer_config.json'],
        }),
      ],
    ]);
    for (const name of options.missing ?? []) this.#files.delete(name);
  }

  get id(): string {
    return `${this.#model.name}-q0f32-MLC`;
  }

  /** This forged model under an MLC-style id, then web-llm's real prebuilt list (data only). */
  prebuilt(modelId: string): WebLlmRecord | undefined {
    if (modelId !== this.id) return prebuiltAppConfig.model_list.find((r) => r.model_id === modelId);
    return {
      model: `https://huggingface.co/model-diff/${this.id}`,
      model_id: this.id,
      model_lib: 'https://x/lib.wasm',
    };
  }

  prebuiltIds(): string[] {
    return [this.id, ...prebuiltAppConfig.model_list.map((r) => r.model_id)];
  }

  async reload(
    record: WebLlmRecord,
    processor: LogitProcessor,
    onProgress: (r: InitProgressReport) => void,
  ): Promise<void> {
    this.calls.push(`reload ${record.model_id}`);
    this.records.push(record);
    if (this.#options.reloadError)
      throw Object.assign(new Error(this.#options.reloadError.message), this.#options.reloadError);
    this.#processor = processor;
    // web-llm's wording (tvmjs fetchTensorCache), 3 shards of 2 MB.
    onProgress({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' });
    for (let i = 1; i <= 3; i++) {
      const text = `Fetching param cache[${i}/3]: ${2 * i}MB fetched. ${Math.floor((100 * i) / 3)}% completed, 0 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.`;
      onProgress({ progress: i / 3, timeElapsed: 0, text });
    }
    onProgress({ progress: 1, timeElapsed: 0, text: 'Finish loading on WebGPU - fake' });
    this.#decoder = new ReferenceDecoder(this.#model.variant.weights);
  }

  async modelFile(_record: WebLlmRecord, name: string): Promise<string | null> {
    return this.#files.get(name) ?? null;
  }

  async forwardTokensAndSample(ids: number[], isPrefill: boolean): Promise<number> {
    if (!this.#decoder || !this.#processor) throw new Error('Model not loaded before calling forwardTokensAndSample.');
    if (ids.length === 0) throw new Error('inputIds must not be empty');
    if (!isPrefill && ids.length !== 1) throw new Error('decode expects exactly one token ID');
    const limit = this.#options.contextWindow;
    if (limit !== undefined && this.#decoder.length + ids.length > limit) {
      throw Object.assign(new Error(`Prompt tokens exceed context window size: ${ids.length}; ${limit}`), {
        name: 'ContextWindowSizeExceededError',
      });
    }
    this.calls.push(isPrefill ? `prefill ${ids.length}` : 'decode');
    const last = this.#decoder.forward(ids).at(-1)!;
    const processed = this.#processor.processLogits(Float32Array.from(last));
    const token = argmax(processed);
    this.#processor.processSampledToken(token);
    return token;
  }

  async resetChat(): Promise<void> {
    this.calls.push('reset');
    this.#decoder = new ReferenceDecoder(this.#model.variant.weights);
    this.#processor?.resetState();
  }

  async unload(): Promise<void> {
    this.calls.push('unload');
    this.#decoder = null;
    this.#processor = null;
  }
}
