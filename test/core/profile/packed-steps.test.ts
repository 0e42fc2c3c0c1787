// The diff worker's packed token steps (src/core/profile/packed-steps.ts): the pair rebuilt exactly (every number,
// -0 and NaN included; keys in the engines' order; candidates absent or empty as they were), the caller's pair left
// as it was, pairs of another shape refused (null, so they are cloned as before), and the same report from the
// rebuilt pair as from the original.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diff } from '../../../src/core/diff/build-report.ts';
import { nWay } from '../../../src/core/diff/n-way.ts';
import {
  packedBuffers,
  packPairSteps,
  packProfilesSteps,
  unpackPairSteps,
  unpackProfilesSteps,
} from '../../../src/core/profile/packed-steps.ts';
import type { PairProfile } from '../../../src/core/profile/types.ts';
import { style, syntheticPair, syntheticProfile, syntheticSet } from '../diff/synthetic.ts';

function pairOf(n: number): PairProfile {
  const set = syntheticSet(n, 5);
  return syntheticPair(set, style('A'), style('B', { hedge: 0.4, boost: { joy: 2 } }), 3);
}

/** What the worker receives: the skeleton cloned, the arrays transferred. */
const trip = (pair: PairProfile) => {
  const packed = packPairSteps(pair);
  assert.ok(packed, 'the synthetic pair has the engines’ shape');
  return unpackPairSteps(structuredClone(packed, { transfer: packedBuffers(packed) }));
};

test('a pair comes back exactly: every step, every alternative, keys in order, noise scores too', () => {
  const pair = pairOf(30);
  const r0 = pair.a.records[0]!;
  // Values a clone keeps and a careless codec would not.
  r0.tokens[0] = { ...r0.tokens[0]!, logprob: -0, entropy: Number.NaN };
  r0.tokens[1] = { ...r0.tokens[1]!, top: [] };
  pair.aUnderB[0]!.tokens[0] = { ...pair.aUnderB[0]!.tokens[0]!, candidates: [] };
  const noCandidates = { ...pair.aUnderB[0]!.tokens[1]! };
  delete noCandidates.candidates;
  pair.aUnderB[0]!.tokens[1] = noCandidates;
  pair.bUnderA[1]!.tokens = [];
  pair.noise = { a: [structuredClone(pair.aUnderB[2]!)], b: [] };
  const before = structuredClone(pair);
  const back = trip(pair);
  assert.deepStrictEqual(back, before);
  assert.ok(Object.is(back.a.records[0]!.tokens[0]!.logprob, -0));
  assert.ok(Number.isNaN(back.a.records[0]!.tokens[0]!.entropy));
  assert.ok(!('candidates' in back.aUnderB[0]!.tokens[1]!));
  assert.deepEqual(back.aUnderB[0]!.tokens[0]!.candidates, []);
  assert.deepEqual(Object.keys(back.aUnderB[2]!.tokens[0]!), ['id', 'logprob', 'entropy', 'top', 'candidates']);
  assert.deepEqual(Object.keys(back.a.records[2]!.tokens[0]!), ['id', 'logprob', 'entropy', 'top']);
  // Packing leaves the caller's pair as it was (the page keeps using it).
  assert.deepStrictEqual(pair, before);
});

test('steps of another shape are not packed, so they go by structured clone', () => {
  const cases: [string, (p: PairProfile) => void][] = [
    ['an extra key on a step', (p) => Object.assign(p.a.records[0]!.tokens[0]!, { text: 'x' })],
    [
      'keys in another order',
      (p) => {
        const s = p.b.records[0]!.tokens[0]!;
        p.b.records[0]!.tokens[0] = { top: s.top, id: s.id, logprob: s.logprob, entropy: s.entropy };
      },
    ],
    ['a string id', (p) => Object.assign(p.aUnderB[0]!.tokens[0]!, { id: '7' })],
    ['top not an array', (p) => Object.assign(p.a.records[1]!.tokens[0]!, { top: { id: 1, logprob: 0 } })],
    [
      'an alternative with a string logprob',
      (p) => {
        p.bUnderA[0]!.tokens[0]!.top[0] = { id: 1, logprob: '-1' as unknown as number };
      },
    ],
    [
      'a null candidate',
      (p) => {
        p.aUnderB[1]!.tokens[0]!.candidates![0] = null as unknown as { id: number; logprob: number };
      },
    ],
    ['tokens not an array', (p) => Object.assign(p.a.records[2]!, { tokens: null })],
    ['a null step', (p) => (p.b.records[1]!.tokens[0] = null as unknown as (typeof p.b.records)[0]['tokens'][0])],
  ];
  for (const [name, edit] of cases) {
    const pair = pairOf(6);
    edit(pair);
    assert.equal(packPairSteps(pair), null, name);
  }
});

test('the report from the rebuilt pair is the report from the original, bit for bit', () => {
  const set = syntheticSet(80, 2);
  const pair = syntheticPair(set, style('A'), style('B', { refuseBenign: 0.3, hedge: 0.4, extra: [1, 4] }), 7);
  const options = { resamples: 200 };
  assert.deepStrictEqual(diff(trip(pair), set, options), diff(structuredClone(pair), set, options));
});

test('a skeleton that does not fit its arrays is an error, not a wrong pair', () => {
  const packed = packPairSteps(pairOf(4))!;
  assert.throws(
    () => unpackPairSteps({ ...packed, skeleton: { ...packed.skeleton, aUnderB: [] } }),
    /does not match the step lengths/,
  );
  assert.throws(
    () => unpackPairSteps({ ...packed, lengths: packed.lengths.map(() => 0) }),
    /more steps than the skeleton has places for/,
  );
});

test('N profiles (nWay) come back exactly, and give the same N-way report', () => {
  const set = syntheticSet(40, 6);
  const profiles = [
    syntheticProfile(set, style('A'), 1),
    syntheticProfile(set, style('B', { hedge: 0.5 }), 2),
    syntheticProfile(set, style('C', { refuseBenign: 0.3 }), 3),
  ];
  profiles[1]!.records[0]!.tokens = [];
  const before = structuredClone(profiles);
  const packed = packProfilesSteps(profiles);
  assert.ok(packed);
  const back = unpackProfilesSteps(structuredClone(packed, { transfer: packedBuffers(packed) }));
  assert.deepStrictEqual(back, before);
  assert.deepStrictEqual(profiles, before);
  assert.deepStrictEqual(nWay(back, set, { resamples: 200 }), nWay(before, set, { resamples: 200 }));
  Object.assign(profiles[2]!.records[3]!.tokens[0]!, { extra: 1 });
  assert.equal(packProfilesSteps(profiles), null);
});
