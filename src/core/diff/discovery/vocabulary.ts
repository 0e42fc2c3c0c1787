// Discovered vocabulary differences: words and short n-grams (word level: a 512-piece vocabulary's sub-word tokens
// say nothing to a reader) that one model says more often than the other, per prompt. Candidates are ranked on the
// discovery half of the prompts by a signed-rank z (rank-z.ts, clusters summed first) and the best few are
// tested on the confirmation half with the same paired tests as the extractors' features (split.ts). This replaces
// a pooled log-odds (Monroe et al. 2008) as the claim: pooled counts treat every word of a reply as independent,
// so one long reply can make a word "significant"; here the unit is the prompt.

import type { TestSpec } from '../paired-tests.ts';
import { words } from '../distinctive-words.ts';
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

function ngrams(ws: readonly string[], maxN: number, into: Map<string, number>, weight: number): void {
  for (let n = 1; n <= maxN; n++)
    for (let i = 0; i + n <= ws.length; i++) {
      const g = n === 1 ? ws[i]! : ws.slice(i, i + n).join(' ');
      into.set(g, (into.get(g) ?? 0) + weight);
    }
}

/** Mean n-gram counts per reply over a prompt's replies (one reply, or its samples). */
function meanCounts(
  texts: readonly (readonly string[])[],
  maxN: number,
  limit?: (j: number) => number,
): Map<string, number> {
  const out = new Map<string, number>();
  texts.forEach((ws, j) => ngrams(limit ? ws.slice(0, limit(j)) : ws, maxN, out, 1 / texts.length));
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
  pairs: readonly ReplyPair[],
  split: Split,
  { maxN = 3, perDirection = 6, minZ = 2 }: VocabularyOptions = {},
): VocabularyDiscovery {
  const tokenised = pairs.map((p) => ({ ...p, wa: p.a.map(words), wb: p.b.map(words) }));

  // Discovery half only: per-cluster summed differences of every term (the other half is counted for the chosen).
  const sums = new Map<string, Map<number, number>>();
  const support = new Map<string, number>();
  for (const p of tokenised) {
    if (!split.discovery.has(p.id)) continue;
    const a = meanCounts(p.wa, maxN);
    const b = meanCounts(p.wb, maxN);
    for (const term of new Set([...a.keys(), ...b.keys()])) {
      const d = (b.get(term) ?? 0) - (a.get(term) ?? 0);
      support.set(term, (support.get(term) ?? 0) + 1);
      if (d === 0) continue;
      let m = sums.get(term);
      if (!m) sums.set(term, (m = new Map()));
      m.set(p.cluster, (m.get(p.cluster) ?? 0) + d);
    }
  }
  const scoredTerms = [...support.entries()].filter(([, n]) => n >= 2).map(([t]) => t);
  const ranked: { term: string; z: number; vec: Map<number, number> }[] = [];
  for (const term of scoredTerms) {
    const vec = sums.get(term);
    if (!vec) continue;
    const z = signedRankZ([...vec.values()]);
    if (Math.abs(z) >= minZ) ranked.push({ term, z, vec });
  }
  // Strongest first; a shorter n-gram before a longer one of the same strength (it says the same, more simply).
  ranked.sort(
    (x, y) =>
      Math.abs(y.z) - Math.abs(x.z) ||
      x.term.split(' ').length - y.term.split(' ').length ||
      (x.term < y.term ? -1 : 1),
  );
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

  const candidates = chosen.map(({ term, z }) => {
    const countA = new Map<string, number>();
    const countB = new Map<string, number>();
    const matchedA = new Map<string, number>();
    const matchedB = new Map<string, number>();
    const n = term.split(' ').length;
    for (const p of tokenised) {
      const limit = (j: number) => Math.min(p.wa[j]?.length ?? 0, p.wb[j]?.length ?? 0);
      const a = countIn(p.wa, term, n, limit);
      const b = countIn(p.wb, term, n, limit);
      countA.set(p.id, a.all);
      countB.set(p.id, b.all);
      matchedA.set(p.id, a.matched);
      matchedB.set(p.id, b.matched);
    }
    return { term, spec: termFeature(term), z, countA, countB, matchedA, matchedB };
  });
  return { candidates, scored: scoredTerms.length };
}

/** Mean occurrences of an n-gram per reply: in all of each reply, and in its first limit(j) words. */
function countIn(
  replies: readonly (readonly string[])[],
  term: string,
  n: number,
  limit: (j: number) => number,
): { all: number; matched: number } {
  const parts = term.split(' ');
  const first = parts[0]!;
  let all = 0;
  let matched = 0;
  replies.forEach((ws, j) => {
    const end = limit(j);
    outer: for (let i = 0; i + n <= ws.length; i++) {
      if (ws[i] !== first) continue;
      for (let k = 1; k < n; k++) if (ws[i + k] !== parts[k]) continue outer;
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
