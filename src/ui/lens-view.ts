// Presentational: the activation-difference lens — per position, how large the mean residual difference is (with its
// q), and what B's logit lens reads in +δ and −δ; then B's replies steered with δ at increasing strength beside the
// unsteered one. "Identical" is said plainly. Token texts and replies are model output: rendered as text only.

import { LitElement, css, html, nothing } from 'lit';
import type { DiffLens, InternalsSection, SteeringSample } from '../core/diff/report-types.ts';
import { tokens } from './styles.ts';

const shown = (t: string) => JSON.stringify(t).slice(1, -1) || '∅';

export class LensView extends LitElement {
  static override properties = { internals: { attribute: false } };
  declare internals: InternalsSection | null;

  constructor() {
    super();
    this.internals = null;
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
        font-size: var(--md-text-sm);
      }
      th,
      td {
        border-bottom: 1px solid var(--md-border);
        padding: 0.25rem 0.5rem;
        text-align: left;
        vertical-align: top;
      }
      code {
        font-family: var(--md-mono, ui-monospace, monospace);
        background: var(--md-panel);
        border-radius: 3px;
        padding: 0 0.2em;
        margin-right: 0.25em;
        white-space: pre;
      }
      .muted {
        color: var(--md-muted);
      }
      .steer td:first-child {
        white-space: nowrap;
      }
    `,
  ];

  #positions(l: DiffLens) {
    return html`<table>
      <caption class="muted">
        Mean difference of B's and A's residual stream after layer ${l.point - 1} of ${l.layers}, on the first
        ${l.positions} tokens of ${l.documents} ${l.texts} documents${l.bosSkipped ? ' (BOS left out)' : ''}; q:
        sign-flip test over documents, BH over positions.
      </caption>
      <thead>
        <tr>
          <th scope="col">Position</th>
          <th scope="col">‖δ‖ / ‖h_B‖</th>
          <th scope="col">q</th>
          <th scope="col">B leans towards</th>
          <th scope="col">B leans away from</th>
        </tr>
      </thead>
      <tbody>
        ${l.rows.map(
          (r) =>
            html`<tr>
              <td>${r.position}</td>
              <td>${r.relative.toFixed(3)}</td>
              <td>${r.q < 0.001 ? '< 0.001' : r.q.toFixed(3)}</td>
              <td>
                ${r.tokensUp.length ? r.tokensUp.slice(0, 10).map((t) => html`<code>${shown(t)}</code>`) : html`<span class="muted">not significant</span>`}
              </td>
              <td>${r.tokensDown.slice(0, 10).map((t) => html`<code>${shown(t)}</code>`)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  #steering(samples: SteeringSample[]) {
    const prompts = [...new Set(samples.map((s) => s.prompt))];
    return html`<h4>B steered with δ</h4>
      <p class="muted">
        B continues each prompt with α · ‖h_B‖ · δ̂ added to its residual stream at every position (α = 0 is B as it is).
        Illustrations, not tests.
      </p>
      ${prompts.map(
        (p) =>
          html`<table class="steer">
            <caption>
              ${p}
            </caption>
            <tbody>
              ${samples
                .filter((s) => s.prompt === p)
                .map(
                  (s) =>
                    html`<tr>
                      <td>α = ${s.alpha}</td>
                      <td>${s.text}</td>
                    </tr>`,
                )}
            </tbody>
          </table>`,
      )}`;
  }

  override render() {
    const i = this.internals;
    if (!i || i.lens === undefined) return nothing;
    const l = i.lens;
    if (!l)
      return html`<h3>Activation-difference lens</h3>
        <p class="muted">${i.note ?? 'Not computed.'}</p>`;
    if (l.identical)
      return html`<h3>Activation-difference lens</h3>
        <p>
          <strong>Identical</strong>: B's residual stream after layer ${l.point - 1} equals A's exactly (δ = 0) on the
          first ${l.positions} tokens of ${l.documents} ${l.texts} documents.
        </p>`;
    return html`<h3>Activation-difference lens</h3>
      ${this.#positions(l)} ${l.steering ? this.#steering(l.steering) : nothing}`;
  }
}
