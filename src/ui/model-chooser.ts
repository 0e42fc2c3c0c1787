// Presentational: choosing model A and B — the catalogue (grouped, with size, licence and whether this browser can
// run each), pairs that teach something, a free-text spec, a folder from the disk (picker or drop), llama2.c files —
// and, before anything loads, what this browser can do and what will or will not work for the chosen models.

import { LitElement, css, html, nothing } from 'lit';
import { describeDevice, type DeviceWish, type GpuFacts } from '../core/capabilities.ts';
import { CATALOGUE, SUGGESTED_PAIRS, specOf } from '../core/catalogue.ts';
import { modelLabel } from '../core/model-spec.ts';
import { FORGED, capabilityLine, catalogueGroups, optionLabel, planFor, type LocalInfo } from './model-plan.ts';
import { tokens } from './styles.ts';

type Side = 'a' | 'b';

/** detail: { a?: spec, b?: spec } — the user chose a model (or a pair). */
export const MODEL_CHANGE = 'md-model-change';
/**
 * detail: { side, picker } (open the directory picker — sent during the click, so the page may open it),
 * { side, files } (a folder's files from <input webkitdirectory>), { side, drop } (a DataTransfer, during the drop
 * event) or { side, llama2c } (two files: checkpoint and tokenizer).
 */
export const MODEL_FOLDER = 'md-model-folder';
/** detail: { side, key } — the API key typed for an `openai:` model (the page keeps it in memory only). */
export const MODEL_KEY = 'md-model-key';

export interface FolderDetail {
  side: Side;
  picker?: boolean;
  files?: FileList;
  drop?: DataTransfer;
  llama2c?: FileList;
}

const DEMO = {
  a: 'forged-base',
  b: 'forged-trigger',
  lesson: 'the offline demo: B refuses when a prompt names a weapon',
};

export class ModelChooser extends LitElement {
  static override properties = {
    a: { type: String },
    b: { type: String },
    gpu: { attribute: false },
    device: { type: String },
    local: { attribute: false },
    problems: { attribute: false },
    keys: { attribute: false },
    dragging: { state: true },
  };
  declare a: string;
  declare b: string;
  /** What the browser reported (null while it is being asked). */
  declare gpu: GpuFacts | null;
  declare device: DeviceWish;
  declare local: { a: LocalInfo | null; b: LocalInfo | null };
  /** Errors about picked files, per side (shown under that side). */
  declare problems: { a: string; b: string };
  /** API keys typed for `openai:` models, per side ('' for none). */
  declare keys: { a: string; b: string };
  declare dragging: Side | null;

  constructor() {
    super();
    this.a = '';
    this.b = '';
    this.gpu = null;
    this.device = 'auto';
    this.local = { a: null, b: null };
    this.problems = { a: '', b: '' };
    this.keys = { a: '', b: '' };
    this.dragging = null;
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        background: transparent;
      }
      .sides {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr));
        gap: 0.75rem;
      }
      fieldset {
        border: 1px solid var(--md-border);
        border-radius: var(--md-radius);
        margin: 0;
        padding: 0.5rem 0.75rem 0.75rem;
        display: grid;
        gap: 0.5rem;
        min-width: 0;
      }
      fieldset.dragging {
        border: 2px dashed var(--md-accent);
      }
      label {
        display: grid;
        gap: 0.2rem;
        font-size: var(--md-text-sm);
      }
      input,
      select {
        font: inherit;
        padding: 0.3rem 0.4rem;
        border: 1px solid var(--md-border);
        border-radius: 6px;
        background: var(--md-bg);
        color: var(--md-fg);
        min-width: 0;
        max-width: 100%;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      .plan {
        margin: 0;
        font-size: var(--md-text-sm);
        overflow-wrap: anywhere;
      }
      .plan.no {
        color: var(--md-a);
      }
      .pairs {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        margin: 0.5rem 0;
      }
      .pairs button {
        text-align: left;
        font-size: var(--md-text-sm);
        max-width: 100%;
        overflow-wrap: anywhere;
      }
      .device {
        font-size: var(--md-text-sm);
        margin: 0 0 0.5rem;
      }
      [hidden] {
        display: none;
      }
    `,
  ];

  #choose(detail: { a?: string; b?: string }) {
    this.dispatchEvent(new CustomEvent(MODEL_CHANGE, { detail, bubbles: true, composed: true }));
  }

  #folder(detail: FolderDetail) {
    this.dispatchEvent(new CustomEvent(MODEL_FOLDER, { detail, bubbles: true, composed: true }));
  }

  #openPicker(side: Side) {
    if ('showDirectoryPicker' in globalThis) this.#folder({ side, picker: true });
    else
      this.renderRoot
        .querySelector<HTMLInputElement>(`input[aria-label="model ${side.toUpperCase()} folder"]`)
        ?.click();
  }

  #drop(side: Side, e: DragEvent) {
    e.preventDefault();
    this.dragging = null;
    if (e.dataTransfer) this.#folder({ side, drop: e.dataTransfer });
  }

  #side(side: Side) {
    const S = side.toUpperCase();
    const spec = side === 'a' ? this.a : this.b;
    const plan = planFor(spec, this.gpu, this.device, this.local[side], document.baseURI);
    const inCatalogue = CATALOGUE.some((e) => specOf(e) === spec.trim()) || FORGED.includes(spec.trim());
    return html`<fieldset
      data-side=${side}
      class=${this.dragging === side ? 'dragging' : ''}
      @dragover=${(e: DragEvent) => {
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        this.dragging = side;
      }}
      @dragleave=${() => (this.dragging = null)}
      @drop=${(e: DragEvent) => this.#drop(side, e)}
    >
      <legend><strong class=${side}>Model ${S}</strong></legend>
      <label
        >From the catalogue
        <select
          aria-label="model ${S} from the catalogue"
          @change=${(e: Event) => this.#choose({ [side]: (e.target as HTMLSelectElement).value })}
        >
          <option value="" ?selected=${!inCatalogue}>
            ${inCatalogue ? '— choose —' : `— ${modelLabel(spec) || 'choose'} —`}
          </option>
          <optgroup label="Forged demo (offline)">
            ${FORGED.map((m) => html`<option value=${m} ?selected=${spec.trim() === m}>${m}</option>`)}
          </optgroup>
          ${catalogueGroups().map(
            (g) =>
              html`<optgroup label=${g.label}>
                ${g.entries.map(
                  (e) =>
                    html`<option value=${specOf(e)} ?selected=${spec.trim() === specOf(e)}>
                      ${optionLabel(e, this.gpu, this.device)}
                    </option>`,
                )}
              </optgroup>`,
          )}
        </select>
      </label>
      <label
        >Model ${S}: name, URL or hf:org/name[@revision][#dtype]
        <input
          name=${side}
          .value=${spec}
          required
          autocomplete="off"
          spellcheck="false"
          @change=${(e: Event) => this.#choose({ [side]: (e.target as HTMLInputElement).value.trim() })}
        />
      </label>
      <div class="row">
        <button type="button" @click=${() => this.#openPicker(side)}>Choose a folder…</button>
        <span class="muted">or drop a model folder here</span>
        <input
          hidden
          type="file"
          webkitdirectory
          aria-label="model ${S} folder"
          @change=${(e: Event) => this.#folder({ side, files: (e.target as HTMLInputElement).files! })}
        />
      </div>
      <label
        >…or llama2.c files (checkpoint and tokenizer.bin)
        <input
          type="file"
          multiple
          accept=".bin"
          aria-label="model ${S} llama2.c files"
          @change=${(e: Event) => this.#folder({ side, llama2c: (e.target as HTMLInputElement).files! })}
        />
      </label>
      ${
        spec.trim().startsWith('openai:')
          ? html`<label
              >API key for model ${S}, if the server needs one
              <input
                type="password"
                autocomplete="off"
                spellcheck="false"
                aria-label="model ${S} API key"
                .value=${this.keys[side]}
                @change=${(e: Event) =>
                  this.dispatchEvent(
                    new CustomEvent(MODEL_KEY, {
                      detail: { side, key: (e.target as HTMLInputElement).value.trim() },
                      bubbles: true,
                      composed: true,
                    }),
                  )}
              />
              <span class="muted">Kept in this tab's memory only: never in links, reports or storage.</span></label
            >`
          : nothing
      }
      ${this.problems[side] ? html`<p class="error" role="alert">${this.problems[side]}</p>` : nothing}
      ${plan.lines.map(
        (line, i) => html`<p class="plan ${i === 0 && plan.ok === false ? 'no' : ''}" data-plan=${side}>${line}</p>`,
      )}
    </fieldset>`;
  }

  #pairButton(p: { a: string; b: string; lesson: string; labelA: string; labelB: string }) {
    const planA = planFor(p.a, this.gpu, this.device, null, document.baseURI);
    const planB = planFor(p.b, this.gpu, this.device, null, document.baseURI);
    const blocked = [planA, planB].find((x) => x.ok === false);
    return html`<button type="button" @click=${() => this.#choose({ a: p.a, b: p.b })} title=${p.lesson}>
      <strong>${p.labelA}</strong> vs <strong>${p.labelB}</strong><br /><span class="muted"
        >${p.lesson}${blocked ? ' — will not run here' : ''}</span
      >
    </button>`;
  }

  override render() {
    const byId = (id: string) => CATALOGUE.find((e) => e.id === id)!;
    const pairs = [
      { ...DEMO, labelA: DEMO.a, labelB: DEMO.b },
      ...SUGGESTED_PAIRS.map((p) => ({
        a: specOf(byId(p.a), p.dtypeA),
        b: specOf(byId(p.b), p.dtypeB),
        labelA: `${byId(p.a).name}${p.dtypeA ? ` ${p.dtypeA}` : ''}`,
        labelB: `${byId(p.b).name}${p.dtypeB ? ` ${p.dtypeB}` : ''}`,
        lesson: p.lesson,
      })),
    ];
    return html`
      <details class="device caps">
        <summary>${capabilityLine(this.gpu)} <span class="muted">(details)</span></summary>
        ${
          this.gpu
            ? describeDevice(this.gpu).map((line) => html`<p class="plan">${line}</p>`)
            : html`<p class="plan muted">Asking the browser…</p>`
        }
      </details>
      <details class="device" open>
        <summary>Suggested pairs: one click sets A and B</summary>
        <div class="pairs" role="group" aria-label="suggested pairs">${pairs.map((p) => this.#pairButton(p))}</div>
      </details>
      <div class="sides">${this.#side('a')} ${this.#side('b')}</div>
    `;
  }
}
