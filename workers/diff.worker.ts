// Worker entry: the diff computations (statistics with thousands of resamples) off the main thread.

import { expose } from 'comlink';
import { diff } from '../src/core/diff/build-report.ts';
import { nWay } from '../src/core/diff/n-way.ts';
import { unpackPairSteps, type PackedPair } from '../src/core/profile/packed-steps.ts';

/** diff() on a pair whose token steps came as transferred typed arrays (src/core/profile/packed-steps.ts). */
function diffPacked(packed: PackedPair, ...rest: Parameters<typeof diff> extends [unknown, ...infer R] ? R : never) {
  return diff(unpackPairSteps(packed), ...rest);
}

export type DiffWorkerApi = { diff: typeof diff; diffPacked: typeof diffPacked; nWay: typeof nWay };
expose({ diff, diffPacked, nWay } satisfies DiffWorkerApi);
