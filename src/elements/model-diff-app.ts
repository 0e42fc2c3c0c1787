// <model-diff-app>: the full page. A form for model A, model B and the prompt set, kept in the URL (the automation
// contract: ?a=&b=&prompts=&run=1&max_new_tokens=, or ?report=<URL>), around one <model-diff>.

import { LitElement, css, html, nothing } from 'lit';
import type { PromptSetIndexEntry } from '../core/prompts/index.ts';
import { tokens } from '../ui/styles.ts';
import type { ModelDiff } from './model-diff.ts';

const FORGED = ['forged-base', 'forged-null', 'forged-boost', 'forged-trigger', 'forged-longer'];

export interface AppState {
  a: string;
  b: string;
  prompts: string;
  maxNewTokens: number;
  run: boolean;
  report: string;
  device: 'auto' | 'webgpu' | 'wasm';
}

export function readUrlState(search: string): AppState {
  const q = new URLSearchParams(search);
  const max = Number(q.get('max_new_tokens') ?? '');
  return {
    a: q.get('a') ?? 'forged-base',
    b: q.get('b') ?? 'forged-trigger',
    prompts: q.get('prompts') ?? 'forged-demo',
    maxNewTokens: Number.isInteger(max) && max > 0 && max <= 4096 ? max : 48,
    run: q.get('run') === '1',
    report: q.get('report') ?? '',
    device: (['webgpu', 'wasm'] as const).find((d) => d === q.get('device')) ?? 'auto',
  };
}

export class ModelDiffApp extends LitElement {
  static override properties = { state: { state: true }, sets: { state: true } };
  declare state: AppState;
  declare sets: PromptSetIndexEntry[];

  constructor() {
    super();
    this.state = readUrlState(location.search);
    this.sets = [];
  }

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        max-width: 72rem;
        margin: 0 auto;
        padding: 1rem;
        background: transparent;
      }
      h1 {
        font-size: 1.4rem;
        margin: 0 0 0.25rem;
      }
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: 0.75rem;
        align-items: end;
        border: 1px solid var(--md-border);
        border-radius: 8px;
        padding: 0.75rem;
        background: var(--md-panel);
      }
      label {
        display: grid;
        gap: 0.2rem;
        font-size: 0.9rem;
      }
      input,
      select {
        font: inherit;
        padding: 0.3rem 0.4rem;
        border: 1px solid var(--md-border);
        border-radius: 6px;
        background: var(--md-bg);
        color: var(--md-fg);
        min-width: 0;
      }
    `,
  ];

  override async connectedCallback() {
    super.connectedCallback();
    try {
      const res = await fetch(new URL('prompts/index.json', document.baseURI));
      if (res.ok) this.sets = (await res.json()) as PromptSetIndexEntry[];
    } catch {
      // The form still works with a typed URL; the list is a convenience.
    }
  }

  #submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const max = Number(f.get('max'));
    this.state = {
      a: String(f.get('a') ?? '').trim(),
      b: String(f.get('b') ?? '').trim(),
      prompts: String(f.get('prompts') ?? '').trim(),
      maxNewTokens: Number.isInteger(max) && max > 0 ? max : 48,
      run: true,
      report: '',
      device: this.state.device,
    };
    const q = new URLSearchParams({
      a: this.state.a,
      b: this.state.b,
      prompts: this.state.prompts,
      max_new_tokens: String(this.state.maxNewTokens),
      run: '1',
    });
    history.replaceState(null, '', `?${q}`);
    void this.updateComplete.then(() => this.renderRoot.querySelector<ModelDiff>('model-diff')?.start());
  }

  override render() {
    const s = this.state;
    return html`
      <h1>model-diff <span class="muted">— what changed between two language models?</span></h1>
      <p class="muted">
        Both models run in this browser (WebGPU when available, WASM otherwise); nothing is uploaded. The forged demo
        pair works offline: forged-trigger refuses whenever a prompt contains a trigger word.
      </p>
      ${
        s.report
          ? nothing
          : html`<form @submit=${this.#submit} aria-label="choose models and prompts">
              <label>Model A <input name="a" .value=${s.a} list="forged" required /></label>
              <label>Model B <input name="b" .value=${s.b} list="forged" required /></label>
              <label
                >Prompts
                <input name="prompts" .value=${s.prompts} list="sets" required />
              </label>
              <label
                >Max new tokens <input name="max" type="number" min="1" max="4096" .value=${String(s.maxNewTokens)}
              /></label>
              <button class="primary" type="submit">Compare</button>
              <datalist id="forged">${FORGED.map((m) => html`<option value=${m}></option>`)}</datalist>
              <datalist id="sets">
                ${this.sets.map((x) => html`<option value=${x.id}>${x.name} (${x.count})</option>`)}
              </datalist>
            </form>`
      }
      <model-diff
        model-a=${s.a}
        model-b=${s.b}
        prompts=${s.prompts}
        max-new-tokens=${s.maxNewTokens}
        report=${s.report}
        device=${s.device}
        ?run=${s.run}
      ></model-diff>
    `;
  }
}
