// Downloaded model files are kept in Cache Storage: a model from another origin loads twice with one download (the
// test server counts its requests), the storage service lists it per model with sizes, and deleting removes it.

import { expect } from '@esm-bundle/chai';
import { deleteCachedModel, listCachedModels } from '../../../src/services/model-store.ts';
import { DELETE_MODEL, StoragePanel } from '../../../src/ui/storage-panel.ts';
import { runtime, spawnEngine } from '../helpers.ts';

if (!customElements.get('md-storage')) customElements.define('md-storage', StoragePanel);

// The same test server under another name is another origin: its files are what the cache keeps.
const other = new URL(location.href);
other.hostname = other.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
const FOLDER = `${other.origin}/__counted__/forged/forged-base/`;
const counts = async () => (await (await fetch(`${other.origin}/__counted__/count`)).json()) as Record<string, number>;

async function loadOnce() {
  const { engine, worker } = spawnEngine();
  try {
    return await engine.load({ kind: 'url', url: FOLDER }, runtime('wasm'));
  } finally {
    worker.terminate();
  }
}

describe('model file cache', () => {
  before(() => deleteCachedModel(null));
  after(() => deleteCachedModel(null));

  it('a second load downloads nothing; the files are listed per model and deleted', async () => {
    const first = await loadOnce();
    const afterFirst = await counts();
    // Each file downloaded once, although transformers.js asks for every file twice (sizes first, then content).
    expect(Object.values(afterFirst)).to.deep.equal([1, 1, 1, 1, 1]);
    const second = await loadOnce();
    expect(second.fingerprint).to.equal(first.fingerprint);
    expect(await counts()).to.deep.equal(afterFirst);

    const models = await listCachedModels();
    expect(models.map((m) => m.model)).to.deep.equal([FOLDER]);
    const weights = models[0]!.files.find((f) => f.url === `${FOLDER}onnx/model.onnx`);
    expect(weights?.bytes).to.equal(first.parameterBytes);
    expect(models[0]!.files.map((f) => f.url.slice(FOLDER.length)).sort()).to.include.members([
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);

    // The storage view shows it and asks to delete it; the service deletes it.
    const panel = document.createElement('md-storage') as StoragePanel;
    panel.summary = { records: 0, generations: 0, scores: 0, bytes: 0, usage: null, quota: null, models };
    document.body.append(panel);
    await panel.updateComplete;
    panel.shadowRoot!.querySelector('details')!.open = true;
    expect(panel.shadowRoot!.textContent).to.contain(FOLDER);
    const asked = new Promise<string | null>((resolve) =>
      panel.addEventListener(DELETE_MODEL, (e) => resolve((e as CustomEvent).detail.model), { once: true }),
    );
    panel.shadowRoot!.querySelector<HTMLButtonElement>(`button[aria-label="delete ${FOLDER}"]`)!.click();
    await deleteCachedModel(await asked);
    expect(await listCachedModels()).to.deep.equal([]);
    panel.remove();
  });
});
