// The profile cache on real IndexedDB, the storage view that shows and deletes it, and the quota message.

import { expect } from '@esm-bundle/chai';
import { createStore } from 'idb-keyval';
import { StorageFullError, clearStorage, idbCache, storageSummary } from '../../../src/services/profile-store.ts';
import { CLEAR_STORAGE, StoragePanel } from '../../../src/ui/storage-panel.ts';

if (!customElements.get('md-storage')) customElements.define('md-storage', StoragePanel);

describe('profile store (IndexedDB)', () => {
  const store = createStore('model-diff-test', `records-${Math.floor(performance.now())}`);

  it('stores, reuses, counts and deletes records', async () => {
    const cache = idbCache(store);
    expect(await cache.get('gen:1')).to.equal(undefined);
    await cache.put('gen:1', { text: 'hello', tokens: [{ id: 1, logprob: -0.5 }] });
    await cache.put('score:1', { tokens: [] });
    expect(await cache.get('gen:1')).to.deep.equal({ text: 'hello', tokens: [{ id: 1, logprob: -0.5 }] });
    const s = await storageSummary(store);
    expect([s.records, s.generations, s.scores]).to.deep.equal([2, 1, 1]);
    expect(s.bytes).to.be.greaterThan(20);
    await clearStorage(store);
    expect((await storageSummary(store)).records).to.equal(0);
  });

  it('turns a quota failure into a message that says what to do', async () => {
    // The one fake here: a store that fails as a full disk does (quota cannot be exhausted safely in a test).
    const full = (() => Promise.reject(new DOMException('full', 'QuotaExceededError'))) as unknown as Parameters<
      typeof idbCache
    >[0];
    let error: unknown;
    await idbCache(full)
      .put('gen:x', {})
      .catch((e) => (error = e));
    expect(error).to.be.instanceOf(StorageFullError);
    expect((error as Error).message).to.match(/Browser storage is full.*Delete cached profiles under "Storage"/);
  });
});

describe('<md-storage>', () => {
  it('shows the counts and asks to clear on click', async () => {
    const el = document.createElement('md-storage') as StoragePanel;
    el.summary = { records: 12, generations: 6, scores: 6, bytes: 2_500_000, usage: 3e6, quota: 1e9 };
    document.body.append(el);
    await el.updateComplete;
    const root = el.shadowRoot!;
    root.querySelector('details')!.open = true;
    expect(root.textContent).to.contain('12 cached records, 2.50 MB');
    expect(root.textContent).to.contain('6 responses and 6 cross-scores');
    const asked = new Promise<void>((resolve) => el.addEventListener(CLEAR_STORAGE, () => resolve(), { once: true }));
    root.querySelector('button')!.click();
    await asked;
    el.remove();
  });
});
