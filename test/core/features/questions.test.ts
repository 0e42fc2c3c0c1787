import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractQuestions } from '../../../src/core/features/questions.ts';

test('questions back to the user', () => {
  const r = extractQuestions({ text: 'Here is the fix. Would you like me to explain why it works?' });
  assert.equal(r.questionCount, 1);
  assert.equal(r.userQuestionCount, 1);
  assert.equal(r.asksUser, true);
  assert.equal(r.offersFurtherHelp, true);
  assert.equal(r.endsWithQuestion, true);
  assert.equal(r.asksClarification, false);
});

test('clarification requests', () => {
  const r = extractQuestions({ text: 'Could you clarify which version you are using?' });
  assert.equal(r.asksClarification, true);
  assert.equal(r.asksUser, true);
  assert.equal(extractQuestions({ text: 'Did you mean the Python list or the array module?' }).asksClarification, true);
});

test('rhetorical questions and headings are not addressed to the user', () => {
  const r = extractQuestions({
    text: '## Why does the sky look blue?\n\nWhy is that? Rayleigh scattering favours short wavelengths.',
  });
  assert.equal(r.questionCount, 1);
  assert.equal(r.userQuestionCount, 0);
  assert.equal(r.asksUser, false);
  assert.equal(r.endsWithQuestion, false);
});

test('question marks in code and quotes do not count; statements have none', () => {
  assert.equal(extractQuestions({ text: 'Use `x ? a : b`.\n```\nok = a ? b : c\n```' }).questionCount, 0);
  assert.equal(extractQuestions({ text: 'She asked, "Are you coming?" and left.' }).questionCount, 0);
  const r = extractQuestions({ text: 'The answer is 4. Let me know if anything is unclear.' });
  assert.equal(r.questionCount, 0);
  assert.equal(r.offersFurtherHelp, true);
});

test('other scripts and languages', () => {
  assert.equal(extractQuestions({ text: '¿Quieres que te lo explique?' }).asksUser, true);
  assert.equal(extractQuestions({ text: '你想知道更多吗？' }).questionCount, 1);
});
