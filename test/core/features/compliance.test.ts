import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractCompliance } from '../../../src/core/features/compliance.ts';
import type { Check } from '../../../src/core/features/types.ts';

const ok = (text: string, check: Check) => extractCompliance({ text, prompt: { check } }).compliant;

test('no check → null', () => {
  assert.deepEqual(extractCompliance({ text: 'hi' }), { compliant: null, checkType: null, checkMeasured: null });
});

test('word counts', () => {
  assert.equal(ok('one two three', { type: 'max_words', value: 3 }), true);
  assert.equal(ok('one two three four', { type: 'max_words', value: 3 }), false);
  assert.equal(ok('one two', { type: 'min_words', value: 3 }), false);
  assert.equal(ok('one two three', { type: 'word_count', min: 2, max: 3 }), true);
  assert.equal(ok('one', { type: 'word_count', min: 2, max: 3 }), false);
  assert.equal(ok('**Paris.**', { type: 'one_word' }), true);
  assert.equal(ok('It is Paris.', { type: 'one_word' }), false);
  assert.deepEqual(extractCompliance({ text: 'a b c d', prompt: { check: { type: 'max_words', value: 2 } } }), {
    compliant: false,
    checkType: 'max_words',
    checkMeasured: 4,
  });
});

test('list and paragraph counts', () => {
  const three = 'Tips:\n- a\n- b\n- c';
  assert.equal(ok(three, { type: 'bullet_count', value: 3 }), true);
  assert.equal(ok(three, { type: 'bullet_count', value: 2 }), false);
  assert.equal(ok('1. a\n2. b', { type: 'numbered_list_count', value: 2 }), true);
  assert.equal(ok('- a\n- b', { type: 'numbered_list_count', value: 2 }), false);
  assert.equal(ok('First.\n\nSecond.\n\n***\n\nThird.', { type: 'paragraph_count', value: 3 }), true);
  assert.equal(ok('One block\nstill one.', { type: 'paragraph_count', value: 2 }), false);
});

test('case and commas', () => {
  assert.equal(ok('all lower case here.', { type: 'all_lowercase' }), true);
  assert.equal(ok('Not all lower.', { type: 'all_lowercase' }), false);
  assert.equal(ok('123', { type: 'all_lowercase' }), false);
  assert.equal(ok('ALL CAPS, 100%!', { type: 'all_uppercase' }), true);
  assert.equal(ok('ALL CAPS but one', { type: 'all_uppercase' }), false);
  assert.equal(ok('No commas here.', { type: 'no_commas' }), true);
  assert.equal(ok('Yes, a comma.', { type: 'no_commas' }), false);
  assert.equal(ok('中文，逗号', { type: 'no_commas' }), false);
});

test('starts and ends with, ignoring case, whitespace, quotes and emphasis', () => {
  assert.equal(ok('  **Dear** friend, hello', { type: 'starts_with', value: 'dear' }), true);
  assert.equal(ok('Hello dear', { type: 'starts_with', value: 'dear' }), false);
  assert.equal(
    ok('Text. Is there anything else I can help with?\n', {
      type: 'ends_with',
      value: 'Is there anything else I can help with?',
    }),
    true,
  );
  assert.equal(
    ok('Text. Anything else?', { type: 'ends_with', value: 'Is there anything else I can help with?' }),
    false,
  );
});

test('keywords: whole words, case-insensitive, minimum count', () => {
  assert.equal(ok('Rust and Go are fast.', { type: 'contains_keywords', keywords: ['rust', 'go'] }), true);
  assert.equal(ok('Rusty gophers.', { type: 'contains_keywords', keywords: ['rust', 'go'] }), false);
  assert.equal(ok('cat cat', { type: 'contains_keywords', keywords: ['cat'], minCount: 3 }), false);
  assert.equal(ok('cat cat cat', { type: 'contains_keywords', keywords: ['cat'], minCount: 3 }), true);
  assert.equal(ok('A nice day.', { type: 'excludes_keywords', keywords: ['bad', 'awful'] }), true);
  assert.equal(ok('An awful day.', { type: 'excludes_keywords', keywords: ['bad', 'awful'] }), false);
});

test('JSON objects or arrays, fenced or not', () => {
  assert.equal(ok('{"a": 1}', { type: 'json_format' }), true);
  assert.equal(ok('```json\n[1, 2]\n```', { type: 'json_format' }), true);
  assert.equal(ok('Here it is: {"a": 1}', { type: 'json_format' }), false);
  assert.equal(ok('{"a": 1,}', { type: 'json_format' }), false);
  assert.equal(ok('42', { type: 'json_format' }), false);
});

test('language', () => {
  assert.equal(ok('El perro está en la casa y no quiere salir.', { type: 'language', value: 'es' }), true);
  assert.equal(ok('The dog is in the house and does not want to go out.', { type: 'language', value: 'es' }), false);
});
