// One seed's uniform draws, made once and read by every bootstrap of a report with that seed: a report runs dozens
// (each feature overall and per category, each discovered row, the verdict), and all of them draw the same sequence.
// Each bootstrap turns them into cluster indices itself, a block of resamples at a time (resample-means.ts).

import { createRng } from '../random.ts';

export interface UniformStream {
  readonly seed: number;
  /** The first n values of createRng(seed).next(), in order (the array may be longer). */
  take(n: number): Float64Array;
}

export function uniformStream(seed: number): UniformStream {
  const rng = createRng(seed);
  let values = new Float64Array(0);
  let filled = 0;
  const take = (n: number) => {
    if (n > filled) {
      if (n > values.length) {
        const grown = new Float64Array(Math.max(n, 2 * values.length));
        grown.set(values.subarray(0, filled));
        values = grown;
      }
      for (let i = filled; i < n; i++) values[i] = rng.next();
      filled = n;
    }
    return values;
  };
  return { seed, take };
}
