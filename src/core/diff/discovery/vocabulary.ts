// Discovered vocabulary differences: words and short n-grams (word level: a 512-piece vocabulary's sub-word tokens
// say nothing to a reader) that one model says more often than the other, per prompt. Candidates are ranked on the
// discovery half of the prompts by a signed-rank z (rank-z.ts, clusters summed first) and the best few are
// tested on the confirmation half with the same paired tests as the extractors' features (split.ts). This replaces
// a pooled log-odds (Monroe et al. 2008) as the claim: pooled counts treat every word of a reply as independent,
// so one long reply can make a word "significant"; here the unit is the prompt.

import type { TestSpec } from '../paired-tests.ts';
import { words as wordsOf } from '../distinctive-words.ts';
import { signedRankZ } from './rank-z.ts';
import type { Split } from './split.ts';

export interface ReplyPair {
  id: string;
  cluster: number;
  /** Texts of A's and B's replies to this prompt (several when samples were drawn). */
  a: readonly string[];
  b: readonly string[];
}

/** A term chosen on the discovery half, with its per-prompt counts everywhere. */
export interface VocabularyCandidate {
  term: string;
  spec: TestSpec;
  /** Discovery-half z (positive: B says it more). */
  z: number;
  /** Mean count per reply of each prompt, for every prompt. */
  countA: Map<string, number>;
  countB: Map<string, number>;
  /** The same counted only in the first min(words A, words B) words of each pair of replies (length-matched). */
  matchedA: Map<string, number>;
  matchedB: Map<string, number>;
}

export interface VocabularyDiscovery {
  candidates: VocabularyCandidate[];
  /** Terms scored on the discovery half (occurring in at least two of its prompts). */
  scored: number;
}

export interface VocabularyOptions {
  /** Longest n-gram, in words. */
  maxN?: number;
  /** Most candidates per direction. */
  perDirection?: number;
  /** Smallest discovery-half |z| for a candidate. */
  minZ?: number;
}

/** Every reply's words as ids into one vocabulary (interned once per report: both looks of the split share it). */
export interface TokenisedReplies {
  pairs: { id: string; cluster: number; a: Int32Array[]; b: Int32Array[] }[];
  /** Word of each id. */
  words: string[];
}

export function tokeniseReplies(pairs: readonly ReplyPair[]): TokenisedReplies {
  const ids = new Map<string, number>();
  const words: string[] = [];
  const intern = (text: string) =>
    Int32Array.from(wordsOf(text), (w) => {
      let id = ids.get(w);
      if (id === undefined) ids.set(w, (id = words.push(w) - 1));
      return id;
    });
  return {
    pairs: pairs.map((p) => ({ id: p.id, cluster: p.cluster, a: p.a.map(intern), b: p.b.map(intern) })),
    words,
  };
}

/**
 * An n-gram's key: a number (the ids in base V + 1, unique across n) while V³ stays an exact integer, otherwise the
 * ids joined as a string (a vocabulary of over 2^17 words).
 */
function keyer(v: number): {
  key: (ws: Int32Array, i: number, n: number) => number | string;
  ids: (key: number | string) => number[];
} {
  const base = v + 1;
  if (base ** 3 < Number.MAX_SAFE_INTEGER)
    return {
      key: (ws, i, n) => {
        let k = 0;
        for (let x = n - 1; x >= 0; x--) k = k * base + ws[i + x]! + 1;
        return k;
      },
      ids: (key) => {
        const out: number[] = [];
        for (let k = key as number; k > 0; k = Math.floor(k / base)) out.push((k % base) - 1);
        return out;
      },
    };
  return {
    key: (ws, i, n) => Array.from(ws.subarray(i, i + n)).join(' '),
    ids: (key) => (key as string).split(' ').map(Number),
  };
}

/** Mean n-gram counts per reply over a prompt's replies (one reply, or its samples). */
function meanCounts(
  texts: readonly Int32Array[],
  maxN: number,
  key: ReturnType<typeof keyer>['key'],
): Map<number | string, number> {
  const out = new Map<number | string, number>();
  const weight = 1 / texts.length;
  for (const ws of texts)
    for (let n = 1; n <= maxN; n++)
      for (let i = 0; i + n <= ws.length; i++) {
        const g = key(ws, i, n);
        out.set(g, (out.get(g) ?? 0) + weight);
      }
  return out;
}

export function termFeature(term: string): TestSpec {
  return {
    name: `says:${term}`,
    extractor: 'discovery',
    kind: 'continuous',
    category: 'vocabulary',
    minEffect: 0.1,
    description: `times “${term}” is said per reply`,
  };
}

export function discoverVocabulary(
  replies: readonly ReplyPair[] | TokenisedReplies,
  split: Split,
  { maxN = 3, perDirection = 6, minZ = 2 }: VocabularyOptions = {},
): VocabularyDiscovery {
  const { pairs, words } = 'words' in replies ? replies : tokeniseReplies(replies);
  const { key, ids } = keyer(words.length);

  // Discovery half only: per-cluster summed differences of every term (the other half is counted for the chosen).
  const sums = new Map<number | string, Map<number, number>>();
  const support = new Map<number | string, number>();
  const sum = (term: number | string, cluster: number, d: number) => {
    if (d === 0) return;
    let m = sums.get(term);
    if (!m) sums.set(term, (m = new Map()));
    m.set(cluster, (m.get(cluster) ?? 0) + d);
  };
  for (const p of pairs) {
    if (!split.discovery.has(p.id)) continue;
    const a = meanCounts(p.a, maxN, key);
    const b = meanCounts(p.b, maxN, key);
    a.forEach((x, term) => {
      support.set(term, (support.get(term) ?? 0) + 1);
      sum(term, p.cluster, (b.get(term) ?? 0) - x);
    });
    b.forEach((y, term) => {
      if (a.has(term)) return;
      support.set(term, (support.get(term) ?? 0) + 1);
      sum(term, p.cluster, y - 0);
    });
  }
  const scoredTerms = [...support].filter(([, n]) => n >= 2);
  const ranked: { term: string; n: number; gram: Int32Array; z: number; vec: Map<number, number> }[] = [];
  for (const [k] of scoredTerms) {
    const vec = sums.get(k);
    if (!vec) continue;
    const z = signedRankZ([...vec.values()]);
    if (Math.abs(z) < minZ) continue;
    const gram = Int32Array.from(ids(k));
    ranked.push({ term: Array.from(gram, (id) => words[id]!).join(' '), n: gram.length, gram, z, vec });
  }
  // Strongest first; a shorter n-gram before a longer one of the same strength (it says the same, more simply).
  ranked.sort((x, y) => Math.abs(y.z) - Math.abs(x.z) || x.n - y.n || (x.term < y.term ? -1 : 1));
  const chosen: typeof ranked = [];
  for (const sign of [1, -1]) {
    const picked: typeof ranked = [];
    for (const r of ranked) {
      if (Math.sign(r.z) !== sign || picked.length >= perDirection) continue;
      // A term whose differences move with an already chosen one's (an n-gram around a chosen word) adds nothing.
      if (picked.some((q) => correlation(q.vec, r.vec) > 0.9)) continue;
      picked.push(r);
    }
    chosen.push(...picked);
  }

  const candidates = chosen.map(({ term, gram, z }) => {
    const countA = new Map<string, number>();
    const countB = new Map<string, number>();
    const matchedA = new Map<string, number>();
    const matchedB = new Map<string, number>();
    for (const p of pairs) {
      const a = countIn(p.a, p.b, gram);
      const b = countIn(p.b, p.a, gram);
      countA.set(p.id, a.all);
      countB.set(p.id, b.all);
      matchedA.set(p.id, a.matched);
      matchedB.set(p.id, b.matched);
    }
    return { term, spec: termFeature(term), z, countA, countB, matchedA, matchedB };
  });
  return { candidates, scored: scoredTerms.length };
}

/**
 * Mean occurrences of an n-gram per reply: in all of each reply, and in its first min(words, words of the other
 * model's reply) words.
 */
function countIn(
  replies: readonly Int32Array[],
  others: readonly Int32Array[],
  gram: Int32Array,
): { all: number; matched: number } {
  const n = gram.length;
  const first = gram[0]!;
  let all = 0;
  let matched = 0;
  replies.forEach((ws, j) => {
    const end = Math.min(ws.length, others[j]?.length ?? 0);
    outer: for (let i = 0; i + n <= ws.length; i++) {
      if (ws[i] !== first) continue;
      for (let k = 1; k < n; k++) if (ws[i + k] !== gram[k]) continue outer;
      all++;
      if (i + n <= end) matched++;
    }
  });
  const k = replies.length || 1;
  return { all: all / k, matched: matched / k };
}

/** Pearson correlation of two sparse vectors over the union of their keys (absent = 0). */
function correlation(x: Map<number, number>, y: Map<number, number>): number {
  const keys = [...new Set([...x.keys(), ...y.keys()])];
  const n = keys.length;
  if (n < 2) return 1;
  let sx = 0;
  let sy = 0;
  for (const k of keys) {
    sx += x.get(k) ?? 0;
    sy += y.get(k) ?? 0;
  }
  const mx = sx / n;
  const my = sy / n;
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (const k of keys) {
    const dx = (x.get(k) ?? 0) - mx;
    const dy = (y.get(k) ?? 0) - my;
    cov += dx * dy;
    vx += dx * dx;
    vy += dy * dy;
  }
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 1;
}
