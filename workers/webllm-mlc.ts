// The real web-llm boundary: one MLCEngine in this worker. Kept to the calls WebLlmBoundary names, so everything
// else the engine does (decoding, sampling, scoring, messages) is ours and tested without a GPU.

import { MLCEngine, prebuiltAppConfig, type InitProgressReport, type LogitProcessor } from '@mlc-ai/web-llm';
import { modelFolderUrl, type WebLlmBoundary, type WebLlmRecord } from './webllm-engine.ts';

export class MlcBoundary implements WebLlmBoundary {
  #engine: MLCEngine | null = null;

  prebuilt(modelId: string): WebLlmRecord | undefined {
    return prebuiltAppConfig.model_list.find((r) => r.model_id === modelId);
  }

  prebuiltIds(): string[] {
    return prebuiltAppConfig.model_list.map((r) => r.model_id);
  }

  async reload(
    record: WebLlmRecord,
    processor: LogitProcessor,
    onProgress: (r: InitProgressReport) => void,
  ): Promise<void> {
    await this.unload();
    this.#engine = new MLCEngine({
      appConfig: { model_list: [record] },
      logitProcessorRegistry: new Map([[record.model_id, processor]]),
      initProgressCallback: onProgress,
    });
    await this.#engine.reload(record.model_id);
  }

  async modelFile(record: WebLlmRecord, name: string): Promise<string | null> {
    const url = new URL(name, modelFolderUrl(record.model)).href;
    const res = await fetch(url);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText} for ${url}`);
    return res.text();
  }

  forwardTokensAndSample(ids: number[], isPrefill: boolean): Promise<number> {
    return this.#loaded().forwardTokensAndSample(ids, isPrefill);
  }

  resetChat(): Promise<void> {
    return this.#loaded().resetChat();
  }

  async unload(): Promise<void> {
    const engine = this.#engine;
    this.#engine = null;
    await engine?.unload();
  }

  #loaded(): MLCEngine {
    if (!this.#engine) throw new Error('No web-llm model is loaded in this worker: call load() first.');
    return this.#engine;
  }
}
