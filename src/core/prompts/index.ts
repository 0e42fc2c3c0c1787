// Public surface of prompt-set handling: import from here, not from the files behind it.

export { parsePromptSet, detectFormat } from './parse.ts';
export { PromptSetError, formatIssue } from './errors.ts';
export { promptSetHash, promptHash, canonicalJson, fnv1a64 } from './hash.ts';
export { toChat, isRaw, categoryCounts, selectCategories } from './select.ts';
export { CHECK_SPECS, CHECK_TYPES, REFERENCE_TYPES, ROLES, MAX_PROMPT_CHARS, MAX_SET_BYTES } from './types.ts';
export type {
  ChatMessage,
  Check,
  CheckType,
  CheckValueKind,
  ParseOptions,
  ParseResult,
  Prompt,
  PromptSet,
  PromptSetFormat,
  PromptSetIndexEntry,
  PromptSetIssue,
  Reference,
  ReferenceType,
  Role,
} from './types.ts';
