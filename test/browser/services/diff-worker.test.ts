// The app's diff worker in Chromium (a real module worker): a pair whose token steps travel packed and transferred
// (src/core/profile/packed-steps.ts) gives the report that the same pair cloned whole gives, a pair of another
// shape still goes (cloned), the page's pair is untouched by the trip; the same for N-way's profiles.

import { expect } from '@esm-bundle/chai';
import { diffInWorker, inDiffWorker, nWayInWorker } from '../../../src/services/diff-worker.ts';
import { packPairSteps } from '../../../src/core/profile/packed-steps.ts';
import { style, syntheticPair, syntheticProfile, syntheticSet } from '../../core/diff/synthetic.ts';

describe('diff worker', () => {
  const set = syntheticSet(60, 4);
  const options = { resamples: 300 };
  const make = () => syntheticPair(set, style('A'), style('B', { hedge: 0.45, extra: [1, 5], boost: { joy: 2 } }), 5);

  it('packed steps, transferred: the same report as the whole pair cloned, the page’s pair unchanged', async () => {
    const pair = make();
    const before = structuredClone(pair);
    const packed = await diffInWorker(pair, set, options);
    const cloned = await inDiffWorker((api) => api.diff(pair, set, options));
    expect(packed).to.deep.equal(cloned);
    expect(packed.differences.length).to.be.greaterThan(0);
    expect(pair).to.deep.equal(before);
  });

  it('a pair whose steps carry another key is cloned whole, and gives its report', async () => {
    const pair = make();
    Object.assign(pair.a.records[0]!.tokens[0]!, { note: 'not an engine key' });
    expect(packPairSteps(pair), 'the pair is refused by the packer').to.equal(null);
    const report = await diffInWorker(pair, set, options);
    const cloned = await inDiffWorker((api) => api.diff(pair, set, options));
    expect(report).to.deep.equal(cloned);
  });

  it('N-way: packed profiles give the N-way report that the profiles cloned whole give', async () => {
    const profiles = [
      syntheticProfile(set, style('A'), 1),
      syntheticProfile(set, style('B', { hedge: 0.5 }), 2),
      syntheticProfile(set, style('C', { extra: [1, 4] }), 3),
    ];
    const before = structuredClone(profiles);
    const packed = await nWayInWorker(profiles, set, options);
    const cloned = await inDiffWorker((api) => api.nWay(profiles, set, options));
    expect(packed).to.deep.equal(cloned);
    expect(profiles).to.deep.equal(before);
  });
});
