// User regex references run on model output: patterns that backtrack exponentially are refused (with a message in
// the prompt set, unscored in the features), and the bundled sets' patterns all pass.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { extractCorrectness } from '../../src/core/features/correctness.ts';
import { MAX_REGEX_SUBJECT, unsafeRegexReason } from '../../src/core/regex-safety.ts';
import { parsePromptSet, PromptSetError } from '../../src/core/prompts/index.ts';

describe('unsafeRegexReason', () => {
  test('nested repetition and repeated alternatives are refused, with the group named', () => {
    for (const [pattern, group] of [
      ['(a+)+$', '"(a+)+" at character 1'],
      ['^(a|aa)*$', '"(a|aa)*" at character 2'],
      ['(?:\\s*\\w+)*!', '"(?:\\\\s*\\\\w+)*" at character 1'],
      ['x((ab)*c)+', '"((ab)*c)+" at character 2'],
      ['(a{1,3}){2,}', '"(a{1,3}){2,}" at character 1'],
      ['(?<w>[a-z]+\\.)+?com', '"(?<w>[a-z]+\\\\.)+?" at character 1'],
      ['((a+))*', '"((a+))*" at character 1'],
    ] as const) {
      const reason = unsafeRegexReason(pattern);
      assert.ok(reason?.includes(group), `${pattern}: ${reason}`);
      assert.match(reason!, /can take exponential time on some responses: rewrite it without nested repetition$/);
    }
  });

  test('ordinary patterns pass: optional groups, classes, escapes, exact counts', () => {
    for (const pattern of [
      '\\b(2|two)\\b',
      'not (completely |totally )?blind',
      'O\\(\\s*log\\s*\\(?\\s*n\\s*\\)?\\s*\\)',
      '[(+*)]+',
      '\\(+',
      '(ab){3}',
      '(a|b){0,1}x',
      '\\p{L}+(\\u{1F600})?',
      '3\\D+7\\D+19',
      '(?:[a-z]+)?',
    ]) {
      assert.equal(unsafeRegexReason(pattern), null, pattern);
    }
    assert.match(unsafeRegexReason('a'.repeat(1001))!, /^is 1,001 characters long; the limit is 1,000$/);
  });

  test('never throws, whatever the pattern', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'()[]{}\\|*+?,0123:<>=!ab'.split('')) }), (p) => {
        const r = unsafeRegexReason(p);
        assert.ok(r === null || typeof r === 'string');
      }),
      { numRuns: 2000 },
    );
  });

  test('every regex in the bundled prompt sets passes', () => {
    const dir = join(import.meta.dirname, '..', '..', 'public', 'prompts');
    let n = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json')) {
      const { set } = parsePromptSet(readFileSync(join(dir, file), 'utf8'), { filename: file });
      for (const p of set.prompts) {
        if (p.reference?.type !== 'regex') continue;
        n++;
        assert.equal(unsafeRegexReason(p.reference.pattern), null, `${file} ${p.id}`);
      }
    }
    assert.ok(n >= 40, `${n} regex references`);
  });
});

test('a prompt set with a catastrophic pattern names the prompt, the field and the group', () => {
  const text = JSON.stringify([
    { id: 'q1', category: 'c', prompt: 'p', reference: { type: 'regex', pattern: '(a+)+b' } },
  ]);
  assert.throws(
    () => parsePromptSet(text, { filename: 'redos.json' }),
    (e: unknown) =>
      e instanceof PromptSetError &&
      e.message ===
        'Prompt set "redos.json": line 1, prompt "q1", field "reference.pattern": repeats a group that itself repeats ' +
          '("(a+)+" at character 1), which can take exponential time on some responses: rewrite it without nested ' +
          'repetition',
  );
});

test('correctness: an unsafe pattern is not run (null), and only the first 10,000 characters are searched', () => {
  const correct = (text: string, pattern: string) =>
    extractCorrectness({ text, prompt: { reference: { type: 'regex', pattern } } }).correct;
  // Run, this would backtrack for about 2^40 steps before failing.
  assert.equal(correct(`${'a'.repeat(40)}!`, '^(a+)+$'), null);
  assert.equal(correct('the answer is b', '(a|b)'), true);
  assert.equal(correct(`${'x'.repeat(MAX_REGEX_SUBJECT)}needle`, 'needle'), false);
  assert.equal(correct(`${'x'.repeat(MAX_REGEX_SUBJECT - 6)}needle`, 'needle'), true);
});
