// Compliance: whether the response follows the prompt's verifiable instruction (IFEval-style checks, see Check).

import type { Check, FeatureMeta, ResponseInput } from './types.ts';
import { analyseMarkdown } from './markdown.ts';
import { detectLanguage } from './language.ts';
import { escapeRegExp, normalise, segmentWords } from './text.ts';

export type ComplianceFeatures = {
  compliant: boolean | null;
  checkType: string | null;
  checkMeasured: number | null;
};

export const complianceMeta: { [K in keyof ComplianceFeatures]: FeatureMeta } = {
  compliant: {
    kind: 'binary',
    category: 'capability',
    description: 'follows the verifiable instruction (null without one)',
  },
  checkType: { kind: 'categorical', category: 'capability', description: 'which instruction was checked' },
  checkMeasured: {
    kind: 'continuous',
    category: 'capability',
    description: 'the counted quantity for counting checks (words, items, paragraphs, keyword hits)',
  },
};

/** Null when the prompt has no check. Each check is scored as documented on {@link Check}. */
export function extractCompliance(input: ResponseInput): ComplianceFeatures {
  const check = input.prompt?.check;
  if (!check) return { compliant: null, checkType: null, checkMeasured: null };
  const { ok, measured } = score(input.text, check);
  return { compliant: ok, checkType: check.type, checkMeasured: measured };
}

interface Scored {
  ok: boolean;
  measured: number | null;
}

const counted = (measured: number, ok: boolean): Scored => ({ ok, measured });
const flag = (ok: boolean): Scored => ({ ok, measured: null });

function score(text: string, check: Check): Scored {
  switch (check.type) {
    case 'max_words': {
      const n = segmentWords(text).length;
      return counted(n, n <= check.value);
    }
    case 'min_words': {
      const n = segmentWords(text).length;
      return counted(n, n >= check.value);
    }
    case 'word_count': {
      const n = segmentWords(text).length;
      return counted(n, n >= check.min && n <= check.max);
    }
    case 'one_word': {
      const n = segmentWords(text).length;
      return counted(n, n === 1);
    }
    case 'bullet_count': {
      const n = analyseMarkdown(text).bulletItems;
      return counted(n, n === check.value);
    }
    case 'numbered_list_count': {
      const n = analyseMarkdown(text).numberedItems;
      return counted(n, n === check.value);
    }
    case 'paragraph_count': {
      const n = analyseMarkdown(text).paragraphs;
      return counted(n, n === check.value);
    }
    case 'all_lowercase':
      return flag(/[\p{Lu}\p{Lt}\p{Ll}]/u.test(text) && !/[\p{Lu}\p{Lt}]/u.test(text));
    case 'all_uppercase':
      return flag(/[\p{Lu}\p{Lt}\p{Ll}]/u.test(text) && !/\p{Ll}/u.test(text));
    case 'no_commas':
      return flag(!/[,，、]/u.test(text));
    case 'starts_with':
      return flag(trimWrapping(normalise(text)).startsWith(trimWrapping(normalise(check.value))));
    case 'ends_with':
      return flag(trimWrapping(normalise(text)).endsWith(trimWrapping(normalise(check.value))));
    case 'contains_keywords': {
      const min = check.minCount ?? 1;
      const hits = check.keywords.map((k) => keywordCount(text, k));
      return { ok: hits.every((h) => h >= min), measured: hits.length ? Math.min(...hits) : null };
    }
    case 'excludes_keywords': {
      const hits = check.keywords.reduce((sum, k) => sum + keywordCount(text, k), 0);
      return counted(hits, hits === 0);
    }
    case 'json_format':
      return flag(isJsonContainer(text));
    case 'language':
      return flag(detectLanguage(text).language === check.value.toLowerCase());
  }
}

/** Whitespace, wrapping quotes and Markdown emphasis at either end do not count for starts_with / ends_with. */
function trimWrapping(s: string): string {
  return s.trim().replace(/^["'*_`>\s]+|["'*_`\s]+$/g, '');
}

/** Case-insensitive, whole-word occurrences (a keyword's edges must not touch letters or digits). */
function keywordCount(text: string, keyword: string): number {
  const k = normalise(keyword).trim();
  if (!k) return 0;
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(k)}(?![\\p{L}\\p{N}])`, 'gu');
  return normalise(text).match(re)?.length ?? 0;
}

function isJsonContainer(text: string): boolean {
  const fenced = /^\s*(?:```|~~~)[\w-]*\s*\n([\s\S]*?)\n\s*(?:```|~~~)\s*$/.exec(text);
  const body = (fenced ? fenced[1]! : text).trim();
  if (!body.startsWith('{') && !body.startsWith('[')) return false;
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
}
