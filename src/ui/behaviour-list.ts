// Presentational: what changed, in reading order — the verdict (do the models differ at all, beyond the noise
// floor?), then each behaviour said once (its category, its sentence, the lead row's effect with its interval),
// expandable to where it happens, what changes with it, the tested rows behind it and its example prompts; then how
// discovered candidates were chosen and confirmed. Every string from the report is rendered as text.

import { css, html, nothing } from 'lit';
import type { Behaviour, DiffReport, Difference, Verdict } from '../core/diff/report-types.ts';
import { categoryLabel } from '../core/diff/categories.ts';
import { effectText } from './forest-rows.ts';
import { SELECT_PROMPT } from './hunk-list.ts';
import { powerSentence } from './power-note.ts';
import { behaviourPrompts } from './prompt-order.ts';
import { ReportPart } from './report-part.ts';
import { tokens } from './styles.ts';

const BADGE: Record<Verdict['status'], string> = {
  identical: 'Identical',
  differs: 'Differs',
  indistinguishable: 'No difference beyond noise',
};

/** The lead row's effect and interval in its own units ("+67 pts", or the feature's units), with its feature. */
function leadText(r: DiffReport, b: Behaviour): { feature: string; effect: string; ci: string; binary: boolean } {
  const lead: Difference | undefined = r.differences[b.lead];
  const binary = lead?.kind === 'binary';
  const shape = { kind: binary ? 'binary' : 'continuous', effect: b.effect, ci: b.ci } as Difference;
  const { effect, ci } = effectText(shape);
  return { feature: lead?.feature ?? '', effect, ci, binary };
}

/** A small drawing of the effect and its interval around zero (binary: −100 to +100 points; else its own scale). */
function bar(b: Behaviour, binary: boolean) {
  const [lo, hi] = b.ci;
  const values = [b.effect, lo, hi].filter(Number.isFinite);
  if (values.length < 3) return nothing;
  const m = binary ? 1 : Math.max(...values.map(Math.abs)) * 1.15 || 1;
  const w = 80;
  const x = (v: number) => (((Math.max(-m, Math.min(m, v)) + m) / (2 * m)) * (w - 6) + 3).toFixed(1);
  const side = b.effect > 0 ? 'b' : b.effect < 0 ? 'a' : 'zero';
  return html`<svg class="bar" width=${w} height="12" viewBox="0 0 ${w} 12" aria-hidden="true" focusable="false">
    <line class="zero" x1=${x(0)} x2=${x(0)} y1="1" y2="11"></line>
    <line class="ci ${side}" x1=${x(lo)} x2=${x(hi)} y1="6" y2="6"></line>
    <circle class="dot ${side}" cx=${x(b.effect)} cy="6" r="3"></circle>
  </svg>`;
}

/** Fired when the reader asks for every prompt where a behaviour happens. detail: { behaviour } (its id) */
export const SHOW_BEHAVIOUR = 'md-show-behaviour';

export class BehaviourList extends ReportPart {
  static override properties = {
    ...ReportPart.properties,
    listsPrompts: { type: Boolean, attribute: 'lists-prompts' },
  };
  /** The host lists the prompts (the full view): each behaviour offers the list of its prompts. */
  declare listsPrompts: boolean;

  constructor() {
    super();
    this.listsPrompts = false;
  }

  #showAll(behaviour: string) {
    this.dispatchEvent(new CustomEvent(SHOW_BEHAVIOUR, { detail: { behaviour }, bubbles: true, composed: true }));
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      .small {
        font-size: var(--md-text-sm);
      }
      .verdict {
        border: 1px solid var(--md-border);
        border-radius: var(--md-radius);
        padding: 0.5rem 0.75rem;
        margin: 0.5rem 0;
        background: var(--md-panel);
        overflow-wrap: anywhere;
      }
      .badge {
        display: inline-block;
        font-weight: 600;
        padding: 0 0.5rem;
        margin-right: 0.4rem;
        border-radius: 999px;
        border: 2px solid var(--md-border);
        background: var(--md-bg);
        color: var(--md-fg);
      }
      .badge.differs {
        border-color: var(--md-accent);
      }
      .badge.identical {
        border-color: var(--md-b);
      }
      .verdict .floor {
        margin-top: 0.25rem;
      }
      ol {
        list-style: none;
        margin: 0.5rem 0;
        padding: 0;
      }
      li.behaviour {
        border: 1px solid var(--md-border);
        border-left: 4px solid var(--md-border);
        border-radius: var(--md-radius);
        margin: 0.4rem 0;
        overflow-wrap: anywhere;
      }
      li.behaviour.up {
        border-left-color: var(--md-b);
      }
      li.behaviour.down {
        border-left-color: var(--md-a);
      }
      summary {
        padding: 0.4rem 0.75rem;
        cursor: pointer;
      }
      .tag {
        display: inline-block;
        font-size: var(--md-text-xs);
        padding: 0 0.4rem;
        margin-right: 0.3rem;
        border: 1px solid var(--md-border);
        border-radius: 4px;
        background: var(--md-panel);
        color: var(--md-fg);
        vertical-align: 0.1em;
      }
      .tag.broad {
        border-style: dashed;
      }
      .effect {
        display: inline-block;
        max-width: 100%;
        font-size: var(--md-text-sm);
        color: var(--md-muted);
        margin-left: 0.3rem;
      }
      svg.bar {
        vertical-align: middle;
        overflow: visible;
      }
      svg .zero {
        stroke: var(--md-muted);
        stroke-width: 1;
      }
      svg .ci {
        stroke-width: 2;
        stroke: var(--md-muted);
      }
      svg .dot {
        fill: var(--md-muted);
      }
      svg .ci.a {
        stroke: var(--md-a);
      }
      svg .ci.b {
        stroke: var(--md-b);
      }
      svg .dot.a {
        fill: var(--md-a);
      }
      svg .dot.b {
        fill: var(--md-b);
      }
      .body {
        padding: 0 0.75rem 0.5rem;
        border-top: 1px solid var(--md-border);
      }
      .label {
        font-weight: 600;
        margin: 0.5rem 0 0.15rem;
      }
      .body ul {
        margin: 0;
        padding-left: 1.2rem;
      }
      .examples button {
        font-size: var(--md-text-xs);
        padding: 0.1rem 0.5rem;
        margin: 0.2rem 0.2rem 0 0;
      }
      .none {
        padding: 0.6rem 0.75rem;
        border: 1px dashed var(--md-border);
        border-radius: var(--md-radius);
      }
      .method {
        margin: var(--md-space-2) 0 0;
      }
      .discovery {
        margin: var(--md-space-1) 0 0;
      }
    `,
  ];

  #select(promptId: string) {
    this.dispatchEvent(new CustomEvent(SELECT_PROMPT, { detail: { promptId }, bubbles: true, composed: true }));
  }

  #verdict(v: Verdict) {
    const floor = v.noiseFloor;
    return html`<section class="verdict" aria-label="verdict" data-status=${v.status}>
      <span class="badge ${v.status}">${BADGE[v.status] ?? v.status}</span>
      <span class="sentence">${v.sentence}</span>
      <div class="floor small muted">
        Noise floor: ${floor.method}${floor.measured ? ` (measured on ${floor.n} prompts)` : ''}.
      </div>
    </section>`;
  }

  /** No behaviour to list: say so plainly, with what the run could have detected. */
  #none(r: DiffReport) {
    const v = r.verdict;
    if (!v) {
      const k = r.differences.filter((d) => d.significant).length;
      return html`<p class="none schema1">
        This report was made before verdicts and behaviours (report schema 1): its ${k} significant
        difference${k === 1 ? ' is' : 's are'} in the tested features
        below.${k === 0 ? html` ${powerSentence(r)}` : nothing}
      </p>`;
    }
    const said =
      v.status === 'identical'
        ? html`<strong>Identical on this prompt set</strong>: no behaviour changed.`
        : v.status === 'indistinguishable'
          ? html`<strong>No behaviour changed</strong>: no difference found beyond the noise floor.`
          : html`<strong>No behaviour changed significantly</strong>: the models differ beyond the noise floor, but no
              tested feature of their replies does.`;
    return html`<p class="none">${said} ${powerSentence(r)}</p>`;
  }

  #behaviour(r: DiffReport, b: Behaviour) {
    const lead = leadText(r, b);
    const c = b.condition;
    return html`<li class="behaviour ${b.effect > 0 ? 'up' : b.effect < 0 ? 'down' : ''}" data-id=${b.id}>
      <details>
        <summary>
          <span class="tag category">${categoryLabel(b.category)}</span>${
            b.scope === 'broad' ? html`<span class="tag broad">broad: across most prompts</span>` : nothing
          }
          <span class="sentence">${b.sentence}</span>
          <span class="effect"
            >${bar(b, lead.binary)} <span class="mono">${lead.feature} ${lead.effect} (95% CI ${lead.ci})</span></span
          >
        </summary>
        <div class="body">
          ${
            c
              ? html`<div class="label">Where</div>
                  <div class="condition">${c.sentence}</div>`
              : nothing
          }
          ${
            b.consequences.length
              ? html`<div class="label">What changes with it</div>
                  <ul class="consequences">
                    ${b.consequences.map((x) => html`<li>${x}</li>`)}
                  </ul>`
              : nothing
          }
          <div class="label">Evidence: ${b.evidence.length} tested row${b.evidence.length === 1 ? '' : 's'}</div>
          <ul class="evidence">
            ${b.evidence.map((i) => html`<li>${r.differences[i]?.sentence ?? `(row ${i} is not in this report)`}</li>`)}
          </ul>
          ${
            b.examples.length
              ? html`<div class="examples">
                  <span class="muted">Example prompts:</span>
                  ${b.examples.map(
                    (id) =>
                      html`<button @click=${() => this.#select(id)} aria-label="show prompt ${id}">${id}</button>`,
                  )}
                </div>`
              : nothing
          }
          ${
            this.listsPrompts
              ? html`<p class="all">
                  <button class="show-all" @click=${() => this.#showAll(b.id)}>
                    Every prompt where it happens (${behaviourPrompts(r, b).size})
                  </button>
                </p>`
              : nothing
          }
        </div>
      </details>
    </li>`;
  }

  /** Scrolls the page, as little as it must, so that the verdict is in view. */
  revealVerdict(): void {
    this.renderRoot.querySelector('.verdict')?.scrollIntoView({ block: 'nearest' });
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const n = r.behaviours.length;
    return html`
      ${r.verdict ? this.#verdict(r.verdict) : nothing}
      ${
        n
          ? html`<ol class="behaviours" aria-label="${n} behaviour${n === 1 ? '' : 's'} changed">
              ${r.behaviours.map((b) => this.#behaviour(r, b))}
            </ol>`
          : this.#none(r)
      }
      ${
        r.discovery
          ? html`<details class="method small">
              <summary class="muted">How these behaviours were found and confirmed</summary>
              <p class="discovery muted">${r.discovery.sentence}</p>
            </details>`
          : nothing
      }
    `;
  }
}
