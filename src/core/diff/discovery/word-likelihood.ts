// Discovered word likelihoods: the words one model finds likelier than the other where they are said. Each word of
// both replies gets log p_B(word | context) − log p_A(word | context), the sum over the tokens that spell it in each
// model's own tokenization (so it works across tokenizers: the owner's generation steps and the other model's
// teacher-forced scores of the same text, each cut into words by character spans). Per prompt and word, the mean
// over its occurrences; ranked on the discovery half, tested on the confirmation half (split.ts). Words of any
// vocabulary, at word level: a word spelled by several sub-word tokens is one word here.

import type { TestSpec } from '../paired-tests.ts';
import { spellTokens } from '../token-view.ts';
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
const normal = (w: string) => w.toLowerCase().replace(/['’-]+$/, '');

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

/** Sum of log-probabilities of the tokens whose pieces overlap each span. */
function spanSums(text: string, steps: ScoredReply['own'], textOf: (id: number) => string, spans: [number, number][]) {
  const { piece, texts } = spellTokens(
    text,
    steps.map((s) => textOf(s.id)),
  );
  const starts: number[] = [];
  let at = 0;
  for (const t of texts) {
    starts.push(at);
    at += t.length;
  }
  const out = new Float64Array(spans.length);
  let w = 0;
  for (let j = 0; j < steps.length; j++) {
    const k = piece[j]!;
    const s = starts[k]!;
    const e = s + texts[k]!.length;
    while (w < spans.length && spans[w]![1] <= s) w++;
    for (let x = w; x < spans.length && spans[x]![0] < e; x++) out[x] = out[x]! + steps[j]!.logprob;
  }
  return out;
}

/** Every word of a reply with its log-ratio (B − A), in reply order; `only`: skip replies without these words. */
export function wordLogRatios(r: ScoredReply, only?: ReadonlySet<string>): { word: string; llr: number }[] {
  if (r.other.length === 0 || r.own.length === 0) return [];
  const found = [...r.text.matchAll(WORD)];
  if (only && !found.some((m) => only.has(normal(m[0])))) return [];
  const spans = found.map((m) => [m.index, m.index + m[0].length] as [number, number]);
  const own = spanSums(r.text, r.own, r.ownText, spans);
  const other = spanSums(r.text, r.other, r.otherText, spans);
  return found.map((m, i) => ({
    word: normal(m[0]),
    llr: r.ownerIsB ? own[i]! - other[i]! : other[i]! - own[i]!,
  }));
}

export function discoverWordLikelihood(
  prompts: readonly { id: string; cluster: number; replies: readonly ScoredReply[] }[],
  split: Split,
  { perDirection = 6, minZ = 2, minPrompts = 3 } = {},
): { candidates: WordLikelihoodCandidate[]; scored: number } {
  const means = new Map<string, Map<string, number>>();
  const matched = new Map<string, Map<string, number>>();
  const measure = (p: (typeof prompts)[number], only?: ReadonlySet<string>) => {
    const lists = p.replies.map((r) => wordLogRatios(r, only));
    const limit = Math.min(...p.replies.map((r) => r.text.match(WORD)?.length ?? 0));
    const acc = new Map<string, [number, number]>();
    const accM = new Map<string, [number, number]>();
    for (const list of lists)
      list.forEach(({ word, llr }, i) => {
        if (!Number.isFinite(llr) || (only && !only.has(word))) return;
        const add = (m: Map<string, [number, number]>) => {
          const e = m.get(word);
          if (e) {
            e[0] += llr;
            e[1]++;
          } else m.set(word, [llr, 1]);
        };
        add(acc);
        if (i < limit) add(accM);
      });
    const mean = (m: Map<string, [number, number]>) => new Map([...m].map(([w, [s, n]]) => [w, s / n]));
    means.set(p.id, mean(acc));
    matched.set(p.id, mean(accM));
  };
  for (const p of prompts) if (split.discovery.has(p.id)) measure(p);
  const clusterOf = new Map(prompts.map((p) => [p.id, p.cluster]));
  const { chosen, scored } = rankTerms(means, split.discovery, clusterOf, { perDirection, minZ, minPrompts });
  const wanted = new Set(chosen.map((c) => c.term));
  if (wanted.size > 0) for (const p of prompts) if (!split.discovery.has(p.id)) measure(p, wanted);
  const pick = (src: Map<string, Map<string, number>>, t: string) => {
    const out = new Map<string, number>();
    for (const [id, m] of src) {
      const v = m.get(t);
      if (v !== undefined) out.set(id, v);
    }
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
