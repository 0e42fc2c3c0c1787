// Seeded pseudo-random numbers (mulberry32 + Box–Muller): every forged weight and bootstrap draw is reproducible.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /**
   * Fills `out` with integers in [0, n): the same numbers, in the same order, as `out.length` calls of int(n), at
   * a fraction of the cost (the state stays in a local variable for the loop).
   */
  fillInts(out: Int32Array, n: number): Int32Array;
}

export function createRng(seed: number): Rng {
  // State in a typed array: a closure-captured number is re-boxed on every write, which dominated bootstrap time.
  const state = Uint32Array.of(seed >>> 0);
  const next = () => {
    state[0] = state[0]! + 0x6d2b79f5;
    let t = state[0]!;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal() {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    int(n: number) {
      return Math.floor(next() * n);
    },
    fillInts(out: Int32Array, n: number) {
      let s = state[0]!;
      for (let i = 0; i < out.length; i++) {
        s = (s + 0x6d2b79f5) >>> 0;
        let t = Math.imul(s ^ (s >>> 15), s | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        out[i] = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
      }
      state[0] = s;
      return out;
    },
  };
}

/** Fills an array with N(0, std²) draws. */
export function fillNormal(rng: Rng, out: Float32Array, std: number): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * std;
  return out;
}
