// Presentational: the activation-difference lens — per position, how large the mean residual difference is (with its
// q), and what B's logit lens reads in +δ and −δ; then B's replies steered with δ at increasing strength beside the
// unsteered one. The lens is read at every stream point: a picker (a labelled <select>) switches the table between
// them at once, starting at the point steered at. "Identical" is said plainly. Token texts and replies are model
// output: rendered as text only.

import { LitElement, css, html, nothing } from 'lit';
import type { DiffLens, InternalsSection, LensLayer, SteeringSample } from '../core/diff/report-types.ts';
import { tokens } from './styles.ts';

const shown = (t: string) => JSON.stringify(t).slice(1, -1) || '∅';
/** A stream point in words: 0 is the embeddings, n the residual after decoder layer n − 1. */
const where = (point: number) => (point === 0 ? 'at the embeddings' : `after layer ${point - 1}`);
const qText = (q: number) => (q < 0.001 ? '< 0.001' : q.toFixed(3));

export class LensView extends LitElement {
  static override properties = { internals: { attribute: false }, point: { state: true } };
  declare internals: InternalsSection | null;
  /** The stream point shown; null: the one steered at. */
  declare point: number | null;

  constructor() {
    super();
    this.internals = null;
    this.point = null;
  }

  override willUpdate(changed: Map<string, unknown>) {
    // Another report starts at its own steered point.
    if (changed.has('internals')) this.point = null;
  }

  /** The points the lens was read at (one, `point`, in reports from before every point was read). */
  #layers(l: DiffLens): LensLayer[] {
    return l.points?.length ? l.points : [{ point: l.point, rows: l.rows }];
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
      .picker {
        display: inline-flex;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 0.5rem;
      }
      select {
        font: inherit;
      }
    `,
  ];

  #picker(l: DiffLens, layers: LensLayer[], at: number) {
    if (layers.length < 2) return nothing;
    return html`<label class="picker"
      >Stream point
      <select
        @change=${(e: Event) => (this.point = Number((e.target as HTMLSelectElement).value))}
        aria-describedby="lens-caption"
      >
        ${layers.map((x) => {
          const held = x.rows.filter((r) => r.tokensUp.length).length;
          return html`<option value=${x.point} .selected=${x.point === at}>
            ${x.point}: ${where(x.point)}${x.point === l.point ? ' (steered)' : ''} — ${held} of ${x.rows.length}
            significant
          </option>`;
        })}
      </select></label
    >`;
  }

  #positions(l: DiffLens) {
    const layers = this.#layers(l);
    const shownLayer =
      layers.find((x) => x.point === (this.point ?? l.point)) ?? layers.find((x) => x.point === l.point)!;
    const family = l.points?.length ? `positions × the ${layers.length} points read` : 'positions';
    const skipped =
      l.prefix !== undefined
        ? l.prefix
          ? ` (the ${l.prefix} token${l.prefix === 1 ? '' : 's'} every document starts with left out${l.bosSkipped ? ', a BOS among them' : ''})`
          : ''
        : l.bosSkipped
          ? ' (BOS left out)'
          : '';
    return html`${this.#picker(l, layers, shownLayer.point)}
      <table>
        <caption class="muted" id="lens-caption">
          Mean difference of B's and A's residual stream ${where(shownLayer.point)} of ${l.layers}, on the first
          ${l.positions} tokens of ${l.documents} documents (${l.texts})${skipped}; q: sign-flip test over documents, BH
          over ${family}. Tokens through B's logit lens, among those that read as text and that a model writes (byte
          pieces, and special tokens other than the end token, left out).
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
          ${shownLayer.rows.map(
            (r) =>
              html`<tr>
                <td>${r.position}</td>
                <td>${r.relative.toFixed(3)}</td>
                <td>${qText(r.q)}</td>
                <td>
                  ${r.tokensUp.length ? r.tokensUp.slice(0, 10).map((t) => html`<code>${shown(t)}</code>`) : html`<span class="muted">not significant</span>`}
                </td>
                <td>${r.tokensDown.slice(0, 10).map((t) => html`<code>${shown(t)}</code>`)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
  }

  #steering(l: DiffLens, samples: SteeringSample[]) {
    const prompts = [...new Set(samples.map((s) => s.prompt))];
    return html`<h4>B steered with δ ${where(l.point)}</h4>
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
          <strong>Identical</strong>: B's residual stream equals A's exactly (δ = 0)
          ${l.points?.length ? `at every one of the ${l.points.length} stream points read` : where(l.point)} on the
          first ${l.positions} tokens of ${l.documents} documents (${l.texts}).
        </p>`;
    return html`<h3>Activation-difference lens</h3>
      ${this.#positions(l)} ${l.steering ? this.#steering(l, l.steering) : nothing}`;
  }
}
