// Broken model folders get messages that name the file and say what to do, from a real worker: missing files,
// damaged JSON, a non-text-generation architecture, a tokenizer that does not fit, corrupted weights, a 404 folder.

import { expect } from '@esm-bundle/chai';
import { FORGED, runtime, spawnEngine } from '../helpers.ts';

const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model.onnx'];

async function forgedFiles(): Promise<Record<string, Uint8Array>> {
  const entries = await Promise.all(
    FILES.map(
      async (f) => [f, new Uint8Array(await (await fetch(FORGED + 'forged-base/' + f)).arrayBuffer())] as const,
    ),
  );
  return Object.fromEntries(entries);
}

const text = (s: string) => new TextEncoder().encode(s);
const json = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;

async function loadError(files: Record<string, Uint8Array>): Promise<string> {
  const { engine, worker } = spawnEngine();
  try {
    await engine.load({ kind: 'files', name: 'broken', files }, runtime('wasm'));
    return 'loaded';
  } catch (e) {
    return (e as Error).message;
  } finally {
    worker.terminate();
  }
}

describe('bad model folders', () => {
  let good: Record<string, Uint8Array>;
  before(async () => {
    good = await forgedFiles();
  });

  it('missing config.json, tokenizer.json or weights: names the file and the layout', async () => {
    for (const missing of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) {
      const files = { ...good };
      delete files[missing];
      const message = await loadError(files);
      expect(message).to.contain(`The model folder broken/ has no ${missing}.`);
      expect(message).to.contain(
        'A model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx',
      );
    }
  });

  it('damaged JSON and a model that does not write text', async () => {
    expect(await loadError({ ...good, 'config.json': text('{"model_type": "llama",') })).to.match(
      /^broken\/config\.json is not valid JSON \(.+\): the file is damaged/,
    );
    const bert = { ...json(good['config.json']!), architectures: ['BertForMaskedLM'], model_type: 'bert' };
    expect(await loadError({ ...good, 'config.json': text(JSON.stringify(bert)) })).to.contain(
      'describes a BertForMaskedLM, not a text-generation (causal language) model',
    );
  });

  it("a tokenizer that does not fit the model's vocabulary", async () => {
    const small = { ...json(good['config.json']!), vocab_size: 100 };
    const message = await loadError({ ...good, 'config.json': text(JSON.stringify(small)) });
    expect(message).to.match(
      /tokenizer\.json has \d+ tokens but the model's vocabulary \(config\.json vocab_size\) has 100/,
    );
  });

  it('corrupted or truncated weights', async () => {
    const onnx = good['onnx/model.onnx']!;
    const message = await loadError({ ...good, 'onnx/model.onnx': onnx.slice(0, onnx.length >> 1) });
    expect(message).to.contain('broken/onnx/model.onnx could not be read as an ONNX model');
    expect(message).to.contain('download or export it again');
  });

  it('a folder URL that does not exist', async () => {
    const { engine, worker } = spawnEngine();
    let message = '';
    await engine
      .load({ kind: 'url', url: FORGED + 'no-such-model/' }, runtime('wasm'))
      .catch((e: Error) => (message = e.message));
    worker.terminate();
    expect(message).to.equal(
      `The model folder ${FORGED}no-such-model/ has no config.json. A model folder needs config.json, tokenizer.json, ` +
        'tokenizer_config.json and onnx/model.onnx (fp32), as in a Hugging Face ONNX export.',
    );
  });
});
