// Discovery for one report: every family of candidates (words said, words made likelier where said, words raised
// in the next-token choices) chosen on the discovery half and tested on the confirmation half with the extractors'
// paired tests, ready to join the report's one FDR correction.

import { pairedTestsOf, type PairedTest, type PairedValues, type TestSpec } from '../paired-tests.ts';
import type { UniformStream } from '../../stats/index.ts';
import type { Split } from './split.ts';
import { discoverTokenShifts, shiftMeans, type ShiftPrompt } from './token-shifts.ts';
import { discoverVocabulary, tokeniseReplies, type ReplyPair, type TokenisedReplies } from './vocabulary.ts';
import { discoverWordLikelihood, replyWordRatios, type ScoredReply, type WordRatios } from './word-likelihood.ts';

export interface DiscoveryInput {
  rows: readonly { id: string; cluster: number; category: string }[];
  replies: readonly ReplyPair[];
  /** Per prompt, its positions (one vocabulary) or their centred shifts (token-shifts.ts). */
  positions: readonly ShiftPrompt[];
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
  /** The direction the candidate was chosen for on the discovery side (the sign of its z: + when B's is larger). */
  direction: number;
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
  options: { resamples: number; seed: number; uniforms?: UniformStream },
): { tests: DiscoveredTest[]; scored: number } {
  // The other way round: chosen on (at most as many prompts as the first look chose on) from the confirmation side,
  // tested on the discovery side.
  const cap = split.discovery.size;
  const swapped: Split = {
    seed: split.seed,
    discovery: new Set([...split.confirmation].slice(0, cap)),
    confirmation: split.discovery,
  };
  const shared = prepare(input);
  const one = discoverOneWay(shared, split, options);
  const two = discoverOneWay(shared, swapped, options);
  const best = new Map<string, DiscoveredTest>();
  for (const t of [...one.tests, ...two.tests]) {
    const doubled = { ...t, test: { ...t.test, p: Math.min(1, 2 * t.test.p) } };
    const seen = best.get(t.test.feature);
    if (!seen || doubled.test.p < seen.test.p) best.set(t.test.feature, doubled);
  }
  return { tests: [...best.values()], scored: Math.max(one.scored, two.scored) };
}

/**
 * The confirmation's p in the direction the candidate was chosen for: the signed-rank test's two-sided p halved when
 * the held-out ranks and mean difference lean that way (its statistic is symmetric under the null), 1 − p/2
 * otherwise.
 * A candidate is a claim with a direction ("says it more often"), so the held-out data confirm that claim or do not;
 * a held-out lean the other way is no discovery. Valid: the direction was fixed on prompts the test does not see.
 */
export function oneSided(test: PairedTest, direction: number): number {
  if (test.test === 'none' || test.p >= 1) return 1;
  if (!test.test.startsWith('wilcoxon')) throw new Error(`oneSided: ${test.feature} was not tested by signed ranks`);
  // The ranks' lean (the tail the signed-rank p is from) and the mean difference the report states must both point
  // the chosen way: a held-out mean pulled the other way by one large value is not the claim confirmed.
  const along = Math.sign(test.effectSize.value) === direction && Math.sign(test.effect) === direction;
  return along ? test.p / 2 : 1 - test.p / 2;
}

/** Bootstrap resamples for discovered rows: each has its own prompts (no draws to share), so fewer, said in the report. */
export const DISCOVERY_RESAMPLES = 1000;

/** What both looks of the split read: replies cut into words once, and per-reply measurements memoised. */
interface Prepared {
  input: DiscoveryInput;
  tokenised: TokenisedReplies;
  replyWords: ReadonlySet<string>;
  ratios: (r: ScoredReply) => WordRatios;
  shifts: ReturnType<typeof shiftMeans>;
}

function prepare(input: DiscoveryInput): Prepared {
  const tokenised = tokeniseReplies(input.replies);
  const replyWords = new Set(tokenised.words);
  const memo = new Map<ScoredReply, WordRatios>();
  const ratios = (r: ScoredReply) => {
    let x = memo.get(r);
    if (!x) memo.set(r, (x = replyWordRatios(r)));
    return x;
  };
  return { input, tokenised, replyWords, ratios, shifts: shiftMeans(input.textOf, replyWords) };
}

function discoverOneWay(
  { input, tokenised, replyWords, ratios, shifts: shiftsOf }: Prepared,
  split: Split,
  options: { resamples: number; seed: number; uniforms?: UniformStream },
): { tests: DiscoveredTest[]; scored: number } {
  const seed = options.seed;
  const resamples = Math.min(options.resamples, DISCOVERY_RESAMPLES);
  const vocab = discoverVocabulary(tokenised, split);
  const likely = discoverWordLikelihood(input.scored, split, {}, ratios);
  const shifts = input.same
    ? discoverTokenShifts(input.positions, input.textOf, replyWords, split, {}, shiftsOf)
    : { candidates: [], scored: 0 };
  const families: Family[] = [
    ...vocab.candidates.map((v) => ({
      spec: v.spec,
      direction: Math.sign(v.z),
      at: (id: string) => ({ a: v.countA.get(id)!, b: v.countB.get(id)! }),
      matched: new Map([...v.matchedB].map(([id, b]) => [id, b - v.matchedA.get(id)!])),
    })),
    ...likely.candidates.map((v) => ({
      spec: v.spec,
      direction: Math.sign(v.z),
      at: (id: string) => (v.llr.has(id) ? { a: 0, b: v.llr.get(id)! } : null),
      matched: v.matched,
    })),
    ...shifts.candidates.map((v) => ({
      spec: v.spec,
      direction: Math.sign(v.z),
      at: (id: string) => (v.shift.has(id) ? { a: 0, b: v.shift.get(id)! } : null),
    })),
  ];
  if (families.length === 0) return { tests: [], scored: vocab.scored + likely.scored + shifts.scored };
  const confirmation = input.rows.filter((r) => split.confirmation.has(r.id));
  // Each family's paired values on the confirmation prompts, as pairValues makes them (finite numbers on both sides).
  const measured = families.map((f) => {
    const values: PairedValues = { promptIds: [], a: [], b: [], clusters: [] };
    for (const r of confirmation) {
      const v = f.at(r.id);
      if (!v || !Number.isFinite(v.a) || !Number.isFinite(v.b)) continue;
      values.promptIds.push(r.id);
      values.a.push(v.a);
      values.b.push(v.b);
      values.clusters.push(r.cluster);
    }
    return { spec: f.spec, values };
  });
  const tests = pairedTestsOf(measured, null, { ...options, resamples, seed }).map(({ spec, values, test }) => {
    const f = families.find((x) => x.spec === spec)!;
    const diffs = new Map<string, number>();
    for (const r of input.rows) {
      const v = f.at(r.id);
      if (v) diffs.set(r.id, v.b - v.a);
    }
    return {
      test: { ...test, p: oneSided(test, f.direction) },
      values,
      diffs,
      minEffect: spec.minEffect ?? 0,
      ...(f.matched ? { matched: f.matched } : {}),
    };
  });
  return { tests, scored: vocab.scored + likely.scored + shifts.scored };
}
