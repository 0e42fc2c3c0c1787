// Test helpers for bad prompt-set files: the issues a parse throws, compared by place.

import assert from 'node:assert/strict';
import { PromptSetError, parsePromptSet } from '../../../src/core/prompts/index.ts';
import type { ParseOptions, PromptSetIssue } from '../../../src/core/prompts/index.ts';

/** The issues of the PromptSetError that parsing `text` throws. */
export function issuesOf(text: string, options: ParseOptions = {}): PromptSetIssue[] {
  try {
    parsePromptSet(text, options);
  } catch (e) {
    assert.ok(e instanceof PromptSetError, `threw ${String(e)}`);
    return e.issues;
  }
  assert.fail('expected a PromptSetError');
}

/** Drops `message` (checked by pattern separately) so issues compare by place. */
export const places = (issues: PromptSetIssue[]) => issues.map(({ message: _m, ...place }) => place);

export const ok = (id: string) => ({ id, category: 'c', prompt: 'p' });

/** A JSON set with one prompt per line, prompts starting on line 3. */
export const jsonSet = (items: unknown[]) =>
  `{"id": "s", "name": "S",\n"prompts": [\n${items.map((p) => `  ${JSON.stringify(p)}`).join(',\n')}\n]}`;

export const jsonl = (items: unknown[]) => items.map((p) => JSON.stringify(p)).join('\n');
