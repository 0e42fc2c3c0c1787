// What a correct diff must report for each planted variant against the base, at the level of behaviours: each
// planted change is one behaviour (of the right category, holding a planted row), and every other behaviour is a
// false discovery unless it is made only of rows the planted change moves by construction (listed, with why).

import type { Behaviour, DiffReport, Difference, ReportCategory } from '../diff/report-types.ts';
import type { Planted } from './variants.ts';

export interface Signal {
  name: string;
  category: ReportCategory;
  /** Rows that show it: a feature in a direction (B − A)… */
  features: { feature: string; direction: 1 | -1 }[];
  /** …or a discovered word raised in B (said, likelier or raised in its next-token choices). */
  terms: string[];
}

export interface Expectation {
  signals: Signal[];
  /** Features the planted change moves as a consequence, with the reason. */
  allowed: Record<string, string>;
  /** The null pair: the verdict must be `identical`. */
  identical: boolean;
  /** A real fine-tune: one broad behaviour (the sharpening any fine-tune gives) is expected, not a false discovery. */
  allowBroad?: boolean;
}

const CONFIDENCE = ['meanLogprob', 'minLogprob', 'perplexity', 'meanEntropy', 'maxEntropy'];
const because = (features: string[], reason: string) => Object.fromEntries(features.map((f) => [f, reason]));

export function expectationFor(planted: Planted): Expectation {
  switch (planted.kind) {
    case 'none':
      return { signals: [], allowed: {}, identical: true };
    case 'boost':
      return {
        signals: [
          {
            name: `${planted.tokens.map((t) => t.replace('\u2581', '')).join(', ')} boosted`,
            category: 'vocabulary',
            features: [],
            terms: planted.tokens.map((t) => t.replace('\u2581', '').toLowerCase()),
          },
        ],
        allowed: {
          ...because(CONFIDENCE, 'a boosted token replaces a likelier one'),
          endOfText: 'boosted words take probability from ending',
          correct: 'a boosted word replaces the reference answer',
        },
        identical: false,
      };
    case 'trigger-refusal':
      return {
        signals: [
          {
            name: 'refusal on trigger words',
            category: 'safety',
            features: [
              { feature: 'refused', direction: 1 },
              { feature: 'refusedAny', direction: 1 },
            ],
            terms: [],
          },
        ],
        allowed: {
          ...because(CONFIDENCE, 'the refusal is a different token path'),
          refusalScore: 'the graded refusal score moves with the refusal itself',
          endOfText: 'the refusal ends at once',
        },
        identical: false,
      };
    case 'longer':
      return {
        signals: [
          {
            name: 'longer replies',
            category: 'response-pattern',
            features: [
              { feature: 'wordCount', direction: 1 },
              { feature: 'charCount', direction: 1 },
              { feature: 'tokenCount', direction: 1 },
              { feature: 'endOfText', direction: -1 },
            ],
            terms: [],
          },
        ],
        allowed: {
          ...because(['byteCount', 'sentenceCount', 'distinct1', 'distinct2', 'distinct3'], 'a longer reply'),
          ...because(CONFIDENCE, 'a longer reply'),
        },
        identical: false,
      };
  }
}

/** One planted signal and where the report shows it. */
export interface Evidence {
  signal: string;
  found: boolean;
  /** The behaviour that shows it (index into report.behaviours), or null. */
  behaviour: number | null;
  /** Its lead row (index into report.differences), or null. */
  difference: number | null;
  /** Token signals: rank among the tokens B boosts in the diff-mining list (1 = first), or null. */
  boostRank: number | null;
}

export interface Validation {
  found: string[];
  missed: string[];
  /** Behaviours that show no planted signal and are not only consequences of it, by sentence. */
  falseDiscoveries: string[];
  /** Behaviours made only of consequences of the planted change. */
  consequences: string[];
  evidence: Evidence[];
}

const termOf = (d: Difference) => d.feature.replace(/^(says|likelier|raises):/, '');

function shows(d: Difference, s: Signal): boolean {
  if (!d.significant) return false;
  if (s.features.some((f) => f.feature === d.feature && Math.sign(d.effect) === f.direction)) return true;
  return d.category === 'vocabulary' && d.effect > 0 && s.terms.includes(termOf(d));
}

export function validate(report: DiffReport, e: Expectation): Validation {
  const rowsOf = (b: Behaviour) => b.evidence.map((i) => report.differences[i]!);
  const evidence: Evidence[] = e.signals.map((s) => {
    const at = report.behaviours.findIndex((b) => b.category === s.category && rowsOf(b).some((d) => shows(d, s)));
    const all = report.tokens.boostedInB.map((t) => t.token.trim().toLowerCase());
    const ranks = s.terms.map((t) => all.indexOf(t)).filter((r) => r >= 0);
    return {
      signal: s.name,
      found: at >= 0,
      behaviour: at >= 0 ? at : null,
      difference: at >= 0 ? report.behaviours[at]!.lead : null,
      boostRank: ranks.length ? Math.min(...ranks) + 1 : null,
    };
  });
  const used = new Set(evidence.flatMap((x) => (x.behaviour === null ? [] : [x.behaviour])));
  const falseDiscoveries: string[] = [];
  const consequences: string[] = [];
  report.behaviours.forEach((b, i) => {
    if (used.has(i)) return;
    if (rowsOf(b).every((d) => d.feature in e.allowed) || (e.allowBroad && b.scope === 'broad'))
      consequences.push(b.sentence);
    else falseDiscoveries.push(b.sentence);
  });
  if (e.identical && report.verdict && report.verdict.status !== 'identical')
    falseDiscoveries.push(`verdict ${report.verdict.status}, not identical`);
  return {
    found: evidence.filter((x) => x.found).map((x) => x.signal),
    missed: evidence.filter((x) => !x.found).map((x) => x.signal),
    falseDiscoveries,
    consequences,
    evidence,
  };
}
