// Hedging: markers of expressed uncertainty ("might", "I think", "it depends"), as a count, a rate and a flag.

import type { FeatureMeta, ResponseInput } from './types.ts';
import { normalise, segmentWords, stripCode } from './text.ts';

export type HedgingFeatures = {
  hedgeCount: number;
  hedgeRate: number | null;
  hedged: boolean;
};

export const hedgingMeta: { [K in keyof HedgingFeatures]: FeatureMeta } = {
  hedgeCount: {
    kind: 'continuous',
    category: 'confidence',
    description: 'hedging markers ("might", "I think", "not sure", "it depends"…)',
  },
  hedgeRate: { kind: 'continuous', category: 'confidence', description: 'hedging markers per 100 words' },
  hedged: { kind: 'binary', category: 'confidence', description: 'has at least one hedging marker' },
};

const W = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const MARKERS = [
  // English
  'might',
  'perhaps',
  'maybe',
  'possibly',
  'probably',
  'presumably',
  'arguably',
  'apparently',
  'seemingly',
  'supposedly',
  '(?:un)?likely',
  // "may", but not the month ("in May", "May 5") nor the polite "may I".
  `(?<!(?:in|of|early|late|mid|since|until|by|from) )may(?! i${E})(?! \\d)`,
  'could (?:be|have|potentially|possibly)',
  'i (?:think|believe|suspect|guess|assume|feel like|would guess|would say)',
  '(?:it |this |that )?seems?',
  'appears? to',
  "it(?:'s| is) (?:possible|conceivable|unclear|hard to say|difficult to say)",
  '(?:it|that|this) (?:really )?depends',
  "(?:i'm|i am) not (?:entirely |completely |totally |100% |quite |fully )?(?:sure|certain|positive)",
  'not (?:entirely|completely|totally|100%) (?:sure|certain|clear)',
  'uncertain',
  'to (?:the best of )?my knowledge',
  'as far as i (?:know|can tell)',
  'if i (?:recall|remember) (?:correctly|right)',
  '(?:hard|difficult) to (?:say|tell|know)',
  "i (?:can't|cannot) be (?:sure|certain)",
  'in some cases',
  // Spanish, French, German, Italian, Portuguese
  'quizás?',
  'tal vez',
  'posiblemente',
  'probablemente',
  'peut-être',
  'probablement',
  'il (?:semble|se peut)',
  'vielleicht',
  'möglicherweise',
  'wahrscheinlich',
  'forse',
  'talvez',
];
const HEDGE = new RegExp(`${W}(?:${MARKERS.join('|')})${E}`, 'gu');

/** Counted in prose only: code blocks and inline code are removed first. Rate is null for a response without words. */
export function extractHedging(input: ResponseInput): HedgingFeatures {
  const prose = normalise(stripCode(input.text));
  const count = prose.match(HEDGE)?.length ?? 0;
  const words = segmentWords(prose).length;
  return { hedgeCount: count, hedgeRate: words ? (100 * count) / words : null, hedged: count > 0 };
}
