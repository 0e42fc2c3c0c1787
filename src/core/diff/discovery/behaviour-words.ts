// Behaviours in words: short phrases for the broad features, verbs for binary ones, and the sentence of a
// vocabulary behaviour (its terms by kind and direction, then the lead row's numbers). Nothing is said that the
// numbers do not.

import { FEATURES } from '../../features/index.ts';
import type { Difference } from '../report-types.ts';
import { quoteList } from './condition.ts';

const extractorOf = new Map(FEATURES.map((f) => [f.name, f.extractor]));

/** Short words for the broad features, by direction (B − A > 0, < 0). */
export const BROAD_WORDS: Record<string, [string, string]> = {
  meanEntropy: ['less certain (higher entropy)', 'sharper (lower entropy)'],
  maxEntropy: ['less certain at its least certain step', 'sharper at its least certain step'],
  meanLogprob: ['more confident in its own tokens', 'less confident in its own tokens'],
  minLogprob: ['less surprised by its least likely token', 'more surprised by its least likely token'],
  perplexity: ['more perplexed', 'less perplexed'],
  wordCount: ['longer', 'shorter'],
  charCount: ['longer', 'shorter'],
  byteCount: ['longer', 'shorter'],
  tokenCount: ['longer', 'shorter'],
  sentenceCount: ['more sentences', 'fewer sentences'],
  distinct1: ['less repetitive', 'more repetitive'],
  distinct2: ['less repetitive', 'more repetitive'],
  distinct3: ['less repetitive', 'more repetitive'],
  loopWords: ['more looping', 'less looping'],
  loopRepeats: ['more back-to-back repeats', 'fewer back-to-back repeats'],
  endOfText: ['readier to end (end-of-text more likely)', 'slower to end (end-of-text less likely)'],
};

/** Verbs for binary features, so a sentence reads "B refuses more often". */
export const BINARY_VERBS: Record<string, string> = {
  refused: 'refuses',
  refusedAny: 'refuses (in full or in part)',
  correct: 'answers correctly',
  hedged: 'hedges',
  apologized: 'apologises',
  sympathized: 'expresses sympathy',
  asksUser: 'asks the user a question',
  endsWithQuestion: 'ends on a question',
  namesSelf: 'claims a known model name',
};

/** Broad phrases in reading order: length, then repetition, then confidence, then ending. */
export const broadOrder = (d: Difference) =>
  ({ length: 0, repetition: 1, confidence: 2 })[extractorOf.get(d.feature) ?? ''] ?? 3;

export const sig2 = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(2);
export const signed = (x: number) => (x > 0 ? `+${sig2(x)}` : sig2(x));

export function effectText(d: Difference): string {
  if (d.kind === 'binary')
    return `${(d.meanB * 100).toFixed(0)}% vs ${(d.meanA * 100).toFixed(0)}%, ${d.effect > 0 ? '+' : ''}${(d.effect * 100).toFixed(0)} points`;
  return `${signed(d.effect)}, 95% CI ${signed(d.ci[0])} to ${signed(d.ci[1])}`;
}

export function phrase(d: Difference): string {
  const w = BROAD_WORDS[d.feature];
  if (w) return w[d.effect > 0 ? 0 : 1];
  if (d.category === 'vocabulary') return termPhrase(kindOf(d), d.effect > 0, [termOf(d)]);
  return `${d.effect > 0 ? 'higher' : 'lower'} ${d.description}`;
}

export type TermKind = 'says' | 'likelier' | 'raises';
export const kindOf = (d: Difference): TermKind => d.feature.split(':')[0] as TermKind;
export const termOf = (d: Difference) => d.feature.replace(/^(says|likelier|raises):/, '');

export function termPhrase(kind: TermKind, up: boolean, terms: readonly string[]): string {
  const list = quoteList(terms, 'and');
  if (kind === 'says') return `says ${list} ${up ? 'more' : 'less'} often`;
  if (kind === 'likelier') return `finds ${list} ${up ? 'likelier' : 'less likely'} where said`;
  return `${up ? 'raises' : 'lowers'} ${list} in its next-token choices`;
}

const UNITS: Record<TermKind, string> = { says: 'times per reply', likelier: 'nats per occurrence', raises: 'nats' };

/**
 * One vocabulary behaviour in words: its terms by kind and direction, the lead row's claim first (its term first in
 * it), so the numbers quoted at the end are the first claim's.
 */
export function vocabularySentence(B: string, rows: readonly Difference[], lead: Difference, where: string): string {
  const isLead = (up: boolean, kind: TermKind) => up === lead.effect > 0 && kind === kindOf(lead);
  const order = [true, false].flatMap((up) => (['says', 'likelier', 'raises'] as const).map((kind) => ({ up, kind })));
  order.sort((x, y) => Number(isLead(y.up, y.kind)) - Number(isLead(x.up, x.kind)));
  const parts: string[] = [];
  for (const { up, kind } of order) {
    const terms = rows.filter((d) => kindOf(d) === kind && d.effect > 0 === up).map(termOf);
    if (isLead(up, kind)) terms.unshift(termOf(lead));
    const shown = terms.filter((t, i) => terms.indexOf(t) === i);
    if (shown.length > 0)
      parts.push(termPhrase(kind, up, shown.slice(0, 5)) + (shown.length > 5 ? ` (and ${shown.length - 5} more)` : ''));
  }
  return (
    `${B} ${parts.join('; ')}${where} (“${termOf(lead)}”: ${signed(lead.effect)} ${UNITS[kindOf(lead)]}, 95% CI ` +
    `${signed(lead.ci[0])} to ${signed(lead.ci[1])}, on held-out prompts).`
  );
}
