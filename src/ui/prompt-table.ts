// Presentational: every prompt as a diff of the two replies — one unified word diff (as `git diff --word-diff`: A's
// words struck through, B's underlined) or side by side — sorted by how much the models disagree, filtered by
// behaviour or category. Virtualised: only the rows near the viewport are in the DOM, so 1,000 prompts scroll
// smoothly. Harmful prompt text stays hidden until asked for. Every string is rendered as text, never as HTML.

import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { DiffReport, PromptDiff } from '../core/diff/report-types.ts';
import { diffParts, type DiffParts, type Part } from './diff-parts.ts';
import { SELECT_PROMPT } from './hunk-list.ts';
import { behaviourLabel, behaviourPrompts, orderPrompts, type PromptSort } from './prompt-order.ts';
import { promptTableStyles } from './prompt-table-styles.ts';
import { tokens } from './styles.ts';
import { RowHeights } from './virtual-window.ts';

const words = (n: number) => `${n} word${n === 1 ? '' : 's'}`;

/** Pixels drawn beyond the viewport on each side, so a fast scroll rarely shows an empty band. */
const OVERSCAN = 1000;
/** A row's height before it is measured: a prompt line and a two-line diff. */
const ESTIMATE = 132;

const SORTS: [PromptSort, string][] = [
  ['disagreement', 'most different replies first'],
  ['kl', 'largest per-token KL first'],
  ['set', 'prompt-set order'],
];

export class PromptTable extends LitElement {
  static override properties = {
    report: { attribute: false },
    selected: { type: String },
    mode: { type: String, reflect: true },
    sort: { state: true },
    category: { state: true },
    behaviour: { type: String },
    range: { state: true },
  };
  declare report: DiffReport;
  declare selected: string;
  /** One unified word diff per prompt, or the two replies side by side. */
  declare mode: 'unified' | 'split';
  declare sort: PromptSort;
  declare category: string;
  /** A behaviour id: only the prompts where it happens ('' for all). Set by the reader's choice or by the host. */
  declare behaviour: string;
  /** The rows [start, end) in the DOM. */
  declare range: [number, number];
  #rows: PromptDiff[] = [];
  #heights = new RowHeights(0, ESTIMATE);
  #members = new Map<string, Set<string>>();
  #parts = new WeakMap<PromptDiff, DiffParts>();
  #frame = 0;
  readonly #onScroll = () => {
    if (!this.#frame) this.#frame = requestAnimationFrame(() => ((this.#frame = 0), this.#measureWindow()));
  };

  constructor() {
    super();
    this.selected = '';
    this.mode = 'unified';
    this.sort = 'disagreement';
    this.category = '';
    this.behaviour = '';
    this.range = [0, 0];
  }

  static override styles = [tokens, promptTableStyles];

  override connectedCallback() {
    super.connectedCallback();
    // Capture: scrolls of any scrolling box the list sits in, not only the page's.
    document.addEventListener('scroll', this.#onScroll, { capture: true, passive: true });
    window.addEventListener('resize', this.#onScroll, { passive: true });
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    document.removeEventListener('scroll', this.#onScroll, { capture: true });
    window.removeEventListener('resize', this.#onScroll);
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('report')) this.#members.clear();
    if (['report', 'sort', 'category', 'behaviour'].some((k) => changed.has(k)) && this.report) {
      this.#rows = orderPrompts(
        this.report,
        { sort: this.sort, category: this.category, behaviour: this.behaviour },
        this.behaviour ? this.#membersOf(this.behaviour) : undefined,
      );
      this.#heights = new RowHeights(this.#rows.length, ESTIMATE);
      this.range = this.#visible(true);
    }
    if (changed.has('mode')) this.#heights = new RowHeights(this.#rows.length, ESTIMATE);
  }

  override updated() {
    // Measure what was drawn; a changed height moves the rows below it, so look again at what is visible.
    let moved = false;
    for (const li of this.renderRoot.querySelectorAll<HTMLElement>('li[data-index]')) {
      moved = this.#heights.set(Number(li.dataset['index']), li.offsetHeight) || moved;
    }
    const next = this.#visible();
    if (moved || next[0] !== this.range[0] || next[1] !== this.range[1]) {
      if (next[0] !== this.range[0] || next[1] !== this.range[1]) this.range = next;
      else this.requestUpdate();
    }
  }

  /** Scrolls the list's top into view and moves focus to its first control (the behaviour filter). */
  focusList(): void {
    this.scrollIntoView({ block: 'start' });
    this.renderRoot.querySelector<HTMLElement>('select')?.focus({ preventScroll: true });
  }

  #membersOf(id: string): Set<string> {
    let m = this.#members.get(id);
    const b = this.report.behaviours.find((x) => x.id === id);
    if (!m && b) this.#members.set(id, (m = behaviourPrompts(this.report, b)));
    return m ?? new Set();
  }

  /**
   * The rows to draw: those drawn already while they still cover the viewport (so most scroll frames change
   * nothing), else the rows that meet the viewport and the overscan on each side. `fresh`: always recompute.
   */
  #visible(fresh = false): [number, number] {
    const list = this.renderRoot.querySelector<HTMLElement>('.list');
    if (!list) return [0, Math.min(this.#rows.length, 12)];
    const top = -list.getBoundingClientRect().top;
    const bottom = top + window.innerHeight;
    const [start, end] = this.range;
    const h = this.#heights;
    const covers =
      end > start && h.offset(start) <= Math.max(0, top) && (end === this.#rows.length || h.offset(end) >= bottom);
    if (!fresh && covers) return this.range;
    return h.range(Math.max(0, top - OVERSCAN), bottom + OVERSCAN);
  }

  #measureWindow() {
    const next = this.#visible();
    if (next[0] !== this.range[0] || next[1] !== this.range[1]) this.range = next;
  }

  #diff(p: PromptDiff): DiffParts {
    let d = this.#parts.get(p);
    if (!d) this.#parts.set(p, (d = diffParts(p.a.text, p.b.text)));
    return d;
  }

  #flow(parts: Part[]) {
    return parts.map((part) => {
      const text = part.pieces.map((x) => x.text).join('');
      return part.kind === 'del' ? html`<del>${text}</del>` : part.kind === 'ins' ? html`<ins>${text}</ins>` : text;
    });
  }

  #chips(p: PromptDiff, side: 'a' | 'b') {
    const s = p[side];
    const refusal = s.features['refusalClass'];
    // Only the segments that have something to say, so an empty one leaves no stray "·".
    return [
      `${s.tokenCount} tokens${s.stop === 'length' ? ' (cut at the limit)' : ''}`,
      String(refusal ?? '').trim(),
      s.crossBitsPerByte !== null && Number.isFinite(s.crossBitsPerByte)
        ? `${s.crossBitsPerByte.toFixed(2)} bits/byte under the other model`
        : '',
    ]
      .filter((x) => x !== '')
      .join(' · ');
  }

  #body(p: PromptDiff) {
    const [la, lb] = [this.report.models[0].label, this.report.models[1].label];
    const text = (t: unknown) => html`<div class="text">${t}</div>`;
    if (p.a.text === p.b.text)
      return html`<div class="diff same-text">
        <span class="label">identical replies</span>${text(p.a.text || '(empty response)')}
      </div>`;
    const d = this.#diff(p);
    if (this.mode === 'split')
      return html`<div class="sides">
        <div class="diff a">
          <span class="label a">A · ${la}</span>${text(p.a.text ? this.#flow(d.a) : '(empty response)')}
        </div>
        <div class="diff b">
          <span class="label b">B · ${lb}</span>${text(p.b.text ? this.#flow(d.b) : '(empty response)')}
        </div>
      </div>`;
    return html`<div class="diff unified">
      <span class="label">
        <span class="a">− A ${la}: ${words(d.removedWords)}</span> ·
        <span class="b">+ B ${lb}: ${words(d.addedWords)}</span>
      </span>
      ${text(this.#flow(d.unified))}
    </div>`;
  }

  #row(p: PromptDiff, i: number) {
    const select = () =>
      this.dispatchEvent(new CustomEvent(SELECT_PROMPT, { detail: { promptId: p.id }, bubbles: true, composed: true }));
    return html`<li
      data-index=${i}
      data-id=${p.id}
      class=${p.id === this.selected ? 'selected' : ''}
      aria-posinset=${i + 1}
      aria-setsize=${this.#rows.length}
    >
      <article class="row" aria-label="prompt ${p.id}">
        <div class="head">
          <span class="hunk">@@ ${p.id} · ${p.category} @@</span>
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
          <button @click=${select} aria-label="open prompt ${p.id} in detail">Open</button>
        </div>
        ${this.#body(p)}
        <div class="chips">
          <span class="a">A</span> ${this.#chips(p, 'a')} · <span class="b">B</span> ${this.#chips(p, 'b')}
        </div>
      </article>
    </li>`;
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const categories = [...new Set(r.prompts.map((p) => p.category))].sort();
    const differing = this.#rows.filter((p) => p.a.text !== p.b.text).length;
    const [start, end] = this.range;
    const sorts = SORTS.filter(([k]) => k !== 'kl' || r.prompts.some((p) => p.kl));
    const value = (e: Event) => (e.target as HTMLSelectElement).value;
    return html`
      <div class="controls">
        <label
          >Show
          <select
            aria-label="show prompts where a behaviour happens"
            @change=${(e: Event) => (this.behaviour = value(e))}
          >
            <option value="" ?selected=${!this.behaviour}>every prompt (${r.prompts.length})</option>
            ${r.behaviours.map(
              (b) =>
                html`<option value=${b.id} ?selected=${b.id === this.behaviour}>
                  where ${behaviourLabel(b)} (${this.#membersOf(b.id).size})
                </option>`,
            )}
          </select></label
        >
        <label
          >Category
          <select @change=${(e: Event) => (this.category = value(e))}>
            <option value="">all</option>
            ${categories.map((c) => html`<option value=${c} ?selected=${c === this.category}>${c}</option>`)}
          </select></label
        >
        <label
          >Order
          <select @change=${(e: Event) => (this.sort = value(e) as PromptSort)}>
            ${sorts.map(([k, label]) => html`<option value=${k} ?selected=${k === this.sort}>${label}</option>`)}
          </select></label
        >
        <button
          @click=${() => (this.mode = this.mode === 'split' ? 'unified' : 'split')}
          aria-pressed=${this.mode === 'split' ? 'true' : 'false'}
        >
          Side by side
        </button>
      </div>
      <p class="count muted" role="status">
        ${this.#rows.length} prompt${this.#rows.length === 1 ? '' : 's'} shown, ${differing} with different replies
      </p>
      <div class="list" style=${styleMap({ height: `${this.#heights.total}px` })}>
        <ol style=${styleMap({ transform: `translateY(${this.#heights.offset(start)}px)` })}>
          ${repeat(
            this.#rows.slice(start, end),
            (p) => p.id,
            (p, k) => this.#row(p, start + k),
          )}
        </ol>
      </div>
    `;
  }
}
