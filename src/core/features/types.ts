// Types shared by the per-response feature extractors; the prompt-set parser reuses Reference and Check.

/**
 * An expected answer. Scoring (see correctness.ts):
 * - `exact`: both sides normalised (NFKC, lower case, punctuation → space, whitespace collapsed). With `whole`, the
 *   normalised response (or its marked final answer, "answer: X") must equal the value; otherwise the value must
 *   occur in the response as a whole-word sequence.
 * - `one_of`: as `exact`, correct when any value matches.
 * - `numeric`: the response's final number (see numbers in correctness.ts) within `tolerance` (absolute, default
 *   1e-6 × max(1, |value|)).
 * - `regex`: `new RegExp(pattern, flags)` finds a match in the raw response's first 10,000 characters. Invalid
 *   patterns, and those regex-safety.ts refuses (nested repetition), score null.
 */
export type Reference =
  | { type: 'exact'; value: string; whole?: boolean }
  | { type: 'one_of'; values: string[]; whole?: boolean }
  | { type: 'numeric'; value: number; tolerance?: number }
  | { type: 'regex'; pattern: string; flags?: string };

/**
 * A verifiable instruction, IFEval-style. Scoring (see compliance.ts); words are counted as in length.ts:
 * - `max_words` / `min_words`: word count ≤ / ≥ value. `word_count`: min ≤ words ≤ max (min = max for "exactly").
 * - `one_word`: exactly one word (surrounding punctuation and markdown ignored).
 * - `bullet_count` / `numbered_list_count`: exactly `value` markdown bullet items (`-`, `*`, `+`, `•`) /
 *   numbered items (`1.`, `1)`), outside code blocks.
 * - `paragraph_count`: exactly `value` non-empty blocks separated by blank lines or markdown rules (`***`, `---`).
 * - `all_lowercase` / `all_uppercase`: at least one cased letter and no upper-case / lower-case letter.
 * - `no_commas`: no `,` (nor the full-width `，` or ideographic `、`).
 * - `starts_with` / `ends_with`: case-insensitive, after trimming whitespace and wrapping quotes / markdown emphasis.
 * - `contains_keywords`: every keyword occurs at least `minCount` (default 1) times, case-insensitive, whole words.
 * - `excludes_keywords`: no keyword occurs (same matching).
 * - `json_format`: after removing one surrounding code fence, the text parses as a JSON object or array.
 * - `language`: language.ts detects the given ISO 639-1 code.
 */
export type Check =
  | { type: 'max_words'; value: number }
  | { type: 'min_words'; value: number }
  | { type: 'word_count'; min: number; max: number }
  | { type: 'one_word' }
  | { type: 'bullet_count'; value: number }
  | { type: 'numbered_list_count'; value: number }
  | { type: 'paragraph_count'; value: number }
  | { type: 'all_lowercase' }
  | { type: 'all_uppercase' }
  | { type: 'no_commas' }
  | { type: 'starts_with'; value: string }
  | { type: 'ends_with'; value: string }
  | { type: 'contains_keywords'; keywords: string[]; minCount?: number }
  | { type: 'excludes_keywords'; keywords: string[] }
  | { type: 'json_format' }
  | { type: 'language'; value: string };

const checkTypes: Record<Check['type'], true> = {
  max_words: true,
  min_words: true,
  word_count: true,
  one_word: true,
  bullet_count: true,
  numbered_list_count: true,
  paragraph_count: true,
  all_lowercase: true,
  all_uppercase: true,
  no_commas: true,
  starts_with: true,
  ends_with: true,
  contains_keywords: true,
  excludes_keywords: true,
  json_format: true,
  language: true,
};
const referenceTypes: Record<Reference['type'], true> = { exact: true, one_of: true, numeric: true, regex: true };

/** Every Check type, for parsers that validate prompt sets. */
export const CHECK_TYPES: readonly Check['type'][] = Object.freeze(Object.keys(checkTypes) as Check['type'][]);
/** Every Reference type, for parsers that validate prompt sets. */
export const REFERENCE_TYPES: readonly Reference['type'][] = Object.freeze(
  Object.keys(referenceTypes) as Reference['type'][],
);

/** What every extractor sees: one response, plus what the engine and the prompt set know about it. */
export interface ResponseInput {
  /** The model's response (untrusted, any language). */
  text: string;
  /** Log-probability (natural log) of each generated token under the model, when known. */
  tokenLogprobs?: number[];
  /** Per-step entropy in nats, when known. */
  entropies?: number[];
  tokenCount?: number;
  /** Probability mass the model put on refusal-opening tokens at the first step, when known. */
  refusalOpenerProb?: number;
  prompt?: { reference?: Reference; check?: Check; category?: string };
}

/** One feature value; null means "not applicable to this response". */
export type FeatureValue = number | boolean | string | null;

export type FeatureKind = 'binary' | 'continuous' | 'categorical';
export type FeatureCategory = 'capability' | 'safety' | 'response-pattern' | 'confidence';

/** How one flat feature is tested and where the diff report groups it. */
export interface FeatureMeta {
  kind: FeatureKind;
  category: FeatureCategory;
  description: string;
}

export interface FeatureSpec extends FeatureMeta {
  /** The key in extractAll's record. */
  name: string;
  /** The extractor that produces it. */
  extractor: string;
}
