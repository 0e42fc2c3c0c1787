// Worker entry: the diff computations (statistics with thousands of resamples) off the main thread.

import { expose } from 'comlink';
import { diff } from '../src/core/diff/build-report.ts';
import { nWay } from '../src/core/diff/n-way.ts';
import {
  unpackPairSteps,
  unpackProfilesSteps,
  type PackedPair,
  type PackedProfiles,
} from '../src/core/profile/packed-steps.ts';

/** diff() on a pair whose token steps came as transferred typed arrays (src/core/profile/packed-steps.ts). */
function diffPacked(packed: PackedPair, ...rest: Parameters<typeof diff> extends [unknown, ...infer R] ? R : never) {
  return diff(unpackPairSteps(packed), ...rest);
}

/** nWay() on profiles whose token steps came packed. */
function nWayPacked(
  packed: PackedProfiles,
  ...rest: Parameters<typeof nWay> extends [unknown, ...infer R] ? R : never
) {
  return nWay(unpackProfilesSteps(packed), ...rest);
}

export type DiffWorkerApi = {
  diff: typeof diff;
  diffPacked: typeof diffPacked;
  nWay: typeof nWay;
  nWayPacked: typeof nWayPacked;
};
expose({ diff, diffPacked, nWay, nWayPacked } satisfies DiffWorkerApi);
