// Whatever the input, reading a prompt set returns a valid set or throws a PromptSetError, never anything else.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PromptSetError, parsePromptSet } from '../../../src/core/prompts/index.ts';
import type { ParseOptions } from '../../../src/core/prompts/index.ts';
import { locateJson } from '../../../src/core/prompts/json-locate.ts';

const formats = fc.constantFrom<ParseOptions['format']>('auto', 'json', 'jsonl', 'csv');

/** Parses; on success re-checks the result; on failure insists on a PromptSetError with issues. */
function parsesOrFailsCleanly(text: string, format: ParseOptions['format']): void {
  try {
    const { set } = parsePromptSet(text, { format });
    assert.ok(set.prompts.length > 0);
    const ids = new Set(set.prompts.map((p) => p.id));
    assert.equal(ids.size, set.prompts.length);
    for (const p of set.prompts) {
      assert.ok((p.prompt === undefined) !== (p.messages === undefined));
      if (p.pair !== undefined) assert.ok(ids.has(p.pair));
    }
  } catch (e) {
    if (!(e instanceof PromptSetError)) throw e;
    assert.ok(e.issues.length > 0);
  }
}

/** Prompt-shaped values with plausible and implausible fields, to get past the syntax checks. */
const promptLike = fc.record(
  {
    id: fc.oneof(fc.constantFrom('a', 'b', 'c', ''), fc.string(), fc.integer()),
    category: fc.oneof(fc.constantFrom('capability', ''), fc.anything()),
    prompt: fc.oneof(fc.string(), fc.anything()),
    messages: fc.array(
      fc.record({ role: fc.constantFrom('system', 'user', 'assistant', 'bot'), content: fc.string() }),
    ),
    reference: fc.oneof(
      fc.record({ type: fc.constantFrom('exact', 'numeric', 'regex', 'oneOf', 'x'), value: fc.anything() }),
      fc.record({ type: fc.constant('regex'), pattern: fc.string(), flags: fc.string({ maxLength: 3 }) }),
      fc.record({ type: fc.constant('oneOf'), values: fc.array(fc.string()) }),
    ),
    check: fc.record({
      type: fc.constantFrom('max_words', 'one_word', 'contains_keywords', 'nope'),
      value: fc.anything(),
    }),
    pair: fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.anything()),
    harmful: fc.anything(),
    tags: fc.anything(),
  },
  { requiredKeys: [] },
);

describe('parsePromptSet never throws anything but PromptSetError', () => {
  test('on random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), formats, parsesOrFailsCleanly), { numRuns: 500 });
  });

  test('on random text made of the characters that matter to JSON and CSV', () => {
    const chars = fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\n', '\r', '\\', ' ', 'a', '1', 'id', 'prompts');
    const text = fc.array(chars, { maxLength: 80 }).map((a) => a.join(''));
    fc.assert(fc.property(text, formats, parsesOrFailsCleanly), { numRuns: 1000 });
  });

  test('on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), formats, (v, f) => parsesOrFailsCleanly(JSON.stringify(v), f)),
      { numRuns: 300 },
    );
  });

  test('on prompt-shaped records, as JSON, JSONL and CSV', () => {
    fc.assert(
      fc.property(fc.array(promptLike, { maxLength: 6 }), (items) => {
        parsesOrFailsCleanly(JSON.stringify({ id: 'x', name: 'X', prompts: items }), 'auto');
        parsesOrFailsCleanly(items.map((p) => JSON.stringify(p)).join('\n'), 'jsonl');
        const cell = (v: unknown) =>
          `"${(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')).replaceAll('"', '""')}"`;
        const rows = items.map((p) => [p.id, p.category, p.prompt, p.reference, p.check, p.pair].map(cell).join(','));
        parsesOrFailsCleanly(['id,category,prompt,reference,check,pair', ...rows].join('\n'), 'csv');
      }),
      { numRuns: 200 },
    );
  });

  test('on pathological nesting', () => {
    for (const text of [
      '['.repeat(200_000),
      '{"prompts":'.repeat(100_000),
      `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    ]) {
      assert.throws(() => parsePromptSet(text), PromptSetError);
    }
  });
});

describe('locateJson agrees with JSON.parse', () => {
  const valid = (s: string) => {
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  };
  test('on valid JSON of any shape', () => {
    fc.assert(fc.property(fc.json(), (s) => locateJson(s).error === undefined));
  });
  test('on JSON with one character inserted, deleted or replaced', () => {
    const mutated = fc
      .tuple(
        fc.json(),
        fc.nat(),
        fc.constantFrom('', ',', '"', '}', ']', '{', '[', ':', 'x', '\n', '\\', '0', '-', '.'),
        fc.boolean(),
      )
      .map(([s, n, c, replace]) => {
        const at = s.length === 0 ? 0 : n % s.length;
        return s.slice(0, at) + c + s.slice(replace ? at + 1 : at);
      });
    fc.assert(
      fc.property(mutated, (s) => (locateJson(s).error === undefined) === valid(s)),
      { numRuns: 3000 },
    );
  });
  test('counts element lines of the prompts array only', () => {
    const text = '{"x": [1,\n2],\n"prompts": [\n{"a": [\n1]},\n\n  {"b": 2}, 3\n]}';
    assert.deepEqual(locateJson(text).elementLines, [4, 7, 7]);
    assert.deepEqual(locateJson('[\n1,\n[2,\n3]]').elementLines, [2, 3]);
  });
});
