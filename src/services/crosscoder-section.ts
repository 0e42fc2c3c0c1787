// The crosscoder's features as the report holds them: each candidate's snippets (one model's tokens as text, with
// the latent's activation at each; untrusted text, never markup), its decoder direction read through that model's
// unembedding (the engine's logit lens: final-norm weight × unembedding), its held-out test, and that test as a row
// of the report (category 'internals') so that it joins the report's one FDR family.

import type { ExtraTest } from '../core/diff/build-report.ts';
import type { CrosscoderFeature, CrosscoderSnippet } from '../core/diff/report-types.ts';
import { spellTokens } from '../core/diff/token-view.ts';
import type { Window } from '../core/internals/crosscoder/candidates.ts';
import { bandOf } from '../core/internals/crosscoder/reading.ts';
import { classifyEffect } from '../core/stats/index.ts';
import type { CrosscoderTrainResult } from '../../workers/crosscoder-train.ts';
import type { Harvest, Side } from './crosscoder-harvest.ts';

export const featureName = (latent: number) => `crosscoder:${latent}`;
const BEFORE = 12;
const AFTER = 4;
const DECODER_TOKENS = 8;

/** A window of training positions as text in model m's tokens: BEFORE tokens before the peak, AFTER after it. */
async function snippet(side: Side, m: 0 | 1, h: Harvest, w: Window): Promise<CrosscoderSnippet> {
  const text = h.texts[h.trainTexts[w.chunk]!]!;
  const pairs = text.alignment.pairs;
  const tokenOf = (k: number) => pairs[2 * k + m]!;
  const ids = text.ids[m];
  const peakToken = tokenOf(w.peak);
  const from = Math.max(0, peakToken - BEFORE);
  const to = Math.min(ids.length, peakToken + AFTER + 1);
  const slice = ids.slice(from, to);
  const acts = new Map(w.positions.map((k, i) => [tokenOf(k), w.activations[i]!]));
  const [pieces, full] = await Promise.all([side.engine.tokenTexts(slice), side.engine.decode(slice)]);
  // Display pieces spell the decoded text exactly; a token that cannot stand alone (a special token, a byte piece)
  // shows its own text.
  const spelled = spellTokens(full, pieces);
  const firstOf = new Set<number>();
  spelled.piece.forEach((k, j) => {
    if (j === 0 || spelled.piece[j - 1] !== k) firstOf.add(j);
  });
  const tokens = slice.map((_, j) => {
    const own = firstOf.has(j) ? spelled.texts[spelled.piece[j]!]! : '';
    return { text: own || pieces[j]!, activation: acts.get(from + j) ?? 0 };
  });
  const source: CrosscoderSnippet['source'] =
    text.source === 'corpus' ? 'corpus' : peakToken < text.promptTokens[m] ? 'prompt' : `reply-${text.reply!}`;
  return { source, promptId: text.promptId, tokens, peak: peakToken - from };
}

/** Token texts that each direction raises most through the model's logit lens. */
async function readDirections(side: Side, directions: Float32Array[]): Promise<string[][]> {
  if (directions.length === 0) return [];
  const lens = await side.engine.logitLens(directions, DECODER_TOKENS);
  return lens.rows.map((r) => r.top.map((t) => t.text));
}

export async function crosscoderFeatures(
  a: Side,
  b: Side,
  h: Harvest,
  result: CrosscoderTrainResult,
): Promise<{ exclusives: CrosscoderFeature[]; changed: CrosscoderFeature[]; tests: ExtraTest[] }> {
  const analysis = result.analysis!;
  const { relativeNorm: r, frequency, nu } = result.reading;
  const sides = [a, b] as const;
  const dirs = await Promise.all(
    [0, 1].map((m) =>
      readDirections(
        sides[m]!,
        analysis.candidates.filter((k) => k.own === m).map((k) => k.direction),
      ),
    ),
  );
  const next = [0, 0];
  const nuOf = (j: number) => (nu ? { reconstruction: nu.r[j]!, error: nu.eps[j]! } : null);
  const exclusives: CrosscoderFeature[] = [];
  const tests: ExtraTest[] = [];
  for (const k of analysis.candidates) {
    const m = k.own;
    const decoderTokens = dirs[m]![next[m]!++]!;
    const snippets = await Promise.all(k.windows.map((w) => snippet(sides[m]!, m, h, w)));
    const t = k.confirmation;
    const band = bandOf(r[k.latent]!);
    exclusives.push({
      latent: k.latent,
      band,
      relativeNorm: r[k.latent]!,
      cosine: k.cosine,
      nu: nuOf(k.latent),
      frequency: frequency[k.latent]!,
      decoderTokens,
      snippets,
      confirmation: t
        ? {
            ...(k.statistic === 'replies' ? { statistic: 'replies' as const } : {}),
            n: t.n,
            effect: t.effect,
            ci: t.ci,
            p: t.p,
            q: t.q,
            confirmed: t.confirmed,
          }
        : null,
      leansTo: m === 1 ? 'b' : 'a',
    });
    if (!t) continue;
    const meanA = t.values.a.reduce((s, x) => s + x, 0) / t.n;
    const meanB = t.values.b.reduce((s, x) => s + x, 0) / t.n;
    const words = decoderTokens
      .slice(0, 3)
      .map((w) => `“${w.trim()}”`)
      .join(', ');
    const examples = t.values.promptIds
      .map((id, i) => ({ id, d: (m === 1 ? 1 : -1) * (t.values.b[i]! - t.values.a[i]!) }))
      .filter((x) => x.d > 0)
      .sort((x, y) => y.d - x.d || (x.id < y.id ? -1 : 1))
      .slice(0, 3)
      .map((x) => x.id);
    tests.push({
      values: t.values,
      test: {
        feature: featureName(k.latent),
        description:
          (k.statistic === 'replies'
            ? `crosscoder latent ${k.latent}'s mean activation on each model's own reply (chosen for firing more on ` +
              `${m === 1 ? 'B' : 'A'}'s training replies`
            : `share of each model's residual-stream variance along crosscoder latent ${k.latent}'s direction (` +
              (band === 'a-only' || band === 'b-only'
                ? `${m === 1 ? 'B' : 'A'}-only`
                : `shared, leaning towards ${m === 1 ? 'B' : 'A'}`)) +
          `${words ? `; its direction raises ${words}` : ''}), on held-out prompts`,
        kind: 'continuous',
        category: 'internals',
        promptCategory: null,
        n: t.n,
        meanA,
        meanB,
        effect: meanB - meanA,
        ci: m === 1 ? t.ci : [-t.ci[1], -t.ci[0]],
        p: t.p,
        test: 'sign-flip',
        effectSize: {
          measure: 'rank-biserial',
          value: t.rankBiserial,
          magnitude: classifyEffect(t.rankBiserial, 'rank-biserial'),
        },
        examples,
      },
    });
  }
  const moved = await readDirections(
    b,
    analysis.changed.map((x) => x.direction),
  );
  const cosineOf = new Map((result.reading.changed ?? []).map((x) => [x.latent, x.cosine]));
  const changed = await Promise.all(
    analysis.changed.map(async (x, i) => ({
      latent: x.latent,
      band: bandOf(r[x.latent]!),
      relativeNorm: r[x.latent]!,
      cosine: cosineOf.get(x.latent) ?? null,
      nu: nuOf(x.latent),
      frequency: frequency[x.latent]!,
      decoderTokens: moved[i]!,
      snippets: await Promise.all(x.windows.map((w) => snippet(b, 1, h, w))),
      confirmation: null,
    })),
  );
  return { exclusives, changed, tests };
}
