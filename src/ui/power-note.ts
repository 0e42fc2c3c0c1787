// The minimum detectable effect, in words: what a run with nothing (or no behaviour) to show could have detected.
// Shared by the hunk list (no significant row) and the behaviour list (no behaviour).

import { html, type TemplateResult } from 'lit';
import type { DiffReport } from '../core/diff/report-types.ts';

const finite = (x: number | null | undefined): x is number => x != null && Number.isFinite(x);

/** "With 36 prompts, this run could detect …; smaller differences may exist." — never "Infinity" or "of about no size". */
export function powerSentence(r: DiffReport): TemplateResult {
  const overall = r.power.find((p) => p.promptCategory === null);
  const n = r.promptSet.n;
  const binary = finite(overall?.mdeBinary) ? `${(overall.mdeBinary * 100).toFixed(0)} percentage points` : null;
  const continuous = finite(overall?.mdeContinuous) ? overall.mdeContinuous.toFixed(2) : null;
  const conditions = '(α = 0.05, power 0.8)';
  if (binary === null && continuous === null)
    return html`No difference of any size was detectable with this few prompts (${n}).`;
  if (binary === null)
    return html`No difference of any size in a binary feature was detectable with this few prompts (${n}); in a
      continuous one, this run could detect d<sub>z</sub> ≈ ${continuous} ${conditions}; smaller differences may exist.`;
  if (continuous === null)
    return html`With ${n} prompts, this run could detect a paired difference of about ${binary} in a binary feature
    ${conditions}; smaller differences may exist.`;
  return html`With ${n} prompts, this run could detect a paired difference of about ${binary} in a binary feature, or
    d<sub>z</sub> ≈ ${continuous} in a continuous one ${conditions}; smaller differences may exist.`;
}
