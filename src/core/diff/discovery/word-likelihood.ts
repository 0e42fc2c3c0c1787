// Discovered word likelihoods: the words one model finds likelier than the other where they are said. Each word of
// both replies gets log p_B(word | context) − log p_A(word | context), the sum over the tokens that spell it in each
// model's own tokenization (so it works across tokenizers: the owner's generation steps and the other model's
// teacher-forced scores of the same text, each cut into words by character spans). Per prompt and word, the mean
// over its occurrences; ranked on the discovery half, tested on the confirmation half (split.ts). Words of any
// vocabulary, at word level: a word spelled by several sub-word tokens is one word here.

import type { TestSpec } from '../paired-tests.ts';
import { spellMemo, type SpelledSpans, type Speller } from '../token-view.ts';
import { rankTerms } from './rank-z.ts';
import type { Split } from './split.ts';

export interface ScoredReply {
  text: string;
  own: readonly { id: number; logprob: number }[];
  ownText: (id: number) => string;
  /** The other model's scores of the same text in its own tokens (empty when it could not score). */
  other: readonly { id: number; logprob: number }[];
  otherText: (id: number) => string;
  ownerIsB: boolean;
  /** Spells the reply's steps (a report's memo, shared with its token view); one of its own when absent. */
  spell?: Speller;
}

export interface WordLikelihoodCandidate {
  term: string;
  spec: TestSpec;
  z: number;
  /** Per prompt, the mean log-ratio over the word's occurrences (absent where it does not occur). */
  llr: Map<string, number>;
  /** The same over occurrences within the first min(words A, words B) words of the replies. */
  matched: Map<string, number>;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
const TRAILING = /['’-]+$/;
/** Lower case, without trailing apostrophes and hyphens (the test first: most words have none). */
const normal = (w: string) => {
  const l = w.toLowerCase();
  const last = l.charCodeAt(l.length - 1);
  return last === 39 || last === 0x2019 || last === 45 ? l.replace(TRAILING, '') : l;
};

export function likelihoodFeature(term: string): TestSpec {
  return {
    name: `likelier:${term}`,
    extractor: 'discovery',
    kind: 'continuous',
    category: 'vocabulary',
    minEffect: 0.1,
    description: `log-probability B gives “${term}” minus A's, where either reply says it (nats per occurrence)`,
  };
}

/** Sum of log-probabilities of the tokens whose pieces overlap each word (word w spans ends[2w] .. ends[2w + 1]). */
function spanSums(
  text: string,
  steps: ScoredReply['own'],
  { piece, start }: SpelledSpans,
  words: Int32Array,
): Float64Array {
  const count = words.length >> 1;
  const out = new Float64Array(count);
  let w = 0;
  for (let j = 0; j < steps.length; j++) {
    const k = piece[j]!;
    const s = start[k]!;
    const e = k + 1 < start.length ? start[k + 1]! : text.length;
    while (w < count && words[2 * w + 1]! <= s) w++;
    for (let x = w; x < count && words[2 * x]! < e; x++) out[x] = out[x]! + steps[j]!.logprob;
  }
  return out;
}

/** The pieces of a reply's tokens: the other model's are the owner's again where both spell the same texts. */
function spelled(r: ScoredReply): { own: SpelledSpans; other: SpelledSpans } {
  const spell = r.spell ?? spellMemo();
  const own = spell(r.text, r.own, r.ownText);
  return { own, other: spell(r.text, r.other, r.otherText, r.own) };
}

/** A reply's words (normalised) and log-ratios (B − A), in reply order. */
export interface WordRatios {
  words: string[];
  llr: Float64Array;
  /** Words in the reply (also where it could not be scored and `words` is empty). */
  count: number;
}

/** Every word of a reply with its log-ratio (B − A), in reply order. */
export function replyWordRatios(r: ScoredReply): WordRatios {
  if (r.other.length === 0 || r.own.length === 0)
    return { words: [], llr: new Float64Array(0), count: r.text.match(WORD)?.length ?? 0 };
  const words: string[] = [];
  const at: number[] = [];
  // exec on the one global expression (lastIndex walks the text): the matches matchAll would give, in order.
  WORD.lastIndex = 0;
  for (let m = WORD.exec(r.text); m; m = WORD.exec(r.text)) {
    at.push(m.index, m.index + m[0].length);
    words.push(normal(m[0]));
  }
  const spans = Int32Array.from(at);
  const pieces = spelled(r);
  const own = spanSums(r.text, r.own, pieces.own, spans);
  const other = spanSums(r.text, r.other, pieces.other, spans);
  const llr = new Float64Array(words.length);
  for (let i = 0; i < words.length; i++) llr[i] = r.ownerIsB ? own[i]! - other[i]! : other[i]! - own[i]!;
  return { words, llr, count: words.length };
}

/** Every word of a reply with its log-ratio (B − A), in reply order; `only`: skip replies without these words. */
export function wordLogRatios(r: ScoredReply, only?: ReadonlySet<string>): { word: string; llr: number }[] {
  const { words, llr } = replyWordRatios(r);
  if (only && !words.some((w) => only.has(w))) return [];
  return words.map((word, i) => ({ word, llr: llr[i]! }));
}

type Tally = Map<string, [sum: number, count: number]>;

function add(m: Tally, word: string, llr: number): void {
  const e = m.get(word);
  if (e) {
    e[0] += llr;
    e[1]++;
  } else m.set(word, [llr, 1]);
}

const meansOf = (m: Tally) => {
  const out = new Map<string, number>();
  m.forEach(([s, n], w) => out.set(w, s / n));
  return out;
};

/**
 * `ratios`: each reply's word log-ratios (replyWordRatios; a report passes one memo to both looks of the split, so
 * each reply is spelled and scored once).
 */
export function discoverWordLikelihood(
  prompts: readonly { id: string; cluster: number; replies: readonly ScoredReply[] }[],
  split: Split,
  { perDirection = 6, minZ = 2, minPrompts = 3 } = {},
  ratios: (r: ScoredReply) => WordRatios = replyWordRatios,
): { candidates: WordLikelihoodCandidate[]; scored: number } {
  const means = new Map<string, Map<string, number>>();
  const matched = new Map<string, Map<string, number>>();
  /** Per word, its mean log-ratio over its occurrences (and over those in the first `limit` words of each reply). */
  const measure = (p: (typeof prompts)[number], only?: ReadonlySet<string>) => {
    const lists = p.replies.map(ratios);
    let limit = Infinity;
    for (const l of lists) limit = Math.min(limit, l.count);
    const acc: Tally = new Map();
    const accM: Tally = new Map();
    for (const { words, llr } of lists)
      for (let i = 0; i < words.length; i++) {
        const word = words[i]!;
        const v = llr[i]!;
        if (!Number.isFinite(v) || (only && !only.has(word))) continue;
        add(acc, word, v);
        if (i < limit) add(accM, word, v);
      }
    means.set(p.id, meansOf(acc));
    matched.set(p.id, meansOf(accM));
  };
  for (const p of prompts) if (split.discovery.has(p.id)) measure(p);
  const clusterOf = new Map(prompts.map((p) => [p.id, p.cluster]));
  const { chosen, scored } = rankTerms(means, split.discovery, clusterOf, { perDirection, minZ, minPrompts });
  const wanted = new Set(chosen.map((c) => c.term));
  if (wanted.size > 0) for (const p of prompts) if (!split.discovery.has(p.id)) measure(p, wanted);
  const pick = (src: Map<string, Map<string, number>>, t: string) => {
    const out = new Map<string, number>();
    src.forEach((m, id) => {
      const v = m.get(t);
      if (v !== undefined) out.set(id, v);
    });
    return out;
  };
  return {
    candidates: chosen.map(({ term, z }) => ({
      term,
      spec: likelihoodFeature(term),
      z,
      llr: pick(means, term),
      matched: pick(matched, term),
    })),
    scored,
  };
}
