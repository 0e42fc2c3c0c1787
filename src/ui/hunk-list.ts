// Presentational: significant differences grouped by category ("hunks"), biggest effect first, each a sentence
// with its numbers and the prompts that show it; clicking a prompt asks the host to show it.

import { css, html, nothing } from 'lit';
import type { Difference } from '../core/diff/report-types.ts';
import { categoryLabel } from '../core/diff/categories.ts';
import { powerSentence } from './power-note.ts';
import { ReportPart } from './report-part.ts';
import { tokens } from './styles.ts';

/** Differences of one hunk grouped by feature, in the order their first member appears (biggest effect first). */
function group(ds: Difference[]): Difference[][] {
  const by = new Map<string, Difference[]>();
  for (const d of ds) by.set(d.feature, [...(by.get(d.feature) ?? []), d]);
  return [...by.values()];
}

/** Fired when the user picks an example prompt. detail: { promptId } */
export const SELECT_PROMPT = 'md-select-prompt';

export class HunkList extends ReportPart {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      section {
        border: 1px solid var(--md-border);
        border-radius: var(--md-radius);
        margin: 0.75rem 0;
        overflow: hidden;
      }
      h4 {
        margin: 0;
        padding: 0.4rem 0.75rem;
        background: var(--md-panel);
        font-size: var(--md-text-md);
        border-bottom: 1px solid var(--md-border);
      }
      li {
        padding: 0.45rem 0.75rem;
        border-left: 4px solid var(--md-border);
        list-style: none;
      }
      li.up {
        border-left-color: var(--md-b);
        background: var(--md-b-bg);
      }
      li.down {
        border-left-color: var(--md-a);
        background: var(--md-a-bg);
      }
      ul {
        margin: 0;
        padding: 0;
      }
      li.sub {
        font-size: var(--md-text-sm);
        padding-top: 0;
      }
      .cat {
        display: inline-block;
        margin-right: 0.8rem;
        white-space: nowrap;
      }
      .examples button {
        font-size: var(--md-text-xs);
        padding: 0.1rem 0.5rem;
        margin: 0.2rem 0.2rem 0 0;
      }
      .none {
        padding: 0.75rem;
        border: 1px dashed var(--md-border);
        border-radius: var(--md-radius);
      }
    `,
  ];

  #select(promptId: string) {
    this.dispatchEvent(new CustomEvent(SELECT_PROMPT, { detail: { promptId }, bubbles: true, composed: true }));
  }

  /** One feature: its headline difference (overall when significant) and the prompt categories where it also shows. */
  #feature(ds: Difference[]) {
    const [head, ...rest] = [...ds].sort(
      (x, y) => Number(x.promptCategory !== null) - Number(y.promptCategory !== null),
    );
    return html`${this.#item(head!)}${
      rest.length
        ? html`<li class="sub ${head!.effect > 0 ? 'up' : 'down'}">
            <span class="muted">Also within:</span>
            ${rest.map(
              (d) =>
                html`<span class="cat"
                  >${d.promptCategory}
                  <span class="mono"
                    >${d.kind === 'binary' ? `${(d.effect * 100).toFixed(0)} pts` : d.effect.toPrecision(2)}</span
                  >
                  <span class="muted">(q ${d.q < 0.001 ? '< 0.001' : `= ${d.q.toFixed(3)}`}, n ${d.n})</span></span
                >`,
            )}
          </li>`
        : nothing
    }`;
  }

  #item(d: Difference) {
    return html`<li class=${d.effect > 0 ? 'up' : 'down'}>
      <span class="mono">${d.effect > 0 ? '+' : '−'}</span> ${d.sentence}
      <span class="muted"
        >(${d.effectSize.measure} ${d.effectSize.value.toFixed(2)}, ${d.effectSize.magnitude}; ${d.test})</span
      >
      ${
        d.examples.length
          ? html`<div class="examples">
              ${d.examples.map((id) => html`<button @click=${() => this.#select(id)} aria-label="show prompt ${id}">${id}</button>`)}
            </div>`
          : nothing
      }
    </li>`;
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    if (r.hunks.length === 0) return html`<p class="none">No significant difference. ${powerSentence(r)}</p>`;
    return html`${r.hunks.map(
      (h) =>
        html`<section aria-label=${categoryLabel(h.category)}>
          <h4>${categoryLabel(h.category)} <span class="muted">(${h.differences.length})</span></h4>
          <ul>
            ${group(h.differences.map((i) => r.differences[i]!)).map((ds) => this.#feature(ds))}
          </ul>
        </section>`,
    )}`;
  }
}
