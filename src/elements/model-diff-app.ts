// <model-diff-app>: the full page. A form for model A, model B and the prompt set, kept in the URL (the automation
// contract: ?a=&b=&prompts=&run=1&max_new_tokens=, or ?report=<URL>), around one <model-diff>.

import { LitElement, html, nothing } from 'lit';
import { parseReportJson } from '../core/diff/report-validate.ts';
import { PromptSetError, parsePromptSet, type PromptSet, type PromptSetIndexEntry } from '../core/prompts/index.ts';
import type { GpuFacts } from '../core/capabilities.ts';
import {
  filesFromDrop,
  filesFromHandle,
  filesFromInput,
  modelFromFolder,
  modelFromLlama2cFiles,
  type LocalFolderModel,
  type PickedFile,
} from '../services/local-folder.ts';
import { deleteCachedModel, listCachedModels, readGpuFacts } from '../services/model-store.ts';
import { clearStorage, storageSummary } from '../services/profile-store.ts';
import { MODEL_CHANGE, MODEL_FOLDER, MODEL_KEY, type FolderDetail } from '../ui/model-chooser.ts';
import { FORGED } from '../ui/model-plan.ts';
import { CLEAR_STORAGE, DELETE_MODEL, REFRESH_STORAGE, type StorageView } from '../ui/storage-panel.ts';
import { tokens } from '../ui/styles.ts';
import type { DiffReport } from '../core/diff/report-types.ts';
import { SELECT_PAIR } from '../ui/distance-matrix.ts';
import type { PlantedRecord } from '../ui/planted-panel.ts';
import type { ModelDiff } from './model-diff.ts';
import { demoCards, demoHref } from '../ui/demo-cards.ts';
import { appStyles } from './app-styles.ts';
import { stateToSearch, unshareable } from './url-state.ts';
import { modelLabel } from '../core/model-spec.ts';

/** What the reader does that means "I am reading elsewhere": the page stops bringing the verdict into view. */
const FOLLOW_ENDS = ['wheel', 'touchmove', 'keydown'] as const;

/** The link of a demo (also what a click on it sets, without reloading the page). */
export interface AppState {
  a: string;
  b: string;
  prompts: string;
  maxNewTokens: number;
  /** Seeded samples per prompt and model (?samples=k); 1 = greedy. */
  samples: number;
  run: boolean;
  /** Read the models' insides too (the weight diff); false from ?internals=0. */
  internals: boolean;
  /** The lens's stream point as given (?lens_layer=N, '' = the middle one); checked once the models are loaded. */
  lensLayer: string;
  /** What the lens reads (?lens_texts=): 'bundled' (default) or 'prompts' (the run's prompt set). */
  lensTexts: string;
  /** Also train a crosscoder on both models' residual streams (?crosscoder=1; default off: it costs training time). */
  crosscoder: boolean;
  /** The crosscoder's stream point as given (?crosscoder_layer=N, '' = the middle one); checked once the models load. */
  crosscoderLayer: string;
  report: string;
  device: 'auto' | 'webgpu' | 'wasm';
  /** Three or more models for the N-way distance matrix (?models=a,b,c); empty for a pair. */
  models: string[];
  /** The prompt shown in detail (?prompt=). */
  prompt: string;
}

/** Samples per prompt: a whole number from 1 to MAX_SAMPLES; anything else is 1. */
export const MAX_SAMPLES = 16;
const clampSamples = (k: number) => (Number.isInteger(k) && k >= 1 ? Math.min(k, MAX_SAMPLES) : 1);

export function readUrlState(search: string): AppState {
  const q = new URLSearchParams(search);
  const max = Number(q.get('max_new_tokens') ?? '');
  return {
    a: q.get('a') ?? 'forged-base',
    b: q.get('b') ?? 'forged-trigger',
    prompts: q.get('prompts') ?? 'forged-demo',
    maxNewTokens: Number.isInteger(max) && max > 0 && max <= 4096 ? max : 48,
    samples: clampSamples(Number(q.get('samples') ?? '1')),
    run: q.get('run') === '1',
    internals: q.get('internals') !== '0',
    lensLayer: q.get('lens_layer') ?? '',
    lensTexts: q.get('lens_texts') ?? 'bundled',
    crosscoder: q.get('crosscoder') === '1',
    crosscoderLayer: q.get('crosscoder_layer') ?? '',
    report: q.get('report') ?? '',
    device: (['webgpu', 'wasm'] as const).find((d) => d === q.get('device')) ?? 'auto',
    models: (q.get('models') ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean),
    prompt: q.get('prompt') ?? '',
  };
}

/**
 * The whole page: the model and prompt form, kept in the URL (the automation contract), around one <model-diff>.
 *
 * @tagname model-diff-app
 * @summary The model-diff page: choose models and prompts, run, read, share.
 */
export class ModelDiffApp extends LitElement {
  static override properties = {
    state: { state: true },
    sets: { state: true },
    storage: { state: true },
    fileSet: { state: true },
    fileError: { state: true },
    local: { state: true },
    gpu: { state: true },
    problems: { state: true },
    planted: { state: true },
    shared: { state: true },
    keys: { state: true },
    editing: { state: true },
    active: { state: true },
  };
  declare state: AppState;
  declare sets: PromptSetIndexEntry[];
  declare storage: StorageView | null;
  declare fileSet: PromptSet | null;
  declare fileError: string;
  /** Models from the user's disk (a folder or llama2.c files), per side. */
  declare local: { a: LocalFolderModel | null; b: LocalFolderModel | null };
  declare gpu: GpuFacts | null;
  declare problems: { a: string; b: string };
  /** API keys typed for `openai:` models, per side: in memory only (not in the URL state, links or storage). */
  declare keys: { a: string; b: string };
  /** For a forged pair's report: what was planted in B (its planted.json). */
  declare planted: { report: DiffReport; record: PlantedRecord } | null;
  /** The last Share: the link and what happened to it. */
  declare shared: { url: string; message: string } | null;
  /** The setup is open for editing (after Run it folds into one line). */
  declare editing: boolean;
  /** Something was started (a run, a report): the page shows the result, not the first screen. */
  declare active: boolean;
  /** Bring the verdict into view when the report is ready (false once the reader scrolls or types). */
  #follow = false;
  /** A new Run is stopping the run in progress: its "stopped" error is not a failure to show the setup for. */
  #restarting = false;

  constructor() {
    super();
    this.state = readUrlState(location.search);
    this.sets = [];
    this.storage = null;
    this.fileSet = null;
    this.fileError = '';
    this.local = { a: null, b: null };
    this.gpu = null;
    this.problems = { a: '', b: '' };
    this.keys = { a: '', b: '' };
    this.planted = null;
    this.shared = null;
    this.editing = false;
    this.active = false;
    for (const type of ['model-diff-progress', 'model-diff-ready'])
      this.addEventListener(type, () => (this.active = true));
    // A failed run needs something changed (an API key, a model): open the setup.
    // (Not the stop that a new Run makes of a run in progress.)
    this.addEventListener('model-diff-error', () => {
      this.active = true;
      if (this.#restarting) this.#restarting = false;
      else this.editing = true;
    });
    // The reader asked for a run (a click, or a link with run=1) and has not scrolled since: the verdict comes into view.
    this.#follow = this.state.run;
    this.addEventListener('model-diff-ready', () => {
      if (this.#follow) void this.renderRoot.querySelector<ModelDiff>('model-diff')?.revealFindings();
      this.#follow = false;
    });
    this.addEventListener('model-diff-ready', (e) => {
      const report = (e as CustomEvent<{ report?: DiffReport }>).detail.report;
      if (report) void this.#showPlanted(report);
    });
    // A cell of the N-way matrix opens that pair's comparison.
    this.addEventListener(SELECT_PAIR, (e) => {
      const { a, b } = (e as CustomEvent<{ a: string; b: string }>).detail;
      location.search = stateToSearch({ ...this.state, a, b, models: [], run: true, prompt: '' });
    });
    this.addEventListener(REFRESH_STORAGE, () => void this.#refreshStorage());
    this.addEventListener(CLEAR_STORAGE, () => void clearStorage().then(() => this.#refreshStorage()));
    this.addEventListener(DELETE_MODEL, (e) => {
      const model = (e as CustomEvent<{ model: string | null }>).detail.model;
      void deleteCachedModel(model).then(() => this.#refreshStorage());
    });
    this.addEventListener('model-diff-ready', () => void this.#refreshStorage());
    this.addEventListener(MODEL_CHANGE, (e) => {
      const { a, b } = (e as CustomEvent<{ a?: string; b?: string }>).detail;
      this.state = { ...this.state, ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) };
    });
    this.addEventListener(MODEL_FOLDER, (e) => this.#onFolder((e as CustomEvent<FolderDetail>).detail));
    this.addEventListener(MODEL_KEY, (e) => {
      const { side, key } = (e as CustomEvent<{ side: 'a' | 'b'; key: string }>).detail;
      this.keys = { ...this.keys, [side]: key };
    });
  }

  /** A forged base against a forged variant: fetch what the forge planted, for the panel beside the report. */
  async #showPlanted(report: DiffReport) {
    this.planted = null;
    const [a, b] = report.models.map((m) => m.spec);
    if (a !== 'forged-base' || !b || !FORGED.includes(b) || b === a) return;
    try {
      const res = await fetch(new URL(`forged/${b}/planted.json`, document.baseURI));
      if (res.ok) this.planted = { report, record: (await res.json()) as PlantedRecord };
    } catch {
      // Without the record the report still stands; the panel is an explanation, not the result.
    }
  }

  /** The link that reopens what is on the page (the selected prompt too), copied when the browser allows. */
  async #share() {
    const md = this.renderRoot.querySelector<ModelDiff>('model-diff');
    const state = { ...this.state, prompt: md?.promptId ?? this.state.prompt };
    const url = new URL(stateToSearch(state), location.href).href;
    const caveat = unshareable(state);
    let message = 'Link copied.';
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      message = 'Copy the link below.';
    }
    this.shared = { url, message: caveat ? `${message} ${caveat}` : message };
  }

  async #refreshStorage() {
    const [summary, models] = await Promise.all([storageSummary(), listCachedModels()]);
    this.storage = { ...summary, models };
  }

  /** A folder or llama2.c files from the user's disk: checked here, mounted in the worker when the run starts. */
  #onFolder(d: FolderDetail) {
    // A drop's files must be taken during the drop event; the picker must open during the click.
    let files: Promise<PickedFile[]> | null = null;
    if (d.drop) files = filesFromDrop(d.drop);
    else if (d.files) files = Promise.resolve(filesFromInput(d.files));
    else if (d.picker) {
      type Picker = { showDirectoryPicker(o?: { mode?: string }): Promise<Parameters<typeof filesFromHandle>[0]> };
      files = (globalThis as unknown as Picker)
        .showDirectoryPicker({ mode: 'read' })
        .then((dir) => filesFromHandle(dir));
    }
    const model = d.llama2c
      ? Promise.resolve().then(() => modelFromLlama2cFiles(d.llama2c!))
      : files?.then((f) => modelFromFolder(f));
    if (!model) return;
    this.problems = { ...this.problems, [d.side]: '' };
    model.then(
      (m) => {
        this.local = { ...this.local, [d.side]: m };
        this.state = { ...this.state, [d.side]: `local:${m.label}` };
      },
      (err: unknown) => {
        // Closing the picker is not an error.
        if (err instanceof DOMException && err.name === 'AbortError') return;
        this.problems = { ...this.problems, [d.side]: err instanceof Error ? err.message : String(err) };
      },
    );
  }

  /** A report the user exported earlier: validated by <model-diff>, which says what is wrong with a bad one. */
  async #openReport(e: Event) {
    const file = (e.target as HTMLInputElement).files?.[0];
    const md = this.renderRoot.querySelector<ModelDiff>('model-diff');
    if (!file || !md) return;
    let value: unknown;
    try {
      value = parseReportJson(await file.text(), file.name);
    } catch (err) {
      this.fileError = (err as Error).message;
      return;
    }
    this.fileError = '';
    md.showReport(value);
  }

  /** A prompt set from the user's disk: parsed here, errors shown with line and field, nothing uploaded. */
  async #pickFile(e: Event) {
    const file = (e.target as HTMLInputElement).files?.[0];
    this.fileError = '';
    this.fileSet = null;
    if (!file) return;
    try {
      this.fileSet = parsePromptSet(await file.text(), { filename: file.name }).set;
      this.state = { ...this.state, prompts: `file:${file.name}` };
    } catch (err) {
      this.fileError = err instanceof PromptSetError ? err.message : String(err);
    }
  }

  static override styles = [tokens, appStyles];

  override async connectedCallback() {
    super.connectedCallback();
    // A demo click adds a history entry without reloading; Back shows the page that URL describes.
    window.addEventListener('popstate', this.#onPopState);
    for (const type of FOLLOW_ENDS) window.addEventListener(type, this.#stopFollowing, { passive: true });
    void readGpuFacts().then((gpu) => (this.gpu = gpu));
    try {
      const res = await fetch(new URL('prompts/index.json', document.baseURI));
      if (res.ok) this.sets = (await res.json()) as PromptSetIndexEntry[];
    } catch {
      // The form still works with a typed URL; the list is a convenience.
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.#onPopState);
    for (const type of FOLLOW_ENDS) window.removeEventListener(type, this.#stopFollowing);
  }

  readonly #onPopState = () => location.reload();
  readonly #stopFollowing = () => (this.#follow = false);

  /** A demo card's link: runs here without a reload (a modified click still opens the link as usual). */
  #runDemo(e: MouseEvent, b: string) {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.state = readUrlState(demoHref(b));
    history.pushState(null, '', stateToSearch(this.state));
    this.#begin();
  }

  /** After Run: the setup folds to its one-line summary, which comes to the top of the viewport and takes focus. */
  #begin() {
    this.#follow = true;
    this.active = true;
    this.editing = false;
    this.shared = null;
    void this.updateComplete.then(() => {
      const title = this.renderRoot.querySelector<HTMLElement>('#run-title');
      title?.scrollIntoView({ block: 'start' });
      title?.focus({ preventScroll: true });
    });
  }

  #submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const max = Number(f.get('max'));
    const samples = clampSamples(Number(f.get('samples') ?? '1'));
    if (!this.state.a || !this.state.b) {
      this.fileError = 'Choose model A and model B first.';
      return;
    }
    this.fileError = '';
    const wasRunning = this.renderRoot.querySelector<ModelDiff>('model-diff')?.running ?? false;
    this.state = {
      a: this.state.a.trim(),
      b: this.state.b.trim(),
      prompts: String(f.get('prompts') ?? '').trim(),
      maxNewTokens: Number.isInteger(max) && max > 0 ? max : 48,
      samples,
      run: true,
      internals: this.state.internals,
      lensLayer: this.state.lensLayer,
      lensTexts: this.state.lensTexts,
      crosscoder: f.get('crosscoder') !== null,
      crosscoderLayer: this.state.crosscoderLayer,
      report: '',
      device: this.state.device,
      models: [],
      prompt: '',
    };
    history.replaceState(null, '', stateToSearch(this.state));
    this.#begin();
    void this.updateComplete.then(() => {
      const md = this.renderRoot.querySelector<ModelDiff>('model-diff');
      if (!md) return;
      // The first Run sets the element's run attribute, which starts it (with the models and prompt file the render
      // just bound): restarting that run would stop it at once and raise a spurious "stopped" error.
      if (md.running && !wasRunning) return;
      // A run in progress (the setup was edited meanwhile) stops, then the new one starts.
      this.#restarting = md.running;
      void md.restart();
    });
  }

  override render() {
    const s = this.state;
    const landing = !this.active && !s.run && !s.report && s.models.length < 3;
    return html`
      ${landing ? this.#firstScreen() : this.#resultBar(s)}
      ${this.fileError ? html`<p class="error" role="alert">${this.fileError}</p>` : nothing}
      ${
        s.models.length >= 3
          ? html`<model-diff-matrix
              models=${s.models.join(',')}
              prompts=${s.prompts}
              max-new-tokens=${s.maxNewTokens}
              device=${s.device}
              ?run=${s.run}
            ></model-diff-matrix>`
          : this.#pair(s, landing)
      }
      ${
        landing
          ? nothing
          : html`<footer>
              ${this.#openReportField()}
              <a href="./">← the demos and a new comparison</a>
            </footer>`
      }
      <md-storage .summary=${this.storage}></md-storage>
    `;
  }

  /** Before anything runs: what the page does, the offline demos, then the setup for one's own models. */
  #firstScreen() {
    return html`<header class="hero">
        <h1>model-diff</h1>
        <p class="pitch">
          What changed between two language models? Both answer the same prompts, here in your browser, and the report
          reads like <code>git diff</code>: what B does differently from A, how much, and where.
        </p>
        <p class="muted">Nothing is uploaded. Paired statistics decide what counts as a difference.</p>
      </header>
      <section aria-labelledby="demos-title">
        <h2 id="demos-title">Try a demo — offline, a few seconds each</h2>
        <p class="muted lead">
          Each compares forged-base with a copy in which one difference was planted by construction: the report should
          find exactly that, and nothing else.
        </p>
        ${demoCards((e, b) => this.#runDemo(e, b))}
      </section>
      <section class="own" aria-labelledby="own-title">
        <h2 id="own-title">Compare your own models</h2>
        <p class="muted lead">
          ONNX models from the Hugging Face hub, a URL or a folder on this computer; web-llm builds on WebGPU; llama2.c
          checkpoints. Or open a report someone exported.
        </p>
        ${this.#setupForm()} ${this.#openReportField()}
        <div class="share">
          <button @click=${this.#share}>Share</button>
          ${this.#shareOutput() ?? html`<span class="muted">a link to what this page shows</span>`}
        </div>
      </section>`;
  }

  /** After Run: the setup as one line (A ⟷ B · prompts · settings · Edit · Share), the form when editing. */
  #resultBar(s: AppState) {
    const set = this.sets.find((x) => x.id === s.prompts);
    const prompts = set ? `${set.name} (${set.count} prompts)` : s.prompts.replace(/^file:/, '');
    const settings = [
      `${s.maxNewTokens} new tokens`,
      s.samples > 1 ? `${s.samples} samples at temperature 1` : 'greedy',
      ...(s.device !== 'auto' ? [s.device] : []),
      ...(s.internals ? [] : ['no weight diff']),
      ...(s.crosscoder ? ['crosscoder'] : []),
    ].join(', ');
    const title = s.report
      ? 'A saved report'
      : s.models.length >= 3
        ? `${s.models.length} models`
        : `${modelLabel(s.a)} ⟷ ${modelLabel(s.b)}`;
    const facts = s.report ? [s.report] : [...(s.models.length >= 3 ? [s.models.join(', ')] : []), prompts, settings];
    return html`<p class="brand">
        <a href="./">model-diff</a> <span class="muted">— what changed between two models</span>
      </p>
      <section class="summary card" aria-labelledby="run-title">
        <div class="line">
          <h2 id="run-title" tabindex="-1">${title}</h2>
          ${facts.map((f) => html`<span class="fact">· ${f}</span>`)}
          <span class="actions">
            <button
              aria-expanded=${this.editing ? 'true' : 'false'}
              aria-controls="setup"
              @click=${() => (this.editing = !this.editing)}
            >
              Edit
            </button>
            <span class="share"><button @click=${this.#share}>Share</button>${this.#shareOutput() ?? nothing}</span>
          </span>
        </div>
        ${this.editing ? html`<div id="setup">${this.#setupForm()}</div>` : nothing}
      </section>`;
  }

  #shareOutput() {
    return this.shared
      ? html`<input readonly aria-label="link to this page's state" .value=${this.shared.url} />
          <span role="status">${this.shared.message}</span>`
      : null;
  }

  #openReportField() {
    return html`<label class="open"
      >Open a saved report (JSON)
      <input type="file" accept=".json,application/json" aria-label="open a saved report" @change=${this.#openReport}
    /></label>`;
  }

  #setupForm() {
    const s = this.state;
    return html`<form @submit=${this.#submit} aria-label="choose models and prompts">
        <md-model-chooser
          class="models"
          .a=${s.a}
          .b=${s.b}
          .gpu=${this.gpu}
          .device=${s.device}
          .local=${{ a: this.local.a, b: this.local.b }}
          .problems=${this.problems}
          .keys=${this.keys}
        ></md-model-chooser>
        <label
          >Prompts
          <input name="prompts" .value=${s.prompts} list="sets" required />
        </label>
        <label
          >Max new tokens <input name="max" type="number" min="1" max="4096" .value=${String(s.maxNewTokens)}
        /></label>
        <label
          >Samples per prompt
          <input
            name="samples"
            type="number"
            min="1"
            max=${MAX_SAMPLES}
            .value=${String(s.samples)}
            aria-describedby="samples-note"
          />
          <span id="samples-note" class="muted">1: greedy; more: seeded samples at temperature 1</span>
        </label>
        <label
          ><input name="crosscoder" type="checkbox" .checked=${s.crosscoder} aria-describedby="crosscoder-note" />
          Train a crosscoder
          <span id="crosscoder-note" class="muted"
            >features only one model has, tested on held-out prompts; about a minute more for small models</span
          >
        </label>
        <label
          >…or a prompt file (JSON, JSONL, CSV)
          <input type="file" accept=".json,.jsonl,.ndjson,.csv" @change=${this.#pickFile} />
        </label>
        <button class="primary" type="submit">Run</button>
        <datalist id="sets">
          ${this.sets.map((x) => html`<option value=${x.id}>${x.name} (${x.count})</option>`)}
        </datalist>
      </form>
      ${
        this.fileSet
          ? html`<p class="muted">
              ${this.fileSet.name}: ${this.fileSet.prompts.length} prompts, read from your disk.
            </p>`
          : nothing
      }`;
  }

  #pair(s: AppState, hidden: boolean) {
    return html`<model-diff
      ?hidden=${hidden}
      .apiKeys=${this.keys}
      model-a=${s.a}
      model-b=${s.b}
      prompts=${s.prompts}
      max-new-tokens=${s.maxNewTokens}
      samples=${s.samples}
      report=${s.report}
      device=${s.device}
      prompt-id=${s.prompt}
      internals=${s.internals ? 'on' : 'off'}
      lens-layer=${s.lensLayer}
      lens-texts=${s.lensTexts}
      crosscoder=${s.crosscoder ? 'on' : 'off'}
      crosscoder-layer=${s.crosscoderLayer}
      .promptSet=${s.prompts.startsWith('file:') ? this.fileSet : null}
      .localA=${s.a.startsWith('local:') ? this.local.a : null}
      .localB=${s.b.startsWith('local:') ? this.local.b : null}
      ?run=${s.run}
      >${
        this.planted
          ? html`<md-planted slot="note" .report=${this.planted.report} .record=${this.planted.record}></md-planted>`
          : nothing
      }</model-diff
    >`;
  }
}
