// Presentational: for a forged pair (the base against a variant with a planted difference), what was planted and,
// signal by signal, whether the report found it — with the sentence and an example prompt of the difference that
// shows it — and anything else the report claimed (a false discovery). Data in: the planted record and the report.

import { css, html, nothing } from 'lit';
import { expectationFor, validate, type Evidence } from '../core/forge/expectations.ts';
import type { Planted } from '../core/forge/variants.ts';
import { SELECT_PROMPT } from './hunk-list.ts';
import { ReportPart } from './report-part.ts';
import { tokens } from './styles.ts';

/** A forged model's planted.json, as the forge writes it. */
export interface PlantedRecord {
  name: string;
  base: string;
  description: string;
  planted: Planted;
}

export class PlantedPanel extends ReportPart {
  static override properties = { ...ReportPart.properties, record: { attribute: false } };
  declare record: PlantedRecord | null;

  constructor() {
    super();
    this.record = null;
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        border: 1px solid var(--md-border);
        border-left: 4px solid var(--md-accent);
        border-radius: var(--md-radius);
        padding: 0.5rem 0.75rem;
        margin: 0.75rem 0;
        background: var(--md-panel);
      }
      h3 {
        margin: 0 0 0.25rem;
        font-size: var(--md-text-md);
      }
      ul {
        margin: 0.25rem 0;
        padding-left: 0;
        list-style: none;
      }
      li {
        margin: 0.3rem 0;
      }
      .verdict {
        font-weight: 600;
        display: inline-block;
        min-width: 4.5rem;
      }
      .found {
        color: var(--md-b);
      }
      .missed {
        color: var(--md-a);
      }
      button {
        font-size: var(--md-text-xs);
        padding: 0.1rem 0.5rem;
      }
    `,
  ];

  #select(promptId: string) {
    this.dispatchEvent(new CustomEvent(SELECT_PROMPT, { detail: { promptId }, bubbles: true, composed: true }));
  }

  #evidence(e: Evidence) {
    const d = e.difference !== null ? this.report.differences[e.difference] : undefined;
    const b = e.behaviour !== null ? this.report.behaviours[e.behaviour] : undefined;
    return html`<li data-signal=${e.signal}>
      <span class="verdict ${e.found ? 'found' : 'missed'}">${e.found ? '✓ found' : '✗ missed'}</span>
      <span class="mono">${e.signal}</span>
      ${b ? html`<div>${b.sentence}</div>` : nothing}
      ${
        e.boostRank !== null
          ? html`<div class="muted">
              B boosts it: #${e.boostRank} in "Tokens B boosts"${e.found ? '' : ', below the planted words'}.
            </div>`
          : nothing
      }
      ${d?.examples[0] ? html`<button @click=${() => this.#select(d.examples[0]!)}>Show ${d.examples[0]}</button>` : nothing}
    </li>`;
  }

  override render() {
    const r = this.report;
    const rec = this.record;
    if (!r || !rec) return nothing;
    const expectation = expectationFor(rec.planted);
    const v = validate(r, expectation);
    const consequences = v.consequences;
    const nothingPlanted = rec.planted.kind === 'none';
    return html`<section aria-label="what was planted">
      <h3>What was planted in ${rec.name}, and did the report find it?</h3>
      <p>${rec.planted.note}</p>
      ${
        nothingPlanted
          ? html`<p>Nothing was planted: the verdict should be "identical", and any behaviour a false discovery.</p>`
          : html`<ul>
              ${v.evidence.map((e) => this.#evidence(e))}
            </ul>`
      }
      <p class="summary">
        ${
          nothingPlanted
            ? nothing
            : html`<strong>${v.found.length} of ${v.evidence.length}</strong> planted
                signal${v.evidence.length === 1 ? '' : 's'} found. `
        }${
          v.falseDiscoveries.length
            ? html`<span class="missed"
                >Also reported, not planted (false discoveries): ${v.falseDiscoveries.join(', ')}.</span
              >`
            : html`No false discoveries.`
        }
        ${
          consequences.length
            ? html`<span class="muted"
                >Also reported, as consequences of the planted change: ${consequences.join(' ')}</span
              >`
            : nothing
        }
      </p>
    </section>`;
  }
}
