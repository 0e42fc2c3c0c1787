import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractHedging } from '../../../src/core/features/hedging.ts';

test('counts hedging markers and their rate per 100 words', () => {
  const r = extractHedging({ text: "I think it might rain. Perhaps not; it depends on the wind, and I'm not sure." });
  assert.equal(r.hedgeCount, 5);
  assert.equal(r.hedged, true);
  assert.ok(Math.abs(r.hedgeRate! - (100 * 5) / 16) < 1e-9);
});

test('confident text has none', () => {
  const r = extractHedging({ text: 'Water boils at 100 °C at sea level. The answer is 4.' });
  assert.deepEqual(r, { hedgeCount: 0, hedgeRate: 0, hedged: false });
});

test('the month May and "may I" are not hedges; "may" is', () => {
  assert.equal(extractHedging({ text: 'The shop opened in May 2020. May I help?' }).hedgeCount, 0);
  assert.equal(extractHedging({ text: 'This may cause errors.' }).hedgeCount, 1);
});

test('hedges inside code do not count; other languages do', () => {
  assert.equal(extractHedging({ text: '```\nmaybe = True\n```' }).hedgeCount, 0);
  assert.equal(extractHedging({ text: 'Quizás llueva mañana, peut-être aussi vielleicht.' }).hedgeCount, 3);
});

test('no words → rate is null', () => {
  assert.equal(extractHedging({ text: '' }).hedgeRate, null);
});
