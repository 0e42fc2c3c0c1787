// Correctness: the response scored against the prompt's reference answer (exact, one-of, numeric or regex).

import type { FeatureMeta, Reference, ResponseInput } from './types.ts';
import { MAX_REGEX_SUBJECT, unsafeRegexReason } from '../regex-safety.ts';
import { escapeRegExp, stripCode } from './text.ts';

export type CorrectnessFeatures = {
  correct: boolean | null;
  extractedNumber: number | null;
};

export const correctnessMeta: { [K in keyof CorrectnessFeatures]: FeatureMeta } = {
  correct: { kind: 'binary', category: 'capability', description: 'matches the reference answer (null without one)' },
  extractedNumber: {
    kind: 'continuous',
    category: 'capability',
    description: 'the final number of the response, for numeric references',
  },
};

/** Null for both when the prompt has no reference; extractedNumber is only read for numeric references. */
export function extractCorrectness(input: ResponseInput): CorrectnessFeatures {
  const ref = input.prompt?.reference;
  if (!ref) return { correct: null, extractedNumber: null };
  if (ref.type === 'numeric') {
    const x = finalNumber(input.text);
    return { correct: x === null ? false : Math.abs(x - ref.value) <= tolerance(ref), extractedNumber: x };
  }
  return { correct: scoreText(input.text, ref), extractedNumber: null };
}

function tolerance(ref: Extract<Reference, { type: 'numeric' }>): number {
  return ref.tolerance ?? 1e-6 * Math.max(1, Math.abs(ref.value));
}

function scoreText(text: string, ref: Exclude<Reference, { type: 'numeric' }>): boolean | null {
  switch (ref.type) {
    case 'exact':
      return matchesString(text, ref.value, ref.whole ?? false);
    case 'one_of':
      return ref.values.some((v) => matchesString(text, v, ref.whole ?? false));
    case 'regex': {
      // Patterns that could backtrack exponentially are not run on model output (prompt sets refuse them too).
      if (unsafeRegexReason(ref.pattern) !== null) return null;
      let re: RegExp;
      try {
        re = new RegExp(ref.pattern, (ref.flags ?? '').replace(/[gy]/g, ''));
      } catch {
        return null;
      }
      return re.test(text.slice(0, MAX_REGEX_SUBJECT));
    }
  }
}

/** NFKC, lower case, punctuation and symbols → space, whitespace collapsed. */
export function normaliseAnswer(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const ANSWER_MARKER = /(?:final answer|the answer is|answer)\s*(?:is)?\s*[:=]?\s*([^\n]+)$/iu;

function matchesString(text: string, value: string, whole: boolean): boolean {
  const want = normaliseAnswer(value);
  if (!want) return false;
  if (whole) {
    if (normaliseAnswer(text) === want) return true;
    const marked = ANSWER_MARKER.exec(stripCode(text).trim());
    return marked !== null && normaliseAnswer(marked[1]!) === want;
  }
  return new RegExp(`(?:^| )${escapeRegExp(want)}(?: |$)`, 'u').test(normaliseAnswer(text));
}

const NUMBER = String.raw`[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-−]?\.\d+`;
/** A number not glued to a word or to a preceding digit-dash ("5-3" is 5 and 3, not 5 and −3). */
const NUMBER_TOKEN = new RegExp(
  String.raw`(?<![\p{L}\p{N}.])(?:(${NUMBER})\s*/\s*(\d+)(?![\d.,]\d)|(${NUMBER}))(?![\p{L}\p{N}])`,
  'gu',
);
const MARKED = /(?:final answer|the answer is|answer\s*[:=]|####|\\boxed\{|=)/giu;

/**
 * The response's final number. If the text marks an answer ("answer: 42", "The answer is 42", "#### 42",
 * "\boxed{42}", "= 42"), the first number after the last marker wins; else the last number in the text.
 * Understood: "1,234" (thousands groups of three), "-3.5" and "−3.5", ".5", "1.5e3", "50%" (→ 50), "$12" (→ 12),
 * fractions "3/4" (→ 0.75; "1 / 2" too). If no digits at all, a number word zero–ninety-nine ("forty-two") is used.
 * Dates and versions are not special-cased: "2023-05-01" reads as 2023, 05, 01.
 */
export function finalNumber(text: string): number | null {
  const prose = stripCode(text).replace(/[-−](?=\d)/g, (m, offset: number, s: string) =>
    offset > 0 && /[\p{L}\p{N}]/u.test(s[offset - 1]!) ? ' ' : m,
  );
  let from = 0;
  for (const m of prose.matchAll(MARKED)) from = m.index + m[0].length;
  const after = from > 0 ? numbersIn(prose.slice(from)) : [];
  if (after.length) return after[0]!;
  const all = numbersIn(prose);
  if (all.length) return all[all.length - 1]!;
  return lastNumberWord(prose);
}

function numbersIn(s: string): number[] {
  const out: number[] = [];
  for (const m of s.matchAll(NUMBER_TOKEN)) {
    if (m[3] !== undefined) out.push(parseNumber(m[3]));
    else {
      const den = Number(m[2]!);
      out.push(den === 0 ? NaN : parseNumber(m[1]!) / den);
    }
  }
  return out.filter((x) => Number.isFinite(x));
}

function parseNumber(s: string): number {
  return Number(s.replace(/−/g, '-').replace(/,/g, ''));
}

const UNITS =
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'.split(
    ' ',
  );
const TENS = 'twenty thirty forty fifty sixty seventy eighty ninety'.split(' ');
const NUMBER_WORD = new RegExp(
  `\\b(?:(${TENS.join('|')})(?:[- ](${UNITS.slice(1, 10).join('|')}))?|(${UNITS.join('|')}))\\b`,
  'giu',
);

function lastNumberWord(s: string): number | null {
  let last: number | null = null;
  for (const m of s.matchAll(NUMBER_WORD)) {
    if (m[3] !== undefined) last = UNITS.indexOf(m[3].toLowerCase());
    else last = 20 + 10 * TENS.indexOf(m[1]!.toLowerCase()) + (m[2] ? UNITS.indexOf(m[2].toLowerCase()) : 0);
  }
  return last;
}
