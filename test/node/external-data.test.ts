// A plain Optimum export writes onnx/model.onnx_data without declaring it in config.json: the engine finds the
// external data from the graph itself and loads the model (the same logits as with the declaration).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFolder } from '../../src/node/profile-forged.ts';
import { OnnxEngine } from '../../workers/onnx-engine.ts';

const forged = join(import.meta.dirname, '..', '..', 'public', 'forged');

test('undeclared external data loads, with the logits of the declared folder', async () => {
  const declared = readFolder(join(forged, 'forged-base-external'));
  const config = JSON.parse(new TextDecoder().decode(declared['config.json']!)) as Record<string, unknown>;
  assert.ok(config['transformers.js_config'], 'the forged folder declares its external data');
  delete config['transformers.js_config'];
  const plain = { ...declared, 'config.json': new TextEncoder().encode(JSON.stringify(config)) };
  const logits = async (files: Record<string, Uint8Array>) => {
    const engine = new OnnxEngine();
    try {
      await engine.load({ kind: 'files', name: 'external', files }, { runtimeBase: '', device: 'wasm' });
      return await engine.logits([1, 5, 300, 480, 12]);
    } finally {
      await engine.dispose();
    }
  };
  const [a, b] = [await logits(declared), await logits(plain)];
  assert.equal(a.length, b.length);
  assert.ok(a.every((x, i) => x === b[i]));
});
