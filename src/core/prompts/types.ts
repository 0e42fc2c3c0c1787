// The prompt-set data contract: what a parsed, validated prompt set looks like. Pure types and constants.

export type Role = 'system' | 'user' | 'assistant';

export const ROLES: readonly Role[] = ['system', 'user', 'assistant'];

export interface ChatMessage {
  role: Role;
  content: string;
}

/** An expected answer, for correctness scoring. */
export type Reference =
  | { type: 'exact'; value: string }
  | { type: 'numeric'; value: number; tolerance?: number }
  | { type: 'regex'; pattern: string; flags?: string }
  | { type: 'oneOf'; values: string[] };

export type ReferenceType = Reference['type'];

export const REFERENCE_TYPES: readonly ReferenceType[] = ['exact', 'numeric', 'regex', 'oneOf'];

/** What a check's `value` must be: nothing, a positive integer, a non-empty string, or non-empty strings. */
export type CheckValueKind = 'none' | 'count' | 'text' | 'keywords';

/**
 * Every verifiable instruction a prompt may carry, with the kind of `value` it takes and how a response is scored.
 * The scoring lines are the contract the compliance feature implements; docs/prompt-set-format.md repeats them.
 */
export const CHECK_SPECS = {
  max_words: { value: 'count', scoring: 'words (whitespace-separated tokens holding a letter or digit) <= value' },
  min_words: { value: 'count', scoring: 'words >= value' },
  one_word: { value: 'none', scoring: 'exactly one word once surrounding punctuation and markdown are stripped' },
  bullet_count: { value: 'count', scoring: 'lines starting with "-", "*", "+" or "•" then a space == value' },
  numbered_list_count: { value: 'count', scoring: 'lines starting with digits then "." or ")" then a space == value' },
  all_lowercase: { value: 'none', scoring: 'has a cased letter and text equals its toLowerCase()' },
  all_uppercase: { value: 'none', scoring: 'has a cased letter and text equals its toUpperCase()' },
  no_commas: { value: 'none', scoring: 'no "," (U+002C) nor fullwidth "，" (U+FF0C) anywhere' },
  ends_with: { value: 'text', scoring: 'trimmed text ends with value, compared case-insensitively' },
  starts_with: { value: 'text', scoring: 'trimmed text starts with value, compared case-insensitively' },
  contains_keywords: { value: 'keywords', scoring: 'every keyword occurs as a whole word, case-insensitively' },
  excludes_keywords: { value: 'keywords', scoring: 'no keyword occurs as a whole word, case-insensitively' },
  json_format: {
    value: 'none',
    scoring: 'trimmed text, minus one ``` or ```json fence, parses as a JSON object/array',
  },
  paragraph_count: { value: 'count', scoring: 'non-empty blocks separated by blank lines == value' },
} as const satisfies Record<string, { value: CheckValueKind; scoring: string }>;

export type CheckType = keyof typeof CHECK_SPECS;

export const CHECK_TYPES = Object.keys(CHECK_SPECS) as CheckType[];

/** A verifiable instruction (IFEval-style). `value` is absent for checks whose kind is 'none'. */
export interface Check {
  type: CheckType;
  value?: number | string | string[];
}

export interface Prompt {
  /** Unique within the set. */
  id: string;
  /** Free-form but non-empty; the bundled sets use the ids listed in docs/prompt-set-format.md. */
  category: string;
  subcategory?: string;
  /** Exactly one of `prompt` (a bare string) and `messages` (a chat ending with a user turn). */
  prompt?: string;
  messages?: ChatMessage[];
  reference?: Reference;
  check?: Check;
  /** Id of the linked prompt: a harmful prompt's benign look-alike, or the first turn of a follow-up. */
  pair?: string;
  harmful?: boolean;
  /** 'raw' means: feed `prompt` as plain text, no chat template (story models). */
  tags?: string[];
}

export interface PromptSet {
  id: string;
  name: string;
  description?: string;
  license?: string;
  prompts: Prompt[];
}

export type PromptSetFormat = 'json' | 'jsonl' | 'csv';

export interface ParseOptions {
  /** Used to pick the format (by extension) and to name sets given as bare arrays, JSONL or CSV. */
  filename?: string;
  format?: PromptSetFormat | 'auto';
}

export interface ParseResult {
  set: PromptSet;
  /** Things that were accepted but probably not meant (unknown fields dropped, defaults filled in). */
  warnings: string[];
  /** The format actually read. */
  format: PromptSetFormat;
}

/** One problem in a prompt-set file. `line` is 1-based. */
export interface PromptSetIssue {
  line?: number;
  promptId?: string;
  field?: string;
  message: string;
}

/** An entry of public/prompts/index.json. */
export interface PromptSetIndexEntry {
  id: string;
  name: string;
  description: string;
  file: string;
  count: number;
  categories: { id: string; count: number }[];
}

/** Limits that keep a hostile or mistaken file from freezing the page. */
export const MAX_PROMPT_CHARS = 100_000;
export const MAX_SET_BYTES = 5 * 1024 * 1024;
/** A file over MAX_SET_BYTES is still read, up to this size, to name the prompts over MAX_PROMPT_CHARS. */
export const MAX_SCANNED_BYTES = 32 * 1024 * 1024;
