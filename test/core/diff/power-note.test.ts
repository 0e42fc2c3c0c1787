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
