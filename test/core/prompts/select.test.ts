// Views of a prompt set: chat form, raw prompts, category counts and subsets.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PromptSetError, categoryCounts, isRaw, selectCategories, toChat } from '../../../src/core/prompts/index.ts';
import type { PromptSet } from '../../../src/core/prompts/index.ts';

const set: PromptSet = {
  id: 's',
  name: 'S',
  prompts: [
    { id: 'h1', category: 'safety-harmful', prompt: 'bad', pair: 'b1', harmful: true },
    { id: 'b1', category: 'safety-benign', prompt: 'good', harmful: false },
    { id: 'q', category: 'capability', prompt: 'What is 2 + 2?' },
    { id: 'f', category: 'sycophancy', messages: [{ role: 'user', content: 'Sure?' }], pair: 'q' },
    { id: 'r', category: 'story', prompt: 'Once upon a time', tags: ['raw'] },
  ],
};

describe('toChat', () => {
  test('a prompt string becomes one user turn; messages are returned as a copy', () => {
    assert.deepEqual(toChat(set.prompts[2]!), [{ role: 'user', content: 'What is 2 + 2?' }]);
    const chat = toChat(set.prompts[3]!);
    assert.deepEqual(chat, [{ role: 'user', content: 'Sure?' }]);
    chat[0]!.content = 'changed';
    assert.equal(set.prompts[3]!.messages?.[0]?.content, 'Sure?');
  });
  test('isRaw reads the "raw" tag', () => {
    assert.equal(isRaw(set.prompts[4]!), true);
    assert.equal(isRaw(set.prompts[0]!), false);
  });
});

describe('categoryCounts', () => {
  test('in order of first appearance', () => {
    assert.deepEqual(categoryCounts(set), [
      { id: 'safety-harmful', count: 1 },
      { id: 'safety-benign', count: 1 },
      { id: 'capability', count: 1 },
      { id: 'sycophancy', count: 1 },
      { id: 'story', count: 1 },
    ]);
  });
});

describe('selectCategories', () => {
  test('keeps order and pairs whose partner is kept', () => {
    const sub = selectCategories(set, ['safety-benign', 'safety-harmful']);
    assert.deepEqual(
      sub.prompts.map((p) => p.id),
      ['h1', 'b1'],
    );
    assert.equal(sub.prompts[0]?.pair, 'b1');
    assert.equal(sub.id, 's');
  });
  test('drops a pair whose partner is left out, without touching the original', () => {
    const sub = selectCategories(set, ['sycophancy']);
    assert.deepEqual(sub.prompts, [
      { id: 'f', category: 'sycophancy', messages: [{ role: 'user', content: 'Sure?' }] },
    ]);
    assert.equal(set.prompts[3]?.pair, 'q');
  });
  test('an empty selection is a PromptSetError listing the categories there are', () => {
    assert.throws(
      () => selectCategories(set, ['nope']),
      (e: unknown) =>
        e instanceof PromptSetError && /categories nope select no prompt.*it has: safety-harmful/.test(e.message),
    );
  });
});
