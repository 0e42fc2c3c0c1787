// Discovery for one report: every family of candidates (words said, words made likelier where said, words raised
// in the next-token choices) chosen on the discovery half and tested on the confirmation half with the extractors'
// paired tests, ready to join the report's one FDR correction.

import type { FeatureValue } from '../../features/index.ts';
import { pairedTests, type PairedTest, type PairedValues, type TestSpec } from '../paired-tests.ts';
import type { PositionPair } from '../token-divergence.ts';
import { words } from '../distinctive-words.ts';
import type { Split } from './split.ts';
import { discoverTokenShifts } from './token-shifts.ts';
import { discoverVocabulary, type ReplyPair } from './vocabulary.ts';
import { discoverWordLikelihood, type ScoredReply } from './word-likelihood.ts';

export interface DiscoveryInput {
  rows: readonly { id: string; cluster: number; category: string }[];
  replies: readonly ReplyPair[];
  positions: readonly { id: string; cluster: number; positions: readonly PositionPair[] }[];
  scored: readonly { id: string; cluster: number; replies: readonly ScoredReply[] }[];
  /** Text of a token id (one vocabulary only: token shifts). */
  textOf: (id: number) => string;
  same: boolean;
}

export interface DiscoveredTest {
  test: PairedTest;
  values: PairedValues;
  /** Paired difference per prompt over every prompt (not only the confirmation half): for behaviours. */
  diffs: Map<string, number>;
  matched?: Map<string, number>;
  /** Smallest |effect| worth reporting. */
  minEffect: number;
}

interface Family {
  spec: TestSpec;
  /** A's and B's value on a prompt, or null where the candidate does not apply. */
  at: (id: string) => { a: number; b: number } | null;
  matched?: Map<string, number>;
}

/**
 * Both directions of the split (cross-fitting): candidates chosen on the discovery side are tested on the
 * confirmation side, and candidates chosen on the confirmation side are tested on the discovery side. A term found
 * both ways keeps its smaller p; every p is doubled (Bonferroni for the two looks), so each stays valid although
 * a term had two chances. One split alone hung on which prompts fell where (a real fine-tune's one word was found
 * or missed by the luck of a seed); two looks at the same data halve that luck.
 */
export function discover(
  input: DiscoveryInput,
  split: Split,
  options: { resamples: number; seed: number },
): { tests: DiscoveredTest[]; scored: number } {
  // The other way round: chosen on (at most as many prompts as the first look chose on) from the confirmation side,
  // tested on the discovery side.
  const cap = split.discovery.size;
  const swapped: Split = {
    seed: split.seed,
    discovery: new Set([...split.confirmation].slice(0, cap)),
    confirmation: split.discovery,
  };
  const one = discoverOneWay(input, split, options);
  const two = discoverOneWay(input, swapped, options);
  const best = new Map<string, DiscoveredTest>();
  for (const t of [...one.tests, ...two.tests]) {
    const doubled = { ...t, test: { ...t.test, p: Math.min(1, 2 * t.test.p) } };
    const seen = best.get(t.test.feature);
    if (!seen || doubled.test.p < seen.test.p) best.set(t.test.feature, doubled);
  }
  return { tests: [...best.values()], scored: Math.max(one.scored, two.scored) };
}

/** Bootstrap resamples for discovered rows: each has its own prompts (no draws to share), so fewer, said in the report. */
export const DISCOVERY_RESAMPLES = 1000;

function discoverOneWay(
  input: DiscoveryInput,
  split: Split,
  options: { resamples: number; seed: number },
): { tests: DiscoveredTest[]; scored: number } {
  const seed = options.seed;
  const resamples = Math.min(options.resamples, DISCOVERY_RESAMPLES);
  const vocab = discoverVocabulary(input.replies, split);
  const likely = discoverWordLikelihood(input.scored, split);
  const replyWords = new Set(input.replies.flatMap((p) => [...p.a, ...p.b].flatMap(words)));
  const shifts = input.same
    ? discoverTokenShifts(input.positions, input.textOf, replyWords, split)
    : { candidates: [], scored: 0 };
  const families: Family[] = [
    ...vocab.candidates.map((v) => ({
      spec: v.spec,
      at: (id: string) => ({ a: v.countA.get(id)!, b: v.countB.get(id)! }),
      matched: new Map([...v.matchedB].map(([id, b]) => [id, b - v.matchedA.get(id)!])),
    })),
    ...likely.candidates.map((v) => ({
      spec: v.spec,
      at: (id: string) => (v.llr.has(id) ? { a: 0, b: v.llr.get(id)! } : null),
      matched: v.matched,
    })),
    ...shifts.candidates.map((v) => ({
      spec: v.spec,
      at: (id: string) => (v.shift.has(id) ? { a: 0, b: v.shift.get(id)! } : null),
    })),
  ];
  if (families.length === 0) return { tests: [], scored: vocab.scored + likely.scored + shifts.scored };
  const record = (id: string, side: 'a' | 'b') =>
    Object.fromEntries(families.map((f) => [f.spec.name, f.at(id)?.[side] ?? null])) as Record<string, FeatureValue>;
  const confirmation = input.rows
    .filter((r) => split.confirmation.has(r.id))
    .map((r) => ({ ...r, a: record(r.id, 'a'), b: record(r.id, 'b') }));
  const tests = pairedTests(
    families.map((f) => f.spec),
    confirmation,
    null,
    { resamples, seed },
  ).map(({ spec, values, test }) => {
    const f = families.find((x) => x.spec === spec)!;
    const diffs = new Map<string, number>();
    for (const r of input.rows) {
      const v = f.at(r.id);
      if (v) diffs.set(r.id, v.b - v.a);
    }
    return { test, values, diffs, minEffect: spec.minEffect ?? 0, ...(f.matched ? { matched: f.matched } : {}) };
  });
  return { tests, scored: vocab.scored + likely.scored + shifts.scored };
}
