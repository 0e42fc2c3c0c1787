// A crosscoder section shaped like one from a run on stories260K against a fine-tune (d = 64, 512 latents): the
// histogram and band counts come from one list of relative norms cut by the bands the reading uses, so they agree;
// exclusives are strongest first with two confirmed (one A-only) and the rest not; one snippet holds hostile text as
// tokens. Used by the view's browser test and the exports' Node test (no DOM here).

import type {
  CrosscoderFeature,
  CrosscoderSection,
  CrosscoderSnippet,
  InternalsSection,
} from '../../../src/core/diff/report-types.ts';

export const HOSTILE_TOKENS = ['<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=1">'];

const BANDS = { aOnly: 1 / 6, bOnly: 5 / 6, sharedLow: 4 / 9, sharedHigh: 5 / 9 };

/** Relative norms of the 489 live latents: most near ½, a shoulder either side, a few at each end. */
function norms(): number[] {
  const r: number[] = [];
  for (let i = 0; i < 400; i++) r.push(0.5 + 0.05 * Math.sin(i * 2.399) * ((i % 7) / 7 + 0.3));
  for (let i = 0; i < 77; i++) r.push(i % 2 ? 0.6 + (i % 11) * 0.02 : 0.4 - (i % 9) * 0.025);
  r.push(0.02, 0.08, 0.12);
  for (let i = 0; i < 9; i++) r.push(0.86 + i * 0.015);
  return r;
}

function histogram(r: number[], bins = 24) {
  const edges = Array.from({ length: bins + 1 }, (_, i) => i / bins);
  const counts = Array.from({ length: bins }, () => 0);
  for (const x of r) counts[Math.min(bins - 1, Math.floor(x * bins))]!++;
  return { edges, counts };
}

function counts(r: number[], dead: number) {
  const c = { aOnly: 0, bOnly: 0, shared: 0, shifted: 0, dead };
  for (const x of r)
    if (x <= BANDS.aOnly) c.aOnly++;
    else if (x >= BANDS.bOnly) c.bOnly++;
    else if (x >= BANDS.sharedLow && x <= BANDS.sharedHigh) c.shared++;
    else c.shifted++;
  return c;
}

/** Tokens with activations: the words in `hot` fire (strongest first), the rest are 0. */
export function snippet(
  words: string[],
  hot: Record<string, number>,
  source: CrosscoderSnippet['source'] = 'corpus',
  promptId: string | null = null,
): CrosscoderSnippet {
  const tokens = words.map((text) => ({ text, activation: hot[text] ?? 0 }));
  const peak = tokens.reduce((best, t, i) => (t.activation > tokens[best]!.activation ? i : best), 0);
  return { source, promptId, tokens, peak };
}

function feature(over: Partial<CrosscoderFeature> & Pick<CrosscoderFeature, 'latent' | 'band'>): CrosscoderFeature {
  return {
    relativeNorm: over.band === 'a-only' ? 0.08 : over.band === 'b-only' ? 0.93 : 0.5,
    cosine: over.band === 'shared' ? 0.4 : null,
    nu: over.band === 'shared' ? null : { reconstruction: 0.06, error: 0.11 },
    frequency: 0.012,
    decoderTokens: [],
    snippets: [],
    confirmation: null,
    ...over,
  };
}

const confirmed = (effect: number, q: number) => ({
  n: 10,
  effect,
  ci: [effect * 0.45, effect * 1.6] as [number, number],
  p: q / 2,
  q,
  confirmed: true,
});
const notConfirmed = (effect: number, p: number) => ({
  n: 10,
  effect,
  ci: [-0.004, effect * 2] as [number, number],
  p,
  q: Math.min(1, p * 3),
  confirmed: false,
});

export function crosscoderSection(over: Partial<CrosscoderSection> = {}): CrosscoderSection {
  const r = norms();
  const birdWords = [' The', ' little', ' bird', ' sang', ' in', ' the', ' tree', '.'];
  const exclusives: CrosscoderFeature[] = [
    // Listed strongest first, an unconfirmed one before a confirmed one: the view puts confirmed ones first.
    feature({
      latent: 301,
      band: 'b-only',
      relativeNorm: 0.97,
      frequency: 0.004,
      decoderTokens: [' wing', ' flew', HOSTILE_TOKENS[0]!],
      snippets: [
        snippet([' She', ' said', ' ', ...HOSTILE_TOKENS, ' to', ' me'], { [HOSTILE_TOKENS[0]!]: 2.1, ' ': 0.4 }),
      ],
      confirmation: notConfirmed(0.003, 0.21),
    }),
    feature({
      latent: 17,
      band: 'b-only',
      relativeNorm: 0.95,
      frequency: 0.021,
      nu: { reconstruction: 0.03, error: 0.07 },
      decoderTokens: [' bird', ' birds', ' nest', ' feather'],
      snippets: [
        snippet(birdWords, { ' bird': 3.2, ' sang': 1.1, ' tree': 0.6 }),
        snippet([' A', ' bird', ' flew', ' by', '\n'], { ' bird': 2.8, ' flew': 1.5 }, 'reply-b', 'stories-04'),
      ],
      confirmation: confirmed(0.041, 0.004),
    }),
    feature({
      latent: 88,
      band: 'a-only',
      relativeNorm: 0.05,
      frequency: 0.009,
      decoderTokens: [' cat', ' purr'],
      snippets: [snippet([' The', ' cat', ' was', ' sad'], { ' cat': 1.9 }, 'reply-a', 'stories-09')],
      confirmation: confirmed(0.018, 0.03),
    }),
    ...[402, 403, 404, 405].map((latent, i) =>
      feature({
        latent,
        band: 'b-only',
        relativeNorm: 0.88 + i * 0.01,
        decoderTokens: [' the', ' a'],
        snippets: [snippet([' and', ' then', ' the', ' end'], { ' the': 0.7 - i * 0.1 })],
        confirmation: i === 3 ? null : notConfirmed(0.001, 0.4 + i * 0.1),
      }),
    ),
  ];
  const changed: CrosscoderFeature[] = [
    feature({
      latent: 230,
      band: 'shared',
      relativeNorm: 0.52,
      cosine: 0.12,
      frequency: 0.03,
      decoderTokens: [' happy', ' smiled'],
      snippets: [snippet([' Lily', ' was', ' happy'], { ' happy': 2.2 }, 'prompt', 'stories-01')],
    }),
    feature({ latent: 9, band: 'shared', cosine: 0.47, frequency: 0.11, decoderTokens: [' park'] }),
  ];
  return {
    points: [3, 3],
    hiddenSizes: [64, 64],
    latents: 512,
    dedicated: 0.05,
    k: 16,
    steps: 2000,
    seed: 1,
    device: 'wasm',
    seconds: 14.2,
    alignment: { sameVocabulary: true, rate: 1, positions: 24_000 },
    data: { corpus: 'generic', documents: 200, trainPrompts: 30, heldOutPrompts: 10 },
    fit: { explainedVariance: [0.82, 0.79], l0: 16.1, dead: 23 },
    bands: BANDS,
    histogram: histogram(r),
    counts: counts(r, 23),
    noiseFloor: { expected: 2.5, method: 'the forged-null pair and two seeds on stories260K, at these thresholds' },
    exclusives,
    changed,
    dictionary: null,
    notes: [`The decoders (fp16) were too large to carry in the report. ${HOSTILE_TOKENS[1]}`],
    ...over,
  };
}

export function crosscoderInternals(over: Partial<CrosscoderSection> = {}): InternalsSection {
  return { weights: null, crosscoder: crosscoderSection(over), note: null };
}
