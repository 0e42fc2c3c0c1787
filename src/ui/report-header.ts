// Presentational: the report's first lines, like a diff header — A ⟷ B, how many behaviours changed (or the
// verdict when none did; significant differences for a schema-1 report), prompts, and what each model is and where
// it ran.

import { css, html, nothing } from 'lit';
import type { DiffReport, ModelSummary } from '../core/diff/report-types.ts';
import { ReportPart } from './report-part.ts';
import { tokens } from './styles.ts';

/** The headline: behaviours changed, else the verdict; a report without a verdict (schema 1) counts its rows. */
function headline(r: DiffReport) {
  const n = r.behaviours.length;
  if (!r.verdict) {
    const k = r.differences.filter((d) => d.significant).length;
    return html`<strong>${k} significant difference${k === 1 ? '' : 's'}</strong>
      <span class="muted"
        >(q &lt; ${r.options.alpha}, effect not negligible, ${r.options.resamples} paired-bootstrap resamples)</span
      >`;
  }
  // Each behaviour's sentence follows in the list under the header: the headline only counts them.
  if (n >= 1) return html`<strong>${n} behaviour${n === 1 ? '' : 's'} changed</strong>`;
  if (r.verdict.status === 'identical') return html`<strong>Identical</strong>`;
  if (r.verdict.status === 'indistinguishable')
    return html`<strong>No difference found beyond the noise floor</strong>`;
  return html`<strong>No behaviour changed</strong>
    <span class="muted">(the models differ beyond the noise floor, but no tested feature does)</span>`;
}

const size = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);

export class ReportHeader extends ReportPart {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: var(--md-text-xl);
        line-height: 1.25;
        margin: var(--md-space-3) 0 var(--md-space-1);
        overflow-wrap: anywhere;
      }
      .headline {
        margin: var(--md-space-1) 0;
        font-size: var(--md-text-lg);
        overflow-wrap: anywhere;
      }
      .meta,
      .model {
        font-size: var(--md-text-sm);
        overflow-wrap: anywhere;
      }
      .models {
        margin: var(--md-space-1) 0 0;
      }
    `,
  ];

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const model = (m: ModelSummary, side: 'a' | 'b') =>
      html`<div class="model">
        <strong class=${side}>${side.toUpperCase()}</strong> <span class="mono">${m.label}</span>
        <span class="muted"
          >· ${m.architecture} · ${size(m.parameterBytes)} · ${m.engine} on ${m.device} · ${m.dtype}</span
        >
      </div>`;
    return html`
      <h2><span class="a">${r.models[0].label}</span> ⟷ <span class="b">${r.models[1].label}</span></h2>
      <p class="headline">${headline(r)}</p>
      <div class="muted meta">
        ${r.promptSet.n} prompts from ${r.promptSet.name} ·
        ${r.settings.temperature === 0 ? 'greedy' : `temperature ${r.settings.temperature}`}, ≤
        ${r.settings.maxNewTokens} new tokens
      </div>
      <div class="models">${model(r.models[0], 'a')} ${model(r.models[1], 'b')}</div>
    `;
  }
}
