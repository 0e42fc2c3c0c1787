// Profiles' token steps as typed arrays, for the trip to the diff worker (a pair for diff(), N profiles for nWay()).
// Structured clone copies a profile's per-token objects one by one — 1,000 prompts of 50 tokens with the top 10 each
// is over a million small objects, ≈ 1.6 s to clone in Chromium, more than the diff itself — while typed arrays are
// transferred without a copy. The page packs the steps (one pass over them), transfers the arrays and clones only the
// rest (texts, features); the worker rebuilds the same objects: every number exactly (Float64Array keeps each value,
// -0 and NaN included), every step key in the engines' order (id, logprob, entropy, top, then candidates where
// present), so the diff sees what it would have seen. Alternatives come back as { id, logprob } only: any other key an
// alternative carried is not sent (see packable). Steps of another shape are not packed (null): they go by structured
// clone, as before.

import type { ScoredStep, TokenAlternative, TokenStep } from '../engine/types.ts';
import type { CrossScore, ModelProfile, PairProfile, ResponseRecord } from './types.ts';

export interface Packed<T> {
  /** The value with every `tokens` array emptied (cloned as usual). */
  skeleton: T;
  /** Steps per `tokens` array, in the skeleton's order (a pair: A's records, B's, A under B, B under A, noise). */
  lengths: Int32Array;
  /** Per step: id, logprob, entropy. */
  steps: Float64Array;
  /** Per step: its top count, then its candidates count (−1: no candidates key). */
  counts: Int32Array;
  /** Every top and candidates entry, in order: id, logprob. */
  alternatives: Float64Array;
}

export type PackedPair = Packed<PairProfile>;
export type PackedProfiles = Packed<ModelProfile[]>;

type Holder = ResponseRecord | CrossScore;

/** Every object of a pair that holds a `tokens` array, in one fixed order. */
function pairHolders(p: PairProfile): Holder[] {
  return [...p.a.records, ...p.b.records, ...p.aUnderB, ...p.bUnderA, ...(p.noise ? [...p.noise.a, ...p.noise.b] : [])];
}

const STEP_KEYS = ['id', 'logprob', 'entropy', 'top'];

/**
 * Whether a step is the engines' shape: its keys in their order, numeric id, logprob and entropy, arrays of
 * alternatives (each checked while it is packed). Alternatives are not asked for their keys (a million Object.keys
 * calls would cost a third of the clone saved): the diff reads an alternative's id and logprob and nothing else.
 */
function packable(s: ScoredStep): boolean {
  if (s === null || typeof s !== 'object') return false;
  const keys = Object.keys(s);
  if (keys.length !== 4 && !(keys.length === 5 && keys[4] === 'candidates')) return false;
  for (let i = 0; i < 4; i++) if (keys[i] !== STEP_KEYS[i]) return false;
  if (typeof s.id !== 'number' || typeof s.logprob !== 'number' || typeof s.entropy !== 'number') return false;
  return Array.isArray(s.top) && (keys.length === 4 || Array.isArray(s.candidates));
}

/** The steps of every holder, in order, as typed arrays; null when a step is not the engines' shape. */
function packHolders(hs: readonly Holder[]): Omit<Packed<never>, 'skeleton'> | null {
  let stepCount = 0;
  let altCount = 0;
  for (const h of hs) {
    if (!Array.isArray(h.tokens)) return null;
    for (const s of h.tokens as ScoredStep[]) {
      if (!packable(s)) return null;
      stepCount++;
      altCount += s.top.length + (s.candidates?.length ?? 0);
    }
  }
  const lengths = new Int32Array(hs.length);
  const steps = new Float64Array(3 * stepCount);
  const counts = new Int32Array(2 * stepCount);
  const alternatives = new Float64Array(2 * altCount);
  let t = 0;
  let a = 0;
  /** Writes a step's alternatives; false at one that is not {id: number, logprob: number}. */
  const write = (xs: readonly TokenAlternative[]) => {
    for (let j = 0; j < xs.length; j++) {
      const x = xs[j];
      if (x === null || typeof x !== 'object' || typeof x.id !== 'number' || typeof x.logprob !== 'number')
        return false;
      alternatives[a] = x.id;
      alternatives[a + 1] = x.logprob;
      a += 2;
    }
    return true;
  };
  for (let i = 0; i < hs.length; i++) {
    const tokens = hs[i]!.tokens as ScoredStep[];
    lengths[i] = tokens.length;
    for (let j = 0; j < tokens.length; j++, t++) {
      const s = tokens[j]!;
      steps[3 * t] = s.id;
      steps[3 * t + 1] = s.logprob;
      steps[3 * t + 2] = s.entropy;
      counts[2 * t] = s.top.length;
      counts[2 * t + 1] = s.candidates ? s.candidates.length : -1;
      if (!write(s.top) || (s.candidates && !write(s.candidates))) return null;
    }
  }
  return { lengths, steps, counts, alternatives };
}

/** Shallow copies with the steps taken out: the caller's objects are left as they were. */
const strip = <T extends Holder>(h: T): T => ({ ...h, tokens: [] });

/** The pair's steps as typed arrays and the rest as a skeleton; null when a step is not the engines' shape. */
export function packPairSteps(pair: PairProfile): PackedPair | null {
  const arrays = packHolders(pairHolders(pair));
  if (!arrays) return null;
  const skeleton: PairProfile = {
    ...pair,
    a: { ...pair.a, records: pair.a.records.map(strip) },
    b: { ...pair.b, records: pair.b.records.map(strip) },
    aUnderB: pair.aUnderB.map(strip),
    bUnderA: pair.bUnderA.map(strip),
    ...(pair.noise ? { noise: { a: pair.noise.a.map(strip), b: pair.noise.b.map(strip) } } : {}),
  };
  return { skeleton, ...arrays };
}

/** N profiles' steps (nWay's input), packed the same way. */
export function packProfilesSteps(profiles: readonly ModelProfile[]): PackedProfiles | null {
  const arrays = packHolders(profiles.flatMap((p) => p.records));
  if (!arrays) return null;
  return { skeleton: profiles.map((p) => ({ ...p, records: p.records.map(strip) })), ...arrays };
}

/** The typed arrays a packed value can hand over without copying. */
export function packedBuffers(p: Packed<unknown>): ArrayBuffer[] {
  return [p.lengths, p.steps, p.counts, p.alternatives].map((x) => x.buffer as ArrayBuffer);
}

/** The pair packPairSteps was given, rebuilt (in place, into the skeleton). */
export function unpackPairSteps(p: PackedPair): PairProfile {
  unpackHolders(p, pairHolders(p.skeleton));
  return p.skeleton;
}

/** The profiles packProfilesSteps was given, rebuilt (in place, into the skeleton). */
export function unpackProfilesSteps(p: PackedProfiles): ModelProfile[] {
  unpackHolders(
    p,
    p.skeleton.flatMap((m) => m.records),
  );
  return p.skeleton;
}

/** Fills each holder's `tokens` from the arrays, in order. */
function unpackHolders(p: Omit<Packed<unknown>, 'skeleton'>, hs: readonly Holder[]): void {
  const { lengths, steps, counts, alternatives } = p;
  if (hs.length !== lengths.length) throw new Error('packed steps: the skeleton does not match the step lengths.');
  let t = 0;
  let a = 0;
  const alts = (n: number) => {
    const out: TokenAlternative[] = new Array<TokenAlternative>(n);
    for (let j = 0; j < n; j++, a += 2) out[j] = { id: alternatives[a]!, logprob: alternatives[a + 1]! };
    return out;
  };
  hs.forEach((h, i) => {
    const n = lengths[i]!;
    const tokens: ScoredStep[] = new Array<ScoredStep>(n);
    for (let j = 0; j < n; j++, t++) {
      const step: TokenStep & { candidates?: TokenAlternative[] } = {
        id: steps[3 * t]!,
        logprob: steps[3 * t + 1]!,
        entropy: steps[3 * t + 2]!,
        top: alts(counts[2 * t]!),
      };
      const c = counts[2 * t + 1]!;
      if (c >= 0) step.candidates = alts(c);
      tokens[j] = step;
    }
    h.tokens = tokens;
  });
  if (3 * t !== steps.length || a !== alternatives.length)
    throw new Error('packed steps: the arrays hold more steps than the skeleton has places for.');
}
