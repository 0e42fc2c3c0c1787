// Presentational: every prompt with both responses side by side, filterable by category and by "differs";
// harmful prompt text stays hidden until asked for. All strings are rendered as text, never as HTML.

import { LitElement, css, html, nothing } from 'lit';
import type { DiffReport, PromptDiff } from '../core/diff/report-types.ts';
import { tokens } from './styles.ts';

export class PromptTable extends LitElement {
  static override properties = {
    report: { attribute: false },
    selected: { type: String },
    category: { state: true },
    onlyDiffering: { state: true },
  };
  declare report: DiffReport;
  declare selected: string;
  declare category: string;
  declare onlyDiffering: boolean;

  constructor() {
    super();
    this.selected = '';
    this.category = '';
    this.onlyDiffering = false;
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      .controls {
        display: flex;
        gap: 1rem;
        flex-wrap: wrap;
        align-items: center;
        margin-bottom: 0.5rem;
      }
      article {
        border: 1px solid var(--md-border);
        border-radius: 8px;
        margin-bottom: 0.6rem;
      }
      article.selected {
        outline: 2px solid var(--md-accent);
      }
      header {
        padding: 0.35rem 0.75rem;
        background: var(--md-panel);
        border-bottom: 1px solid var(--md-border);
        border-radius: 8px 8px 0 0;
        overflow-wrap: anywhere;
      }
      .sides {
        display: grid;
        grid-template-columns: 1fr 1fr;
      }
      .side {
        padding: 0.5rem 0.75rem;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        min-width: 0;
      }
      .side.a {
        border-right: 1px solid var(--md-border);
      }
      .side .label {
        font-size: 0.8rem;
        font-weight: 600;
      }
      .chips {
        font-size: 0.8rem;
        color: var(--md-muted);
        white-space: normal;
      }
      @media (max-width: 40rem) {
        .sides {
          grid-template-columns: 1fr;
        }
        .side.a {
          border-right: none;
          border-bottom: 1px solid var(--md-border);
        }
      }
    `,
  ];

  override updated(changed: Map<string, unknown>) {
    if (changed.has('selected') && this.selected) {
      this.renderRoot.querySelector(`[data-id="${CSS.escape(this.selected)}"]`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  #side(p: PromptDiff, side: 'a' | 'b') {
    const s = p[side];
    const refusal = s.features['refusalClass'];
    // Only the segments that have something to say, so an empty one leaves no stray "·".
    const chips = [
      `${s.tokenCount} tokens${s.stop === 'length' ? ' (cut at the limit)' : ''}`,
      String(refusal ?? '').trim(),
      s.crossBitsPerByte !== null && Number.isFinite(s.crossBitsPerByte)
        ? `${s.crossBitsPerByte.toFixed(2)} bits/byte under the other model`
        : '',
    ].filter((x) => x !== '');
    return html`<div class="side ${side}">
      <div class="label ${side}">${side.toUpperCase()} · ${this.report.models[side === 'a' ? 0 : 1].label}</div>
      <div class="text">${s.text || '(empty response)'}</div>
      <div class="chips">${chips.join(' · ')}</div>
    </div>`;
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const categories = [...new Set(r.prompts.map((p) => p.category))].sort();
    const shown = r.prompts.filter(
      (p) => (!this.category || p.category === this.category) && (!this.onlyDiffering || p.a.text !== p.b.text),
    );
    return html`
      <div class="controls">
        <label
          >Category
          <select @change=${(e: Event) => (this.category = (e.target as HTMLSelectElement).value)}>
            <option value="">all (${r.prompts.length})</option>
            ${categories.map((c) => html`<option value=${c}>${c}</option>`)}
          </select></label
        >
        <label
          ><input
            type="checkbox"
            @change=${(e: Event) => (this.onlyDiffering = (e.target as HTMLInputElement).checked)}
          />
          only prompts where the responses differ</label
        >
        <span class="muted">${shown.length} shown</span>
      </div>
      ${shown.map(
        (p) =>
          html`<article data-id=${p.id} class=${p.id === this.selected ? 'selected' : ''} aria-label="prompt ${p.id}">
            <header>
              <span class="mono muted">${p.id}</span> <span class="muted">· ${p.category}</span><br />
              ${
                p.harmful
                  ? html`<details>
                      <summary>Harmful prompt (hidden) — show text</summary>
                      ${p.prompt}
                    </details>`
                  : p.prompt
              }
            </header>
            <div class="sides">${this.#side(p, 'a')} ${this.#side(p, 'b')}</div>
          </article>`,
      )}
    `;
  }
}
