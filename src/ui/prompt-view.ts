// Presentational: one prompt drilled into — the prompt (harmful text hidden until asked), both responses as a word
// diff with each token shaded by its surprisal under the other model, and (same vocabulary) a per-token KL strip
// of each response. Data in (a PromptDiff and the model labels), a close request out.

import { LitElement, css, html, nothing } from 'lit';
import type { PromptDiff, ResponseToken } from '../core/diff/report-types.ts';
import type { SurprisalToken } from './diff-parts.ts';
import { tokens } from './styles.ts';

/** Fired when the user closes the prompt view. No detail. */
export const CLOSE_PROMPT = 'md-close-prompt';

const surprisal = (list: ResponseToken[] | undefined): SurprisalToken[] | null =>
  list?.length ? list.map((t) => ({ text: t.text, surprisal: t.bits ?? Infinity })) : null;

export class PromptView extends LitElement {
  static override properties = {
    prompt: { attribute: false },
    labelA: { type: String, attribute: 'label-a' },
    labelB: { type: String, attribute: 'label-b' },
    closable: { type: Boolean },
  };
  declare prompt: PromptDiff | null;
  declare labelA: string;
  declare labelB: string;
  /** Shows a Close button (off when the prompt is all an embed shows). */
  declare closable: boolean;

  constructor() {
    super();
    this.prompt = null;
    this.labelA = 'A';
    this.labelB = 'B';
    this.closable = true;
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        border: 1px solid var(--md-accent);
        border-radius: var(--md-radius);
        padding: 0.5rem 0.75rem;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        align-items: baseline;
      }
      .head button {
        margin-left: auto;
        font-size: var(--md-text-sm);
        padding: 0.15rem 0.6rem;
      }
      .prompt {
        margin: 0.25rem 0 0.5rem;
        overflow-wrap: anywhere;
      }
      h4 {
        margin: 0.75rem 0 0.1rem;
        font-size: var(--md-text-sm);
      }
    `,
  ];

  #close() {
    this.dispatchEvent(new CustomEvent(CLOSE_PROMPT, { bubbles: true, composed: true }));
  }

  #strips(p: PromptDiff) {
    const detailed = (list: ResponseToken[] | undefined) => Boolean(list?.some((t) => t.kl !== undefined));
    if (!detailed(p.a.tokens) && !detailed(p.b.tokens)) return nothing;
    const strip = (side: 'a' | 'b', label: string) =>
      detailed(p[side].tokens)
        ? html`<h4><span class=${side}>${side.toUpperCase()}</span>’s response, token by token</h4>
            <md-token-strip
              .tokens=${p[side].tokens ?? []}
              label="${side.toUpperCase()}’s response (${label})"
              label-a=${this.labelA}
              label-b=${this.labelB}
            ></md-token-strip>`
        : nothing;
    return html`<p class="muted">
        Same vocabulary: the mark under each token is KL(B‖A) at that position (darker = the models disagreed more about
        what comes next).
      </p>
      ${strip('a', this.labelA)} ${strip('b', this.labelB)}`;
  }

  override render() {
    const p = this.prompt;
    if (!p) return nothing;
    return html`<div class="head">
        <span class="mono muted">${p.id}</span> <span class="muted">· ${p.category}</span>
        ${p.kl ? html`<span class="muted">· mean KL ${p.kl.mean.toFixed(3)}, max ${p.kl.max.toFixed(3)} nats</span>` : nothing}
        ${this.closable ? html`<button @click=${this.#close} aria-label="close prompt ${p.id}">Close</button>` : nothing}
      </div>
      <div class="prompt">
        ${
          p.harmful
            ? html`<details>
                <summary>Harmful prompt (hidden) — show text</summary>
                ${p.prompt}
              </details>`
            : p.prompt
        }
      </div>
      <md-response-diff
        .a=${p.a.text}
        .b=${p.b.text}
        .tokensA=${surprisal(p.a.tokens)}
        .tokensB=${surprisal(p.b.tokens)}
        label-a="A · ${this.labelA}"
        label-b="B · ${this.labelB}"
      ></md-response-diff>
      ${this.#strips(p)}`;
  }
}
