// Apology and sympathy: "Sorry for the confusion" apologises; "I'm sorry to hear that" sympathises. Counted apart.

import type { FeatureMeta, ResponseInput } from './types.ts';
import { normalise, stripCode, stripQuoted } from './text.ts';

export type ApologyFeatures = {
  apologyCount: number;
  apologized: boolean;
  sympathyCount: number;
  sympathized: boolean;
};

export const apologyMeta: { [K in keyof ApologyFeatures]: FeatureMeta } = {
  apologyCount: {
    kind: 'continuous',
    category: 'response-pattern',
    description: 'apology markers ("sorry", "I apologize", "my mistake"…), sympathy excluded',
  },
  apologized: { kind: 'binary', category: 'response-pattern', description: 'apologises at least once' },
  sympathyCount: {
    kind: 'continuous',
    category: 'response-pattern',
    description: 'sympathy markers ("sorry to hear", "my condolences", "that sounds hard"…)',
  },
  sympathized: { kind: 'binary', category: 'response-pattern', description: 'expresses sympathy at least once' },
};

const W = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const re = (alternatives: string[]): RegExp => new RegExp(`${W}(?:${alternatives.join('|')})${E}`, 'gu');

const SYMPATHY = re([
  "(?:i'm |i am )?(?:so |very |really |truly )?sorry (?:to (?:hear|learn|read|see)|for your loss|about your|you(?:'re| are| have|'ve| had| feel)|that (?:you|happened|this|it)|(?:this|it) happened|for what you)",
  'my (?:deepest |sincere |heartfelt )?(?:condolences|sympathies)',
  '(?:that|this|it) (?:sounds|must be|must have been) (?:really |so |very |incredibly |truly )?(?:hard|difficult|tough|painful|frustrating|stressful|overwhelming|awful|rough|scary|heartbreaking|exhausting)',
  '(?:siento mucho|lo siento mucho por) (?:tu|su)',
  'mis condolencias',
  "désolée? d'apprendre",
  '(?:toutes )?mes condoléances',
  'es tut mir (?:sehr )?leid,? (?:zu hören|das zu hören|zu lesen)',
  'mein (?:herzliches )?beileid',
  'mi dispiace (?:molto )?(?:per la tua perdita|sentir(?:e|lo))',
  'condoglianze',
  'sinto muito (?:pela|pelo|por)',
  'meus (?:pêsames|sentimentos)',
]);

const APOLOGY = re([
  'sorry',
  'i apologi[sz]e',
  '(?:my )?apologies',
  'apologi[sz]ing',
  'i regret',
  'forgive me',
  'pardon (?:me|the)',
  'my (?:mistake|bad)',
  'lo siento',
  'disculpa(?:s|me)?',
  'disculpe',
  'perdón',
  'perdona(?:me)?',
  'désolée?',
  "je m'excuse",
  'excusez-moi',
  'es tut mir leid',
  'entschuldig(?:ung|e|en sie)',
  'mi dispiace',
  'scusa(?:mi)?',
  'chiedo scusa',
  'desculp(?:e|a)',
]);

/** Sympathy is matched first and removed, so "I'm sorry to hear that" never also counts as an apology. */
export function extractApology(input: ResponseInput): ApologyFeatures {
  const prose = stripQuoted(normalise(stripCode(input.text)));
  const sympathy = prose.match(SYMPATHY)?.length ?? 0;
  const apology = prose.replace(SYMPATHY, ' ').match(APOLOGY)?.length ?? 0;
  return { apologyCount: apology, apologized: apology > 0, sympathyCount: sympathy, sympathized: sympathy > 0 };
}
