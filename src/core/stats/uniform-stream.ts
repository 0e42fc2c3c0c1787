// One seed's uniform draws, made once and read by every bootstrap of a report with that seed: a report runs dozens
// (each feature overall and per category, each discovered row, the verdict), and all of them draw the same sequence.

import { createRng } from '../random.ts';

export interface UniformStream {
  readonly seed: number;
  /** The first n values of createRng(seed).next(), in order (the array may be longer). */
  take(n: number): Float64Array;
  /**
   * The first n draws of rng.int(count) on the same generator (Math.floor(next() * count)), in order: made once per
   * count and kept for the next bootstraps of as many clusters (a report's per-category scopes share one count, and
   * the verdict the overall one's).
   */
  ints(count: number, n: number): Int32Array;
}

/** Draw sequences kept (a few MB each at 2,000 resamples of 800 clusters); the shortest go first. */
const KEPT_COUNTS = 4;

export function uniformStream(seed: number): UniformStream {
  const rng = createRng(seed);
  let values = new Float64Array(0);
  let filled = 0;
  const ints = new Map<number, Int32Array>();
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
  return {
    seed,
    take,
    ints(count, n) {
      let out = ints.get(count);
      if (out && out.length >= n) {
        ints.delete(count);
        ints.set(count, out);
        return out;
      }
      const u = take(n);
      out = new Int32Array(n);
      // Math.floor of a product in [0, count), count < 2^31: truncation to an int32 is the same number.
      for (let i = 0; i < n; i++) out[i] = (u[i]! * count) | 0;
      ints.delete(count);
      ints.set(count, out);
      // Over the limit, the shortest sequence goes (the cheapest to make again; the long ones are asked again).
      if (ints.size > KEPT_COUNTS) {
        let shortest = -1;
        let length = Infinity;
        for (const [c, xs] of ints) if (c !== count && xs.length < length) [shortest, length] = [c, xs.length];
        ints.delete(shortest);
      }
      return out;
    },
  };
}
