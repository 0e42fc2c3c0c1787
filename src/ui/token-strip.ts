// Presentational: one response as a strip of tokens, each marked by KL(B‖A) at its position (same vocabulary
// only); hovering or focusing a token shows both models' likeliest tokens there. One tab stop; arrow keys move.
// Text only: token texts are untrusted and reach the DOM as text nodes.

import { LitElement, css, html, nothing } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { ResponseToken, TokenChoice } from '../core/diff/report-types.ts';
import { tokens } from './styles.ts';

/** KL (nats) at which a cell's mark is strongest. */
export const MAX_KL = 1;

const pct = (logprob: number) => {
  const p = Math.exp(logprob) * 100;
  return p >= 9.95 ? `${p.toFixed(0)}%` : p >= 0.1 ? `${p.toFixed(1)}%` : '<0.1%';
};
const bits = (x: number | null | undefined) => (x === null || x === undefined ? '∞' : x.toFixed(1));
/** Spaces and line breaks made visible, so a token that is only whitespace is not an empty cell. */
const visible = (s: string) => (s.trim() === '' ? s.replace(/ /g, '␣').replace(/\n/g, '⏎') : s.replace(/\n/g, '⏎'));

export class TokenStrip extends LitElement {
  static override properties = {
    tokens: { attribute: false },
    label: { type: String },
    labelA: { type: String, attribute: 'label-a' },
    labelB: { type: String, attribute: 'label-b' },
    active: { state: true },
  };
  /** One response's tokens, as the report's PromptSide.tokens holds them. */
  declare tokens: ResponseToken[];
  /** Whose response this is, for the strip's accessible name. */
  declare label: string;
  declare labelA: string;
  declare labelB: string;
  /** The token whose detail is shown (hovered or focused); -1 for none yet. */
  declare active: number;

  constructor() {
    super();
    this.tokens = [];
    this.label = 'response';
    this.labelA = 'A';
    this.labelB = 'B';
    this.active = -1;
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        --md-kl: var(--model-diff-kl, #bc4c00);
      }
      .strip {
        display: flex;
        flex-wrap: wrap;
        gap: 2px;
        margin: 0.25rem 0;
      }
      .cell {
        font: inherit;
        font-family: var(--md-mono);
        font-size: var(--md-text-sm);
        padding: 0.1rem 0.25rem 0.35rem;
        border-radius: 3px;
        border: 1px solid var(--md-border);
        background: var(--md-bg);
        color: var(--md-fg);
        /* The mark: a bar under the text whose strength is the KL; the text keeps full contrast. */
        box-shadow: inset 0 -0.3rem color-mix(in srgb, var(--md-kl) calc(var(--k) * 100%), transparent);
      }
      .t {
        white-space: pre;
      }
      .cell[aria-current='true'] {
        outline: 2px solid var(--md-accent);
        outline-offset: 1px;
      }
      .detail {
        font-size: var(--md-text-sm);
        min-height: 1.4rem;
      }
      .alts {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0.25rem 1rem;
      }
      .alts ol {
        margin: 0.15rem 0 0;
        padding-left: 1.4rem;
      }
      .tok {
        font-family: var(--md-mono);
        white-space: pre;
        background: var(--md-panel);
        border-radius: 3px;
        padding: 0 0.2rem;
      }
    `,
  ];

  #focus(i: number) {
    const n = this.tokens.length;
    if (n === 0) return;
    this.active = Math.max(0, Math.min(n - 1, i));
    void this.updateComplete.then(() =>
      this.renderRoot.querySelectorAll<HTMLButtonElement>('.cell')[this.active]?.focus(),
    );
  }

  #key(e: KeyboardEvent, i: number) {
    const to = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: Infinity }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    this.#focus(to === Infinity ? this.tokens.length - 1 : to);
  }

  #alternatives(label: string, side: 'a' | 'b', list: TokenChoice[] | undefined, chosen: string) {
    if (!list?.length) return nothing;
    return html`<div>
      <span class=${side}>${label}</span> would say:
      <ol>
        ${list.map(
          (c) =>
            html`<li>
              <span class="tok">${visible(c.token)}</span> ${pct(c.logprob)}${
                c.token.trim() === chosen.trim() ? html` <span class="muted">(chosen)</span>` : nothing
              }
            </li>`,
        )}
      </ol>
    </div>`;
  }

  #detail() {
    const t = this.tokens[this.active];
    if (!t) return html`<span class="muted">Hover or focus a token to see both models’ likeliest tokens there.</span>`;
    return html`<div>
        <span class="tok">${visible(t.text)}</span> · KL(B‖A) ≥ ${t.kl?.toFixed(3) ?? '—'} nats · ${bits(t.bits)} bits
        to the other model${t.selfBits !== undefined ? html`, ${bits(t.selfBits)} bits to its own` : nothing}
      </div>
      <div class="alts">
        ${this.#alternatives(this.labelA, 'a', t.topA, t.text)} ${this.#alternatives(this.labelB, 'b', t.topB, t.text)}
      </div>`;
  }

  override render() {
    const list = this.tokens ?? [];
    if (!list.length) return nothing;
    const tab = this.active >= 0 ? this.active : 0;
    return html`<div class="strip" role="group" aria-label="per-token KL(B‖A) of ${this.label}; arrow keys move">
        ${list.map(
          (t, i) =>
            html`<button
              class="cell"
              tabindex=${i === tab ? 0 : -1}
              aria-current=${i === this.active ? 'true' : 'false'}
              style=${styleMap({ '--k': Math.min(1, Math.max(0, (t.kl ?? 0) / MAX_KL)).toFixed(3) })}
              @focus=${() => (this.active = i)}
              @mouseenter=${() => (this.active = i)}
              @keydown=${(e: KeyboardEvent) => this.#key(e, i)}
            >
              <span class="t">${visible(t.text)}</span>
            </button>`,
        )}
      </div>
      <div class="detail" aria-live="polite">${this.#detail()}</div>`;
  }
}
