// Bench-only worker (bench/diff-core.ts --browser): the app's diff worker code, timed from inside — the report's
// computation in a fresh worker (cold) and again (warm), without the trip of the profiles in and the report out.

import { expose } from 'comlink';
import { diff } from '../../src/core/diff/build-report.ts';
import { unpackPairSteps, type PackedPair } from '../../src/core/profile/packed-steps.ts';
import type { AfterFirst } from '../../workers/diff.worker.ts';

type Rest = AfterFirst<typeof diff>;

expose({
  /** Milliseconds of unpacking and of each diff() call on the same pair. */
  time(packed: PackedPair, calls: number, ...rest: Rest): { unpack: number; diffs: number[] } {
    let t = performance.now();
    const pair = unpackPairSteps(packed);
    const unpack = performance.now() - t;
    const diffs: number[] = [];
    for (let i = 0; i < calls; i++) {
      t = performance.now();
      diff(pair, ...rest);
      diffs.push(performance.now() - t);
    }
    return { unpack, diffs };
  },
});
