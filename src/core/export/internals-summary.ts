// The internals section of a report as plain sentences, for the Markdown and HTML exports (each escapes them its
// own way): the weight diff's verdict and largest changes, the activation-difference lens's significant positions,
// the crosscoder's exclusive count beside its noise floor and its confirmed exclusives (crosscoder-text.ts words them
// as the page does). Token texts are model vocabulary: quoted as JSON strings so whitespace and control characters
// stay visible.

import type { CrosscoderSection, DiffReport } from '../diff/report-types.ts';
import {
  bandLabel,
  candidatesSentence,
  confirmationText,
  featureFacts,
  floorSentence,
  snippetText,
  sourceLabel,
  trainingFacts,
} from './crosscoder-text.ts';

const quoted = (tokens: string[]) => tokens.map((t) => JSON.stringify(t)).join(', ');

/** Sections (heading, lines) in reading order; empty when the report has no internals. */
export function internalsSummary(report: DiffReport): { heading: string; lines: string[] }[] {
  const i = report.internals;
  if (!i) return [];
  const out: { heading: string; lines: string[] }[] = [];
  const w = i.weights;
  if (w) {
    const changed = w.tensors.filter((t) => t.relative !== 0);
    const lines =
      w.status === 'identical'
        ? [`Identical: every one of the ${w.tensors.length} tensors of B equals A's, bit for bit.`]
        : [
            `${changed.length} of ${w.tensors.length} tensors changed (relative change ‖ΔW‖/‖W_A‖; ${w.layers} layers).`,
            ...w.top.map(
              (d) =>
                `${d.key}: relative change ${d.relative === null ? 'from zero' : d.relative.toPrecision(3)}; its top ` +
                `direction (${Math.round(d.share * 100)}% of the change) reads ${quoted(d.tokensUp.slice(0, 8))}` +
                (d.tokensDown.length ? `; against ${quoted(d.tokensDown.slice(0, 5))}` : '') +
                '.',
            ),
          ];
    out.push({ heading: 'Weights', lines });
  }
  const l = i.lens;
  if (l) {
    const at = (point: number) => (point === 0 ? 'at the embeddings' : `after layer ${point - 1}`);
    const where = `${at(l.point)} of ${l.layers}, first ${l.positions} tokens of ${l.documents} documents (${l.texts})`;
    const held = l.rows.filter((r) => r.tokensUp.length);
    const family = l.points?.length ? 'BH over positions × points' : 'BH';
    const points = l.points?.length
      ? [
          `Every stream point read (${family}): ` +
            l.points
              .map((x) => `${at(x.point)}, ${x.rows.filter((r) => r.tokensUp.length).length} of ${x.rows.length}`)
              .join('; ') +
            ' positions beyond per-document variation.',
        ]
      : [];
    const lines = l.identical
      ? [
          `Identical: B's residual stream equals A's exactly (${where}${l.points?.length ? ', and at every point read' : ''}).`,
        ]
      : [
          `Mean residual difference ${where}: ${held.length} of ${l.rows.length} positions beyond per-document variation (sign-flip test, ${family}).`,
          ...held.map(
            (r) =>
              `Position ${r.position} (‖δ‖/‖h_B‖ = ${r.relative.toFixed(3)}, q = ${r.q.toPrecision(2)}): B leans towards ` +
              `${quoted(r.tokensUp.slice(0, 8))}; away from ${quoted(r.tokensDown.slice(0, 5))}.`,
          ),
          ...points,
        ];
    out.push({ heading: 'Activation-difference lens', lines });
  }
  if (i.crosscoder) out.push({ heading: 'Crosscoder', lines: crosscoderLines(i.crosscoder) });
  if (i.note) out.push({ heading: 'Note', lines: [i.note] });
  return out;
}

/** The exclusive count with the noise floor, each confirmed exclusive, the unconfirmed by number, what changed. */
function crosscoderLines(c: CrosscoderSection): string[] {
  const confirmed = c.exclusives.filter((f) => f.confirmation?.confirmed);
  const rest = c.exclusives.filter((f) => !f.confirmation?.confirmed);
  return [
    floorSentence(c),
    candidatesSentence(c),
    ...confirmed.map((f) => {
      const top = f.snippets[0];
      return (
        `${bandLabel(f.band)} latent ${f.latent} (${featureFacts(f)}): ${confirmationText(f.confirmation)}` +
        (f.decoderTokens.length ? `; raises ${quoted(f.decoderTokens.slice(0, 8))}` : '') +
        (top ? `; strongest in ${sourceLabel(top)}: ${JSON.stringify(snippetText(top))}` : '') +
        '.'
      );
    }),
    ...(rest.length
      ? [`Not confirmed: ${rest.map((f) => `${bandLabel(f.band)} latent ${f.latent}`).join(', ')}.`]
      : []),
    ...c.changed
      .slice(0, 5)
      .map(
        (f) =>
          `Concept that changed: shared latent ${f.latent} (${featureFacts(f)})` +
          (f.decoderTokens.length ? `, raises ${quoted(f.decoderTokens.slice(0, 8))}` : '') +
          '.',
      ),
    trainingFacts(c).join(' '),
    ...c.notes,
  ];
}
