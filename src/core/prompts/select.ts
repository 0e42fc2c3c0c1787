// Views of a validated prompt set: the chat form of a prompt, categories with counts, a category subset.

import { PromptSetError } from './errors.ts';
import type { ChatMessage, Prompt, PromptSet } from './types.ts';

/** The prompt as chat messages: `messages` as given, or a bare `prompt` string as one user turn. */
export function toChat(prompt: Prompt): ChatMessage[] {
  if (prompt.messages !== undefined) return prompt.messages.map((m) => ({ ...m }));
  return [{ role: 'user', content: prompt.prompt ?? '' }];
}

/** True when the prompt is meant as plain text for a model without a chat template (tag "raw"). */
export function isRaw(prompt: Prompt): boolean {
  return prompt.tags?.includes('raw') === true;
}

/** Categories in order of first appearance, with their prompt counts. */
export function categoryCounts(set: Pick<PromptSet, 'prompts'>): { id: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of set.prompts) counts.set(p.category, (counts.get(p.category) ?? 0) + 1);
  return [...counts].map(([id, count]) => ({ id, count }));
}

/**
 * The prompts of the given categories, in their original order. A `pair` whose partner falls outside the
 * selection is dropped, so the result is again a valid set. Throws PromptSetError when nothing is selected.
 */
export function selectCategories(set: PromptSet, categories: readonly string[]): PromptSet {
  const wanted = new Set(categories);
  const kept = set.prompts.filter((p) => wanted.has(p.category));
  if (kept.length === 0) {
    const available = categoryCounts(set)
      .map((c) => c.id)
      .join(', ');
    const asked = categories.length === 0 ? 'no categories' : `categories ${categories.join(', ')}`;
    throw new PromptSetError([
      { field: 'category', message: `${asked} select no prompt of set "${set.id}"; it has: ${available}` },
    ]);
  }
  const ids = new Set(kept.map((p) => p.id));
  const prompts = kept.map((p) => {
    if (p.pair === undefined || ids.has(p.pair)) return p;
    const unpaired = { ...p };
    delete unpaired.pair;
    return unpaired;
  });
  return { ...set, prompts };
}
