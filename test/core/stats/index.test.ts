// Checks the statistics barrel exposes the whole public API.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as stats from '../../../src/core/stats/index.ts';

test('index re-exports every public function', () => {
  const names = [
    'mcnemar',
    'mcnemarFromCounts',
    'wilcoxonSignedRank',
    'signedRankPmf',
    'hodgesLehmann',
    'cohensH',
    'cohensDz',
    'classifyEffect',
    'pairedBootstrap',
    'pairedBootstrapMany',
    'uniformStream',
    'rankBiserialInterval',
    'benjaminiHochberg',
    'mdePairedBinary',
    'mdePairedContinuous',
    'quantileSorted',
    'normalCdf',
    'normalSf',
    'normalQuantile',
    'chiSquare1Sf',
    'logGamma',
    'binomialPmf',
    'binomialCdf',
    'binomialSf',
    'mannWhitneyGreater',
    'signFlipTest',
  ];
  for (const name of names) assert.equal(typeof (stats as Record<string, unknown>)[name], 'function', name);
  assert.deepEqual(Object.keys(stats).sort(), [...names].sort());
});
