// Bridges the prompt-set file format (references and checks as users write them) to the feature extractors' input.

import type { Check as FeatureCheck, Reference as FeatureReference, ResponseInput } from '../features/index.ts';
import type { Check, Prompt, Reference } from '../prompts/index.ts';
import type { ResponseRecord } from '../profile/types.ts';
import { textSteps } from './cross-likelihood.ts';

export function toFeatureReference(r: Reference): FeatureReference {
  switch (r.type) {
    case 'exact':
      return { type: 'exact', value: r.value };
    case 'oneOf':
      return { type: 'one_of', values: r.values };
    case 'numeric':
      return r.tolerance === undefined
        ? { type: 'numeric', value: r.value }
        : { type: 'numeric', value: r.value, tolerance: r.tolerance };
    case 'regex':
      return r.flags === undefined
        ? { type: 'regex', pattern: r.pattern }
        : { type: 'regex', pattern: r.pattern, flags: r.flags };
  }
}

export function toFeatureCheck(c: Check): FeatureCheck {
  const n = Number(c.value);
  const text = String(c.value ?? '');
  const list = Array.isArray(c.value) ? c.value.map(String) : [text];
  switch (c.type) {
    case 'max_words':
    case 'min_words':
    case 'bullet_count':
    case 'numbered_list_count':
    case 'paragraph_count':
      return { type: c.type, value: n };
    case 'starts_with':
    case 'ends_with':
      return { type: c.type, value: text };
    case 'contains_keywords':
    case 'excludes_keywords':
      return { type: c.type, keywords: list };
    case 'one_word':
    case 'all_lowercase':
    case 'all_uppercase':
    case 'no_commas':
    case 'json_format':
      return { type: c.type };
  }
}

/** What the extractors see for one response to one prompt. */
export function responseInput(rec: ResponseRecord, prompt: Prompt): ResponseInput {
  const steps = textSteps(rec);
  return {
    text: rec.text,
    tokenLogprobs: steps.map((t) => t.logprob),
    entropies: steps.map((t) => t.entropy),
    tokenCount: steps.length,
    prompt: {
      category: prompt.category,
      ...(prompt.reference ? { reference: toFeatureReference(prompt.reference) } : {}),
      ...(prompt.check ? { check: toFeatureCheck(prompt.check) } : {}),
    },
  };
}
