import assert from 'node:assert/strict';
import { it } from 'node:test';
import { diff } from '../../../src/core/diff/build-report.ts';
import { mdePairedBinary } from '../../../src/core/stats/index.ts';
import { style, syntheticPair, syntheticSet } from './synthetic.ts';

it('a size no run of this length could detect is null in the report, as in its JSON, never Infinity', () => {
  const set = syntheticSet(3, 2);
  assert.equal(mdePairedBinary(3, 1 / 3), Infinity);
  const report = diff(syntheticPair(set, style('A'), style('B'), 1), set, { resamples: 50 });
  const overall = report.power.find((p) => p.promptCategory === null)!;
  assert.equal(overall.mdeBinary, null);
  assert.deepEqual(JSON.parse(JSON.stringify(report.power)), report.power);
});

it('per-token evidence: every prompt in a small set; in a large one the cited prompts first, then the most divergent', () => {
  const set = syntheticSet(80, 3);
  const pair = syntheticPair(set, style('A'), style('B', { hedge: 0.9, extra: [5, 10] }), 1);
  const all = diff(pair, set, { resamples: 50 });
  assert.ok(all.prompts.every((p) => p.a.tokens && p.b.tokens));
  const some = diff(pair, set, { resamples: 50, tokenDetailLimit: 8 });
  const carrying = some.prompts.filter((p) => p.a.tokens !== undefined);
  assert.equal(carrying.length, 8);
  assert.ok(carrying.every((p) => p.b.tokens !== undefined));
  const cited = new Set(some.differences.filter((d) => d.significant).flatMap((d) => d.examples));
  assert.ok(cited.size > 8);
  const first = [...cited].slice(0, 8);
  for (const id of first)
    assert.ok(
      carrying.some((p) => p.id === id),
      `${id} is cited and carries its tokens`,
    );
  // The same evidence as in the full report, for the prompts that carry it.
  for (const p of carrying)
    assert.deepEqual(
      p,
      all.prompts.find((q) => q.id === p.id),
    );
  // Everything else in the report is unchanged.
  assert.deepEqual(some.differences, all.differences);
});
