import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extractCorrectness, finalNumber } from '../../../src/core/features/correctness.ts';
import type { Reference } from '../../../src/core/features/types.ts';

const correct = (text: string, reference: Reference) => extractCorrectness({ text, prompt: { reference } }).correct;

describe('finalNumber', () => {
  const cases: [string, number | null][] = [
    ['The answer is 42.', 42],
    ['First 3, then 7, so 10', 10],
    ['It costs $1,234.50 in total.', 1234.5],
    ['x = -3.5', -3.5],
    ['x = −3.5 (unicode minus)', -3.5],
    ['5-3 = 2', 2],
    ['About 3/4 of the cake', 0.75],
    ['Roughly 50% of people', 50],
    ['The answer is 12, because 4 × 3 = 12 and 13 is wrong.', 12],
    ['Working: 6 * 7 = 42\n#### 42', 42],
    ['So \\boxed{7} is the result (from step 3).', 7],
    ['It is 1.5e3 metres', 1500],
    ['The answer is forty-two.', 42],
    ['No digits and no number words here.', null],
    ['Version v2 is out', null],
  ];
  for (const [text, want] of cases) test(text, () => assert.equal(finalNumber(text), want));
});

describe('correctness', () => {
  test('no reference → null', () => {
    assert.deepEqual(extractCorrectness({ text: 'Paris' }), { correct: null, extractedNumber: null });
  });

  test('numeric with tolerance', () => {
    assert.equal(correct('The total is 3.14159.', { type: 'numeric', value: 3.14 }), false);
    assert.equal(correct('The total is 3.14159.', { type: 'numeric', value: 3.14, tolerance: 0.01 }), true);
    assert.equal(correct('I do not know.', { type: 'numeric', value: 3 }), false);
    assert.equal(
      extractCorrectness({ text: 'That makes 1,000 apples.', prompt: { reference: { type: 'numeric', value: 1000 } } })
        .extractedNumber,
      1000,
    );
  });

  test('exact: normalised whole-word occurrence by default', () => {
    assert.equal(correct('The capital of France is **Paris**.', { type: 'exact', value: 'paris' }), true);
    assert.equal(correct('The capital is Parisville.', { type: 'exact', value: 'Paris' }), false);
    assert.equal(correct('It was George Washington.', { type: 'exact', value: 'george washington' }), true);
  });

  test('exact with whole: the full response or its marked answer', () => {
    assert.equal(correct('  Paris. ', { type: 'exact', value: 'Paris', whole: true }), true);
    assert.equal(correct('Let me think.\nAnswer: Paris', { type: 'exact', value: 'Paris', whole: true }), true);
    assert.equal(correct('Paris or Lyon', { type: 'exact', value: 'Paris', whole: true }), false);
  });

  test('one_of and regex', () => {
    assert.equal(correct('It is the USA.', { type: 'one_of', values: ['United States', 'USA'] }), true);
    assert.equal(correct('It is Canada.', { type: 'one_of', values: ['United States', 'USA'] }), false);
    assert.equal(correct('Result: 0x1F', { type: 'regex', pattern: '0x[0-9a-f]+', flags: 'i' }), true);
    assert.equal(correct('Result: none', { type: 'regex', pattern: '0x[0-9a-f]+' }), false);
    assert.equal(correct('anything', { type: 'regex', pattern: '(' }), null);
  });

  test('a global flag does not make regex scoring stateful', () => {
    const reference: Reference = { type: 'regex', pattern: 'yes', flags: 'g' };
    assert.equal(correct('yes', reference), true);
    assert.equal(correct('yes', reference), true);
  });
});
