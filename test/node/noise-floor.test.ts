// The noise pass: each model re-scores its own replies on the first prompts, through the same runtime path as its
// scores of the other model's replies. On onnxruntime's CPU kernels that floor is rounding, measured: the null pair
// stays identical and a planted change differs far above it.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { diff } from '../../src/core/diff/build-report.ts';
import { loadFolder, readPromptSet, DEFAULT_SETTINGS } from '../../src/node/profile-forged.ts';
import { profilePair } from '../../src/services/profiler.ts';

const root = join(import.meta.dirname, '..', '..');
const forged = join(root, 'public', 'forged');
const set = readPromptSet(join(root, 'public', 'prompts', 'forged-demo.json'));

async function profile(variant: string) {
  const a = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  const b = await loadFolder(join(forged, variant), variant);
  let computed = 0;
  try {
    const pair = await profilePair({ handle: a, spec: 'a', label: 'a' }, { handle: b, spec: 'b', label: 'b' }, set, {
      settings: DEFAULT_SETTINGS,
      batchSize: 8,
      noisePrompts: 8,
      onProgress: (p) => (computed = p.computed),
    });
    return { pair, computed };
  } finally {
    await a.engine.dispose();
    await b.engine.dispose();
  }
}

test('noise pass: 8 prompts re-scored by their own model; floor measured at rounding; null identical, boost differs', async () => {
  const nul = await profile('forged-null');
  assert.equal(nul.pair.noise!.a.length, 8);
  assert.equal(nul.pair.noise!.b.length, 8);
  assert.equal(nul.computed, 4 * set.prompts.length + 2 * 8, 'two more scoring calls per measured prompt');
  // The self-score of a reply is its own generation's log-probabilities, up to rounding.
  const first = nul.pair.noise!.a[0]!;
  const rec = nul.pair.a.records.find((r) => r.promptId === first.promptId)!;
  first.tokens.forEach((t, i) => assert.ok(Math.abs(t.logprob - rec.tokens[i]!.logprob) < 1e-4));
  const r0 = diff(nul.pair, set);
  assert.equal(r0.verdict!.noiseFloor.measured, true);
  assert.equal(r0.verdict!.noiseFloor.n, 8);
  assert.ok(r0.verdict!.noiseFloor.value < 1e-6, String(r0.verdict!.noiseFloor.value));
  assert.equal(r0.verdict!.status, 'identical');

  const boost = await profile('forged-boost');
  const r1 = diff(boost.pair, set);
  assert.equal(r1.verdict!.status, 'differs');
  assert.ok(r1.verdict!.ci[0] > 1000 * Math.max(r1.verdict!.noiseFloor.value, 1e-9));
});
