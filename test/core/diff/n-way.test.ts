// n-way comparison on synthetic profiles: the model that refuses and runs long stands alone; identical models are
// at distance zero; the matrices are symmetric.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nWay } from '../../../src/core/diff/n-way.ts';
import type { ModelProfile } from '../../../src/core/profile/types.ts';
import { style, syntheticProfile, syntheticSet } from './synthetic.ts';

const set = syntheticSet(80, 4);
const a = syntheticProfile(set, style('A'), 1);
const b = syntheticProfile(set, style('B'), 2); // behaves as A, with other random replies
const c = syntheticProfile(set, style('C', { refuseHarmful: 1, refuseBenign: 0.9, extra: [6, 9] }), 3);
const options = { resamples: 200, seed: 1 };

const relabel = (p: ModelProfile, label: string): ModelProfile => ({ ...p, label, spec: label });

test('the model that refuses and runs long is the unique one', () => {
  const r = nWay([a, b, c], set, options);
  assert.equal(r.n, 80);
  assert.deepEqual(
    r.models.map((m) => m.label),
    ['A', 'B', 'C'],
  );
  const [, , uc] = r.unique;
  const dir = (f: string) => uc!.find((u) => u.feature === f)?.direction;
  assert.equal(dir('refusedAny'), 'higher');
  assert.equal(dir('refused'), 'higher');
  assert.equal(dir('wordCount'), 'higher');
  assert.equal(dir('charCount'), 'higher');
  const refused = uc!.find((u) => u.feature === 'refusedAny')!;
  assert.ok(refused.mean > refused.othersMean[0]! && refused.mean > refused.othersMean[1]!);
  assert.equal(refused.othersMean[2], null);
  assert.ok(refused.maxQ < 0.05);
  // A and B share a behaviour, so neither stands alone on what C changed.
  for (const u of [r.unique[0]!, r.unique[1]!]) {
    assert.ok(
      !u.some((x) => ['refused', 'refusedAny', 'wordCount', 'charCount'].includes(x.feature)),
      JSON.stringify(u),
    );
  }
  const d = r.distance;
  assert.ok(d[0]![2]! > 0.1 && d[1]![2]! > 0.1, JSON.stringify(d));
  assert.ok(d[0]![1]! < d[0]![2]! && d[0]![1]! < d[1]![2]!, JSON.stringify(d));
  assert.ok(r.meanAbsEffect[0]![1]! < r.meanAbsEffect[0]![2]!);
});

test('matrices are symmetric with a zero diagonal; q-values span every pair', () => {
  const r = nWay([a, b, c], set, options);
  for (const m of [r.distance, r.meanAbsEffect]) {
    m.forEach((row, i) => {
      assert.equal(row[i], 0);
      row.forEach((x, j) => assert.equal(x, m[j]![i]));
      row.forEach((x) => assert.ok(x >= 0));
    });
  }
  assert.deepEqual([...new Set(r.tests.map((t) => `${t.i}-${t.j}`))], ['0-1', '0-2', '1-2']);
  assert.ok(r.tests.every((t) => t.q >= t.p && t.significant === t.q < 0.05));
});

test('identical models are at distance zero and nothing is unique', () => {
  const r = nWay([a, relabel(a, 'A2'), relabel(a, 'A3')], set, options);
  assert.deepEqual(r.distance, [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ]);
  assert.ok(r.meanAbsEffect.flat().every((x) => x === 0));
  assert.deepEqual(r.unique, [[], [], []]);
  assert.ok(r.tests.every((t) => t.p === 1));
});

test('only prompts every model answered are compared; fewer than two models is an error', () => {
  const short = { ...c, records: c.records.slice(5) };
  assert.equal(nWay([a, b, short], set, options).n, 75);
  assert.throws(() => nWay([a], set), /at least two/);
});
