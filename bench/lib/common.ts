// What every benchmark part shares: paths, medians, and the shape of a reported figure.

import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const RESULTS = join(ROOT, 'bench', 'results');

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** One row of the table: a figure, its baseline measured in the same run, and their ratio. */
export interface Figure {
  part: string;
  what: string;
  unit: string;
  /** Median of the repetitions. */
  value: number;
  reps: number[];
  baseline?: { what: string; value: number; reps: number[] };
  /**
   * Median over repetitions of ours / baseline, each repetition's pair measured back to back (so a change in the
   * machine's background load between repetitions does not skew it). > 1: better than the baseline.
   */
  ratio?: number;
  target?: string;
  met?: boolean;
  notes?: string[];
}

export interface PartResult {
  part: string;
  figures: Figure[];
  /** Anything else worth keeping in the JSON (settings, checks, timings split). */
  details?: Record<string, unknown>;
}

export interface BenchOptions {
  quick: boolean;
  /** Subset of models for the profile part, by key. */
  models: string[] | null;
  /** WASM threads per worker of ours in the profile part (default: as the app does). */
  threads?: number;
  log: (line: string) => void;
}

/** Median of the per-repetition ratios a[i] / b[i]. */
export const pairedRatio = (a: readonly number[], b: readonly number[]): number => median(a.map((x, i) => x / b[i]!));

export const fmt = (x: number | undefined, digits = 2): string =>
  x === undefined || !Number.isFinite(x)
    ? '–'
    : Math.abs(x) >= 100
      ? x.toFixed(0)
      : Math.abs(x) >= 10
        ? x.toFixed(1)
        : x.toFixed(digits);
