// Presentational: what this site keeps in the browser (cached profile records, sizes) and a button to delete it.

import { LitElement, css, html, nothing } from 'lit';
import { tokens } from './styles.ts';

export interface StorageView {
  records: number;
  generations: number;
  scores: number;
  bytes: number;
  usage: number | null;
  quota: number | null;
}

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
        font-size: 0.9rem;
      }
      summary {
        cursor: pointer;
      }
    `,
  ];

  #fire(name: string) {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
  }

  override render() {
    const s = this.summary;
    return html`<details @toggle=${(e: Event) => (e.target as HTMLDetailsElement).open && this.#fire(REFRESH_STORAGE)}>
      <summary>
        Storage${s ? html` <span class="muted">(${s.records} cached records, ${mb(s.bytes)})</span>` : nothing}
      </summary>
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
              </button>`
          : html`<p class="muted">Reading…</p>`
      }
    </details>`;
  }
}
