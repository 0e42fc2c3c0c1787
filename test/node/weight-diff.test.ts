// The weight diff through the ONNX engine (onnxruntime-node; the worker-side reader re-reads the model file it
// loaded through its own resolver): forged-base vs forged-boost with the tokenizer's own token texts, and
// stories260K vs its bird fine-tune (llama2.c checkpoints converted in the engine) — every tensor changed a little,
// each with its layer and module. Skips with a message when ../shared/data is absent.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { forgeFamily, forgedFolder } from '../../src/core/forge/index.ts';
import { diffWeights } from '../../src/core/internals/weight-diff.ts';
import { weightGrid } from '../../src/core/internals/weight-cells.ts';
import { isReadableToken } from '../../src/core/internals/top-direction.ts';
import { loadLlama2c } from '../../src/node/profile-forged.ts';
import { OnnxEngine } from '../../workers/onnx-engine.ts';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');

async function forged(name: string): Promise<OnnxEngine> {
  const family = forgeFamily();
  const files = Object.fromEntries(
    forgedFolder(
      family.base,
      family.models.find((m) => m.name === name)!,
    ),
  );
  const engine = new OnnxEngine();
  await engine.load({ kind: 'files', name, files }, { runtimeBase: '', device: 'wasm' });
  return engine;
}

test('engine weights: forged-boost read from the loaded file, directions in the tokenizer’s own text', async () => {
  const [a, b] = await Promise.all([forged('forged-base'), forged('forged-boost')]);
  try {
    const r = await diffWeights(a.weights(), b.weights());
    assert.equal(r.weights!.status, 'differs');
    assert.deepEqual(
      r.weights!.tensors.filter((t) => t.relative !== 0).map((t) => t.key),
      ['unembed'],
    );
    assert.deepEqual([...r.weights!.top[0]!.tokensUp].map((t) => t.trim()).sort(), ['friends', 'happy', 'joy']);
  } finally {
    await Promise.all([a.dispose(), b.dispose()]);
  }
});

test('stories260K vs stories260K-bird: every tensor changed a little, each placed by layer and module', async (t) => {
  const base = join(SHARED, 'stories260K');
  const bird = join(SHARED, 'stories260K-bird', 'stories260K-bird.bin');
  if (!existsSync(join(base, 'stories260K.bin')) || !existsSync(bird)) {
    t.skip('../shared/data/stories260K or stories260K-bird is absent: stories260K weight diff skipped.');
    return;
  }
  const tok = join(base, 'tok512.bin');
  const [a, b] = await Promise.all([loadLlama2c(join(base, 'stories260K.bin'), tok), loadLlama2c(bird, tok)]);
  try {
    const t0 = performance.now();
    const r = await diffWeights(a.engine.weights(), b.engine.weights());
    const ms = performance.now() - t0;
    const w = r.weights!;
    assert.equal(w.status, 'differs');
    assert.equal(w.layers, 5);
    const placed = w.tensors.filter((x) => x.module !== 'other');
    // 5 layers × (2 norms + 7 matrices) + embedding + head + final norm.
    assert.equal(placed.length, 5 * 9 + 3);
    for (const x of placed) {
      assert.ok(x.relative! > 0 && x.relative! < 0.5, `${x.key}: ${x.relative}`);
      assert.equal(x.layer === null, ['embedding', 'head', 'norm.final'].includes(x.module), x.key);
    }
    const grid = weightGrid(w);
    assert.equal(grid.rows.length, 5);
    assert.ok(grid.rows.every((row) => row.every((c) => c !== null && c.relative! > 0)));
    assert.equal(w.top.length, 3);
    for (const d of w.top) assert.equal(d.tokensUp.length + d.tokensDown.length, 20);
    // Read among the tokens that are text: tok512's byte pieces ("�", control bytes) filled both ends before.
    for (const d of w.top)
      for (const t of [...d.tokensUp, ...d.tokensDown]) assert.ok(isReadableToken(t), `${d.key}: ${JSON.stringify(t)}`);
    const rounded = (x: number | null) => (x === null ? 'null' : x.toFixed(4));
    console.log(
      `stories260K → bird weight diff: ${w.tensors.length} tensors in ${ms.toFixed(0)} ms; largest: ` +
        w.top.map((d) => `${d.key} ${rounded(d.relative)} (${d.side}: ${d.tokensUp.slice(0, 5).join('|')})`).join('; '),
    );
  } finally {
    await Promise.all([a.engine.dispose(), b.engine.dispose()]);
  }
});
