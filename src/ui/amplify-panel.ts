// Presentational: diff amplification controls (prompt, α, samples) and the sampled texts, α = 0 beside the chosen α.

import { LitElement, css, html, nothing } from 'lit';
import type { PromptDiff } from '../core/diff/report-types.ts';
import { tokens } from './styles.ts';

export interface AmplifiedSample {
  alpha: number;
  seed: number;
  text: string;
}

/** Fired to ask for amplified samples. detail: { promptId, alpha, samples } */
export const AMPLIFY = 'md-amplify';

export class AmplifyPanel extends LitElement {
  static override properties = {
    prompts: { attribute: false },
    results: { attribute: false },
    running: { type: Boolean },
    message: { type: String },
  };
  declare prompts: PromptDiff[];
  declare results: AmplifiedSample[];
  declare running: boolean;
  declare message: string;

  constructor() {
    super();
    this.prompts = [];
    this.results = [];
    this.running = false;
    this.message = '';
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
      }
      label {
        display: grid;
        gap: 0.2rem;
        font-size: var(--md-text-sm);
      }
      select {
        max-width: 28rem;
      }
      li {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 0.3rem 0;
      }
    `,
  ];

  #submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const detail = {
      promptId: String(f.get('prompt')),
      alpha: Number(f.get('alpha')),
      samples: Number(f.get('samples')),
    };
    this.dispatchEvent(new CustomEvent(AMPLIFY, { detail, bubbles: true, composed: true }));
  }

  override render() {
    const byAlpha = new Map<number, AmplifiedSample[]>();
    for (const r of this.results) byAlpha.set(r.alpha, [...(byAlpha.get(r.alpha) ?? []), r]);
    return html`
      <p class="muted">
        Sample B's reply from logits<sub>B</sub> + α(logits<sub>B</sub> − logits<sub>A</sub>): α = 0 is B itself; a
        larger α exaggerates whatever B does differently, surfacing behaviour too rare to see in plain samples. Loads
        both models again.
      </p>
      <form @submit=${this.#submit} aria-label="diff amplification">
        <label
          >Prompt
          <select name="prompt">
            ${this.prompts.map((p) => html`<option value=${p.id}>${p.id} — ${p.harmful ? '(harmful, hidden)' : p.prompt.slice(0, 60)}</option>`)}
          </select></label
        >
        <label>α <input name="alpha" type="number" min="0" max="10" step="0.5" value="2" /></label>
        <label>Samples <input name="samples" type="number" min="1" max="10" value="3" /></label>
        <button class="primary" type="submit" ?disabled=${this.running}>
          ${this.running ? 'Sampling…' : 'Amplify'}
        </button>
      </form>
      ${this.message ? html`<p role="status">${this.message}</p>` : nothing}
      ${[...byAlpha].map(
        ([alpha, list]) =>
          html`<h4>α = ${alpha}${alpha === 0 ? ' (B as it is)' : ''}</h4>
            <ol>
              ${list.map((r) => html`<li><span class="muted">seed ${r.seed}:</span> ${r.text || '(empty)'}</li>`)}
            </ol>`,
      )}
    `;
  }
}
