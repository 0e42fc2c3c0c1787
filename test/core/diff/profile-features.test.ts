import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diff } from '../../../src/core/diff/build-report.ts';
import { FEATURES_VERSION, profileFeatures, withFeatures } from '../../../src/core/diff/profile-features.ts';
import { nWay } from '../../../src/core/diff/n-way.ts';
import { createRng } from '../../../src/core/random.ts';
import { style, syntheticPair, syntheticProfile, syntheticSet } from './synthetic.ts';

const set = syntheticSet(60, 4);
const pair = syntheticPair(set, style('A'), style('B', { refuseBenign: 0.4, hedge: 0.5, extra: [2, 6] }), 2);
const options = { resamples: 200 };

describe('features carried by profiles', () => {
  it('a diff of profiles carrying their features equals a diff that extracts them', () => {
    const carried = { ...pair, a: withFeatures(pair.a, set), b: withFeatures(pair.b, set) };
    assert.equal(carried.a.features?.version, FEATURES_VERSION);
    assert.equal(Object.keys(carried.a.features!.byPrompt).length, set.prompts.length);
    assert.deepEqual(diff(carried, set, options), diff(pair, set, options));
  });

  it('uses the stored features when they are current, and ignores them when stale', () => {
    // Stored features that say B refused everything: a diff that reads them must report a refusal difference.
    const forged = withFeatures(pair.b, set);
    for (const values of Object.values(forged.features!.byPrompt)) values['refused'] = true;
    const refusedRate = (r: ReturnType<typeof diff>) =>
      r.differences.find((d) => d.feature === 'refused' && d.promptCategory === null)!.meanB;
    assert.equal(refusedRate(diff({ ...pair, b: forged }, set, options)), 1);

    const fresh = refusedRate(diff(pair, set, options));
    assert.ok(fresh < 1);
    const oldVersion = { ...forged, features: { ...forged.features!, version: '0:old' } };
    assert.equal(refusedRate(diff({ ...pair, b: oldVersion }, set, options)), fresh);
    const otherSet = { ...forged, features: { ...forged.features!, promptSetHash: 'another set' } };
    assert.equal(refusedRate(diff({ ...pair, b: otherSet }, set, options)), fresh);
  });

  it('a record missing from the stored features is extracted', () => {
    const partial = withFeatures(pair.a, set);
    delete partial.features!.byPrompt[set.prompts[0]!.id];
    assert.deepEqual(diff({ ...pair, a: partial }, set, options), diff(pair, set, options));
  });

  it('N-way comparisons read them too', () => {
    const profiles = [1, 2, 3].map((seed) => syntheticProfile(set, style(`M${seed}`, { hedge: seed / 5 }), seed));
    assert.deepEqual(
      nWay(
        profiles.map((p) => withFeatures(p, set)),
        set,
        options,
      ),
      nWay(profiles, set, options),
    );
  });

  it('records whose prompt is not in the set get none', () => {
    const small = { ...set, prompts: set.prompts.slice(0, 10) };
    assert.equal(Object.keys(profileFeatures(pair.a, small).byPrompt).length, 10);
  });
});

describe('createRng().fillInts', () => {
  it('draws exactly what int() draws, in order, and leaves the stream where int() would', () => {
    for (const [seed, n, k] of [
      [1, 1000, 5000],
      [42, 7, 100],
      [0xffffffff, 333, 1000],
    ] as const) {
      const one = createRng(seed);
      const many = createRng(seed);
      const expected = Array.from({ length: k }, () => one.int(n));
      assert.deepEqual([...many.fillInts(new Int32Array(k), n)], expected);
      assert.equal(many.next(), one.next());
    }
  });
});
