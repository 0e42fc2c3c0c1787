// Presentational: a forest plot of the report's differences (Observable Plot, loaded on first use), binary features
// in percentage points and continuous ones as rank-biserial correlations, with a table of the same numbers.

import { LitElement, css, html, nothing } from 'lit';
import type * as PlotLib from '@observablehq/plot';
import type * as PlotMarks from './plot-marks.ts';
import type { DiffReport } from '../core/diff/report-types.ts';
import { drawPanel, effectSizeText, effectText, forestRows, qText, rowLabel, type ForestRow } from './forest-rows.ts';
import { tokens } from './styles.ts';

/** Fired when the user picks a row. detail: { index } — an index into report.differences. */
export const SELECT_DIFFERENCE = 'md-select-difference';

let plotLib: Promise<typeof PlotMarks> | undefined;

export class ForestPlot extends LitElement {
  static override properties = {
    report: { attribute: false },
    all: { state: true },
    width: { state: true },
    failed: { state: true },
  };
  /**
   * Loads Observable Plot: a dynamic import, so Plot is its own chunk fetched when a plot is first drawn. Replaceable
   * where that import cannot run (the browser tests' dev server cannot serve Plot's CommonJS dependency).
   */
  static loadPlot: () => Promise<typeof PlotMarks> = () =>
    (plotLib ??= import('./plot-marks.ts').catch((e: unknown) => {
      plotLib = undefined; // a later update tries again (e.g. after a failed chunk download)
      throw e;
    }));
  declare report: DiffReport | null;
  /** Show every tested overall difference, not only the significant ones. */
  declare all: boolean;
  declare width: number;
  /** Why the plot could not be drawn ('' when it was); the table then shows instead. */
  declare failed: string;
  #drawing: Promise<void> = Promise.resolve();
  #resize = new ResizeObserver(([e]) => {
    const w = Math.round((e?.contentRect.width ?? 0) / 16) * 16;
    if (w > 0 && w !== this.width) this.width = w;
  });

  constructor() {
    super();
    this.report = null;
    this.all = false;
    this.width = 0;
    this.failed = '';
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1.2rem;
        align-items: center;
        font-size: var(--md-text-sm);
      }
      figure {
        margin: 0.4rem 0 0.8rem;
      }
      figcaption {
        font-size: var(--md-text-sm);
        color: var(--md-muted);
        margin: 0.4rem 0 0.2rem;
      }
      svg {
        cursor: pointer;
      }
      .md-hit rect:hover {
        fill-opacity: 0.07;
      }
      .sr:not(:focus-within) {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
      table {
        border-collapse: collapse;
        font-size: var(--md-text-sm);
      }
      td,
      th {
        padding: 0.15rem 0.5rem;
        text-align: left;
      }
      td button {
        font-size: var(--md-text-sm);
        padding: 0 0.3rem;
      }
    `,
  ];

  override connectedCallback() {
    super.connectedCallback();
    this.#resize.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#resize.disconnect();
  }

  /** Resolves once the plots of the last update are in the DOM (Plot loads on first use). */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await this.#drawing;
    return done;
  }

  override updated() {
    this.#drawing = this.#draw();
  }

  async #draw() {
    const r = this.report;
    if (!r) return;
    const rows = forestRows(r, this.all);
    if (!rows.binary.length && !rows.continuous.length) return;
    let Plot: typeof PlotMarks;
    try {
      Plot = await ForestPlot.loadPlot();
    } catch (e) {
      this.failed = e instanceof Error ? e.message : String(e);
      return;
    }
    this.failed = '';
    if (r !== this.report) return; // a newer update draws
    const width = Math.max(320, this.width || this.clientWidth || 640);
    for (const panel of ['binary', 'continuous'] as const) {
      const host = this.renderRoot.querySelector(`.plot.${panel}`);
      if (!host || !rows[panel].length) continue;
      const svg = drawPanel(Plot, rows[panel], panel, width);
      svg.addEventListener('click', (e) => this.#clicked(svg, e as MouseEvent));
      host.replaceChildren(svg);
    }
  }

  /** The row under the pointer, from the plot's own y scale (clicks on a label, a line or between count too). */
  #clicked(svg: Element & PlotLib.Plot, e: MouseEvent) {
    const y = svg.scale('y');
    const ctm = (svg as unknown as SVGSVGElement).getScreenCTM();
    const band = y?.bandwidth;
    if (!y?.domain || !ctm || band === undefined) return;
    const at = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse()).y;
    const gap = ((y.step ?? band) - band) / 2;
    const hit = [...y.domain].find((i) => {
      const top = y.apply(i) as number;
      return at >= top - gap && at <= top + band + gap;
    });
    if (typeof hit === 'number') this.#select(hit);
  }

  #select(index: number) {
    this.dispatchEvent(new CustomEvent(SELECT_DIFFERENCE, { detail: { index }, bubbles: true, composed: true }));
  }

  #table(r: DiffReport, rows: ForestRow[]) {
    return html`<div class=${this.failed ? '' : 'sr'}>
      <table>
        <caption>
          The plotted differences, one row each (B − A; binary features in percentage points, continuous features in
          their own units)
        </caption>
        <tr>
          <th>Difference</th>
          <th>B − A</th>
          <th>95% CI</th>
          <th>Effect size</th>
          <th>q</th>
          <th>n</th>
          <th>Significant</th>
        </tr>
        ${rows.map((row) => {
          const d = r.differences[row.index]!;
          const { effect, ci } = effectText(d);
          return html`<tr>
            <th><button @click=${() => this.#select(row.index)}>${rowLabel(d)}</button></th>
            <td>${effect}</td>
            <td>${ci}</td>
            <td>${effectSizeText(d)}</td>
            <td>${qText(d.q)}</td>
            <td>${d.n}</td>
            <td>${d.significant ? 'yes' : 'no'}</td>
          </tr>`;
        })}
      </table>
    </div>`;
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const rows = forestRows(r, this.all);
    const overall = r.differences.filter((d) => d.promptCategory === null).length;
    const count = rows.binary.length + rows.continuous.length;
    const names = `A (${r.models[0].label}) and B (${r.models[1].label})`;
    return html`
      <div class="legend">
        <span><span class="b" aria-hidden="true">●</span> B higher</span>
        <span><span class="a" aria-hidden="true">●</span> A higher</span>
        <span class="muted"
          >${this.all ? 'filled: significant · hollow: not significant' : 'significant, overall and within categories'}</span
        >
        <label>
          <input
            type="checkbox"
            .checked=${this.all}
            @change=${(e: Event) => (this.all = (e.target as HTMLInputElement).checked)}
          />
          show all ${overall} tested overall differences
        </label>
      </div>
      ${
        count
          ? html`<figure role="group" aria-label="Forest plot of ${count} differences between ${names}">
              ${
                rows.binary.length
                  ? html`<figcaption>
                        Binary features: B − A in percentage points, 95% paired-bootstrap interval
                      </figcaption>
                      <div class="plot binary"></div>`
                  : nothing
              }
              ${
                rows.continuous.length
                  ? html`<figcaption>
                        Continuous features: rank-biserial correlation (−1 to 1) with its 95% interval; the mean
                        difference in the feature's own units, with its interval, is in each row's tooltip and the
                        table.${
                          rows.continuous.some((r) => r.lo === null)
                            ? ' Rows without a line come from a report made before these intervals were computed.'
                            : ''
                        }
                      </figcaption>
                      <div class="plot continuous"></div>`
                  : nothing
              }
              ${
                this.failed
                  ? html`<p class="muted" role="status">
                      The plot could not be drawn (${this.failed}). The table lists the same numbers.
                    </p>`
                  : nothing
              }
              ${this.#table(r, [...rows.binary, ...rows.continuous])}
            </figure>`
          : html`<p class="muted">No significant difference to plot.</p>`
      }
      ${rows.omitted ? html`<p class="muted">${rows.omitted} difference(s) without a finite value are not drawn.</p>` : nothing}
    `;
  }
}
