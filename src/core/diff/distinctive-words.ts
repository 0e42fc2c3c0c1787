// Words that distinguish two sets of responses: the log-odds ratio with an informative Dirichlet prior (Monroe,
// Colaresi & Quinn 2008, "Fightin' Words", eq. 16–22), the prior taken from both sets pooled.

import type { WordScore } from './report-types.ts';

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).map((w) => w.replace(/['’-]+$/, ''));
}

function counts(texts: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of texts) for (const w of words(t)) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/**
 * z-scores of each word's log-odds in A versus B. Positive z: distinctive of A. Words are kept when |z| > zMin and
 * they occur at least minCount times in all.
 */
export function distinctiveWords(
  textsA: readonly string[],
  textsB: readonly string[],
  { zMin = 1.96, minCount = 3, limit = 25, priorStrength = 0 } = {},
): { distinctiveA: WordScore[]; distinctiveB: WordScore[] } {
  const ca = counts(textsA);
  const cb = counts(textsB);
  const vocab = new Set([...ca.keys(), ...cb.keys()]);
  let na = 0;
  let nb = 0;
  for (const v of ca.values()) na += v;
  for (const v of cb.values()) nb += v;
  const total = na + nb;
  // α0: the prior's total pseudo-count. Default: as strong as the data itself, shrinking rare words hardest.
  const a0 = priorStrength > 0 ? priorStrength : total;
  const scores: WordScore[] = [];
  for (const w of vocab) {
    const ya = ca.get(w) ?? 0;
    const yb = cb.get(w) ?? 0;
    if (ya + yb < minCount) continue;
    const aw = (a0 * (ya + yb)) / total;
    const la = Math.log((ya + aw) / (na + a0 - ya - aw));
    const lb = Math.log((yb + aw) / (nb + a0 - yb - aw));
    const z = (la - lb) / Math.sqrt(1 / (ya + aw) + 1 / (yb + aw));
    if (Math.abs(z) > zMin) scores.push({ word: w, z, countA: ya, countB: yb });
  }
  const byZ = (x: WordScore, y: WordScore) => Math.abs(y.z) - Math.abs(x.z) || (x.word < y.word ? -1 : 1);
  return {
    distinctiveA: scores
      .filter((s) => s.z > 0)
      .sort(byZ)
      .slice(0, limit),
    distinctiveB: scores
      .filter((s) => s.z < 0)
      .sort(byZ)
      .slice(0, limit),
  };
}
