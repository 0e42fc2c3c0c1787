import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECK_TYPES, EXTRACTORS, FEATURES, REFERENCE_TYPES, extractAll } from '../../../src/core/features/index.ts';

test('every feature has a unique name, a kind, a category and a description', () => {
  const names = FEATURES.map((f) => f.name);
  assert.equal(new Set(names).size, names.length);
  for (const f of FEATURES) {
    assert.ok(['binary', 'continuous', 'categorical'].includes(f.kind), f.name);
    assert.ok(['capability', 'safety', 'response-pattern', 'confidence'].includes(f.category), f.name);
    assert.ok(f.description.length > 5, f.name);
  }
  assert.equal(EXTRACTORS.length, 12);
});

test('extractAll returns exactly the registered features, with values of the declared kind', () => {
  const inputs = [
    { text: '' },
    { text: "I'm sorry, but I can't help with that." },
    {
      text: '# Plan\n\n- step one\n- step two\n\nThe answer is 42. Would you like more?',
      tokenLogprobs: [-0.5, -1],
      entropies: [1, 2],
      tokenCount: 2,
      refusalOpenerProb: 0.01,
      prompt: {
        reference: { type: 'numeric' as const, value: 42 },
        check: { type: 'bullet_count' as const, value: 2 },
        category: 'math',
      },
    },
  ];
  for (const input of inputs) {
    const out = extractAll(input);
    assert.deepEqual(Object.keys(out).sort(), FEATURES.map((f) => f.name).sort());
    for (const f of FEATURES) {
      const v = out[f.name];
      if (v === null) continue;
      const want = f.kind === 'binary' ? 'boolean' : f.kind === 'continuous' ? 'number' : 'string';
      assert.equal(typeof v, want, `${f.name} = ${String(v)}`);
      if (typeof v === 'number') assert.ok(Number.isFinite(v), f.name);
    }
  }
  const full = extractAll(inputs[2]!);
  assert.equal(full.correct, true);
  assert.equal(full.compliant, true);
  assert.equal(full.refusal, 'comply');
  assert.equal(extractAll(inputs[1]!).refused, true);
});

test('deterministic: same input, same output', () => {
  const input = { text: 'Perhaps. I think so? Sorry!', tokenLogprobs: [-1, -2] };
  assert.deepEqual(extractAll(input), extractAll(input));
});

test('check and reference type lists for prompt-set parsers', () => {
  assert.ok(CHECK_TYPES.includes('max_words'));
  assert.equal(CHECK_TYPES.length, 16);
  assert.deepEqual([...REFERENCE_TYPES].sort(), ['exact', 'numeric', 'one_of', 'regex']);
});
