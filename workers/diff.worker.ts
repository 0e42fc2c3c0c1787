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

/** A function's parameters after its first (the pair or profiles, which come packed). */
export type AfterFirst<F extends (...args: never[]) => unknown> =
  Parameters<F> extends [unknown, ...infer R] ? R : never;

/** diff() on a pair whose token steps came as transferred typed arrays (src/core/profile/packed-steps.ts). */
function diffPacked(packed: PackedPair, ...rest: AfterFirst<typeof diff>) {
  return diff(unpackPairSteps(packed), ...rest);
}

/** nWay() on profiles whose token steps came packed. */
function nWayPacked(packed: PackedProfiles, ...rest: AfterFirst<typeof nWay>) {
  return nWay(unpackProfilesSteps(packed), ...rest);
}

export type DiffWorkerApi = {
  diff: typeof diff;
  diffPacked: typeof diffPacked;
  nWay: typeof nWay;
  nWayPacked: typeof nWayPacked;
};
expose({ diff, diffPacked, nWay, nWayPacked } satisfies DiffWorkerApi);
