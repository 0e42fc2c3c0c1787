// Presentational: the N-way distance matrix as a heatmap table — each cell the share of features on which two
// models differ significantly, shaded by it — and what is unique to each model. A table, so screen readers and
// keyboards get rows and columns; picking a pair sends an event for the host to open that pair's report.

import { LitElement, css, html, nothing } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { NWayReport } from '../core/diff/n-way.ts';
import { tokens } from './styles.ts';

/** Fired when the user picks a cell. detail: { a, b } — the two models' specs (row, column). */
export const SELECT_PAIR = 'md-select-pair';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(2));
/** Features listed per model: the strongest, by their weakest effect against the others. */
const UNIQUE_SHOWN = 12;

export class DistanceMatrix extends LitElement {
  static override properties = { report: { attribute: false } };
  declare report: NWayReport | null;

  constructor() {
    super();
    this.report = null;
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        --md-heat: var(--model-diff-accent, var(--md-accent));
      }
      .scroll {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        font-size: var(--md-text-sm);
      }
      th,
      td {
        border: 1px solid var(--md-border);
        padding: 0;
        text-align: center;
      }
      th {
        padding: 0.3rem 0.5rem;
        font-weight: 600;
        background: var(--md-panel);
        overflow-wrap: anywhere;
        max-width: 10rem;
      }
      td button {
        width: 100%;
        min-width: 4rem;
        min-height: 2.4rem;
        border: none;
        border-radius: 0;
        font-family: var(--md-mono);
        /* At most 55% of the accent under the number: its text keeps its contrast in both schemes. */
        background: color-mix(in srgb, var(--md-heat) calc(var(--d) * 55%), var(--md-bg));
        color: var(--md-fg);
      }
      td.self {
        color: var(--md-muted);
        background: var(--md-panel);
      }
      .unique {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 0.75rem;
        margin-top: 0.75rem;
      }
      .card {
        border: 1px solid var(--md-border);
        border-radius: var(--md-radius);
        padding: 0.5rem 0.75rem;
      }
      .card ul {
        margin: 0.25rem 0 0;
        padding-left: 1.2rem;
      }
    `,
  ];

  #pick(i: number, j: number) {
    const m = this.report!.models;
    this.dispatchEvent(
      new CustomEvent(SELECT_PAIR, { detail: { a: m[i]!.spec, b: m[j]!.spec }, bubbles: true, composed: true }),
    );
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const m = r.models;
    // Shaded relative to the largest distance, so the pattern shows whatever the scale; the caption gives it.
    const max = Math.max(...r.distance.flat());
    return html`<p class="muted">
        ${m.length} models, ${r.n} prompts. Each cell: the share of features on which the row and column models differ
        significantly (q &lt; ${r.options.alpha} across all pairs' tests); darker = further apart, the darkest
        ${pct(max)}. Pick a cell to compare that pair in detail.
      </p>
      <div class="scroll">
        <table>
          <caption class="muted">
            Distance between models (share of features that differ)
          </caption>
          <tr>
            <td class="self"></td>
            ${m.map((x) => html`<th scope="col">${x.label}</th>`)}
          </tr>
          ${m.map(
            (row, i) =>
              html`<tr>
                <th scope="row">${row.label}</th>
                ${m.map((col, j) => {
                  const d = r.distance[i]![j]!;
                  return i === j
                    ? html`<td class="self">—</td>`
                    : html`<td>
                        <button
                          style=${styleMap({ '--d': (max > 0 ? d / max : 0).toFixed(3) })}
                          title="${row.label} vs ${col.label}: mean |effect size| ${r.meanAbsEffect[i]![j]!.toFixed(2)}"
                          aria-label="${row.label} vs ${col.label}: ${pct(d)} of features differ"
                          @click=${() => this.#pick(i, j)}
                        >
                          ${pct(d)}
                        </button>
                      </td>`;
                })}
              </tr>`,
          )}
        </table>
      </div>
      <div class="unique">
        ${m.map(
          (x, i) =>
            html`<div class="card">
              <strong>Only ${x.label}</strong>
              ${
                r.unique[i]!.length
                  ? html`<ul>
                      ${r.unique[i]!.slice(0, UNIQUE_SHOWN).map(
                        (u) =>
                          html`<li title=${u.description}>
                            <span class="mono">${u.feature}</span> ${u.direction === 'higher' ? '↑' : '↓'}
                            ${num(u.mean)}
                            <span class="muted"
                              >(others ${u.othersMean.flatMap((x) => (x === null ? [] : [num(x)])).join(', ')})</span
                            >
                          </li>`,
                      )}
                    </ul>`
                  : html`<p class="muted">Nothing sets it apart from every other model.</p>`
              }
            </div>`,
        )}
      </div>`;
  }
}
