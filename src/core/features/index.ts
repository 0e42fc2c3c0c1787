// The feature registry: every per-response extractor, the flat features each yields, and extractAll.

import type { FeatureMeta, FeatureSpec, FeatureValue, ResponseInput } from './types.ts';
import { apologyMeta, extractApology } from './apology.ts';
import { complianceMeta, extractCompliance } from './compliance.ts';
import { confidenceMeta, extractConfidence } from './confidence.ts';
import { correctnessMeta, extractCorrectness } from './correctness.ts';
import { extractFormatting, formattingMeta } from './formatting.ts';
import { extractHedging, hedgingMeta } from './hedging.ts';
import { extractLanguage, languageMeta } from './language.ts';
import { extractLength, lengthMeta } from './length.ts';
import { extractQuestions, questionsMeta } from './questions.ts';
import { extractRefusal, refusalMeta } from './refusal.ts';
import { extractRepetition, repetitionMeta } from './repetition.ts';
import { extractSelfIdentification, selfIdentificationMeta } from './self-identification.ts';

export type * from './types.ts';
export { CHECK_TYPES, REFERENCE_TYPES } from './types.ts';

/** One extractor: a pure function of the response and the metadata of each flat feature it returns. */
export interface Extractor {
  name: string;
  extract(input: ResponseInput): Record<string, FeatureValue>;
  features: readonly FeatureSpec[];
}

/** Ties an extractor's record type to its metadata, so every returned key is described (checked by the compiler). */
function define<R extends { [K in keyof R]: FeatureValue }>(
  name: string,
  extract: (input: ResponseInput) => R,
  meta: { [K in keyof R & string]: FeatureMeta },
): Extractor {
  const features = Object.entries<FeatureMeta>(meta).map(([key, m]) => ({ name: key, extractor: name, ...m }));
  return { name, extract, features };
}

/** Every extractor, in report order. */
export const EXTRACTORS: readonly Extractor[] = [
  define('refusal', extractRefusal, refusalMeta),
  define('correctness', extractCorrectness, correctnessMeta),
  define('compliance', extractCompliance, complianceMeta),
  define('length', extractLength, lengthMeta),
  define('formatting', extractFormatting, formattingMeta),
  define('hedging', extractHedging, hedgingMeta),
  define('apology', extractApology, apologyMeta),
  define('questions', extractQuestions, questionsMeta),
  define('self-identification', extractSelfIdentification, selfIdentificationMeta),
  define('language', extractLanguage, languageMeta),
  define('repetition', extractRepetition, repetitionMeta),
  define('confidence', extractConfidence, confidenceMeta),
];

/** Every flat feature, keyed by its name in extractAll's record. Names are unique across extractors. */
export const FEATURES: readonly FeatureSpec[] = EXTRACTORS.flatMap((e) => e.features);

/** Runs every extractor; null means the feature does not apply (no reference, no logprobs…). */
export function extractAll(input: ResponseInput): Record<string, FeatureValue> {
  const out: Record<string, FeatureValue> = {};
  for (const e of EXTRACTORS) {
    const record = e.extract(input);
    for (const f of e.features) out[f.name] = record[f.name] ?? null;
  }
  return out;
}
