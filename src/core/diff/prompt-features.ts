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

/**
 * First tokens that open a refusal whatever follows. "I" is not one ("I think…"), so this under-counts on purpose:
 * it is evidence for the refusal score, never a verdict.
 */
const REFUSAL_OPENERS = new Set([
  'sorry',
  'unfortunately',
  'apologies',
  'cannot',
  "can't",
  'no',
  'lo',
  'désolé',
  'lamentablemente',
]);

/** Probability the model gave, at its first step, to tokens that open a refusal (null without top-k or texts). */
export function refusalOpenerProb(rec: ResponseRecord, tokenTexts: Record<number, string> | undefined): number | null {
  const first = rec.tokens[0];
  if (!first || !tokenTexts) return null;
  let p = 0;
  for (const t of first.top) {
    const text = (tokenTexts[t.id] ?? '').replace(/^[\s\u2581]+/, '').toLowerCase();
    if (REFUSAL_OPENERS.has(text)) p += Math.exp(t.logprob);
  }
  return p;
}

/** What the extractors see for one response to one prompt. */
export function responseInput(rec: ResponseRecord, prompt: Prompt, tokenTexts?: Record<number, string>): ResponseInput {
  const steps = textSteps(rec);
  const opener = refusalOpenerProb(rec, tokenTexts);
  return {
    ...(opener !== null ? { refusalOpenerProb: opener } : {}),
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
