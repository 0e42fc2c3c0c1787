// Presentational: token- and word-level evidence — cross-likelihood in bits per byte, per-token divergence, the
// tokens each model boosts, and the words that distinguish their responses.

import { css, html, nothing } from 'lit';
import type { TokenBoost, WordScore } from '../core/diff/report-types.ts';
import { ReportPart } from './report-part.ts';
import { tokens } from './styles.ts';

const bpb = (x: number | null) => (x === null ? '—' : x.toFixed(3));

export class TokenPanel extends ReportPart {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr));
        gap: 0.75rem;
      }
      .card {
        border: 1px solid var(--md-border);
        border-radius: var(--md-radius);
        padding: 0.5rem 0.75rem;
      }
      ol {
        margin: 0.25rem 0 0;
        padding-left: 1.4rem;
      }
      table {
        border-collapse: collapse;
      }
      td,
      th {
        padding: 0.15rem 0.5rem;
        text-align: right;
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      .tok {
        white-space: pre;
        background: var(--md-panel);
        border-radius: 3px;
        padding: 0 0.2rem;
      }
    `,
  ];

  #boosts(list: TokenBoost[], side: 'a' | 'b') {
    if (!list.length) return html`<p class="muted">None above noise.</p>`;
    return html`<ol>
      ${list.slice(0, 10).map(
        (t) =>
          html`<li>
            <span class="tok mono ${side}">${t.token}</span>
            <span class="muted">+${t.score.toFixed(2)} nats × ${t.count}</span>
          </li>`,
      )}
    </ol>`;
  }

  /** z keeps its sign in the data (positive: A's, negative: B's); each model's list shows its strength, |z|. */
  #words(list: WordScore[], side: 'a' | 'b') {
    if (!list.length) return html`<p class="muted">None (|z| ≤ 1.96).</p>`;
    return html`<ol>
      ${list.slice(0, 10).map(
        (w) =>
          html`<li>
            <span class="${side}">${w.word}</span>
            <span class="muted">|z| = ${Math.abs(w.z).toFixed(1)} (${w.countA} vs ${w.countB})</span>
          </li>`,
      )}
    </ol>`;
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const [a, b] = r.models;
    const x = r.crossLikelihood;
    return html`<div class="grid">
      <div class="card">
        <strong>Cross-likelihood</strong> <span class="muted">(bits per byte; lower = less surprised)</span>
        <table>
          <tr>
            <th></th>
            <th>scored by A</th>
            <th>scored by B</th>
          </tr>
          <tr>
            <td class="a">A's responses</td>
            <td class="mono">${bpb(x.aUnderA)}</td>
            <td class="mono">${bpb(x.aUnderB)}</td>
          </tr>
          <tr>
            <td class="b">B's responses</td>
            <td class="mono">${bpb(x.bUnderA)}</td>
            <td class="mono">${bpb(x.bUnderB)}</td>
          </tr>
        </table>
        ${
          r.tokens.sameTokenizer
            ? html`<p class="muted">
                Same vocabulary: mean per-token KL(B‖A) ≥ ${r.tokens.meanKl?.toFixed(4)} nats, JS ≥
                ${r.tokens.meanJs?.toFixed(4)} (on top-${r.settings.topK} + rest; lower bounds).
              </p>`
            : html`<p class="muted">
                Different vocabularies: token-level divergence is not defined; bits per byte compare.
              </p>`
        }
      </div>
      ${
        r.tokens.sameTokenizer
          ? html`<div class="card">
                <strong>Tokens <span class="b">B</span> (${b.label}) boosts</strong
                >${this.#boosts(r.tokens.boostedInB, 'b')}
              </div>
              <div class="card">
                <strong>Tokens <span class="a">A</span> (${a.label}) boosts</strong
                >${this.#boosts(r.tokens.boostedInA, 'a')}
              </div>`
          : nothing
      }
      <div class="card">
        <strong>Words distinctive of <span class="b">B</span></strong
        >${this.#words(r.words.distinctiveB, 'b')}
      </div>
      <div class="card">
        <strong>Words distinctive of <span class="a">A</span></strong
        >${this.#words(r.words.distinctiveA, 'a')}
      </div>
    </div>`;
  }
}
