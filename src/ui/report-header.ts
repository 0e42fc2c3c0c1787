// Presentational: the report's first lines, like a diff header — A ⟷ B, prompts, significant differences, and
// what each model is and where it ran.

import { css, html, nothing } from 'lit';
import type { ModelSummary } from '../core/diff/report-types.ts';
import { ReportPart } from './report-part.ts';
import { tokens } from './styles.ts';

const size = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);

export class ReportHeader extends ReportPart {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: 1.35rem;
        margin: 0 0 0.25rem;
        overflow-wrap: anywhere;
      }
      .models {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      .model {
        border: 1px solid var(--md-border);
        border-radius: 8px;
        padding: 0.5rem 0.75rem;
        font-size: 0.9rem;
        overflow-wrap: anywhere;
      }
    `,
  ];

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const k = r.differences.filter((d) => d.significant).length;
    const model = (m: ModelSummary, side: 'a' | 'b') =>
      html`<div class="model">
        <strong class=${side}>${side.toUpperCase()}</strong> <span class="mono">${m.label}</span>
        <div class="muted">${m.architecture} · ${size(m.parameterBytes)} · ${m.engine} on ${m.device} · ${m.dtype}</div>
      </div>`;
    return html`
      <h2><span class="a">${r.models[0].label}</span> ⟷ <span class="b">${r.models[1].label}</span></h2>
      <div class="muted">
        ${r.promptSet.n} prompts from ${r.promptSet.name} ·
        <strong>${k} significant difference${k === 1 ? '' : 's'}</strong> (q &lt; ${r.options.alpha}, effect not
        negligible, ${r.options.resamples} paired-bootstrap resamples) ·
        ${r.settings.temperature === 0 ? 'greedy' : `temperature ${r.settings.temperature}`}, ≤
        ${r.settings.maxNewTokens} new tokens
      </div>
      <div class="models">${model(r.models[0], 'a')} ${model(r.models[1], 'b')}</div>
    `;
  }
}
