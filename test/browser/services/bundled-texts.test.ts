// The internals' bundled texts (public/texts/*.json) are fetched once per page: a run starts them with its models,
// so the lens and the crosscoder never wait on the network mid-run (a main-thread fetch in headless Chromium was
// seen to stall for a minute there). A failed fetch names the file and is forgotten, so a later run tries again.

import { expect } from '@esm-bundle/chai';
import { bundledTexts, prefetchBundledTexts } from '../../../src/services/bundled-texts.ts';

const site = new URL('/public/', location.origin).href;

describe('bundled texts', () => {
  it('loads each set once and hands every caller the same texts', async () => {
    prefetchBundledTexts(site);
    const first = bundledTexts('generic', site);
    expect(bundledTexts('generic', site)).to.equal(first);
    const generic = await first;
    expect(generic.documents.length).to.be.greaterThan(100);
    expect(generic.documents.every((d) => typeof d === 'string' && d.length > 0)).to.equal(true);
    const stories = await bundledTexts('stories', site);
    expect(stories.name).to.not.equal(generic.name);
  });

  it('a missing file is an error that names it, and the next call fetches again', async () => {
    const nowhere = new URL('/no-such-site/', location.origin).href;
    const failed = bundledTexts('stories', nowhere);
    let message = '';
    await failed.catch((e: Error) => (message = e.message));
    expect(message).to.match(/texts\/stories\.json.*HTTP 404/);
    const again = bundledTexts('stories', nowhere);
    expect(again).to.not.equal(failed);
    await again.catch(() => {});
  });
});
