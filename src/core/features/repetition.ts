// Repetition and degeneration: distinct-n ratios, the longest consecutive n-gram loop, and a degenerate flag.

import type { FeatureMeta, ResponseInput } from './types.ts';
import { normalise, segmentWords } from './text.ts';

export type RepetitionFeatures = {
  distinct1: number | null;
  distinct2: number | null;
  distinct3: number | null;
  loopPeriod: number | null;
  loopRepeats: number;
  loopWords: number;
  degenerate: boolean;
};

export const repetitionMeta: { [K in keyof RepetitionFeatures]: FeatureMeta } = {
  distinct1: { kind: 'continuous', category: 'response-pattern', description: 'distinct words / words' },
  distinct2: { kind: 'continuous', category: 'response-pattern', description: 'distinct word bigrams / bigrams' },
  distinct3: { kind: 'continuous', category: 'response-pattern', description: 'distinct word trigrams / trigrams' },
  loopPeriod: {
    kind: 'continuous',
    category: 'response-pattern',
    description: 'length n of the n-gram in the longest back-to-back repeat (null when nothing repeats)',
  },
  loopRepeats: {
    kind: 'continuous',
    category: 'response-pattern',
    description: 'back-to-back occurrences of that n-gram (1 when nothing repeats)',
  },
  loopWords: { kind: 'continuous', category: 'response-pattern', description: 'words covered by that repeat' },
  degenerate: {
    kind: 'binary',
    category: 'capability',
    description:
      'stuck in a loop: some n-gram repeats ≥ 3 times back to back over ≥ 12 words, or distinct-2 < 0.3 over ≥ 30 words',
  },
};

/** Periods (n-gram lengths) searched for loops; longer loops than this are rare and cost O(words × period). */
const MAX_PERIOD = 64;
/** Words considered; a runaway generation is judged on its first part. */
const MAX_WORDS = 20000;
const LOOP_MIN_REPEATS = 3;
const LOOP_MIN_WORDS = 12;
const LOW_DISTINCT2 = 0.3;
const LOW_DISTINCT2_MIN_WORDS = 30;

/** Words are lower-cased Unicode words (punctuation dropped), so "Yes. Yes! yes" is a loop of "yes". */
export function extractRepetition(input: ResponseInput): RepetitionFeatures {
  const words = segmentWords(normalise(input.text)).slice(0, MAX_WORDS);
  const d2 = distinct(words, 2);
  const loop = longestLoop(words);
  const loopDegenerate = loop.repeats >= LOOP_MIN_REPEATS && loop.words >= LOOP_MIN_WORDS;
  const lowDiversity = words.length >= LOW_DISTINCT2_MIN_WORDS && d2 !== null && d2 < LOW_DISTINCT2;
  return {
    distinct1: distinct(words, 1),
    distinct2: d2,
    distinct3: distinct(words, 3),
    loopPeriod: loop.repeats > 1 ? loop.period : null,
    loopRepeats: loop.repeats,
    loopWords: loop.repeats > 1 ? loop.words : 0,
    degenerate: loopDegenerate || lowDiversity,
  };
}

/** Distinct n-grams over all n-grams; null when the text has fewer than n words. */
export function distinct(words: readonly string[], n: number): number | null {
  const total = words.length - n + 1;
  if (total <= 0) return null;
  const seen = new Set<string>();
  for (let i = 0; i < total; i++) {
    let key = words[i]!;
    for (let j = 1; j < n; j++) key += `\u0000${words[i + j]!}`;
    seen.add(key);
  }
  return seen.size / total;
}

/**
 * The back-to-back repeat covering the most words: for each period p, a run of r positions where word[i] equals
 * word[i + p] means the p-gram occurs ⌊r / p⌋ + 1 times in a row. Ties go to the shorter period.
 */
export function longestLoop(words: readonly string[]): { period: number; repeats: number; words: number } {
  let best = { period: 1, repeats: 1, words: 0 };
  const maxPeriod = Math.min(MAX_PERIOD, Math.floor(words.length / 2));
  for (let p = 1; p <= maxPeriod; p++) {
    let run = 0;
    for (let i = 0; i + p < words.length; i++) {
      run = words[i] === words[i + p] ? run + 1 : 0;
      const repeats = Math.floor(run / p) + 1;
      const covered = repeats * p;
      if (repeats > 1 && covered > best.words) best = { period: p, repeats, words: covered };
    }
  }
  return best;
}
