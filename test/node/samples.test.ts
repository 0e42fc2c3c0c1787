// Several seeded samples per prompt and model (samples=k): k records per prompt and model, each scored by the other
// model; the statistics take each prompt's mean over its samples (the prompt stays the unit), so with more samples
// per prompt the report's intervals narrow on the same prompts; an interrupted run resumes to the same profile.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { diff } from '../../src/core/diff/build-report.ts';
import type { PairProfile } from '../../src/core/profile/types.ts';
import { loadFolder, readPromptSet } from '../../src/node/profile-forged.ts';
import type { RecordCache } from '../../src/services/profile-store.ts';
import { profilePair } from '../../src/services/profiler.ts';

const root = join(import.meta.dirname, '..', '..');
const forged = join(root, 'public', 'forged');
const set = readPromptSet(join(root, 'public', 'prompts', 'forged-demo.json'));
const sampled = { maxNewTokens: 24, temperature: 1, seed: 1, topK: 10 };

function memoryCache(): RecordCache & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async <T>(key: string) => structuredClone(map.get(key)) as T | undefined,
    put: async (key, value) => void map.set(key, structuredClone(value)),
  };
}

async function profile(samples: number, cache?: RecordCache) {
  const a = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  const b = await loadFolder(join(forged, 'forged-longer'), 'forged-longer');
  let stats = { computed: 0, cached: 0 };
  try {
    const pair = await profilePair({ handle: a, spec: 'a', label: 'a' }, { handle: b, spec: 'b', label: 'b' }, set, {
      settings: sampled,
      batchSize: 8,
      samples,
      ...(cache ? { cache } : {}),
      onProgress: (p) => (stats = { computed: p.computed, cached: p.cached }),
    });
    return { pair, stats };
  } finally {
    await a.engine.dispose();
    await b.engine.dispose();
  }
}

const withoutTimings = (p: PairProfile) => ({
  ...p,
  a: { ...p.a, records: p.a.records.map((r) => ({ ...r, timings: null })) },
  b: { ...p.b, records: p.b.records.map((r) => ({ ...r, timings: null })) },
});

test('samples=4: four seeded replies per prompt and model, narrower intervals than one sample, same prompts', async () => {
  const one = await profile(1);
  const four = await profile(4);
  const n = set.prompts.length;
  assert.equal(four.pair.a.records.length, 4 * n);
  assert.equal(four.pair.aUnderB.length, 4 * n);
  const first = four.pair.a.records.filter((r) => r.promptId === set.prompts[0]!.id);
  assert.deepEqual(
    first.map((r) => r.sample ?? 0),
    [0, 1, 2, 3],
  );
  // Sample 0 is the one-sample run's reply: seed + 0.
  assert.equal(first[0]!.text, one.pair.a.records.find((r) => r.promptId === set.prompts[0]!.id)!.text);
  assert.ok(new Set(first.map((r) => r.text)).size > 1, 'sampled replies differ');

  const r1 = diff(one.pair, set);
  const r4 = diff(four.pair, set);
  assert.equal(r4.settings.samples, 4);
  assert.equal(r4.prompts[0]!.samples, 4);
  assert.equal(r4.promptSet.n, r1.promptSet.n);
  const width = (r: typeof r1, feature: string) => {
    const d = r.differences.find((x) => x.feature === feature && x.promptCategory === null)!;
    assert.equal(d.n, n, `${feature}: one paired value per prompt`);
    return d.ci[1] - d.ci[0];
  };
  const features = ['wordCount', 'charCount', 'meanEntropy', 'meanLogprob', 'distinct1'];
  const narrower = features.filter((f) => width(r4, f) < width(r1, f));
  assert.ok(narrower.length >= 4, `narrower with 4 samples: ${narrower.join(', ')}`);
  assert.ok(r4.verdict!.ci[1] - r4.verdict!.ci[0] < r1.verdict!.ci[1] - r1.verdict!.ci[0], 'verdict interval');
  assert.ok(
    r4.behaviours.some((b) => b.category === 'response-pattern'),
    'the longer replies are found',
  );
});

test('samples=2: an interrupted run resumes to the same profile, recomputing only what was lost', async () => {
  const cache = memoryCache();
  const full = await profile(2, cache);
  const n = set.prompts.length;
  assert.deepEqual(full.stats, { computed: 2 * 4 * n, cached: 0 });
  const lost = [...cache.map.keys()].filter((_, i) => i % 5 === 0);
  lost.forEach((k) => cache.map.delete(k));
  const resumed = await profile(2, cache);
  assert.equal(resumed.stats.cached + resumed.stats.computed, 2 * 4 * n);
  assert.ok(resumed.stats.computed >= lost.length && resumed.stats.cached > 0);
  assert.deepEqual(withoutTimings(resumed.pair), withoutTimings(full.pair));
});

test('samples above 1 with greedy decoding are refused with why', async () => {
  const a = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  try {
    await assert.rejects(
      profilePair({ handle: a, spec: 'a', label: 'a' }, { handle: a, spec: 'b', label: 'b' }, set, {
        settings: { ...sampled, temperature: 0 },
        samples: 3,
      }),
      /3 samples per prompt need sampling \(temperature > 0\)/,
    );
  } finally {
    await a.engine.dispose();
  }
});
