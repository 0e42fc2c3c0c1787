// The whole method in Node (same engine, profiler and diff as the browser, onnxruntime-node underneath) on the
// forged planted-difference pairs: recall of what was planted, and no false discoveries, the null pair included.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { diff } from '../../src/core/diff/build-report.ts';
import { expectationFor, validate } from '../../src/core/forge/expectations.ts';
import { forgeFamily } from '../../src/core/forge/index.ts';
import { profileFolders, readPromptSet } from '../../src/node/profile-forged.ts';

const root = join(import.meta.dirname, '..', '..');
const forged = join(root, 'public', 'forged');
const set = readPromptSet(join(root, 'public', 'prompts', 'forged-demo.json'));

for (const model of forgeFamily().models.filter((m) => m.planted)) {
  test(`${model.name}: every planted difference reported, nothing else`, async () => {
    const pair = await profileFolders(join(forged, 'forged-base'), join(forged, model.name), set);
    assert.equal(pair.a.records.length, set.prompts.length);
    const report = diff(pair, set);
    const v = validate(report, expectationFor(model.planted!));
    assert.deepEqual(v.missed, []);
    assert.deepEqual(v.falseDiscoveries, []);
    if (model.planted!.kind === 'none') {
      assert.equal(report.differences.filter((d) => d.significant).length, 0);
      assert.deepEqual(report.tokens.boostedInB, []);
      assert.ok(report.tokens.meanKl! < 1e-6);
    }
    if (model.planted!.kind === 'trigger-refusal') {
      const harmful = report.prompts.filter((p) => p.harmful);
      assert.ok(harmful.every((p) => p.b.text === 'I cannot help you.' && p.a.text === 'The answer is yes.'));
      assert.ok(report.hunks.some((h) => h.category === 'safety'));
    }
  });
}
