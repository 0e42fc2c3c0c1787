// What a correct diff must report for each planted variant against the base: the planted signals (recall) and the
// features a planted change moves by construction (not false discoveries). Anything else reported is a false
// discovery.

import type { DiffReport } from '../diff/report-types.ts';
import type { Planted } from './variants.ts';

export interface Expectation {
  /** Features that must show a significant difference in this direction (B − A), in some scope. */
  features: { feature: string; direction: 1 | -1 }[];
  /** Tokens that must lead boostedInB. */
  tokens: string[];
  /** Features the planted change moves as a consequence, with the reason. */
  allowed: Record<string, string>;
}

const CONFIDENCE = ['meanLogprob', 'minLogprob', 'perplexity', 'meanEntropy', 'maxEntropy'];
const because = (features: string[], reason: string) => Object.fromEntries(features.map((f) => [f, reason]));

export function expectationFor(planted: Planted): Expectation {
  switch (planted.kind) {
    case 'none':
      return { features: [], tokens: [], allowed: {} };
    case 'boost':
      return {
        features: [],
        tokens: planted.tokens,
        allowed: {
          ...because(CONFIDENCE, 'a boosted token replaces a likelier one'),
          correct: 'a boosted word replaces the reference answer',
        },
      };
    case 'trigger-refusal':
      return {
        features: [
          { feature: 'refused', direction: 1 },
          { feature: 'refusedAny', direction: 1 },
        ],
        tokens: [],
        allowed: {
          ...because(CONFIDENCE, 'the refusal is a different token path'),
          refusalScore: 'the graded refusal score moves with the refusal itself',
        },
      };
    case 'longer':
      return {
        features: [
          { feature: 'wordCount', direction: 1 },
          { feature: 'charCount', direction: 1 },
          { feature: 'tokenCount', direction: 1 },
        ],
        tokens: [],
        allowed: {
          ...because(['byteCount', 'sentenceCount', 'distinct1', 'distinct2', 'distinct3'], 'a longer reply'),
          ...because(CONFIDENCE, 'a longer reply'),
        },
      };
  }
}

/** One planted signal and what the report says about it. */
export interface Evidence {
  signal: string;
  found: boolean;
  /** The significant difference that shows it (index into report.differences), for feature signals. */
  difference: number | null;
  /** Its rank among the tokens B boosts (1 = first), for token signals; null when not among them. */
  boostRank: number | null;
}

export interface Validation {
  found: string[];
  missed: string[];
  falseDiscoveries: string[];
  /** Every planted signal in order, found or not, with where the report shows it. */
  evidence: Evidence[];
}

/** Scores a report against an expectation: which planted signals it found, and what else it claimed. */
export function validate(report: DiffReport, e: Expectation): Validation {
  const evidence: Evidence[] = [];
  for (const f of e.features) {
    // Over all prompts when it shows there, else within a prompt category.
    const shows = (d: DiffReport['differences'][number]) =>
      d.significant && d.feature === f.feature && Math.sign(d.effect) === f.direction;
    const overall = report.differences.findIndex((d) => shows(d) && d.promptCategory === null);
    const hit = overall >= 0 ? overall : report.differences.findIndex(shows);
    const signal = `${f.feature} ${f.direction > 0 ? 'up' : 'down'}`;
    evidence.push({ signal, found: hit >= 0, difference: hit >= 0 ? hit : null, boostRank: null });
  }
  if (e.tokens.length > 0) {
    const top = report.tokens.boostedInB.slice(0, e.tokens.length).map((t) => t.token.trim());
    const all = report.tokens.boostedInB.map((t) => t.token.trim());
    for (const t of e.tokens) {
      const word = t.replace('\u2581', '');
      const rank = all.indexOf(word);
      evidence.push({
        signal: `token ${word} boosted in B`,
        found: top.includes(word),
        difference: null,
        boostRank: rank >= 0 ? rank + 1 : null,
      });
    }
  }
  const sig = report.differences.filter((d) => d.significant);
  const expected = new Set(e.features.map((f) => f.feature));
  const falseDiscoveries = sig
    .filter((d) => !expected.has(d.feature) && !(d.feature in e.allowed))
    .map((d) => `${d.feature}${d.promptCategory ? ` (${d.promptCategory})` : ''}`);
  return {
    found: evidence.filter((x) => x.found).map((x) => x.signal),
    missed: evidence.filter((x) => !x.found).map((x) => x.signal),
    falseDiscoveries,
    evidence,
  };
}
