// Language: the dominant script (Unicode ranges) and language (script, then stopwords for Latin text) of a response.

import type { FeatureMeta, ResponseInput } from './types.ts';
import { normalise, segmentWords, stripCode } from './text.ts';

export type LanguageFeatures = {
  language: string;
  script: string;
};

export const languageMeta: { [K in keyof LanguageFeatures]: FeatureMeta } = {
  language: {
    kind: 'categorical',
    category: 'response-pattern',
    description: "dominant language, ISO 639-1 ('unknown' when unsure)",
  },
  script: {
    kind: 'categorical',
    category: 'response-pattern',
    description: "dominant writing system ('Latin', 'Cyrillic', 'CJK'…; 'none' without letters)",
  },
};

/** Each script's letters and their weight when scripts compete for dominance. */
const SCRIPTS: readonly { name: string; re: RegExp; weight: number }[] = [
  { name: 'Latin', re: /\p{Script=Latin}/gu, weight: 1 },
  { name: 'Cyrillic', re: /\p{Script=Cyrillic}/gu, weight: 1 },
  { name: 'Greek', re: /\p{Script=Greek}/gu, weight: 1 },
  { name: 'Arabic', re: /\p{Script=Arabic}/gu, weight: 1 },
  { name: 'Hebrew', re: /\p{Script=Hebrew}/gu, weight: 1 },
  { name: 'Devanagari', re: /\p{Script=Devanagari}/gu, weight: 1 },
  { name: 'Thai', re: /\p{Script=Thai}/gu, weight: 1 },
  // One CJK character or Hangul syllable carries about as much as a short Latin word.
  { name: 'Hangul', re: /\p{Script=Hangul}/gu, weight: 3 },
  { name: 'CJK', re: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu, weight: 3 },
];

const STOPWORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: set(
    'the and is are was were of to in that it for with as on this be have has not you but they what which from by at or can will would there their an i we my your do does if so about',
  ),
  es: set(
    'el la los las de que y en un una es por con para no se lo del al como más pero sus su le ya o este esta son está también muy hay fue ser cuando qué todo puede sin sobre entre',
  ),
  fr: set(
    'le la les de des du et est un une que qui dans pour pas ne sur au aux avec ce cette il elle nous vous je sont mais ou plus par son sa ses leur été être avoir fait comme très aussi',
  ),
  de: set(
    'der die das und ist nicht ein eine einen zu den dem des mit sich auf für von im es ich sie wir auch sind wird werden dass oder aber wenn noch nach bei kann wie aus hat haben nur um',
  ),
  it: set(
    'il lo la gli le di che e è un una per non con del della dei delle al nel nella si sono come ma anche più ci questo questa ha hanno essere io tu lui lei noi loro molto perché',
  ),
  pt: set(
    'o os as de do da dos das que e é um uma para com não em no na nos nas por mais se como mas foi ao ele ela seu sua são está também muito pelo pela isso este esta você já quando',
  ),
  nl: set(
    'de het een en van is dat op te in niet zijn voor met ik je die er maar om ook als dan aan wat bij nog naar kan wordt heeft hebben deze dit zo of worden',
  ),
};

/** Latin text needs this many stopword hits for its best language, and a strict lead over the runner-up. */
const MIN_STOPWORD_HITS = 2;

export function extractLanguage(input: ResponseInput): LanguageFeatures {
  return detectLanguage(input.text);
}

/**
 * Code is ignored. The dominant script decides most languages (CJK → 'ja' when kana are ≥ 10 % of its characters,
 * else 'zh'; Cyrillic → 'uk' with і/ї/є/ґ, else 'ru'; Arabic → 'fa' with پ/چ/ژ/گ, else 'ar'). Latin text is
 * en/es/fr/de/it/pt/nl by stopword counts, or 'unknown' when too few or tied.
 */
export function detectLanguage(text: string): LanguageFeatures {
  const prose = normalise(stripCode(text)).replace(/https?:\/\/\S+/g, ' ');
  let best: { name: string; score: number } | null = null;
  for (const s of SCRIPTS) {
    const score = (prose.match(s.re)?.length ?? 0) * s.weight;
    if (score > 0 && (best === null || score > best.score)) best = { name: s.name, score };
  }
  if (best === null) return { language: 'unknown', script: /\p{L}/u.test(prose) ? 'other' : 'none' };
  const script = best.name;
  switch (script) {
    case 'Latin':
      return { language: byStopwords(prose), script };
    case 'CJK': {
      const kana = prose.match(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
      return { language: kana * 3 >= 0.1 * best.score ? 'ja' : 'zh', script };
    }
    case 'Cyrillic':
      return { language: /[іїєґ]/u.test(prose) ? 'uk' : 'ru', script };
    case 'Arabic':
      return { language: /[پچژگ]/u.test(prose) ? 'fa' : 'ar', script };
    case 'Hangul':
      return { language: 'ko', script };
    case 'Greek':
      return { language: 'el', script };
    case 'Hebrew':
      return { language: 'he', script };
    case 'Devanagari':
      return { language: 'hi', script };
    case 'Thai':
      return { language: 'th', script };
    default:
      return { language: 'unknown', script };
  }
}

function byStopwords(prose: string): string {
  const words = segmentWords(prose);
  const scores = Object.entries(STOPWORDS).map(([lang, stop]) => ({
    lang,
    hits: words.filter((w) => stop.has(w)).length,
  }));
  scores.sort((a, b) => b.hits - a.hits);
  const [first, second] = scores;
  if (!first || first.hits < MIN_STOPWORD_HITS || (second && second.hits === first.hits)) return 'unknown';
  return first.lang;
}

function set(words: string): ReadonlySet<string> {
  return new Set(words.split(' '));
}
