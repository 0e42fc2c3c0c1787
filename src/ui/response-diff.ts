// Presentational: a word-level diff of two responses, side by side or unified, optionally shading each token by its
// surprisal under the other model. Text only: every string reaches the DOM as a text node.

import { LitElement, css, html, nothing } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { diffParts, tokensMatch, type DiffParts, type Part, type Piece, type SurprisalToken } from './diff-parts.ts';
import { tokens } from './styles.ts';

export type { SurprisalToken } from './diff-parts.ts';

/** Surprisal (bits) at which shading is darkest. */
const MAX_BITS = 12;

export class ResponseDiff extends LitElement {
  static override properties = {
    a: { attribute: false },
    b: { attribute: false },
    mode: { type: String, reflect: true },
    tokensA: { attribute: false },
    tokensB: { attribute: false },
    labelA: { type: String, attribute: 'label-a' },
    labelB: { type: String, attribute: 'label-b' },
  };
  declare a: string;
  declare b: string;
  declare mode: 'split' | 'unified';
  /** A's response as tokens with their surprisal (bits) under B; optional. */
  declare tokensA: SurprisalToken[] | null;
  /** B's response as tokens with their surprisal (bits) under A; optional. */
  declare tokensB: SurprisalToken[] | null;
  declare labelA: string;
  declare labelB: string;
  #parts: DiffParts | null = null;

  constructor() {
    super();
    this.a = '';
    this.b = '';
    this.mode = 'split';
    this.tokensA = null;
    this.tokensB = null;
    this.labelA = 'A';
    this.labelB = 'B';
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        --md-surprise: var(--model-diff-surprise, #8250df);
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1rem;
        align-items: center;
        font-size: var(--md-text-sm);
        margin-bottom: 0.4rem;
      }
      .bar button {
        font-size: var(--md-text-sm);
        padding: 0.15rem 0.6rem;
      }
      .sides {
        display: grid;
        grid-template-columns: 1fr 1fr;
        border: 1px solid var(--md-border);
        border-radius: var(--md-radius);
      }
      .side,
      .flow {
        padding: 0.5rem 0.75rem;
        min-width: 0;
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .flow {
        border: 1px solid var(--md-border);
        border-radius: var(--md-radius);
      }
      .side.a,
      .side.b {
        color: var(--md-fg);
      }
      .side.a {
        border-right: 1px solid var(--md-border);
      }
      .label {
        font-size: var(--md-text-xs);
        font-weight: 600;
      }
      del,
      ins {
        text-decoration: none;
        border-radius: 3px;
      }
      del {
        background: var(--md-a-bg);
        box-shadow: inset 0 -2px var(--md-a);
      }
      ins {
        background: var(--md-b-bg);
        box-shadow: inset 0 -2px var(--md-b);
      }
      .flow del {
        text-decoration: line-through;
        text-decoration-color: var(--md-a);
      }
      .t {
        background: color-mix(in srgb, var(--md-surprise) calc(var(--s) * 70%), transparent);
        border-radius: 2px;
      }
      .swatch {
        display: inline-block;
        width: 6rem;
        height: 0.8rem;
        vertical-align: middle;
        border: 1px solid var(--md-border);
        background: linear-gradient(to right, transparent, color-mix(in srgb, var(--md-surprise) 70%, transparent));
      }
      @media (max-width: 40rem) {
        .sides {
          grid-template-columns: 1fr;
        }
        .side.a {
          border-right: none;
          border-bottom: 1px solid var(--md-border);
        }
      }
    `,
  ];

  override willUpdate(changed: Map<string, unknown>) {
    if (!this.#parts || ['a', 'b', 'tokensA', 'tokensB'].some((k) => changed.has(k))) {
      this.#parts = diffParts(this.a ?? '', this.b ?? '', this.tokensA, this.tokensB);
    }
  }

  #piece(p: Piece) {
    if (p.bits === null) return p.text;
    const s = Math.min(1, Math.max(0, p.bits / MAX_BITS));
    return html`<span class="t" style=${styleMap({ '--s': s.toFixed(3) })} title="${p.bits.toFixed(1)} bits"
      >${p.text}</span
    >`;
  }

  #flow(parts: Part[]) {
    return parts.map((part) => {
      const inner = part.pieces.map((p) => this.#piece(p));
      return part.kind === 'del' ? html`<del>${inner}</del>` : part.kind === 'ins' ? html`<ins>${inner}</ins>` : inner;
    });
  }

  override render() {
    const d = this.#parts;
    if (!d) return nothing;
    const split = this.mode !== 'unified';
    const shaded = tokensMatch(this.a, this.tokensA) || tokensMatch(this.b, this.tokensB);
    const given = Boolean(this.tokensA?.length || this.tokensB?.length);
    return html`
      <div class="bar">
        <button
          @click=${() => (this.mode = split ? 'unified' : 'split')}
          aria-label="switch to the ${split ? 'unified' : 'side-by-side'} view"
        >
          ${split ? 'Unified view' : 'Side by side'}
        </button>
        <span class="muted" role="status">
          ${
            this.a === this.b
              ? 'The responses are identical.'
              : `${d.removedWords} word${d.removedWords === 1 ? '' : 's'} only in A (removed), ${d.addedWords} only in B (added)`
          }
        </span>
        ${
          shaded
            ? html`<span
                ><span class="swatch" aria-hidden="true"></span> darker = more surprising to the other model
                <span class="muted">(0 to ≥ ${MAX_BITS} bits per token)</span></span
              >`
            : given
              ? html`<span class="muted">Token texts do not spell the responses; no surprisal shading.</span>`
              : nothing
        }
      </div>
      ${
        split
          ? html`<div class="sides">
              <div class="side a">
                <div class="label a">${this.labelA}</div>
                <div class="text">${this.a ? this.#flow(d.a) : html`<span class="muted">(empty response)</span>`}</div>
              </div>
              <div class="side b">
                <div class="label b">${this.labelB}</div>
                <div class="text">${this.b ? this.#flow(d.b) : html`<span class="muted">(empty response)</span>`}</div>
              </div>
            </div>`
          : html`<div class="flow">
              <div class="label"><span class="a">− ${this.labelA}</span> <span class="b">+ ${this.labelB}</span></div>
              <div class="text">${this.#flow(d.unified)}</div>
            </div>`
      }
    `;
  }
}
