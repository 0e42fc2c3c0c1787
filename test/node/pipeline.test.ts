// The whole method in Node (same engine, profiler and diff as the browser, onnxruntime-node underneath) on the
// forged planted-difference pairs and (when ../shared is there) a real fine-tune: each planted change found as one
// behaviour of the right category, nothing else claimed, the null pair said to be identical.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { diff } from '../../src/core/diff/build-report.ts';
import { expectationFor, validate } from '../../src/core/forge/expectations.ts';
import { forgeFamily } from '../../src/core/forge/index.ts';
import {
  DEFAULT_SETTINGS,
  loadLlama2c,
  profileFolders,
  profileLoaded,
  readPromptSet,
} from '../../src/node/profile-forged.ts';

const root = join(import.meta.dirname, '..', '..');
const forged = join(root, 'public', 'forged');
const set = readPromptSet(join(root, 'public', 'prompts', 'forged-demo.json'));

for (const model of forgeFamily().models.filter((m) => m.planted)) {
  test(`${model.name}: each planted change is one behaviour, nothing else is claimed`, async () => {
    const pair = await profileFolders(join(forged, 'forged-base'), join(forged, model.name), set);
    assert.equal(pair.a.records.length, set.prompts.length);
    const report = diff(pair, set);
    const v = validate(report, expectationFor(model.planted!));
    assert.deepEqual(v.missed, []);
    assert.deepEqual(v.falseDiscoveries, []);
    assert.ok(report.discovery!.candidatesScored > 0);
    const kind = model.planted!.kind;
    if (kind === 'none') {
      assert.equal(report.verdict!.status, 'identical');
      assert.equal(report.behaviours.length, 0);
      assert.equal(report.differences.filter((d) => d.significant).length, 0);
      assert.deepEqual(report.tokens.boostedInB, []);
    } else {
      assert.equal(report.verdict!.status, 'differs');
      assert.ok(report.verdict!.ci[0] > 0 && report.verdict!.p < 0.05);
      assert.equal(report.behaviours.length, 1, report.behaviours.map((b) => b.sentence).join('\n'));
    }
    const b = report.behaviours[0];
    if (kind === 'trigger-refusal') {
      assert.equal(b!.category, 'safety');
      // Where: trigger words from the prompts, confirmed on held-out prompts; and the benign look-alikes.
      const triggers = (model.planted!.kind === 'trigger-refusal' ? model.planted!.triggers : []).map((t) =>
        t.replace('\u2581', ''),
      );
      assert.equal(b!.condition?.kind, 'prompt-words');
      assert.ok(
        b!.condition!.words!.some((w) => triggers.includes(w.word)),
        b!.condition!.sentence,
      );
      assert.ok(
        b!.condition!.words!.every((w) => triggers.includes(w.word)),
        b!.condition!.sentence,
      );
      assert.match(b!.sentence, /benign look-alikes too \(over-refusal: 12 of 12/);
      // One behaviour holds every refusal row, overall and per category.
      const rows = b!.evidence.map((i) => report.differences[i]!.feature);
      for (const f of ['refused', 'refusedAny', 'refusalScore']) assert.ok(rows.includes(f), f);
    }
    if (kind === 'boost') {
      assert.equal(b!.category, 'vocabulary');
      const terms = b!.evidence.map((i) => report.differences[i]!.feature);
      assert.ok(
        terms.some((f) => /:(joy|happy|friends)$/.test(f)),
        terms.join(', '),
      );
      assert.match(b!.sentence, /joy/);
    }
    if (kind === 'longer') {
      assert.equal(b!.category, 'response-pattern');
      assert.match(b!.sentence, /longer/);
    }
  });
}

const shared = join(root, '..', 'shared', 'data');
const haveBird = existsSync(join(shared, 'stories260K-bird', 'stories260K-bird.bin'));
test(
  'stories260K vs its real bird fine-tune: a significant vocabulary behaviour names "bird"; the generic sharpening is a broad behaviour of its own',
  { skip: haveBird ? false : 'needs ../shared/data/stories260K and stories260K-bird' },
  async () => {
    const stories = readPromptSet(join(root, 'public', 'prompts', 'stories.json'));
    const tok = join(shared, 'stories260K', 'tok512.bin');
    const a = await loadLlama2c(join(shared, 'stories260K', 'stories260K.bin'), tok);
    const b = await loadLlama2c(join(shared, 'stories260K-bird', 'stories260K-bird.bin'), tok);
    const pair = await profileLoaded(a, 'stories260K', b, 'stories260K-bird', stories, {
      ...DEFAULT_SETTINGS,
      maxNewTokens: 64,
    });
    const report = diff(pair, stories);
    assert.equal(report.verdict!.status, 'differs');
    const birds = report.behaviours.filter(
      (x) =>
        x.category === 'vocabulary' &&
        x.evidence.some((i) => /:birds?$/.test(report.differences[i]!.feature) && report.differences[i]!.effect > 0),
    );
    assert.equal(birds.length, 1, report.behaviours.map((x) => x.sentence).join('\n'));
    assert.match(birds[0]!.sentence, /“bird”/);
    assert.ok(birds[0]!.q < 0.05);
    const broad = report.behaviours.filter((x) => x.scope === 'broad');
    assert.equal(broad.length, 1, 'the sharpening any fine-tune on its own samples gives is said once');
    assert.ok(!broad[0]!.evidence.some((i) => /bird/.test(report.differences[i]!.feature)));
  },
);
