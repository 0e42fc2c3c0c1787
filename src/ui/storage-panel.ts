// Presentational: what this site keeps in the browser — cached profile records and downloaded model files, with
// sizes — and buttons to delete them.

import { LitElement, css, html, nothing } from 'lit';
import { tokens } from './styles.ts';

export interface StorageView {
  records: number;
  generations: number;
  scores: number;
  bytes: number;
  usage: number | null;
  quota: number | null;
  /** Downloaded model files, per model. */
  models?: { model: string; files: { url: string; bytes: number }[]; bytes: number }[];
}

/** Fired to delete one model's downloaded files; detail: { model } (null: every model). */
export const DELETE_MODEL = 'md-delete-model';

/** Fired when the user asks to delete every cached record. */
export const CLEAR_STORAGE = 'md-clear-storage';
/** Fired when the user asks for fresh numbers. */
export const REFRESH_STORAGE = 'md-refresh-storage';

const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

export class StoragePanel extends LitElement {
  static override properties = { summary: { attribute: false } };
  declare summary: StorageView | null;

  constructor() {
    super();
    this.summary = null;
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        font-size: var(--md-text-sm);
      }
      summary {
        cursor: pointer;
      }
    `,
  ];

  #fire(name: string, detail?: unknown) {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
  }

  #brief(s: StorageView): string {
    const models = s.models?.length ? `; ${s.models.length} downloaded model${s.models.length === 1 ? '' : 's'}` : '';
    return `${s.records} cached records, ${mb(s.bytes)}${models}`;
  }

  #models(s: StorageView) {
    const models = s.models ?? [];
    if (models.length === 0)
      return html`<p class="muted">
        No model files are kept (downloaded models from other sites are, once finished).
      </p>`;
    const total = models.reduce((x, m) => x + m.bytes, 0);
    return html`<p>Downloaded model files (${mb(total)}), reused instead of downloaded again:</p>
      <ul>
        ${models.map(
          (m) =>
            html`<li>
              <span class="mono">${m.model}</span> — ${m.files.length} file${m.files.length === 1 ? '' : 's'},
              ${mb(m.bytes)}
              <button @click=${() => this.#fire(DELETE_MODEL, { model: m.model })} aria-label="delete ${m.model}">
                Delete
              </button>
            </li>`,
        )}
      </ul>
      <button @click=${() => this.#fire(DELETE_MODEL, { model: null })}>Delete all model files</button>`;
  }

  override render() {
    const s = this.summary;
    return html`<details @toggle=${(e: Event) => (e.target as HTMLDetailsElement).open && this.#fire(REFRESH_STORAGE)}>
      <summary>Storage${s ? html` <span class="muted">(${this.#brief(s)})</span>` : nothing}</summary>
      ${
        s
          ? html`<p>
                ${s.generations} responses and ${s.scores} cross-scores are cached in this browser (about
                ${mb(s.bytes)}); a re-run or a reloaded tab reuses them instead of recomputing.
                ${
                  s.usage !== null && s.quota !== null
                    ? html`<span class="muted">This site uses ${mb(s.usage)} of ${mb(s.quota)} allowed.</span>`
                    : nothing
                }
              </p>
              <button @click=${() => this.#fire(CLEAR_STORAGE)} ?disabled=${s.records === 0}>
                Delete cached profiles
              </button>
              ${this.#models(s)}`
          : html`<p class="muted">Reading…</p>`
      }
    </details>`;
  }
}
