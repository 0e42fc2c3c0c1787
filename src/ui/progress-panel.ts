// Presentational: what the run is doing — model files (bytes, ETA), then prompts done with tokens per second.

import { LitElement, css, html, nothing } from 'lit';
import { tokens } from './styles.ts';

export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
  done?: boolean;
  /** performance.now() of the first and the latest progress event: the rate for the ETA. */
  startedAt?: number;
  updatedAt?: number;
}

/** Seconds left for a file at its rate so far; null until there is a rate to go by. */
export function etaSeconds(f: FileProgress): number | null {
  if (f.done || f.startedAt === undefined || f.updatedAt === undefined || f.total <= 0) return null;
  const elapsed = (f.updatedAt - f.startedAt) / 1000;
  if (elapsed <= 0 || f.loaded <= 0) return null;
  return Math.max(0, (f.total - f.loaded) / (f.loaded / elapsed));
}

const duration = (s: number) =>
  s < 60 ? `${s.toFixed(0)} s` : s < 3600 ? `${(s / 60).toFixed(0)} min` : `${(s / 3600).toFixed(1)} h`;

function fileLine(f: FileProgress) {
  const eta = etaSeconds(f);
  const rate =
    f.startedAt !== undefined && f.updatedAt !== undefined && f.updatedAt > f.startedAt
      ? ` · ${mb((f.loaded / (f.updatedAt - f.startedAt)) * 1000)}/s`
      : '';
  const state = f.done ? ' · done' : eta !== null ? `${rate} · ${duration(eta)} left` : '';
  return `${f.file}: ${mb(f.loaded)}${f.total > 0 ? ` / ${mb(f.total)}` : ''}${state}`;
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
        border-radius: var(--md-radius);
        padding: 0.75rem 1rem;
        background: var(--md-panel);
      }
      progress {
        width: 100%;
        height: 0.6rem;
      }
      details.files ul.files {
        margin: 0;
      }
      .files {
        margin: 0.1rem 0 0.4rem 2.5rem;
        padding: 0;
        list-style: none;
        font-size: var(--md-text-xs);
        color: var(--md-muted);
        overflow-wrap: anywhere;
      }
      .row {
        display: grid;
        grid-template-columns: 2rem minmax(6rem, 1fr) auto;
        gap: var(--md-space-2);
        align-items: center;
        font-size: var(--md-text-sm);
      }
      p {
        margin: 0 0 var(--md-space-2);
      }
      @media (max-width: 40rem) {
        /* The numbers go under the bar, which keeps the width. */
        .row {
          grid-template-columns: 2rem 1fr;
        }
        .row > span.mono {
          grid-column: 2;
          font-size: var(--md-text-xs);
        }
      }
    `,
  ];

  override render() {
    const s = this.state;
    const fileList = (list: FileProgress[], side: string) =>
      html`<ul class="files" aria-label="model ${side} files">
        ${list.map((f) => html`<li class="mono">${fileLine(f)}</li>`)}
      </ul>`;
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
        </div>
        ${
          list.length === 0
            ? nothing
            : list.every((f) => f.done)
              ? // Loaded: the file list folds away, one click from view, so the prompts' progress stays in sight.
                html`<details class="files">
                  <summary class="muted">${list.length} file${list.length === 1 ? '' : 's'} loaded</summary>
                  ${fileList(list, side.toUpperCase())}
                </details>`
              : fileList(list, side.toUpperCase())
        }`;
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
