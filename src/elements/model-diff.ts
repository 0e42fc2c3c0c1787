// <model-diff>: the public, embeddable element. Attributes are the API. With `report` it shows a precomputed diff
// at once and never loads engine code; with `model-a`, `model-b` and `prompts` it runs a comparison, but only
// when asked (the `run` attribute or the Run button): an embed never starts a model download unasked.

import { LitElement, css, html, nothing } from 'lit';
import type { DiffReport } from '../core/diff/report-types.ts';
import { parseReportJson, validateReport } from '../core/diff/report-validate.ts';
import type { ModelSource } from '../core/engine/types.ts';
import type { PromptSet } from '../core/prompts/index.ts';

export interface LocalModel {
  label: string;
  source: ModelSource;
}
import type { SessionEvent } from '../services/session.ts';
import { SELECT_DIFFERENCE } from '../ui/forest-plot.ts';
import { AMPLIFY, type AmplifiedSample } from '../ui/amplify-panel.ts';
import { SELECT_PROMPT } from '../ui/hunk-list.ts';

type AmplifyDetail = { promptId: string; alpha: number; samples: number };
import type { ProgressState } from '../ui/progress-panel.ts';
import { tokens } from '../ui/styles.ts';

/**
 * @summary Shows how two language models differ, from a precomputed report or by running both in the browser.
 * @fires model-diff-progress - detail: a session event (prompts, load, loaded, profile, diff).
 * @fires model-diff-ready - detail: { report } — the report object, the same one "Export JSON" downloads.
 * @fires model-diff-error - detail: { message } — what went wrong and what to do.
 * @cssprop --model-diff-color-a - Colour of model A. @cssprop --model-diff-color-b - Colour of model B.
 * @cssprop --model-diff-bg - Background. @cssprop --model-diff-fg - Text colour. @cssprop --model-diff-font - Font.
 * @csspart toolbar - The run/export buttons.
 */
export class ModelDiff extends LitElement {
  static override properties = {
    modelA: { type: String, attribute: 'model-a' },
    modelB: { type: String, attribute: 'model-b' },
    prompts: { type: String },
    reportUrl: { type: String, attribute: 'report' },
    maxNewTokens: { type: Number, attribute: 'max-new-tokens' },
    device: { type: String },
    run: { type: Boolean },
    report: { state: true },
    progress: { state: true },
    error: { state: true },
    selected: { state: true },
    running: { state: true },
    warning: { state: true },
    promptSet: { attribute: false },
    localA: { attribute: false },
    localB: { attribute: false },
    amplified: { state: true },
    amplifying: { state: true },
    amplifyMessage: { state: true },
  };
  declare modelA: string;
  declare modelB: string;
  declare prompts: string;
  declare reportUrl: string;
  declare maxNewTokens: number;
  declare device: 'auto' | 'webgpu' | 'wasm';
  declare run: boolean;
  declare report: DiffReport | null;
  declare progress: ProgressState | null;
  declare error: string;
  declare selected: string;
  declare running: boolean;
  declare warning: string;
  /** A parsed prompt set (e.g. from a local file); when set it is used instead of the `prompts` attribute. */
  declare promptSet: PromptSet | null;
  /** Models built by the page from local files; when set they replace model-a / model-b. */
  declare localA: LocalModel | null;
  declare localB: LocalModel | null;
  declare amplified: AmplifiedSample[];
  declare amplifying: boolean;
  declare amplifyMessage: string;
  /** What the last run in this page used: amplification reloads the same models for the same prompts. */
  #lastRun: { set: PromptSet; modelA: string | LocalModel; modelB: string | LocalModel } | null = null;
  #abort: AbortController | null = null;

  constructor() {
    super();
    this.modelA = '';
    this.modelB = '';
    this.prompts = 'smoke';
    this.reportUrl = '';
    this.maxNewTokens = 48;
    this.device = 'auto';
    this.run = false;
    this.report = null;
    this.progress = null;
    this.error = '';
    this.selected = '';
    this.running = false;
    this.warning = '';
    this.promptSet = null;
    this.localA = null;
    this.localB = null;
    this.amplified = [];
    this.amplifying = false;
    this.amplifyMessage = '';
    this.addEventListener(AMPLIFY, (e) => void this.#amplify((e as CustomEvent<AmplifyDetail>).detail));
    this.addEventListener(
      SELECT_PROMPT,
      (e) => (this.selected = (e as CustomEvent<{ promptId: string }>).detail.promptId),
    );
    // A forest-plot row shows the prompt that shows that difference most (its first example), when it has one.
    this.addEventListener(SELECT_DIFFERENCE, (e) => {
      const d = this.report?.differences[(e as CustomEvent<{ index: number }>).detail.index];
      if (d?.examples[0]) this.selected = d.examples[0];
    });
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        background: transparent;
      }
      .toolbar {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        margin: 0.75rem 0;
      }
      .selected {
        border: 1px solid var(--md-accent);
        border-radius: 8px;
        padding: 0.5rem 0.75rem;
      }
      .selected p {
        margin: 0.25rem 0 0.5rem;
        overflow-wrap: anywhere;
      }
    `,
  ];

  override updated(changed: Map<string, unknown>) {
    if (changed.has('reportUrl') && this.reportUrl) void this.#loadReport(this.reportUrl);
    if (changed.has('run') && this.run && !this.#abort && !this.reportUrl) void this.start();
  }

  async #loadReport(url: string) {
    try {
      const where = new URL(url, document.baseURI).href;
      const res = await fetch(where).catch((e: Error) => {
        throw new Error(
          `Could not load the report at ${where} (${e.message}). Check the address, and that its server allows ` +
            'cross-origin requests (CORS: Access-Control-Allow-Origin).',
        );
      });
      if (!res.ok) throw new Error(`Could not load the report at ${where}: HTTP ${res.status}.`);
      this.#ready(validateReport(parseReportJson(await res.text(), where)));
    } catch (e) {
      this.#fail(e);
    }
  }

  /** Starts a comparison of model-a and model-b on prompts. */
  async start(): Promise<void> {
    if (this.#abort) return;
    this.error = '';
    this.report = null;
    this.#abort = new AbortController();
    this.running = true;
    this.progress = {
      phase: 'prompts',
      files: { a: [], b: [] },
      startedAt: performance.now(),
      message: 'Reading the prompt set…',
    };
    try {
      const { runSession } = await import('../services/session.ts');
      const modelA = this.localA ?? this.modelA;
      const modelB = this.localB ?? this.modelB;
      const { report, stats, set } = await runSession({
        modelA,
        modelB,
        prompts: this.promptSet ?? this.prompts,
        device: this.device,
        settings: { maxNewTokens: this.maxNewTokens, temperature: 0, seed: 1, topK: 10 },
        signal: this.#abort.signal,
        onEvent: (e) => this.#onEvent(e),
      });
      this.#lastRun = { set, modelA, modelB };
      this.amplified = [];
      this.#ready(report, stats);
    } catch (e) {
      this.#fail(e);
    } finally {
      this.#abort = null;
      this.running = false;
      this.progress = null;
    }
  }

  async #amplify(d: AmplifyDetail) {
    const run = this.#lastRun;
    const prompt = run?.set.prompts.find((p) => p.id === d.promptId);
    if (!run || !prompt) {
      this.amplifyMessage = 'Amplification needs the models of a run made in this page: press Run first.';
      return;
    }
    this.amplifying = true;
    this.amplified = [];
    this.amplifyMessage = 'Loading both models…';
    try {
      const { runAmplification } = await import('../services/amplify-session.ts');
      await runAmplification({
        modelA: run.modelA,
        modelB: run.modelB,
        prompt,
        alpha: d.alpha,
        samples: d.samples,
        maxNewTokens: this.maxNewTokens,
        device: this.device,
        onSample: (s) => {
          this.amplified = [...this.amplified, s];
          this.amplifyMessage = '';
        },
      });
    } catch (e) {
      this.amplifyMessage = e instanceof Error ? e.message : String(e);
    } finally {
      this.amplifying = false;
    }
  }

  /** Stops a running comparison (terminates both model workers). */
  stop(): void {
    this.#abort?.abort(new Error('Stopped by the user. Nothing was lost: press Run to start again.'));
  }

  #onEvent(e: SessionEvent) {
    const p = this.progress;
    if (!p) return;
    if (e.phase === 'prompts') this.progress = { ...p, message: `${e.n} prompts from ${e.name}. Loading the models…` };
    if (e.phase === 'load') {
      const before = p.files[e.side].find((f) => f.file === e.progress.file);
      const list = p.files[e.side].filter((f) => f.file !== e.progress.file);
      const { loaded, total, done } = e.progress;
      const known = Math.max(before?.loaded ?? 0, before?.total ?? 0);
      const now = performance.now();
      const times = { startedAt: before?.startedAt ?? now, updatedAt: now };
      list.push(
        done
          ? { file: e.progress.file, loaded: known, total: known, done: true, ...times }
          : { file: e.progress.file, loaded, total: Math.max(total, loaded), ...times },
      );
      this.progress = { ...p, files: { ...p.files, [e.side]: list } };
    }
    if (e.phase === 'loaded') {
      const { device, dtype, notes = [] } = e.info;
      this.progress = { ...p, message: `Model ${e.side.toUpperCase()} ready: ${dtype} on ${device}.` };
      // What the engine could not do as hoped (e.g. a full disk kept the download out of the cache).
      const problems = notes.filter((n) => /storage is full|could not be kept/.test(n));
      if (problems.length > 0) this.warning = `Model ${e.side.toUpperCase()}: ${problems.join(' ')}`;
    }
    if (e.phase === 'profile')
      this.progress = { ...p, phase: 'profile', message: 'Profiling both models…', prompts: e.progress };
    if (e.phase === 'diff') this.progress = { ...p, phase: 'diff', message: 'Computing the statistics…' };
    if (e.phase === 'warning') this.warning = e.message;
    this.dispatchEvent(new CustomEvent('model-diff-progress', { detail: e, bubbles: true, composed: true }));
  }

  #ready(report: DiffReport, stats?: { computed: number; cached: number }) {
    this.report = report;
    this.dispatchEvent(
      new CustomEvent('model-diff-ready', { detail: { report, stats }, bubbles: true, composed: true }),
    );
  }

  #fail(e: unknown) {
    const message = e instanceof Error ? e.message : String(e);
    this.error = message;
    this.dispatchEvent(new CustomEvent('model-diff-error', { detail: { message }, bubbles: true, composed: true }));
  }

  /** Downloads the report as JSON: exactly the object model-diff-ready carried. */
  exportJson(): void {
    if (this.report) this.#download(JSON.stringify(this.report, null, 1), 'application/json', 'json');
  }

  /** Downloads one self-contained HTML file that shows the report offline. */
  async exportHtml(): Promise<void> {
    if (!this.report) return;
    const { reportToHtml } = await import('../core/export/html.ts');
    this.#download(reportToHtml(this.report), 'text/html', 'html');
  }

  /** Downloads per-prompt features as CSV (one row per prompt and model). */
  async exportCsv(): Promise<void> {
    if (!this.report) return;
    const { reportToCsv } = await import('../core/export/csv.ts');
    this.#download(reportToCsv(this.report), 'text/csv', 'csv');
  }

  /** Downloads a Markdown summary. */
  async exportMarkdown(): Promise<void> {
    if (!this.report) return;
    const { reportToMarkdown } = await import('../core/export/markdown.ts');
    this.#download(reportToMarkdown(this.report), 'text/markdown', 'md');
  }

  #download(text: string, type: string, ext: string) {
    const r = this.report!;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type }));
    a.download = `model-diff-${r.models[0].label}-vs-${r.models[1].label}.${ext}`.replace(/[^\w.-]+/g, '_');
    a.click();
    URL.revokeObjectURL(a.href);
  }

  /** Shows a report the user has (a JSON export), after validating it. */
  showReport(value: unknown): void {
    try {
      this.error = '';
      this.#ready(validateReport(value));
    } catch (e) {
      this.#fail(e);
    }
  }

  /** The selected prompt's two responses as a word diff (harmful prompt text hidden until asked, as in the table). */
  #selectedPanel(r: DiffReport) {
    const p = r.prompts.find((x) => x.id === this.selected);
    if (!p) return nothing;
    return html`<h3>Selected prompt</h3>
      <section class="selected" aria-label="selected prompt ${p.id}">
        <span class="mono muted">${p.id}</span> <span class="muted">· ${p.category}</span>
        <button @click=${() => (this.selected = '')} aria-label="close the selected prompt">Close</button>
        <p>
          ${
            p.harmful
              ? html`<details>
                  <summary>Harmful prompt (hidden) — show text</summary>
                  ${p.prompt}
                </details>`
              : p.prompt
          }
        </p>
        <md-response-diff
          .a=${p.a.text}
          .b=${p.b.text}
          label-a="A · ${r.models[0].label}"
          label-b="B · ${r.models[1].label}"
        ></md-response-diff>
      </section>`;
  }

  override render() {
    const r = this.report;
    const running = this.running;
    return html`
      <div class="toolbar" part="toolbar">
        ${
          !this.reportUrl
            ? running
              ? html`<button @click=${() => this.stop()}>Stop</button>`
              : html`<button class="primary" @click=${() => this.start()} ?disabled=${!this.modelA || !this.modelB}>
                  Run
                </button>`
            : nothing
        }
        ${
          r
            ? html`<button @click=${() => this.exportJson()}>Export JSON</button>
                <button @click=${() => this.exportHtml()}>Export HTML</button>
                <button @click=${() => this.exportCsv()}>Export CSV</button>
                <button @click=${() => this.exportMarkdown()}>Export Markdown</button>`
            : nothing
        }
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.warning ? html`<p class="error" role="status">${this.warning}</p>` : nothing}
      ${this.progress ? html`<md-progress .state=${this.progress}></md-progress>` : nothing}
      ${
        r
          ? html`<md-report-header .report=${r}></md-report-header>
              <h3>Differences</h3>
              <md-forest-plot .report=${r}></md-forest-plot>
              <md-hunk-list .report=${r}></md-hunk-list>
              <h3>Tokens and words</h3>
              <md-token-panel .report=${r}></md-token-panel>
              ${this.#selectedPanel(r)}
              ${
                r.tokens.sameTokenizer
                  ? html`<details>
                      <summary><h3 style="display:inline">Amplify the difference</h3></summary>
                      <md-amplify
                        .prompts=${r.prompts}
                        .results=${this.amplified}
                        .message=${this.amplifyMessage}
                        ?running=${this.amplifying}
                      ></md-amplify>
                    </details>`
                  : nothing
              }
              <h3>Prompts</h3>
              <md-prompt-table .report=${r} .selected=${this.selected}></md-prompt-table>`
          : nothing
      }
    `;
  }
}
