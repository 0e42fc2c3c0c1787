// <model-diff-matrix>: three or more models on one prompt set, as a distance matrix. Like <model-diff>, attributes
// are the API and it starts no model download unasked (the `run` attribute or the Run button).

import { LitElement, css, html, nothing } from 'lit';
import type { NWayReport } from '../core/diff/n-way.ts';
import type { NWayEvent } from '../services/n-way-session.ts';
import { tokens } from '../ui/styles.ts';

interface Progress {
  message: string;
  done: number;
  total: number;
}

/**
 * Compares three or more language models on one prompt set: a heatmap of how far apart each pair is, and what is
 * unique to each model.
 *
 * @tagname model-diff-matrix
 * @summary An N-way distance matrix of language models, computed in the browser.
 *
 * @attr {string} models - Three or more models, comma-separated, in the forms `<model-diff>` accepts.
 * @attr {string} prompts - A bundled prompt-set id or a URL of a prompt set. Default `smoke`.
 * @attr {number} max-new-tokens - Largest response length in tokens. Default 48.
 * @attr {"auto" | "webgpu" | "wasm"} device - Where models run. Default `auto`.
 * @attr {boolean} run - Start without a click.
 *
 * @fires {CustomEvent<NWayEvent>} model-diff-progress - Progress: `detail.phase` is `prompts`, `load`, `loaded`, `profile` (with `detail.model`, its index), `diff` or `warning`. Bubbles, composed.
 * @fires {CustomEvent<{nway: NWayReport}>} model-diff-ready - The matrix is shown: `detail.nway` holds every pairwise test. Bubbles, composed.
 * @fires {CustomEvent<{message: string}>} model-diff-error - Something failed: `detail.message` says what and what to do. Bubbles, composed.
 *
 * @csspart toolbar - The Run/Stop button.
 * @csspart matrix - The distance matrix and the per-model summaries.
 */
export class ModelDiffMatrix extends LitElement {
  static override properties = {
    models: { type: String },
    prompts: { type: String },
    maxNewTokens: { type: Number, attribute: 'max-new-tokens' },
    device: { type: String },
    run: { type: Boolean },
    nway: { attribute: false },
    progress: { state: true },
    error: { state: true },
  };
  declare models: string;
  declare prompts: string;
  declare maxNewTokens: number;
  declare device: 'auto' | 'webgpu' | 'wasm';
  declare run: boolean;
  /** The last result (null until one is ready). */
  declare nway: NWayReport | null;
  declare progress: Progress | null;
  declare error: string;
  #abort: AbortController | null = null;

  constructor() {
    super();
    this.models = '';
    this.prompts = 'smoke';
    this.maxNewTokens = 48;
    this.device = 'auto';
    this.run = false;
    this.nway = null;
    this.progress = null;
    this.error = '';
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      .toolbar {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        flex-wrap: wrap;
        margin: 0.75rem 0;
      }
      progress {
        flex: 1 1 10rem;
      }
    `,
  ];

  get #list(): string[] {
    return this.models
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('run') && this.run && !this.#abort) void this.start();
  }

  /** Runs every model on the prompts and computes the matrix. */
  async start(): Promise<void> {
    if (this.#abort) return;
    this.#abort = new AbortController();
    this.error = '';
    this.nway = null;
    this.progress = { message: 'Reading the prompt set…', done: 0, total: 1 };
    try {
      const { runNWay } = await import('../services/n-way-session.ts');
      const nway = await runNWay({
        models: this.#list,
        prompts: this.prompts,
        device: this.device,
        settings: { maxNewTokens: this.maxNewTokens, temperature: 0, seed: 1, topK: 10 },
        signal: this.#abort.signal,
        onEvent: (e) => this.#onEvent(e),
      });
      this.nway = nway;
      this.dispatchEvent(new CustomEvent('model-diff-ready', { detail: { nway }, bubbles: true, composed: true }));
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.dispatchEvent(
        new CustomEvent('model-diff-error', { detail: { message: this.error }, bubbles: true, composed: true }),
      );
    } finally {
      this.#abort = null;
      this.progress = null;
    }
  }

  /** Stops a run (terminates the model worker). */
  stop(): void {
    this.#abort?.abort(new Error('Stopped by the user. Finished responses are kept: press Run to continue.'));
  }

  #onEvent(e: NWayEvent) {
    const k = this.#list.length;
    const p = this.progress ?? { message: '', done: 0, total: 1 };
    if (e.phase === 'load') {
      const mb = (n: number) => (n / 1e6).toFixed(1);
      this.progress = {
        message: `Model ${e.model + 1} of ${k} (${e.label}): ${e.progress.file} ${mb(e.progress.loaded)} / ${mb(e.progress.total)} MB`,
        done: e.progress.loaded,
        total: Math.max(1, e.progress.total),
      };
    }
    if (e.phase === 'profile') {
      const q = e.progress;
      this.progress = {
        message: `Model ${e.model + 1} of ${k} (${e.label}): ${q.done}/${q.total} prompts · ${q.tokensPerSecond.toFixed(0)} tok/s`,
        done: e.model * q.total + q.done,
        total: k * q.total,
      };
    }
    if (e.phase === 'diff') this.progress = { ...p, message: 'Testing every pair of models…' };
    if (e.phase === 'warning') this.progress = { ...p, message: e.message };
    this.dispatchEvent(new CustomEvent('model-diff-progress', { detail: e, bubbles: true, composed: true }));
  }

  override render() {
    const p = this.progress;
    return html`<div class="toolbar" part="toolbar">
        ${
          this.#abort
            ? html`<button @click=${() => this.stop()}>Stop</button>`
            : html`<button class="primary" @click=${() => this.start()} ?disabled=${this.#list.length < 3}>Run</button>`
        }
        <span class="muted">${this.#list.join(' · ')} on ${this.prompts}</span>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${
        p
          ? html`<div role="status" aria-live="polite">
              <progress max=${p.total} value=${p.done} aria-label="progress"></progress> ${p.message}
            </div>`
          : nothing
      }
      ${this.nway ? html`<md-distance-matrix part="matrix" .report=${this.nway}></md-distance-matrix>` : nothing}`;
  }
}
