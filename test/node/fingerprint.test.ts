// A model's fingerprint (what the profile cache keys on) tells fine-tunes of one base apart: same config.json, same
// tokenizer, same file sizes, different weights → different fingerprints; the same bytes → the same fingerprint.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFolder } from '../../src/node/profile-forged.ts';
import { OnnxEngine } from '../../workers/onnx-engine.ts';

const forged = join(import.meta.dirname, '..', '..', 'public', 'forged');

async function fingerprint(files: Record<string, Uint8Array>): Promise<string> {
  const engine = new OnnxEngine();
  try {
    return (await engine.load({ kind: 'files', name: 'same-name', files }, { runtimeBase: '', device: 'wasm' }))
      .fingerprint;
  } finally {
    await engine.dispose();
  }
}

test('only the weights differ: the fingerprints differ; the same files: the same fingerprint', async () => {
  const base = readFolder(join(forged, 'forged-base'));
  const boost = readFolder(join(forged, 'forged-boost'));
  assert.equal(base['onnx/model.onnx']!.byteLength, boost['onnx/model.onnx']!.byteLength, 'same size');
  const tuned = { ...base, 'onnx/model.onnx': boost['onnx/model.onnx']! };
  const [a, again, b] = [await fingerprint(base), await fingerprint({ ...base }), await fingerprint(tuned)];
  assert.equal(a, again);
  assert.notEqual(a, b);
});
