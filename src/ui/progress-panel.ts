// Presentational: what the run is doing — model files (bytes, ETA), then prompts done with tokens per second.

import { LitElement, css, html, nothing } from 'lit';
import { tokens } from './styles.ts';

export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
}

export interface ProgressState {
  phase: 'idle' | 'prompts' | 'load' | 'profile' | 'diff' | 'done' | 'error';
  files: { a: FileProgress[]; b: FileProgress[] };
  startedAt: number;
  /** When the files' bytes were last updated (performance.now()), for a download's time left. */
  updatedAt?: number;
  prompts?: { done: number; total: number; tokensPerSecond: number; elapsedMs: number };
  message?: string;
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export class ProgressPanel extends LitElement {
  static override properties = { state: { attribute: false } };
  declare state: ProgressState;

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        border: 1px solid var(--md-border);
        border-radius: 8px;
        padding: 0.75rem 1rem;
        background: var(--md-panel);
      }
      progress {
        width: 100%;
        height: 0.6rem;
      }
      .row {
        display: grid;
        grid-template-columns: 2rem 1fr auto;
        gap: 0.5rem;
        align-items: center;
        font-size: 0.9rem;
      }
    `,
  ];

  override render() {
    const s = this.state;
    if (!s) return nothing;
    const files = (side: 'a' | 'b') => {
      const list = s.files[side];
      const loaded = list.reduce((x, f) => x + f.loaded, 0);
      const total = list.reduce((x, f) => x + f.total, 0);
      // Time left at the rate so far (since the run started), while bytes are still coming.
      const elapsed = (s.updatedAt ?? 0) - s.startedAt;
      const left = loaded > 0 && loaded < total && elapsed > 0 ? ((total - loaded) * elapsed) / loaded / 1000 : null;
      return html`<div class="row">
        <strong class=${side}>${side.toUpperCase()}</strong>
        <progress max=${total || 1} value=${loaded} aria-label="model ${side.toUpperCase()} download"></progress>
        <span class="mono">${mb(loaded)} / ${mb(total)}${left !== null ? ` · ${left.toFixed(0)} s left` : ''}</span>
      </div>`;
    };
    const p = s.prompts;
    const eta = p && p.done > 0 ? ((p.total - p.done) * p.elapsedMs) / p.done / 1000 : null;
    return html`
      <div role="status" aria-live="polite">
        ${s.message ? html`<p>${s.message}</p>` : nothing} ${files('a')} ${files('b')}
        ${
          p
            ? html`<div class="row">
                <span>⟷</span>
                <progress max=${p.total} value=${p.done} aria-label="prompts profiled"></progress>
                <span class="mono"
                  >${p.done}/${p.total} prompts · ${p.tokensPerSecond.toFixed(0)}
                  tok/s${eta !== null ? ` · ${eta.toFixed(0)} s left` : ''}</span
                >
              </div>`
            : nothing
        }
      </div>
    `;
  }
}
