// Cache keys for profile records: a hash of everything that determines a record, and nothing else, so a re-run, a
// reloaded tab or a crashed worker finds exactly the records it can reuse.

import type { GenerationSettings } from '../engine/types.ts';
import { canonicalJson, fnv1a64, promptHash, type Prompt } from '../prompts/index.ts';

/** Bump when the meaning of a stored record changes: old entries then simply stop matching. */
export const RECORD_FORMAT = 1;

/** A model's response to a prompt: model fingerprint (weights, tokenizer, dtype, device), settings, prompt content. */
export function generationKey(modelFingerprint: string, settings: GenerationSettings, prompt: Prompt): string {
  return `gen:${fnv1a64(canonicalJson({ f: RECORD_FORMAT, m: modelFingerprint, s: settings, p: promptHash(prompt) }))}`;
}

/** A scorer's teacher-forced scores of given token ids after a prompt, with the candidate ids it was asked about. */
export function scoreKey(
  scorerFingerprint: string,
  prompt: Prompt,
  ids: readonly number[],
  topK: number,
  candidates: readonly (readonly number[])[] | undefined,
): string {
  return `score:${fnv1a64(canonicalJson({ f: RECORD_FORMAT, m: scorerFingerprint, p: promptHash(prompt), ids, k: topK, c: candidates ?? null }))}`;
}
