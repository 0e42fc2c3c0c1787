// Per-token evidence for the prompt view: pieces that spell the response whatever single-token decoding does,
// surprisal under the other model, and (same vocabulary) KL and both models' alternatives per position.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diff } from '../../../src/core/diff/build-report.ts';
import { validateReport } from '../../../src/core/diff/report-validate.ts';
import { divergence } from '../../../src/core/diff/token-divergence.ts';
import { TOKEN_ALTERNATIVES, responseTokens, spellTokens } from '../../../src/core/diff/token-view.ts';
import type { ScoredStep, TokenStep } from '../../../src/core/engine/types.ts';
import { style, syntheticPair, syntheticSet } from './synthetic.ts';

const spelled = (text: string, toks: string[]) => {
  const { piece, texts } = spellTokens(text, toks);
  assert.equal(texts.join(''), text, `pieces ${JSON.stringify(texts)} do not spell ${JSON.stringify(text)}`);
  return { piece, texts };
};

test('pieces spell the text when decoding drops the leading space of each token', () => {
  const { piece, texts } = spelled('The answer is yes.', ['The', 'answer', 'is', 'yes', '.']);
  assert.deepEqual(texts, ['The', ' answer', ' is', ' yes', '.']);
  assert.deepEqual(piece, [0, 1, 2, 3, 4]);
});

test('tokens that keep their spaces, or use ▁, are placed as they are', () => {
  assert.deepEqual(spelled('a  b', ['a', '  b']).texts, ['a', '  b']);
  assert.deepEqual(spelled('a b', ['\u2581a', '\u2581b']).texts, ['a', ' b']);
});

test('byte pieces of a multi-byte character join the piece before them and take the character', () => {
  const { piece, texts } = spelled('I am 😀 ok', ['I', 'am', '\ufffd', '\ufffd', 'ok']);
  assert.deepEqual(texts, ['I', ' am 😀', ' ok']);
  assert.deepEqual(piece, [0, 1, 1, 1, 2]);
});

test('unplaceable tokens at the start, special tokens and unknown texts still spell the text', () => {
  assert.deepEqual(spelled('é and', ['<0xC3>', '<0xA9>', 'and']).texts, ['é', ' and']);
  assert.deepEqual(spelled('Hi.', ['Hi', '.', '<|end|>']).texts, ['Hi', '.']);
  assert.deepEqual(spelled('Hi there', ['#12', '#13']).texts, ['Hi there']);
  assert.deepEqual(spelled('', []).texts, []);
});

const step = (id: number, logprob: number, top: [number, number][]): TokenStep => ({
  id,
  logprob,
  entropy: 1,
  top: top.map(([i, lp]) => ({ id: i, logprob: lp })),
});
const WORDS: Record<number, string> = { 1: 'The', 2: 'answer', 3: 'yes', 4: 'joy', 5: 'no' };
const word = (id: number) => WORDS[id] ?? `#${id}`;

test('same vocabulary: bits under the other model, own bits, KL(B‖A) and both models’ alternatives', () => {
  // A's response "The yes", scored by B with A's top-2 ids as candidates.
  const own = [
    step(1, Math.log(0.9), [
      [1, Math.log(0.9)],
      [2, Math.log(0.05)],
    ]),
    step(3, Math.log(0.6), [
      [3, Math.log(0.6)],
      [4, Math.log(0.2)],
    ]),
  ];
  const scored: ScoredStep[] = [
    {
      ...step(1, Math.log(0.8), [
        [1, Math.log(0.8)],
        [5, Math.log(0.1)],
      ]),
      candidates: [
        { id: 1, logprob: Math.log(0.8) },
        { id: 2, logprob: Math.log(0.1) },
      ],
    },
    {
      ...step(3, Math.log(0.125), [
        [4, Math.log(0.7)],
        [3, Math.log(0.125)],
      ]),
      candidates: [
        { id: 3, logprob: Math.log(0.125) },
        { id: 4, logprob: Math.log(0.7) },
      ],
    },
  ];
  const toks = responseTokens('The yes', scored, word, { own, ownerIsA: true });
  assert.deepEqual(
    toks.map((t) => t.text),
    ['The', ' yes'],
  );
  assert.equal(toks[1]!.bits, 3); // −log2(1/8)
  assert.equal(toks[1]!.selfBits, Math.round(-Math.log2(0.6) * 1000) / 1000);
  const kl = divergence({ ids: [3, 4], lpA: [Math.log(0.6), Math.log(0.2)], lpB: [Math.log(0.125), Math.log(0.7)] }).kl;
  assert.equal(toks[1]!.kl, Math.round(kl * 1000) / 1000);
  assert.ok(toks[1]!.kl! > 0.5);
  assert.deepEqual(toks[1]!.topA, [
    { token: 'yes', logprob: Math.round(Math.log(0.6) * 1000) / 1000 },
    { token: 'joy', logprob: Math.round(Math.log(0.2) * 1000) / 1000 },
  ]);
  assert.deepEqual(
    toks[1]!.topB!.map((c) => c.token),
    ['joy', 'yes'],
  );
  // Owner B: the scorer is A, so A's alternatives come from the scored steps.
  const asB = responseTokens('The yes', scored, word, { own, ownerIsA: false });
  assert.deepEqual(
    asB[1]!.topA!.map((c) => c.token),
    ['joy', 'yes'],
  );
  assert.deepEqual(
    asB[1]!.topB!.map((c) => c.token),
    ['yes', 'joy'],
  );
});

test('different vocabularies: only the text and the other model’s surprisal; merged pieces add their bits', () => {
  const scored: ScoredStep[] = [step(7, -Math.LN2, []), step(8, -2 * Math.LN2, []), step(9, -Math.LN2 / 2, [])];
  const texts: Record<number, string> = { 7: 'caf', 8: '\ufffd', 9: 'ok' };
  const toks = responseTokens('café ok', scored, (id) => texts[id]!, null);
  assert.deepEqual(toks, [
    { text: 'café', bits: 3 },
    { text: ' ok', bits: 0.5 },
  ]);
  const zero = responseTokens('x', [step(1, -Infinity, [])], () => 'x', null);
  assert.deepEqual(zero, [{ text: 'x', bits: null }]);
});

test('diff() gives every response its tokens, spelling it, and the report validates', () => {
  const set = syntheticSet(30, 5);
  const pair = syntheticPair(set, style('A'), style('B', { boost: { joy: 2 } }), 5);
  const report = diff(pair, set, { resamples: 100 });
  let detailed = 0;
  for (const p of report.prompts) {
    for (const side of [p.a, p.b]) {
      assert.ok(side.tokens, `${p.id} has no tokens`);
      assert.equal(side.tokens.map((t) => t.text).join(''), side.text);
      for (const t of side.tokens) {
        if (t.kl === undefined) continue;
        detailed++;
        assert.ok(t.topA!.length <= TOKEN_ALTERNATIVES && t.topB!.length <= TOKEN_ALTERNATIVES);
      }
    }
  }
  assert.ok(detailed > 100, `only ${detailed} tokens had KL and alternatives`);
  assert.deepEqual(validateReport(JSON.parse(JSON.stringify(report))), JSON.parse(JSON.stringify(report)));
});

test('a report without per-token data (written before it existed) still validates', () => {
  const set = syntheticSet(10, 6);
  const report = JSON.parse(
    JSON.stringify(diff(syntheticPair(set, style('A'), style('B'), 6), set, { resamples: 50 })),
  );
  for (const p of report.prompts) {
    delete p.a.tokens;
    delete p.b.tokens;
  }
  assert.doesNotThrow(() => validateReport(report));
});
