// Presentational: the crosscoder (Lindsey et al. 2024; Minder et al. 2025) — the relative-decoder-norm histogram with
// its bands and, beside it, the counts per band and the noise floor; each exclusive candidate as a card (band in the
// model's colour, top snippets with per-token highlights, decoder tokens, frequency, ν, its held-out check), confirmed
// ones first and the rest secondary, folded when many; shared latents whose directions moved; training facts.
// Token texts are model output: rendered as text nodes only.

import { LitElement, css, html, nothing } from 'lit';
import type * as PlotMarks from './plot-marks.ts';
import type {
  CrosscoderFeature,
  CrosscoderSection,
  CrosscoderSnippet,
  InternalsSection,
} from '../core/diff/report-types.ts';
import {
  bandLabel,
  bandRows,
  candidatesSentence,
  confirmationText,
  featureFacts,
  floorSentence,
  sourceLabel,
  trainingFacts,
} from '../core/export/crosscoder-text.ts';
import { drawHistogram } from './crosscoder-histogram.ts';
import { tokens } from './styles.ts';

/** More unconfirmed candidates than this are folded under one summary. */
export const FOLD_UNCONFIRMED = 3;

/** A token as it reads: whitespace made visible where it would vanish (a newline, an empty token). */
const shown = (t: string) => (t === '' ? '∅' : t.replace(/\n/g, '↵').replace(/\t/g, '⇥'));
const quoted = (t: string) => JSON.stringify(t).slice(1, -1) || '∅';
const toneOf = (band: CrosscoderFeature['band']) =>
  band === 'a-only' ? 'tone-a' : band === 'b-only' ? 'tone-b' : 'tone-shared';

export class CrosscoderView extends LitElement {
  static override properties = { internals: { attribute: false }, failed: { state: true } };
  /** Loads Observable Plot on first use; replaceable where that import cannot run (the browser tests' dev server). */
  static loadPlot: () => Promise<typeof PlotMarks> = () => import('./plot-marks.ts');
  declare internals: InternalsSection | null;
  /** Why the histogram could not be drawn ('' when it was); the table beside it says the same numbers. */
  declare failed: string;
  #drawing: Promise<void> = Promise.resolve();

  constructor() {
    super();
    this.internals = null;
    this.failed = '';
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        max-width: 100%;
      }
      .overview {
        display: flex;
        flex-wrap: wrap;
        gap: var(--md-space-3) var(--md-space-5);
        align-items: flex-start;
      }
      figure {
        margin: 0;
        flex: 1 1 22rem;
        max-width: 36rem;
      }
      figcaption,
      .small {
        font-size: var(--md-text-xs);
        color: var(--md-muted);
      }
      .plot svg {
        max-width: 100%;
        height: auto;
      }
      .bands {
        flex: 1 1 16rem;
        font-size: var(--md-text-sm);
      }
      table {
        border-collapse: collapse;
      }
      caption {
        text-align: left;
      }
      th,
      td {
        padding: 0.1rem 0.6rem 0.1rem 0;
        text-align: left;
        vertical-align: top;
      }
      td.n {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .floor {
        border-left: 3px solid var(--md-border);
        padding-left: var(--md-space-2);
      }
      .cards {
        display: grid;
        gap: var(--md-space-3);
        margin: var(--md-space-3) 0;
      }
      /* The card's model: A orange, B blue, shared latents neutral. */
      .card {
        --tone: var(--md-muted);
        border-left: 4px solid var(--tone);
      }
      .card.tone-a {
        --tone: var(--md-a);
      }
      .card.tone-b {
        --tone: var(--md-b);
      }
      /* Secondary by frame and size, not by fading: faded text would fall under 4.5:1. */
      .card.secondary {
        border-style: dashed;
        border-left-style: solid;
        background: var(--md-panel);
        font-size: var(--md-text-sm);
      }
      .card header {
        display: flex;
        flex-wrap: wrap;
        gap: 0 var(--md-space-2);
        align-items: baseline;
      }
      .band {
        font-weight: 700;
        color: var(--tone);
      }
      .check {
        margin: var(--md-space-1) 0;
      }
      .check.ok {
        font-weight: 600;
      }
      .chip {
        font-family: var(--md-mono);
        background: var(--md-panel);
        border-radius: 3px;
        padding: 0 0.2em;
        margin-right: 0.25em;
        white-space: pre;
      }
      ol.snippets {
        margin: var(--md-space-1) 0 0;
        padding-left: 1.2rem;
      }
      .text {
        font-family: var(--md-mono);
        font-size: var(--md-text-sm);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      /* At most 50% of the model's colour: the token's own text keeps 4.5:1 contrast, light and dark. */
      .tok {
        background: color-mix(in srgb, var(--tone) calc(var(--act) * 50%), transparent);
        border-radius: 2px;
      }
      .tok.peak {
        outline: 1px solid var(--tone);
      }
      details.more > summary {
        cursor: pointer;
        color: var(--md-muted);
      }
      ul.facts {
        margin: var(--md-space-2) 0 0;
        padding-left: 1.2rem;
      }
    `,
  ];

  /** Resolves once the histogram of the last update is in the DOM (Plot loads on first use). */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await this.#drawing;
    return done;
  }

  override updated() {
    this.#drawing = this.#draw();
  }

  async #draw() {
    const c = this.internals?.crosscoder;
    const host = this.renderRoot.querySelector('.plot');
    if (!c || !host) return;
    let Plot: typeof PlotMarks;
    try {
      Plot = await CrosscoderView.loadPlot();
    } catch (e) {
      this.failed = e instanceof Error ? e.message : String(e);
      return;
    }
    if (c !== this.internals?.crosscoder) return; // a newer update draws
    this.failed = '';
    host.replaceChildren(drawHistogram(Plot, c, 520));
  }

  #overview(c: CrosscoderSection) {
    return html`<div class="overview">
      <figure>
        <div class="plot"></div>
        ${this.failed ? html`<p class="muted" role="status">The histogram could not be drawn (${this.failed}).</p>` : nothing}
        <figcaption>
          Relative decoder norm r of each live latent: near 0 it writes only into A's residual stream, near 1 only into
          B's, near ½ into both. Bars: latents per bin (square-root scale); shaded: the A-only, shared and B-only bands.
        </figcaption>
      </figure>
      <div class="bands">
        <table>
          <caption class="small">
            Latents per band
          </caption>
          <thead>
            <tr>
              <th scope="col">band</th>
              <th scope="col">r</th>
              <th scope="col">latents</th>
            </tr>
          </thead>
          <tbody>
            ${bandRows(c).map(
              (row) =>
                html`<tr data-band=${row.band}>
                  <th scope="row" class=${row.band === 'a-only' ? 'a' : row.band === 'b-only' ? 'b' : ''}>
                    ${row.label}
                  </th>
                  <td class="muted">${row.range}</td>
                  <td class="n">${row.latents}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <p class="floor">${floorSentence(c)}</p>
        <p>${candidatesSentence(c)}</p>
      </div>
    </div>`;
  }

  #snippet(s: CrosscoderSnippet, max: number) {
    return html`<li>
      <span class="small">${sourceLabel(s)}:</span>
      <span class="text"
        >${s.tokens.map(
          (t, i) =>
            html`<span
              class="tok${i === s.peak ? ' peak' : ''}"
              style="--act: ${max > 0 ? Math.max(0, t.activation / max).toFixed(3) : 0}"
              title=${t.activation > 0 ? `activation ${t.activation.toPrecision(3)}` : ''}
              >${shown(t.text)}</span
            >`,
        )}</span
      >
    </li>`;
  }

  /** One latent; `check`: whether it is a candidate with a held-out check to state (shared latents are not). */
  #card(f: CrosscoderFeature, secondary = false, check = true) {
    const max = Math.max(0, ...f.snippets.flatMap((s) => s.tokens.map((t) => t.activation)));
    const ok = f.confirmation?.confirmed === true;
    // Candidates are read through the model they lean to; shared latents whose direction changed, through B's.
    const model = check && (f.leansTo ? f.leansTo === 'a' : f.relativeNorm < 0.5) ? "A's" : "B's";
    return html`<article
      class="card ${toneOf(f.band)}${secondary ? ' secondary' : ''}"
      data-latent=${f.latent}
      data-confirmed=${ok ? 'yes' : 'no'}
    >
      <header>
        <span class="band">${bandLabel(f.band)}</span>
        <span>latent ${f.latent}</span>
        <span class="small">${featureFacts(f)}</span>
      </header>
      ${check ? html`<p class="check${ok ? ' ok' : ' muted'}">${confirmationText(f.confirmation)}</p>` : nothing}
      ${
        f.decoderTokens.length
          ? html`<div class="raises" title="Its decoder direction read through ${model} unembedding">
              raises: ${f.decoderTokens.slice(0, 10).map((t) => html`<span class="chip">${quoted(t)}</span>`)}
            </div>`
          : nothing
      }
      ${
        f.snippets.length
          ? html`<ol class="snippets">
              ${f.snippets.map((s) => this.#snippet(s, max))}
            </ol>`
          : nothing
      }
    </article>`;
  }

  #exclusives(c: CrosscoderSection) {
    const confirmed = c.exclusives.filter((f) => f.confirmation?.confirmed);
    const rest = c.exclusives.filter((f) => !f.confirmation?.confirmed);
    if (!c.exclusives.length) return html`<p class="muted">No exclusive candidate after latent scaling.</p>`;
    const secondary = rest.map((f) => this.#card(f, true));
    return html`<h4>Features one model has, or uses far more</h4>
      <div class="cards confirmed">${confirmed.map((f) => this.#card(f))}</div>
      ${
        rest.length > FOLD_UNCONFIRMED
          ? html`<details class="more">
              <summary>${rest.length} candidates not confirmed on held-out prompts</summary>
              <div class="cards unconfirmed">${secondary}</div>
            </details>`
          : html`<div class="cards unconfirmed">${secondary}</div>`
      }`;
  }

  #changed(c: CrosscoderSection) {
    if (!c.changed.length) return nothing;
    return html`<h4>Concepts that changed</h4>
      <p class="small">
        Shared latents (both decoders about as large) whose A and B directions differ most: lowest cosine first.
      </p>
      <div class="cards changed">${c.changed.map((f) => this.#card(f, false, false))}</div>`;
  }

  override render() {
    const i = this.internals;
    if (!i || i.crosscoder === undefined) return nothing;
    const c = i.crosscoder;
    const title = html`<h3>Crosscoder: features both models share, and features only one has</h3>`;
    if (!c)
      return html`${title}
        <p class="muted">${i.note ?? 'The crosscoder could not run.'}</p>`;
    return html`${title} ${this.#overview(c)} ${this.#exclusives(c)} ${this.#changed(c)}
      <ul class="facts small">
        ${trainingFacts(c).map((f) => html`<li>${f}</li>`)} ${c.notes.map((n) => html`<li class="note">${n}</li>`)}
      </ul>`;
  }
}
