// <model-diff>: the public, embeddable element. Attributes are the API. With `report` it shows a precomputed diff
// at once and never loads engine code; with `model-a`, `model-b` and `prompts` it runs a comparison, but only
// when asked (the `run` attribute or the Run button): an embed never starts a model download unasked.

import { LitElement, css, html, nothing } from 'lit';
import type { DiffReport } from '../core/diff/report-types.ts';
import { parseReportJson, validateReport } from '../core/diff/report-validate.ts';
import type { ModelSource } from '../core/engine/types.ts';
import type { PromptSet } from '../core/prompts/index.ts';
import type { SessionEvent } from '../services/session.ts';
import type { ApiKeys } from '../services/engine-pool.ts';
import { AMPLIFY, type AmplifiedSample } from '../ui/amplify-panel.ts';
import { SHOW_BEHAVIOUR, type BehaviourList } from '../ui/behaviour-list.ts';
import type { PromptTable } from '../ui/prompt-table.ts';
import { SELECT_DIFFERENCE } from '../ui/forest-plot.ts';
import { SELECT_PROMPT } from '../ui/hunk-list.ts';
import type { ProgressState } from '../ui/progress-panel.ts';
import { CLOSE_PROMPT } from '../ui/prompt-view.ts';
import { tokens } from '../ui/styles.ts';
import { downloadReport, type ExportFormat } from './report-download.ts';

export interface LocalModel {
  label: string;
  source: ModelSource;
}

type AmplifyDetail = { promptId: string; alpha: number; samples: number };

/** What the element shows of a report: everything, the summary (header, behaviours, the tested rows), or one prompt. */
export type ModelDiffView = 'full' | 'summary' | 'prompt';

/** How far outside the viewport a lazy element starts its work. */
const LAZY_MARGIN = '200px';

/**
 * Shows how two language models differ, from a precomputed report or by running both models in this browser.
 *
 * With `report` it fetches and shows that report at once and never loads engine code. With `model-a`, `model-b`
 * and `prompts` it runs a comparison — but only when asked (the `run` attribute or the Run button): an embed never
 * starts a model download unasked. `loading="lazy"` defers all of it until the element nears the viewport.
 *
 * @tagname model-diff
 * @summary Shows how two language models differ, from a precomputed report or by running both in the browser.
 *
 * @attr {string} model-a - Model A: a forged model name, a folder URL, `hf:org/name[@revision]` or `llama2c:<ckpt>,<tok>`.
 * @attr {string} model-b - Model B, in the same forms as `model-a`.
 * @attr {string} prompts - A bundled prompt-set id (`smoke`, `core`, `stories`, `forged-demo`) or a URL of a JSON, JSONL or CSV set. Default `smoke`.
 * @attr {string} report - URL of a precomputed report (an "Export JSON" file): shown at once, no engine code loaded.
 * @attr {"lazy" | "eager"} loading - `lazy`: fetch the report or start a `run` only when the element nears the viewport. Default `eager`.
 * @attr {"full" | "summary" | "prompt"} view - What to show: everything (default), the summary (header, verdict and behaviours, then the forest plot and hunks folded), or one prompt (`prompt-id`, else the first behaviour's first example, else the prompt that shows the first difference best).
 * @attr {string} prompt-id - The prompt shown in detail (word diff, surprisal, per-token KL); set when the user picks one.
 * @attr {number} max-new-tokens - Largest response length in tokens for a run. Default 48.
 * @attr {number} samples - Seeded samples per prompt and model (default 1: greedy; above 1: temperature 1, sample j
 *   with seed 1 + j; statistics take each prompt's mean over its samples).
 * @attr {"auto" | "webgpu" | "wasm"} device - Where models run: `auto` uses WebGPU only on a hardware adapter. Default `auto`.
 * @attr {boolean} run - Start the comparison without a click (when the element is near the viewport, if lazy).
 * @attr {"on" | "off"} internals - Read the models' insides too: the weight diff, for two ONNX models of one architecture (other pairs get a note saying why not). Default on; `off` (or `0`, `false`) leaves the report's internals out.
 * @attr {number} lens-layer - The activation-difference lens's stream point to steer at and show first (1 to the models' layer count: the residual after that many decoder layers). Default: the middle one; out of range: the middle one, with a note. Every point is read either way.
 * @attr {"on" | "off"} crosscoder - Also train a crosscoder on both models' residual streams (ONNX models): latents only one model has, each tested on the held-out prompts and joined to the report's tests (`report.internals.crosscoder`). Default off (it costs training time); `on` (or `1`, `true`) turns it on.
 * @attr {"bundled" | "prompts"} lens-texts - What the lens reads: the bundled texts (default) or the run's prompt set, each prompt as the models are given it.
 *
 * @fires {CustomEvent<SessionEvent>} model-diff-progress - A run's progress: `detail.phase` is `prompts`, `load` (bytes of a model file), `loaded`, `profile` (prompts done, tokens per second), `weights` (tensors compared by the weight diff), `provisional` (`detail.report`: the findings on the first `detail.done` of `detail.total` prompts, shown framed as provisional until the run's report), `diff` or `warning`. Bubbles, composed.
 * @fires {CustomEvent<{report: DiffReport, stats?: {computed: number, cached: number}}>} model-diff-ready - The report is shown: `detail.report` is the object "Export JSON" downloads. Bubbles, composed.
 * @fires {CustomEvent<{message: string}>} model-diff-error - Something failed: `detail.message` says what and what to do. Bubbles, composed.
 *
 * @slot note - Shown after the verdict and behaviours (under the header in the prompt view): e.g. what was planted in a demo pair and whether the report found it.
 *
 * @csspart toolbar - The Run/Stop and export buttons.
 * @csspart header - The report header (A ⟷ B, how many behaviours changed, prompts, the models).
 * @csspart behaviours - The verdict, each behaviour that changed (expandable to its evidence), and how candidates were chosen.
 * @csspart weights - The weight diff: the relative change per layer and module, and the largest changes read as tokens.
 * @csspart lens - The activation-difference lens (internals): where B's residual stream differs from A's, read as tokens, and B steered along it.
 * @attr {number} crosscoder-layer - The crosscoder's stream point (1 to the models' layer count: the residual after that many decoder layers). Default: the middle one; out of range or not a whole number: the middle one, with a note.
 * @csspart crosscoder - The crosscoder (internals): the relative-decoder-norm histogram with its bands and noise floor, features only one model has (with their held-out check) and shared ones whose directions changed.
 * @csspart forest-plot - The chart of effects with their 95% intervals (under "All tested features").
 * @csspart hunks - The significant differences grouped by category (under "All tested features").
 * @csspart prompt - The selected prompt's detail.
 * @csspart tokens - Cross-likelihood, boosted tokens and distinctive words.
 * @csspart prompts - The table of every prompt.
 *
 * @cssprop [--model-diff-color-a=#a34800] - Colour of model A (removed text, A's marks): orange, apart from B's blue for colour-blind readers too.
 * @cssprop [--model-diff-color-b=#0550ae] - Colour of model B (added text, B's marks).
 * @cssprop [--model-diff-color-a-bg=#ffe7cc] - Background of A's highlights.
 * @cssprop [--model-diff-color-b-bg=#d6ecff] - Background of B's highlights.
 * @cssprop [--model-diff-bg=#ffffff] - Background.
 * @cssprop [--model-diff-fg=#1b1f24] - Text colour.
 * @cssprop [--model-diff-muted=#59636e] - Secondary text.
 * @cssprop [--model-diff-border=#d1d9e0] - Borders of panels, cells and buttons.
 * @cssprop [--model-diff-panel=#f6f8fa] - Panel and header backgrounds.
 * @cssprop [--model-diff-accent=#0969da] - Buttons, focus rings, the selected prompt.
 * @cssprop [--model-diff-on-accent=#ffffff] - Text on accent-coloured buttons (dark in the dark scheme).
 * @cssprop [--model-diff-font=system-ui] - Font family.
 * @cssprop [--model-diff-mono=ui-monospace] - Monospace font (tokens, numbers).
 * @cssprop [--model-diff-surprise=#8250df] - Shading of tokens by surprisal under the other model.
 * @cssprop [--model-diff-kl=#bc4c00] - Marks of the per-token KL strip.
 */
export class ModelDiff extends LitElement {
  static override properties = {
    modelA: { type: String, attribute: 'model-a' },
    modelB: { type: String, attribute: 'model-b' },
    prompts: { type: String },
    reportUrl: { type: String, attribute: 'report' },
    maxNewTokens: { type: Number, attribute: 'max-new-tokens' },
    samples: { type: Number },
    device: { type: String },
    run: { type: Boolean },
    internals: {
      converter: { fromAttribute: (v: string | null) => v === null || !/^(0|off|false|no)$/i.test(v.trim()) },
    },
    lensLayer: { type: String, attribute: 'lens-layer' },
    lensTexts: { type: String, attribute: 'lens-texts' },
    crosscoder: {
      converter: { fromAttribute: (v: string | null) => v !== null && /^(1|on|true|yes|)$/i.test(v.trim()) },
    },
    crosscoderLayer: { type: String, attribute: 'crosscoder-layer' },
    loading: { type: String },
    view: { type: String },
    promptId: { type: String, attribute: 'prompt-id', reflect: true },
    report: { attribute: false },
    progress: { state: true },
    provisional: { state: true },
    error: { state: true },
    running: { state: true },
    warning: { state: true },
    promptSet: { attribute: false },
    localA: { attribute: false },
    localB: { attribute: false },
    apiKeys: { attribute: false },
    amplified: { state: true },
    amplifying: { state: true },
    amplifyMessage: { state: true },
  };
  declare modelA: string;
  declare modelB: string;
  declare prompts: string;
  declare reportUrl: string;
  declare maxNewTokens: number;
  declare samples: number;
  declare device: 'auto' | 'webgpu' | 'wasm';
  declare run: boolean;
  /** Whether a run also diffs the models' weights (the report's `internals`); the `internals` attribute. */
  declare internals: boolean;
  /** The lens's stream point as given (`lens-layer`; '' = the middle one), checked once the models are loaded. */
  declare lensLayer: string;
  /** What the lens reads (`lens-texts`): 'bundled' or 'prompts'. */
  declare lensTexts: string;
  /** Whether a run also trains a crosscoder (the report's `internals.crosscoder`); the `crosscoder` attribute. */
  declare crosscoder: boolean;
  /** The crosscoder's stream point as given (`crosscoder-layer`; '' = the middle one), checked once the models load. */
  declare crosscoderLayer: string;
  declare loading: 'lazy' | 'eager';
  declare view: ModelDiffView;
  declare promptId: string;
  /** The report shown (null until one is ready). Set it with showReport(), which validates it first. */
  declare report: DiffReport | null;
  declare progress: ProgressState | null;
  /** While a run profiles: the findings on the prompts finished so far (null before the first, and once done). */
  declare provisional: { report: DiffReport; done: number; total: number } | null;
  declare error: string;
  declare running: boolean;
  declare warning: string;
  /** A parsed prompt set (e.g. from a local file); when set it is used instead of the `prompts` attribute. */
  declare promptSet: PromptSet | null;
  /** Models built by the page from local files; when set they replace model-a / model-b. */
  declare localA: LocalModel | null;
  declare localB: LocalModel | null;
  /**
   * API keys for `openai:` models, per side ({ a, b }). A property only, never an attribute: a key is held in memory
   * for runs and amplification, and never reaches a link, a cache key, a stored record or the report.
   */
  declare apiKeys: ApiKeys;
  declare amplified: AmplifiedSample[];
  declare amplifying: boolean;
  declare amplifyMessage: string;
  /** What the last run in this page used: amplification reloads the same models for the same prompts. */
  #lastRun: { set: PromptSet; modelA: string | LocalModel; modelB: string | LocalModel } | null = null;
  #abort: AbortController | null = null;
  /** Resolves when the run in progress (if any) has ended. */
  #settled: Promise<void> = Promise.resolve();
  /** Lazy loading: whether the element has come near the viewport (always true when eager). */
  #near = false;
  #observer: IntersectionObserver | null = null;
  /** The report URL already fetched, and whether `run` has already started a comparison. */
  #fetched = '';
  #autoStarted = false;
  /** The reader picked a prompt: once drawn, its panel is scrolled to and focused. */
  #revealPrompt = false;

  constructor() {
    super();
    this.modelA = '';
    this.modelB = '';
    this.prompts = 'smoke';
    this.reportUrl = '';
    this.maxNewTokens = 48;
    this.samples = 1;
    this.device = 'auto';
    this.run = false;
    this.internals = true;
    this.lensLayer = '';
    this.lensTexts = 'bundled';
    this.crosscoder = false;
    this.crosscoderLayer = '';
    this.loading = 'eager';
    this.view = 'full';
    this.promptId = '';
    this.report = null;
    this.progress = null;
    this.provisional = null;
    this.error = '';
    this.running = false;
    this.warning = '';
    this.promptSet = null;
    this.localA = null;
    this.localB = null;
    this.amplified = [];
    this.amplifying = false;
    this.amplifyMessage = '';
    this.apiKeys = {};
    this.addEventListener(AMPLIFY, (e) => void this.#amplify((e as CustomEvent<AmplifyDetail>).detail));
    this.addEventListener(SELECT_PROMPT, (e) => {
      this.promptId = (e as CustomEvent<{ promptId: string }>).detail.promptId;
      this.#revealPrompt = true;
    });
    this.addEventListener(CLOSE_PROMPT, () => (this.promptId = ''));
    // "Every prompt where it happens": the prompt list, filtered to that behaviour, comes into view with focus.
    this.addEventListener(SHOW_BEHAVIOUR, (e) => {
      const table = this.renderRoot.querySelector<PromptTable>('md-prompt-table');
      if (!table) return;
      table.behaviour = (e as CustomEvent<{ behaviour: string }>).detail.behaviour;
      void table.updateComplete.then(() => table.focusList());
    });
    // A forest-plot row shows the prompt that shows that difference most (its first example), when it has one.
    this.addEventListener(SELECT_DIFFERENCE, (e) => {
      const d = this.report?.differences[(e as CustomEvent<{ index: number }>).detail.index];
      if (d?.examples[0]) this.promptId = d.examples[0];
      this.#revealPrompt = Boolean(d?.examples[0]);
    });
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        background: transparent;
      }
      details.fold {
        margin: var(--md-space-4) 0;
      }
      details.fold > summary h3 {
        display: inline;
      }
      .provisional {
        border: 2px dashed var(--md-warn);
        border-radius: var(--md-radius);
        padding: 0 var(--md-space-3) var(--md-space-2);
        margin-top: var(--md-space-3);
      }
      .provisional .banner {
        margin: var(--md-space-2) calc(-1 * var(--md-space-3)) var(--md-space-2);
        padding: var(--md-space-2) var(--md-space-3);
        background: var(--md-warn-bg);
        font-size: var(--md-text-sm);
      }
      .provisional .banner strong {
        color: var(--md-warn);
      }
      .toolbar {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        margin: 0.75rem 0;
      }
    `,
  ];

  override connectedCallback() {
    super.connectedCallback();
    if (this.loading !== 'lazy') {
      this.#near = true;
      return;
    }
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.#observer?.disconnect();
        this.#observer = null;
        this.#near = true;
        this.#wake();
      },
      { rootMargin: LAZY_MARGIN },
    );
    this.#observer.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#observer?.disconnect();
    this.#observer = null;
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('run')) this.#autoStarted = false;
    if (changed.has('loading') && this.loading !== 'lazy' && !this.#near) {
      this.#observer?.disconnect();
      this.#near = true;
    }
    this.#wake();
    if (this.#revealPrompt && this.view !== 'prompt') {
      this.#revealPrompt = false;
      const title = this.renderRoot.querySelector<HTMLElement>('.prompt-title');
      title?.scrollIntoView({ block: 'start' });
      title?.focus({ preventScroll: true });
    }
  }

  /** Does what the attributes ask (fetch the report, start a run) once the element may work: eager, or near view. */
  #wake() {
    if (!this.#near) return;
    if (this.reportUrl && this.reportUrl !== this.#fetched) {
      this.#fetched = this.reportUrl;
      void this.#loadReport(this.reportUrl);
    }
    if (this.run && !this.reportUrl && !this.#abort && !this.#autoStarted) {
      this.#autoStarted = true;
      void this.start();
    }
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
    this.provisional = null;
    this.#abort = new AbortController();
    let settle = () => {};
    this.#settled = new Promise<void>((resolve) => (settle = resolve));
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
        apiKeys: this.apiKeys,
        prompts: this.promptSet ?? this.prompts,
        device: this.device,
        // Greedy for one reply per prompt; several seeded samples need sampling.
        settings: { maxNewTokens: this.maxNewTokens, temperature: this.#samples() > 1 ? 1 : 0, seed: 1, topK: 10 },
        samples: this.#samples(),
        signal: this.#abort.signal,
        internals: this.internals,
        lensLayer: this.lensLayer,
        lensTexts: this.lensTexts,
        crosscoder: this.crosscoder,
        crosscoderLayer: this.crosscoderLayer,
        onEvent: (e) => this.#onEvent(e),
      });
      this.#lastRun = { set, modelA, modelB };
      this.amplified = [];
      this.#ready(report, stats);
    } catch (e) {
      this.#fail(e);
    } finally {
      this.#abort = null;
      settle();
      this.running = false;
      this.progress = null;
      this.provisional = null;
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
        apiKeys: this.apiKeys,
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

  #samples(): number {
    const k = Math.floor(Number(this.samples));
    return Number.isFinite(k) && k >= 1 ? Math.min(k, 16) : 1;
  }

  /**
   * Starts a comparison with the current attributes; a run in progress is stopped first (its finished prompts are
   * kept, as after Stop) and the new one starts once it has ended.
   */
  async restart(): Promise<void> {
    if (this.#abort) {
      this.stop();
      await this.#settled;
    }
    return this.start();
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
      this.progress = { ...p, files: { ...p.files, [e.side]: list }, updatedAt: performance.now() };
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
    if (e.phase === 'weights') {
      const count = e.total ? ` (${e.done} of ${e.total} tensors)` : '';
      this.progress = { ...p, phase: 'diff', message: `Comparing weights…${count}` };
    }
    if (e.phase === 'lens') {
      const count = e.total ? ` (${e.done} of ${e.total} documents)` : '';
      this.progress = { ...p, phase: 'diff', message: `Reading both models' activations…${count}` };
    }
    if (e.phase === 'crosscoder') this.progress = { ...p, phase: 'diff', message: crosscoderLine(e) };
    if (e.phase === 'diff') this.progress = { ...p, phase: 'diff', message: 'Computing the statistics…' };
    if (e.phase === 'warning') this.warning = e.message;
    if (e.phase === 'provisional') this.provisional = { report: e.report, done: e.done, total: e.total };
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

  /** Downloads the report: `json` is exactly the object model-diff-ready carried; `html` is one self-contained
   * file that shows it offline; `csv` has per-prompt features (one row per prompt and model); `md` a summary. */
  async exportReport(format: ExportFormat): Promise<void> {
    if (this.report) await downloadReport(this.report, format);
  }

  /** Scrolls the page as little as it must so the verdict is in view (once a report is shown). */
  async revealFindings(): Promise<void> {
    await this.updateComplete;
    const list = this.renderRoot.querySelector<BehaviourList>('md-behaviour-list');
    await list?.updateComplete;
    list?.revealVerdict();
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

  /**
   * The prompt shown in detail: the chosen one; in the prompt view without a choice, the first behaviour's first
   * example, else the first difference's best.
   */
  #promptShown(r: DiffReport) {
    const best = () =>
      r.behaviours[0]?.examples[0] ?? (r.hunks[0] ? r.differences[r.hunks[0].differences[0]!]?.examples[0] : '');
    const id = this.promptId || (this.view === 'prompt' ? best() : '');
    return r.prompts.find((x) => x.id === id) ?? (this.view === 'prompt' ? r.prompts[0] : undefined);
  }

  #promptPanel(r: DiffReport) {
    const p = this.#promptShown(r);
    if (!p) return nothing;
    return html`<h3 class="prompt-title" tabindex="-1">${this.view === 'prompt' ? 'Prompt' : 'Selected prompt'}</h3>
      <md-prompt-view
        part="prompt"
        .prompt=${p}
        label-a=${r.models[0].label}
        label-b=${r.models[1].label}
        .closable=${this.view !== 'prompt'}
      ></md-prompt-view>`;
  }

  #reportView(r: DiffReport) {
    const header = html`<md-report-header part="header" .report=${r}></md-report-header>`;
    const note = html`<slot name="note"></slot>`;
    if (this.view === 'prompt') return html`${header}${note}${this.#promptPanel(r)}`;
    const summary = html`${header}${this.#findings(r, note, this.view === 'full')}`;
    if (this.view === 'summary') return html`${summary}${this.#promptPanel(r)}`;
    return html`${summary}
      <details class="fold">
        <summary><h3>Tokens and words</h3></summary>
        <md-token-panel part="tokens" .report=${r}></md-token-panel>
      </details>
      ${
        r.tokens.sameTokenizer
          ? html`<details class="fold">
              <summary><h3>Amplify the difference</h3></summary>
              <md-amplify
                .prompts=${r.prompts}
                .results=${this.amplified}
                .message=${this.amplifyMessage}
                ?running=${this.amplifying}
              ></md-amplify>
            </details>`
          : nothing
      }
      ${this.#promptPanel(r)}
      <h3>Prompts</h3>
      <md-prompt-table part="prompts" .report=${r} .selected=${this.promptId}></md-prompt-table>`;
  }

  /**
   * Reading order: what changed (verdict, behaviours), the internals, then every statistical row one click away. A
   * report without a verdict (schema 1) has only the rows: they start open.
   */
  #findings(r: DiffReport, note: unknown = nothing, lists = false) {
    const tests = r.differences.length;
    const significant = r.differences.filter((d) => d.significant).length;
    return html`<h3>What changed</h3>
      <md-behaviour-list part="behaviours" .report=${r} ?lists-prompts=${lists}></md-behaviour-list>
      ${note}
      ${r.internals ? html`<md-weight-heatmap part="weights" .internals=${r.internals}></md-weight-heatmap>` : nothing}
      ${r.internals?.lens !== undefined ? html`<md-diff-lens part="lens" .internals=${r.internals}></md-diff-lens>` : nothing}
      ${r.internals?.crosscoder !== undefined ? html`<md-crosscoder part="crosscoder" .internals=${r.internals}></md-crosscoder>` : nothing}
      <details class="tests fold" ?open=${r.verdict === null}>
        <summary>
          <h3>All tested features (${tests} test${tests === 1 ? '' : 's'}, ${significant} significant)</h3>
        </summary>
        <md-forest-plot part="forest-plot" .report=${r}></md-forest-plot>
        <md-hunk-list part="hunks" .report=${r}></md-hunk-list>
      </details>`;
  }

  /** The findings so far while a run profiles, framed and said to be provisional. */
  #provisionalView(p: { report: DiffReport; done: number; total: number }) {
    return html`<section class="provisional" aria-labelledby="provisional-title">
      <p class="banner">
        <strong id="provisional-title">Provisional</strong> — from the first ${p.done} of ${p.total} prompts. The
        verdict and behaviours will change until the run ends; exports come with the final report.
      </p>
      <md-report-header .report=${p.report}></md-report-header>
      ${this.#findings(p.report)}
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
            ? html`<button @click=${() => this.exportReport('json')}>Export JSON</button>
                <button @click=${() => this.exportReport('html')}>Export HTML</button>
                <button @click=${() => this.exportReport('csv')}>Export CSV</button>
                <button @click=${() => this.exportReport('md')}>Export Markdown</button>`
            : nothing
        }
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.warning ? html`<p class="error" role="status">${this.warning}</p>` : nothing}
      ${this.progress ? html`<md-progress .state=${this.progress}></md-progress>` : nothing}
      ${r ? this.#reportView(r) : this.provisional ? this.#provisionalView(this.provisional) : nothing}
    `;
  }
}

/** The crosscoder's progress line: harvest, then training (step, loss, explained variance per model), its floor. */
function crosscoderLine(e: Extract<SessionEvent, { phase: 'crosscoder' }>): string {
  if (e.stage === 'harvest')
    return `Crosscoder: reading both models' activations…${e.total ? ` (${e.done} of ${e.total})` : ''}`;
  if (e.stage === 'read') return 'Crosscoder: reading its features and testing them on held-out prompts…';
  const what = e.stage === 'floor' ? 'training its noise floor (A against A)' : 'training';
  const fit = e.explained ? `, explained variance ${e.explained.map((x) => x.toFixed(2)).join(' / ')}` : '';
  return `Crosscoder: ${what}, step ${e.done} of ${e.total}${e.loss !== undefined ? `, loss ${e.loss.toFixed(3)}` : ''}${fit}`;
}
