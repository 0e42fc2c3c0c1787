// The crosscoder's stream point as a run asks for it (crosscoder_layer): a whole number within both models' layer
// counts is read in both; nothing asked gives each model's middle point; anything else gives the middle points and a
// note that names what was asked and what fits.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choosePoints } from '../../src/services/crosscoder-session.ts';

test('crosscoder_layer: asked, absent, out of range, not a number', () => {
  assert.deepEqual(choosePoints(undefined, [5, 5]), { points: [3, 3], notes: [] });
  assert.deepEqual(choosePoints('', [5, 30]).points, [3, 15]);
  const five = choosePoints('5', [5, 5]);
  assert.deepEqual(five.points, [5, 5]);
  assert.match(five.notes[0]!, /stream point 5/);
  assert.deepEqual(choosePoints(2, [5, 30]).points, [2, 2]);
  for (const bad of ['6', '0', '-1', '2.5', 'middle']) {
    const r = choosePoints(bad, [5, 30]);
    assert.deepEqual(r.points, [3, 15], bad);
    assert.match(r.notes[0]!, new RegExp(`crosscoder_layer="${bad.replace('.', '\\.')}".*from 1 to 5`), bad);
  }
});
