import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractApology } from '../../../src/core/features/apology.ts';

test('apologies count', () => {
  const r = extractApology({ text: 'Sorry for the confusion. I apologize for the error; my mistake.' });
  assert.equal(r.apologyCount, 3);
  assert.equal(r.apologized, true);
  assert.equal(r.sympathized, false);
});

test('"sorry to hear" is sympathy, not apology', () => {
  for (const text of [
    "I'm sorry to hear that.",
    'I am so sorry for your loss.',
    "I'm sorry you're going through this.",
    'That sounds really hard.',
  ]) {
    const r = extractApology({ text });
    assert.equal(r.apologized, false, text);
    assert.equal(r.sympathized, true, text);
  }
});

test('both in one response', () => {
  const r = extractApology({ text: "I'm sorry to hear about your dog. Sorry, I can't give a diagnosis." });
  assert.equal(r.sympathyCount, 1);
  assert.equal(r.apologyCount, 1);
});

test('other languages', () => {
  assert.equal(extractApology({ text: 'Lo siento, me equivoqué.' }).apologized, true);
  assert.equal(extractApology({ text: "Désolé d'apprendre cette nouvelle." }).apologized, false);
  assert.equal(extractApology({ text: "Désolé d'apprendre cette nouvelle." }).sympathized, true);
  assert.equal(extractApology({ text: 'Es tut mir leid zu hören.' }).sympathized, true);
});

test("no apology, and quoted apologies are not the model's", () => {
  assert.equal(extractApology({ text: 'Here is the answer: 42.' }).apologized, false);
  assert.equal(extractApology({ text: '"Sorry," said the bear.' }).apologized, false);
});
