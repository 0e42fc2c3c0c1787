// The crosscoder's longer pairs in a real run, under npm run validate-crosscoder (not in every npm test: minutes of
// training each): forged-null gives exclusives within the noise floor and none confirmed; stories260K (../shared/data;
// skipped when absent) against a forged model trains on positions aligned by character, with the rate printed.

import { expect } from '@esm-bundle/chai';
import { SHARED, sharedFile } from '../helpers.ts';
import { base, run } from './crosscoder-session-helpers.ts';

describe('runSession with the crosscoder: longer pairs', function () {
  this.timeout(900_000);
  before(() => document.head.append(base));
  after(() => base.remove());

  it('forged-null: exclusives within the noise floor, none confirmed', async () => {
    const { section: s } = await run('forged-base', 'forged-null');
    expect(s.exclusives.length).to.be.at.most(Math.max(1, 2 * s.noiseFloor.expected));
    expect(s.exclusives.filter((f) => f.confirmation?.confirmed)).to.deep.equal([]);
  });

  it('cross-tokenizer: stories260K against a forged model trains on character-aligned positions', async function () {
    if (!(await sharedFile('stories260K/tok512.bin'))) {
      console.warn('../shared/data/stories260K is absent: skipped.');
      this.skip();
    }
    const spec = `llama2c:${SHARED}stories260K/stories260K.bin,${SHARED}stories260K/tok512.bin`;
    const { section: s } = await run(spec, 'forged-base', 'smoke');
    expect(s.alignment.sameVocabulary).to.equal(false);
    expect(s.alignment.rate).to.be.greaterThan(0);
    expect(s.hiddenSizes[0]).to.not.equal(s.hiddenSizes[1]);
    expect(s.steps).to.be.greaterThan(0);
  });
});
