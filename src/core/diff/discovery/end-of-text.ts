// What a model does at the end: how readily it would stop. At every position of both replies where the end-of-text
// token is among the owner's top-k, its log-odds against the other top-k ids under each model (the normaliser
// cancels, so a boost of some other word does not move it). One pre-specified feature per prompt, tested on all
// prompts like the extractors' features; a shift here is a length behaviour and is said as one (behaviours.ts).

import type { TestSpec } from '../paired-tests.ts';
import type { PositionPair } from '../token-divergence.ts';

export const END_OF_TEXT: TestSpec = {
  name: 'endOfText',
  extractor: 'discovery',
  kind: 'continuous',
  category: 'response-pattern',
  description: 'log-odds of the end-of-text token against the other likely tokens, where it is among them (nats)',
};

function logOdds(lp: readonly number[], at: number): number {
  let rest = -Infinity;
  for (let i = 0; i < lp.length; i++) {
    if (i === at) continue;
    const x = lp[i]!;
    rest = rest === -Infinity ? x : Math.max(rest, x) + Math.log1p(Math.exp(-Math.abs(rest - x)));
  }
  return lp[at]! - rest;
}

/** Mean log-odds of end-of-text under A and B over the positions where it is a candidate; null when it never is. */
export function endOfTextOdds(
  positions: readonly PositionPair[],
  eosIds: ReadonlySet<number>,
): { a: number; b: number } | null {
  let a = 0;
  let b = 0;
  let n = 0;
  for (const pos of positions) {
    const at = pos.ids.findIndex((id) => eosIds.has(id));
    if (at < 0 || pos.ids.length < 2) continue;
    const oa = logOdds(pos.lpA, at);
    const ob = logOdds(pos.lpB, at);
    if (!Number.isFinite(oa) || !Number.isFinite(ob)) continue;
    a += oa;
    b += ob;
    n++;
  }
  return n > 0 ? { a: a / n, b: b / n } : null;
}
