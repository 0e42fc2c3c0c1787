// Presentational: the weight diff — a layer × module heatmap of the relative change ‖ΔW‖/‖W_A‖ (a table: each
// cell's value in its text for screen readers, and shown on hover or focus), "identical" said plainly, the top
// directions' tokens as words, and every tensor in a folded table. All strings from the report render as text.

import { LitElement, css, html, nothing } from 'lit';
import type { InternalsSection, WeightDiff, WeightDirection } from '../core/diff/report-types.ts';
import {
  MODULE_LABEL,
  formatRelative,
  intensity,
  weightGrid,
  type WeightCell,
} from '../core/internals/weight-cells.ts';
import { tokens } from './styles.ts';

const where = (layer: number | null, module: keyof typeof MODULE_LABEL) =>
  layer === null ? MODULE_LABEL[module] : `layer ${layer}, ${MODULE_LABEL[module]}`;

export class WeightHeatmap extends LitElement {
  static override properties = { internals: { attribute: false }, readout: { state: true } };
  declare internals: InternalsSection | null;
  /** What the hovered or focused cell says. */
  declare readout: string;

  constructor() {
    super();
    this.internals = null;
    this.readout = '';
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        max-width: 100%;
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
      }
      table.heat td {
        width: 3.2rem;
        height: 1.6rem;
        border: 1px solid var(--md-border);
        text-align: center;
        font-size: var(--md-text-xs);
        /* At most 55% accent: the cell's own text (the page's text colour) keeps 4.5:1 contrast, light and dark. */
        background: color-mix(in srgb, var(--md-accent) calc(var(--heat) * 55%), var(--md-bg));
        color: var(--md-fg);
      }
      table.heat td:focus-visible {
        outline: 2px solid var(--md-fg);
        outline-offset: -2px;
      }
      table.heat td.empty {
        background: var(--md-panel);
      }
      th {
        font-weight: normal;
        font-size: var(--md-text-xs);
        padding: 0.1rem 0.4rem;
        color: var(--md-muted);
        text-align: left;
      }
      .readout {
        min-height: 1.3em;
      }
      .tok {
        white-space: pre;
        background: var(--md-panel);
        border-radius: 3px;
        padding: 0 0.2rem;
        margin-right: 0.25rem;
      }
      .tensors td {
        padding: 0.1rem 0.5rem;
        font-size: var(--md-text-xs);
      }
    `,
  ];

  #cell(c: WeightCell | null, max: number) {
    if (!c) return html`<td class="empty">—</td>`;
    const value = formatRelative(c.relative);
    const label = `${where(c.layer, c.module)}: relative change ${value}`;
    const heat = intensity(c.relative, max);
    const show = () => (this.readout = label);
    return html`<td
      tabindex="0"
      style="--heat: ${heat.toFixed(3)}"
      title=${label}
      aria-label=${label}
      data-layer=${c.layer ?? ''}
      data-module=${c.module}
      @mouseenter=${show}
      @focus=${show}
    >
      ${c.relative === 0 ? '0' : value}
    </td>`;
  }

  #grid(w: WeightDiff) {
    const g = weightGrid(w);
    return html`<table class="heat" part="heatmap">
        <caption class="muted">
          Relative change ‖W_B − W_A‖ / ‖W_A‖ per layer and module
        </caption>
        <thead>
          <tr>
            <th scope="col">layer</th>
            ${g.columns.map((m) => html`<th scope="col">${MODULE_LABEL[m]}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${g.rows.map(
            (row, l) =>
              html`<tr>
                <th scope="row">${l}</th>
                ${row.map((c) => this.#cell(c, g.max))}
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        g.globals.length
          ? html`<table class="heat globals">
              <tr>
                ${g.globals.map((c) => html`<th scope="col">${MODULE_LABEL[c.module]}</th>`)}
              </tr>
              <tr>
                ${g.globals.map((c) => this.#cell(c, g.max))}
              </tr>
            </table>`
          : nothing
      }
      <p class="readout" aria-live="polite">${this.readout}</p>`;
  }

  #direction(d: WeightDirection) {
    const words = (list: string[]) =>
      list.length ? list.map((t) => html`<span class="tok mono">${t}</span> `) : html`<span class="muted">none</span>`;
    const verb = d.side === 'input' ? 'reads' : d.module === 'head' ? 'raises the logits of' : 'writes toward';
    return html`<li data-key=${d.key}>
      <strong>${where(d.layer, d.module)}</strong>
      <span class="muted"
        >(${d.key}; relative change ${formatRelative(d.relative)}; this direction carries ${(d.share * 100).toFixed(0)}%
        of the change)</span
      >
      <div class="up">${verb}: ${words(d.tokensUp)}</div>
      <div class="down muted">other end: ${words(d.tokensDown)}</div>
    </li>`;
  }

  #tensors(w: WeightDiff) {
    return html`<details>
      <summary>Every tensor (${w.tensors.length})</summary>
      <table class="tensors">
        <thead>
          <tr>
            <th scope="col">role</th>
            <th scope="col">name in A</th>
            <th scope="col">shape</th>
            <th scope="col">relative change</th>
            <th scope="col">‖W_A‖</th>
          </tr>
        </thead>
        <tbody>
          ${w.tensors.map(
            (t) =>
              html`<tr data-key=${t.key}>
                <td>${t.module === 'other' ? 'other' : where(t.layer, t.module)}</td>
                <td class="mono">${t.name}</td>
                <td class="mono">${t.shape.join('×')}</td>
                <td class="mono">${formatRelative(t.relative)}</td>
                <td class="mono">${t.normA.toPrecision(4)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>`;
  }

  override render() {
    const i = this.internals;
    if (!i) return nothing;
    const w = i.weights;
    const note = i.note ? html`<p class="note muted">${i.note}</p>` : nothing;
    if (!w)
      return html`<h3>Weights</h3>
        ${note}`;
    if (w.status === 'identical')
      return html`<h3>Weights</h3>
        <p class="identical">
          <strong>Identical</strong>: every one of the ${w.tensors.length} tensors of model B equals model A's, bit for
          bit.
        </p>
        ${note}`;
    return html`<h3>Weights</h3>
      ${this.#grid(w)}
      ${
        w.top.length
          ? html`<h4>Largest changes, read as tokens</h4>
              <ol class="top">
                ${w.top.map((d) => this.#direction(d))}
              </ol>`
          : nothing
      }
      ${note} ${this.#tensors(w)}`;
  }
}
