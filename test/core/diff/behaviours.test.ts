// Behaviours from significant rows (discovery/behaviours.ts), on rows made by hand so that each rule is seen alone:
// measures of one style shift that change on different subsets of most prompts are one behaviour (step 2b); two
// narrow shifts on different prompts stay two; a vocabulary behaviour names its lead claim first.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildBehaviours, type RowInput } from '../../../src/core/diff/discovery/behaviours.ts';
import { vocabularySentence } from '../../../src/core/diff/discovery/behaviour-words.ts';
import type { Difference, ReportCategory } from '../../../src/core/diff/report-types.ts';

const N = 40;
const ids = Array.from({ length: N }, (_, i) => `p${i}`);

/** A significant overall row of `feature` whose per-prompt difference B − A is `at(i)`. */
function row(index: number, feature: string, category: ReportCategory, at: (i: number) => number): RowInput {
  const diffs = new Map(ids.map((id, i) => [id, at(i)]));
  const effect = [...diffs.values()].reduce((s, x) => s + x, 0) / N;
  const diff: Difference = {
    feature,
    description: feature,
    kind: 'continuous',
    category,
    promptCategory: null,
    n: N,
    meanA: 1,
    meanB: 1 + effect,
    effect,
    ci: effect > 0 ? [effect / 2, effect * 2] : [effect * 2, effect / 2],
    p: 1e-6,
    q: 1e-5,
    test: 'wilcoxon-normal',
    effectSize: { measure: 'rank-biserial', value: Math.sign(effect) * 0.8, magnitude: 'large' },
    significant: true,
    sentence: '',
    examples: [],
  };
  return { index, diff, diffs };
}

const context = {
  prompts: ids.map((id, i) => ({
    id,
    category: 'stories',
    text: `Tell story number ${i}.`,
    harmful: false,
    lookAlike: false,
  })),
  split: {
    seed: 1,
    discovery: new Set(ids.filter((_, i) => i % 2 === 0)),
    confirmation: new Set(ids.filter((_, i) => i % 2 === 1)),
  },
  alpha: 0.05,
  names: { a: 'base', b: 'tuned' },
  clusterOf: new Map(ids.map((id, i) => [id, i])),
};

test('measures of one style shift across most prompts are one broad behaviour, whatever subsets they change on', () => {
  const rows = [
    // Fewer sentences on 34 of 40 prompts (broad).
    row(0, 'sentenceCount', 'response-pattern', (i) => (i < 34 ? -1 - (i % 3) * 0.1 : 0.2)),
    // Less looping where loops were: 14 prompts, 6 of them outside the 34 (57% of its change inside them).
    row(1, 'loopWords', 'response-pattern', (i) => (i < 4 || i >= 30 ? -3 - (i % 2) : 0)),
    // More distinct words on the last 20 prompts (70% inside).
    row(2, 'distinct1', 'response-pattern', (i) => (i >= 20 ? 0.08 + (i % 4) * 0.01 : 0)),
    // Sharper on every prompt.
    row(3, 'meanEntropy', 'confidence', (i) => -0.5 - (i % 5) * 0.05),
  ];
  const out = buildBehaviours(rows, context);
  assert.equal(out.length, 1, out.map((b) => b.sentence).join('\n'));
  const [b] = out;
  assert.equal(b!.scope, 'broad');
  assert.deepEqual([...b!.evidence].sort(), [0, 1, 2, 3]);
  assert.match(b!.sentence, /fewer sentences/);
  assert.match(b!.sentence, /less repetitive|less looping/);
  assert.match(b!.sentence, /sharper/);
  // The first broad group in rank order leads: its category and numbers are the behaviour's.
  assert.equal(b!.category, 'response-pattern');
  assert.equal(b!.lead, 0);
});

test('two narrow shifts of broad kinds on different prompts, with no broad one, stay two behaviours', () => {
  const rows = [
    row(0, 'sentenceCount', 'response-pattern', (i) => (i < 10 ? -2 - (i % 3) * 0.1 : 0)),
    row(1, 'loopWords', 'response-pattern', (i) => (i >= 30 ? -3 - (i % 2) : 0)),
  ];
  const out = buildBehaviours(rows, context);
  assert.equal(out.length, 2, out.map((b) => b.sentence).join('\n'));
  assert.ok(out.every((b) => b.scope === 'specific'));
});

test('a shift on most prompts does not take in a change of another kind (a refusal stays its own)', () => {
  const rows = [
    row(0, 'sentenceCount', 'response-pattern', (i) => (i < 34 ? -1 : 0.2)),
    row(1, 'meanEntropy', 'confidence', () => -0.5),
    row(2, 'refused', 'safety', (i) => (i >= 30 ? 1 : 0)),
  ];
  rows[2]!.diff.kind = 'binary';
  const out = buildBehaviours(rows, context);
  assert.equal(out.length, 2, out.map((b) => b.sentence).join('\n'));
  assert.equal(out[0]!.category, 'safety');
  assert.deepEqual([...out[1]!.evidence].sort(), [0, 1]);
});

test('a narrower shift with a condition of its own stays a specific behaviour beside the broad one', () => {
  // Every fourth prompt names Lily; replies to those loop less, and nowhere else (2 of the 10 outside the broad
  // shift's prompts, so concentration alone would not tie it).
  const lily = (i: number) => i % 4 === 3;
  const named = {
    ...context,
    prompts: context.prompts.map((p, i) => ({ ...p, text: lily(i) ? `A story about Lily, number ${i}.` : p.text })),
  };
  const rows = [
    row(0, 'sentenceCount', 'response-pattern', (i) => (i < 34 ? -1 - (i % 3) * 0.1 : 0.2)),
    row(1, 'loopWords', 'response-pattern', (i) => (lily(i) ? -3 - (i % 3) : 0)),
    row(2, 'meanEntropy', 'confidence', (i) => -0.5 - (i % 5) * 0.05),
  ];
  const out = buildBehaviours(rows, named);
  assert.equal(out.length, 2, out.map((b) => b.sentence).join('\n'));
  const broad = out.find((b) => b.scope === 'broad')!;
  assert.deepEqual([...broad.evidence].sort(), [0, 2]);
  const specific = out.find((b) => b.scope === 'specific')!;
  assert.equal(specific.lead, 1);
  assert.ok(
    specific.condition?.words?.some((w) => w.word === 'lily'),
    `condition: ${JSON.stringify(specific.condition)}`,
  );
});

test('a vocabulary behaviour names its lead claim first, so the numbers it quotes are the first claim’s', () => {
  const d = (feature: string, effect: number) => row(0, feature, 'vocabulary', () => effect).diff;
  const rows = [
    d('says:put', 1),
    d('likelier:liked', 1),
    d('likelier:put', 0.8),
    d('likelier:big', -1),
    d('raises:saw', -1),
  ];
  // The lead is the group's strongest row, wherever its kind falls in the usual order (says, likelier, raises).
  const liked = vocabularySentence('tuned', rows, rows[1]!, '');
  assert.match(liked, /^tuned finds “liked” and “put” likelier where said; says “put” more often; /);
  assert.match(liked, /finds “big” less likely where said; lowers “saw” in its next-token choices \(“liked”: \+1\.0 /);
  // The lead's term comes first within its claim too.
  const put = vocabularySentence('tuned', rows, rows[2]!, '');
  assert.match(put, /^tuned finds “put” and “liked” likelier where said; says “put” more often; .*\(“put”: \+0\.80 /);
  // A lead in the usual first place changes nothing.
  assert.match(
    vocabularySentence('tuned', rows, rows[0]!, ''),
    /^tuned says “put” more often; finds “liked” and “put”/,
  );
});
