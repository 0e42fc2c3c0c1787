// The activation-difference lens (Minder, Dumas, Slocum, Casademunt, Holmes, West and Nanda, "Narrow Finetuning
// Leaves Clearly Readable Traces in Activation Differences", arXiv 2510.13900): on the first k tokens of many generic
// documents, the mean difference of the two models' residual streams at one layer, per position,
//   δ_p = mean over documents of (h_B,p − h_A,p),
// read through B's logit lens (+δ_p: what B's stream leans towards, −δ_p: away from) and used to steer B.
//
// What this adds to the paper: each position's δ_p is tested against the documents' own variation by a sign-flip
// permutation test of ‖δ_p‖ (under "no systematic difference" each document's difference is as likely negated), with
// Benjamini–Hochberg over positions, so a lens row is shown only where the mean difference is more than the spread
// of per-document differences explains. A pair whose streams are identical gives δ = 0 exactly and says so.
// The paper reads one layer; the taps give every stream point in the same forward pass, so the lens is read at each
// point (one accumulator per point) and BH then runs over every position × point tested (jointQ): a reader who
// browses the points sees q values that hold for the whole table, not for one point picked after looking.
// Pure: the activations come in as arrays (the service reads them from the engines' taps).

import { createRng } from '../random.ts';
import { benjaminiHochberg } from '../stats/multiple-comparisons.ts';

export interface LensPosition {
  /** Position among the document's tokens (0 = first after any BOS). */
  position: number;
  documents: number;
  /** ‖δ_p‖, and relative to B's mean stream norm at this layer. */
  norm: number;
  relative: number;
  /** Sign-flip permutation p of ‖δ_p‖, and its BH q over positions. */
  p: number;
  q: number;
}

export interface LensStatistics {
  positions: LensPosition[];
  /** δ_p per position, float32 [hidden]. */
  deltas: Float32Array[];
  /** Mean ‖h_B‖ over every position read: the unit of steering strength. */
  meanNormB: number;
  identical: boolean;
}

/** Per-document differences at the first k positions, gathered as the activations arrive. */
export class DiffLensAccumulator {
  /** [position][document] → h_B − h_A. */
  readonly #diffs: Float32Array[][];
  #normSum = 0;
  #normCount = 0;
  #identical = true;

  constructor(
    readonly positions: number,
    readonly hiddenSize: number,
  ) {
    this.#diffs = Array.from({ length: positions }, () => []);
  }

  /** One document's activations from each model at its first n ≤ k positions (row-major [n, hidden]). */
  add(a: Float32Array, b: Float32Array, n: number): void {
    const D = this.hiddenSize;
    if (a.length !== n * D || b.length !== n * D)
      throw new Error(`Lens: expected ${n}×${D} activations from each model, got ${a.length} and ${b.length}.`);
    for (let p = 0; p < Math.min(n, this.positions); p++) {
      const d = new Float32Array(D);
      let norm = 0;
      for (let i = 0; i < D; i++) {
        const x = b[p * D + i]!;
        d[i] = x - a[p * D + i]!;
        if (d[i] !== 0) this.#identical = false;
        norm += x * x;
      }
      this.#normSum += Math.sqrt(norm);
      this.#normCount++;
      this.#diffs[p]!.push(d);
    }
  }

  result(permutations = 199, seed = 1): LensStatistics {
    const D = this.hiddenSize;
    const meanNormB = this.#normCount ? this.#normSum / this.#normCount : 0;
    const rng = createRng(seed);
    const deltas: Float32Array[] = [];
    const rows = this.#diffs.map((docs, position) => {
      const n = docs.length;
      const mean = new Float64Array(D);
      for (const d of docs) for (let i = 0; i < D; i++) mean[i] = mean[i]! + d[i]! / n;
      deltas.push(Float32Array.from(mean));
      const norm = length(mean);
      let beyond = 0;
      if (norm > 0) {
        // Documents in groups of FLIP_GROUP, each group's 2^FLIP_GROUP signed sums tabled once: a permutation is then
        // one table row per group (its signs drawn together: bits of one uniform draw), not one vector per document.
        const table = signedSums(docs, D);
        const groups = table.length;
        const total = new Float64Array(D);
        for (const rowsOf of table) for (let i = 0; i < D; i++) total[i] = total[i]! + rowsOf[i]!;
        const observed = squared(total);
        const flipped = new Float64Array(D);
        for (let r = 0; r < permutations; r++) {
          flipped.fill(0);
          for (let g = 0; g < groups; g++) {
            const rowsOf = table[g]!;
            const size = Math.min(FLIP_GROUP, n - g * FLIP_GROUP);
            const offset = Math.floor(rng.next() * (1 << size)) * D;
            for (let i = 0; i < D; i++) flipped[i] = flipped[i]! + rowsOf[offset + i]!;
          }
          if (squared(flipped) >= observed) beyond++;
        }
      }
      const p = norm > 0 ? (beyond + 1) / (permutations + 1) : 1;
      return { position, documents: n, norm, relative: meanNormB > 0 ? norm / meanNormB : 0, p, q: 1 };
    });
    const q = benjaminiHochberg(rows.map((r) => r.p));
    rows.forEach((r, i) => (r.q = q[i]!));
    return { positions: rows, deltas, meanNormB, identical: this.#identical };
  }
}

/** The steering direction: the mean of δ_p over the positions, unit length (null when it is zero). */
export function steeringDirection(deltas: Float32Array[]): Float32Array | null {
  const D = deltas[0]?.length ?? 0;
  const v = new Float64Array(D);
  for (const d of deltas) for (let i = 0; i < D; i++) v[i] = v[i]! + d[i]! / deltas.length;
  const n = length(v);
  return n > 0 ? Float32Array.from(v, (x) => x / n) : null;
}

/**
 * BH over every (position, point) test of a lens read at several points, as one family: each row's q is replaced by
 * its q in that family (the p values are unchanged).
 */
export function jointQ(points: LensStatistics[]): void {
  const rows = points.flatMap((s) => s.positions);
  const q = benjaminiHochberg(rows.map((r) => r.p));
  rows.forEach((r, i) => (r.q = q[i]!));
}

/**
 * The stream points to read: all of 0..layers when their stored per-document differences (bytesPerPoint each) fit in
 * `budget`, else as many evenly spaced points as fit, always with the first, the last and `keep` (the steering point).
 */
export function lensPoints(layers: number, keep: number, bytesPerPoint: number, budget: number): number[] {
  const fit = Math.max(1, Math.floor(budget / Math.max(1, bytesPerPoint)));
  if (fit > layers) return Array.from({ length: layers + 1 }, (_, i) => i);
  const picked = new Set([keep]);
  // fit − 1 evenly spaced points from 0 to `layers`, and the steering point: at most `fit` in all.
  for (let i = 0; fit >= 3 && i < fit - 1; i++) picked.add(Math.round((i * layers) / (fit - 2)));
  return [...picked].sort((x, y) => x - y);
}

/**
 * How many leading tokens every row shares (a BOS, a chat template's opening turn): the same tokens in every
 * document say nothing about the documents. At most the shortest row's length − 1, and 0 for fewer than two rows.
 */
export function commonPrefix(rows: number[][]): number {
  if (rows.length < 2) return 0;
  const shortest = Math.min(...rows.map((r) => r.length));
  let n = 0;
  while (n < shortest - 1 && rows.every((r) => r[n] === rows[0]![n])) n++;
  return n;
}

/** The middle stream point of a model with `layers` decoder layers (the stream after layer ⌈L/2⌉ − 1). */
export const middlePoint = (layers: number) => Math.max(1, Math.round(layers / 2));

/** Documents per group of the sign-flip table (2^4 signed sums each). */
const FLIP_GROUP = 4;

/** Per group of FLIP_GROUP documents, every signed sum: row m has − for document j where bit j of m is set. */
function signedSums(docs: Float32Array[], D: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let g = 0; g < docs.length; g += FLIP_GROUP) {
    const members = docs.slice(g, g + FLIP_GROUP);
    const rows = new Float64Array((1 << members.length) * D);
    for (let m = 0; m < 1 << members.length; m++)
      members.forEach((d, j) => {
        const s = m & (1 << j) ? -1 : 1;
        for (let i = 0; i < D; i++) rows[m * D + i] = rows[m * D + i]! + s * d[i]!;
      });
    out.push(rows);
  }
  return out;
}

function squared(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return s;
}

function length(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}
