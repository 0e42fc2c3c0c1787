// The crosscoder section in words, one wording for the page (<md-crosscoder>) and the Markdown and HTML exports:
// the bands with their counts, the exclusive count beside the noise floor, each candidate's held-out check, where a
// snippet came from, and the training facts. Plain strings: each caller renders or escapes them its own way.

import type {
  CrosscoderConfirmation,
  CrosscoderFeature,
  CrosscoderSection,
  CrosscoderSnippet,
} from '../diff/report-types.ts';

const fixed = (x: number, digits = 2) => x.toFixed(digits);
const percent = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
/** Two significant digits, no trailing zeros. */
const short = (x: number) => String(Number(x.toPrecision(2)));
const signed = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '') + short(Math.abs(x));
const qText = (q: number) => (q < 0.001 ? 'q < 0.001' : `q = ${short(q)}`);

export interface BandRow {
  band: 'a-only' | 'shifted' | 'shared' | 'b-only' | 'dead';
  label: string;
  range: string;
  latents: number;
}

/** The bands in r order, with how many live latents fall in each (dead latents last, not drawn). */
export function bandRows(c: CrosscoderSection): BandRow[] {
  const b = c.bands;
  return [
    { band: 'a-only', label: 'A-only', range: `r ≤ ${fixed(b.aOnly)}`, latents: c.counts.aOnly },
    {
      band: 'shifted',
      label: 'between',
      range: `${fixed(b.aOnly)}–${fixed(b.sharedLow)}, ${fixed(b.sharedHigh)}–${fixed(b.bOnly)}`,
      latents: c.counts.shifted,
    },
    {
      band: 'shared',
      label: 'shared',
      range: `${fixed(b.sharedLow)}–${fixed(b.sharedHigh)}`,
      latents: c.counts.shared,
    },
    { band: 'b-only', label: 'B-only', range: `r ≥ ${fixed(b.bOnly)}`, latents: c.counts.bOnly },
    { band: 'dead', label: 'dead', range: 'never fired', latents: c.counts.dead },
  ];
}

/** How many latents look exclusive, and — in the same sentence — how many would where the models differ in nothing. */
export function floorSentence(c: CrosscoderSection): string {
  const n = c.counts.aOnly + c.counts.bOnly;
  const expected = Number.isInteger(c.noiseFloor.expected)
    ? String(c.noiseFloor.expected)
    : c.noiseFloor.expected.toFixed(1);
  return (
    `${n} exclusive latent${n === 1 ? '' : 's'} (${c.counts.aOnly} A-only, ${c.counts.bOnly} B-only); ` +
    `expected false exclusives where the models differ in nothing: ${expected}, measured by ${c.noiseFloor.method}.`
  );
}

/** Candidates after latent scaling and how many of them held on prompts the dictionary was not trained on. */
export function candidatesSentence(c: CrosscoderSection): string {
  const n = c.exclusives.length;
  const ok = c.exclusives.filter((f) => f.confirmation?.confirmed).length;
  return (
    `${n} candidate${n === 1 ? '' : 's'} (exclusives after latent scaling, ν, and latents chosen on the training ` +
    `prompts); ${ok} confirmed on ${c.data.heldOutPrompts} ` +
    `held-out prompts.`
  );
}

/** "confirmed on 10 held-out prompts (effect +0.041, 95% CI +0.018 to +0.066, q = 0.004)", or why not. */
export function confirmationText(c: CrosscoderConfirmation | null): string {
  if (!c) return 'not checked: no held-out prompts were left';
  const numbers = `effect ${signed(c.effect)}, 95% CI ${signed(c.ci[0])} to ${signed(c.ci[1])}, ${qText(c.q)}`;
  // What was measured, where it is not the decoder direction's share of variance (older reports: that one).
  const what = c.statistic === 'replies' ? ": fires more on that model's own replies" : '';
  return `${c.confirmed ? 'confirmed' : 'not confirmed'} on ${c.n} held-out prompt${c.n === 1 ? '' : 's'}${what} (${numbers})`;
}

export const bandLabel = (band: CrosscoderFeature['band']) =>
  ({ 'a-only': 'A-only', 'b-only': 'B-only', shifted: 'shifted', shared: 'shared' })[band];

/** r, how often it fires, ν: the numbers a card's header carries. */
export function featureFacts(f: CrosscoderFeature): string {
  const parts = [`r = ${fixed(f.relativeNorm)}`, `fires on ${percent(f.frequency)} of positions`];
  if (f.cosine !== null) parts.push(`cosine ${fixed(f.cosine)}`);
  if (f.nu) parts.push(`ν = ${fixed(f.nu.reconstruction)} (reconstruction), ${fixed(f.nu.error)} (error)`);
  return parts.join(' · ');
}

export function sourceLabel(s: CrosscoderSnippet): string {
  const id = s.promptId ?? '?';
  return { corpus: 'corpus', prompt: `prompt ${id}`, 'reply-a': `A's reply to ${id}`, 'reply-b': `B's reply to ${id}` }[
    s.source
  ];
}

/** A snippet's text with its peak token marked «like this», for the exports. */
export function snippetText(s: CrosscoderSnippet): string {
  return s.tokens.map((t, i) => (i === s.peak ? t.text.replace(/^(\s*)([^]*?)(\s*)$/, '$1«$2»$3') : t.text)).join('');
}

/** The training facts, one sentence each. */
export function trainingFacts(c: CrosscoderSection): string[] {
  const [ea, eb] = c.fit.explainedVariance;
  const dedicated = Math.round(c.dedicated * c.latents);
  return [
    `${c.latents} latents (${dedicated} dedicated to A alone and ${dedicated} to B alone), BatchTopK k = ${c.k}, ` +
      `${c.steps} steps on ${c.device} in ${c.seconds.toFixed(1)} s, seed ${c.seed}.`,
    `Residual stream after layer ${c.points[0] - 1} of A (${c.hiddenSizes[0]}-d) and layer ${c.points[1] - 1} of B ` +
      `(${c.hiddenSizes[1]}-d).`,
    `Data: ${c.data.documents} ${c.data.corpus} documents and ${c.data.trainPrompts} prompts with both replies; ` +
      `${c.data.heldOutPrompts} prompts held out.`,
    `Fit: explained variance A ${percent(ea)}, B ${percent(eb)}; mean L0 ${c.fit.l0.toFixed(1)}; ` +
      `${c.fit.dead} dead latents.`,
    `${c.alignment.positions.toLocaleString('en')} aligned positions; alignment rate ${percent(c.alignment.rate)}` +
      (c.alignment.sameVocabulary
        ? ' (one vocabulary: positions are token-identical).'
        : ' (two vocabularies: positions where both tokenizations end a token at the same character).'),
  ];
}
