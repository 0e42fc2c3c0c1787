// Bad JSON prompt sets: each problem is a PromptSetError issue naming its line, prompt and field, and what to do.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { issuesOf, jsonSet, ok, places } from './issues.ts';

describe('JSON', () => {
  test('a syntax error names its line and column', () => {
    const text = '{\n  "id": "s",\n  "prompts": [\n    {"id": "a" "category": "c"}\n  ]\n}';
    const [issue] = issuesOf(text);
    assert.equal(issue?.line, 4);
    assert.match(issue?.message ?? '', /invalid JSON at column 16: expected "," or "}" after a property value/);
  });

  test('a trailing comma is called a trailing comma', () => {
    const [issue] = issuesOf('[\n  {"id": "a", "category": "c", "prompt": "p"},\n]');
    assert.equal(issue?.line, 3);
    assert.match(issue?.message ?? '', /trailing comma/);
  });

  test('duplicate ids name both lines', () => {
    const issues = issuesOf(jsonSet([ok('a'), ok('b'), ok('a')]));
    assert.deepEqual(places(issues), [{ line: 5, promptId: 'a', field: 'id' }]);
    assert.match(issues[0]?.message ?? '', /duplicate id "a", first used on line 3/);
  });

  test('missing or empty id and category', () => {
    const issues = issuesOf(
      jsonSet([
        { category: 'c', prompt: 'p' },
        { id: ' ', category: '', prompt: 'p' },
        { id: 7, prompt: 'p' },
      ]),
    );
    assert.deepEqual(places(issues), [
      { line: 3, field: 'id' },
      { line: 4, field: 'id' },
      { line: 4, field: 'category' },
      { line: 5, field: 'id' },
      { line: 5, field: 'category' },
    ]);
    assert.match(issues[4]?.message ?? '', /missing: every prompt needs a category/);
    assert.match(issues[3]?.message ?? '', /must be a string, got a number: put it in quotes/);
  });

  test('both or neither of prompt and messages', () => {
    const both = { id: 'a', category: 'c', prompt: 'p', messages: [{ role: 'user', content: 'x' }] };
    const neither = { id: 'b', category: 'c' };
    const issues = issuesOf(jsonSet([both, neither]));
    assert.deepEqual(places(issues), [
      { line: 3, promptId: 'a', field: 'prompt' },
      { line: 4, promptId: 'b', field: 'prompt' },
    ]);
    assert.match(issues[0]?.message ?? '', /keep exactly one/);
    assert.match(issues[1]?.message ?? '', /neither "prompt" nor "messages"/);
  });

  test('wrong roles, a late system message, and a chat not ending with the user', () => {
    const items = [
      { id: 'a', category: 'c', messages: [{ role: 'human', content: 'x' }] },
      {
        id: 'b',
        category: 'c',
        messages: [
          { role: 'user', content: 'x' },
          { role: 'system', content: 'y' },
          { role: 'user', content: 'z' },
        ],
      },
      {
        id: 'c',
        category: 'c',
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: 'y' },
        ],
      },
      { id: 'd', category: 'c', messages: [] },
    ];
    const issues = issuesOf(jsonSet(items));
    assert.deepEqual(places(issues), [
      { line: 3, promptId: 'a', field: 'messages[0].role' },
      { line: 4, promptId: 'b', field: 'messages[1].role' },
      { line: 5, promptId: 'c', field: 'messages[1].role' },
      { line: 6, promptId: 'd', field: 'messages' },
    ]);
    assert.match(issues[0]?.message ?? '', /use "system", "user" or "assistant"/);
    assert.match(issues[2]?.message ?? '', /last message must be a "user" turn/);
  });

  test('a pair pointing nowhere, or to itself', () => {
    const issues = issuesOf(
      jsonSet([
        { ...ok('a'), pair: 'zz' },
        { ...ok('b'), pair: 'b' },
      ]),
    );
    assert.deepEqual(places(issues), [
      { line: 4, promptId: 'b', field: 'pair' },
      { line: 3, promptId: 'a', field: 'pair' },
    ]);
    assert.match(issues[1]?.message ?? '', /"zz" is not the id of any prompt in this set/);
  });

  test('unknown check types, with a suggestion, and check values of the wrong kind', () => {
    const items = [
      { ...ok('a'), check: { type: 'max_word', value: 5 } },
      { ...ok('b'), check: { type: 'max_words', value: '5' } },
      { ...ok('c'), check: { type: 'contains_keywords', value: 'x' } },
      { ...ok('d'), check: 'max_words' },
    ];
    const issues = issuesOf(jsonSet(items));
    assert.deepEqual(places(issues), [
      { line: 3, promptId: 'a', field: 'check.type' },
      { line: 4, promptId: 'b', field: 'check.value' },
      { line: 5, promptId: 'c', field: 'check.value' },
      { line: 6, promptId: 'd', field: 'check' },
    ]);
    assert.match(issues[0]?.message ?? '', /unknown check type "max_word" \(did you mean "max_words"\?\): use one of/);
    assert.match(issues[1]?.message ?? '', /needs a whole number >= 1/);
  });

  test('malformed references', () => {
    const items = [
      { ...ok('a'), reference: 'Paris' },
      { ...ok('b'), reference: { type: 'fuzzy', value: 'x' } },
      { ...ok('c'), reference: { type: 'numeric', value: '4' } },
      { ...ok('d'), reference: { type: 'regex', pattern: '(' } },
      { ...ok('e'), reference: { type: 'regex', pattern: 'x', flags: 'g' } },
      { ...ok('f'), reference: { type: 'oneOf', values: [] } },
      { ...ok('g'), reference: { type: 'exact', value: 4 } },
    ];
    const issues = issuesOf(jsonSet(items));
    assert.deepEqual(
      issues.map((i) => [i.line, i.field]),
      [
        [3, 'reference'],
        [4, 'reference.type'],
        [5, 'reference.value'],
        [6, 'reference.pattern'],
        [7, 'reference.flags'],
        [8, 'reference.values'],
        [9, 'reference.value'],
      ],
    );
    assert.match(issues[0]?.message ?? '', /must be an object like \{"type": "exact", "value": "Paris"\}/);
    assert.match(issues[3]?.message ?? '', /not a valid regular expression/);
    assert.match(issues[6]?.message ?? '', /for numbers use type "numeric"/);
  });

  test("set fields of the wrong type are reported along with the prompts' problems", () => {
    const issues = issuesOf('{"id": "s", "name": 5, "license": ["x"],\n"prompts": [\n{"id": "a", "prompt": "p"}]}');
    assert.deepEqual(places(issues), [
      { field: 'name' },
      { field: 'license' },
      { line: 3, promptId: 'a', field: 'category' },
    ]);
    assert.match(issues[0]?.message ?? '', /the set's name must be a string, got a number/);
  });

  test('an empty set, an empty file, a set without prompts', () => {
    assert.match(issuesOf('[]')[0]?.message ?? '', /holds no prompts/);
    assert.match(issuesOf('  \n ')[0]?.message ?? '', /the file is empty/);
    assert.deepEqual(places(issuesOf('{"id": "x", "name": "y"}')), [{ field: 'prompts' }]);
    assert.deepEqual(places(issuesOf('"just a string"', { format: 'json' })), [{ field: 'prompts' }]);
  });
});
