// Calibration of discovery and behaviours under the null: one model's replies, and the same replies relabelled at
// random among prompts of the same category as "B"; each reply scored by "the other model" with its own
// log-probabilities plus independent runtime noise (as a GPU or a server would add). Nothing differs between A and
// B but chance, so a report that claims a discovered difference or a behaviour is a false discovery. Over 200 such
// pairs the share of reports with any must stay at or below the nominal 5%.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diff } from '../../../src/core/diff/build-report.ts';
import type { ScoredStep } from '../../../src/core/engine/types.ts';
import { textSteps } from '../../../src/core/diff/cross-likelihood.ts';
import type { CrossScore, ModelProfile, PairProfile } from '../../../src/core/profile/types.ts';
import { createRng } from '../../../src/core/random.ts';
import { style, syntheticPair, syntheticProfile, syntheticSet } from './synthetic.ts';

const RUNS = 200;

/** The same model scoring each reply: its own log-probabilities plus independent noise of `sigma` nats. */
function selfScores(p: ModelProfile, seed: number, sigma = 0.05): CrossScore[] {
  const rng = createRng(seed);
  return p.records.map((r) => ({
    promptId: r.promptId,
    bytes: new TextEncoder().encode(r.text).byteLength,
    tokens: textSteps(r).map((t): ScoredStep => ({
      ...t,
      logprob: t.logprob + sigma * rng.normal(),
      candidates: t.top.map((x) => ({ id: x.id, logprob: Math.min(0, x.logprob + sigma * rng.normal()) })),
    })),
  }));
}

/** A: one model's profile. B: its records permuted within each prompt category, given the ids they now answer. */
function relabelled(a: ModelProfile, categoryOf: Map<string, string>, seed: number): PairProfile {
  const rng = createRng(seed);
  const ids = a.records.map((r) => r.promptId);
  const byCategory = new Map<string, number[]>();
  ids.forEach((id, i) => byCategory.set(categoryOf.get(id)!, [...(byCategory.get(categoryOf.get(id)!) ?? []), i]));
  const from = ids.map((_, i) => i);
  for (const slots of byCategory.values()) {
    const shuffled = slots.slice();
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    slots.forEach((slot, k) => (from[slot] = shuffled[k]!));
  }
  const b: ModelProfile = {
    ...a,
    label: 'B',
    spec: 'synthetic:B',
    records: from.map((src, i) => ({ ...a.records[src]!, promptId: ids[i]! })),
  };
  return {
    promptSet: { id: 'calibration', name: 'calibration', hash: `calibration-${seed}`, n: ids.length },
    a,
    b,
    aUnderB: selfScores(a, 2 * seed + 1),
    bUnderA: selfScores(b, 2 * seed + 2),
  };
}

test(`null calibration: ${RUNS} relabelled one-model pairs — any discovered difference, any behaviour ≤ 5%`, () => {
  let withDiscovered = 0;
  let withBehaviour = 0;
  let tested = 0;
  const model = style('M');
  for (let run = 0; run < RUNS; run++) {
    const set = syntheticSet(60, 1000 + run);
    const categoryOf = new Map(set.prompts.map((p) => [p.id, p.category]));
    const pair = relabelled(syntheticProfile(set, model, run + 1), categoryOf, run);
    const report = diff(pair, set, { resamples: 200, seed: run + 1 });
    tested += report.discovery!.candidatesTested;
    if (report.differences.some((d) => d.significant && d.category === 'vocabulary')) withDiscovered++;
    if (report.behaviours.length > 0) withBehaviour++;
  }
  const share = (k: number) => k / RUNS;
  console.log(
    `calibration: ${withDiscovered}/${RUNS} reports with a discovered difference, ${withBehaviour}/${RUNS} with a ` +
      `behaviour; ${(tested / RUNS).toFixed(1)} candidates tested per report`,
  );
  assert.ok(tested > RUNS, 'discovery tested candidates: the calibration is about something');
  assert.ok(share(withDiscovered) <= 0.05, `${withDiscovered} of ${RUNS} with a discovered difference`);
  assert.ok(share(withBehaviour) <= 0.05, `${withBehaviour} of ${RUNS} with a behaviour`);
});

test('the same harness has power: a boosted word is discovered in most of 20 pairs that differ', () => {
  let found = 0;
  for (let run = 0; run < 20; run++) {
    const set = syntheticSet(60, 5000 + run);
    const pair = syntheticPair(set, style('A'), style('B', { boost: { friends: 2 } }), run + 1);
    const report = diff(pair, set, { resamples: 200, seed: run + 1 });
    const hit = report.behaviours.some(
      (b) => b.category === 'vocabulary' && b.evidence.some((i) => /:friends$/.test(report.differences[i]!.feature)),
    );
    if (hit) found++;
  }
  assert.ok(found >= 16, `${found} of 20`);
});
