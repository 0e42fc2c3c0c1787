// The diff report's JSON Schema (draft 2020-12), field by field from report-types.ts; checked on import by schema-check.ts.

import type {
  Behaviour,
  Condition,
  DiffReport,
  Difference,
  Discovery,
  NoiseFloor,
  Verdict,
  EffectSize,
  Hunk,
  InternalsSection,
  ModelSummary,
  PowerNote,
  PromptDiff,
  PromptSide,
  ResponseToken,
  TokenBoost,
  TokenChoice,
  WeightDiff,
  DiffLens,
  LensLayer,
  LensPosition,
  SteeringSample,
  CrosscoderConfirmation,
  CrosscoderFeature,
  CrosscoderSection,
  CrosscoderSnippet,
  CrosscoderToken,
  WeightDirection,
  WeightTensorDiff,
  WordScore,
} from './report-types.ts';
import { REPORT_SCHEMA_VERSION } from './report-types.ts';
import type { JsonSchema, JsonType } from './schema-check.ts';

/** Limits that keep a hostile or mistaken report from freezing the page. */
export const MAX_REPORT_PROMPTS = 100_000;
export const MAX_REPORT_STRING = 1_000_000;

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/**
 * An object schema whose `properties` must name exactly the keys of T (the compiler checks both ways), so the
 * schema cannot drift from report-types.ts. Every key is required except those listed as optional.
 */
function object<T>(
  description: string,
  properties: { [K in keyof T]-?: JsonSchema },
  optional: readonly OptionalKeys<T>[] = [],
): JsonSchema {
  const props = properties as Record<string, JsonSchema>;
  return {
    type: 'object',
    description,
    properties: props,
    required: Object.keys(props).filter((k) => !(optional as readonly string[]).includes(k)),
    additionalProperties: false,
  };
}

const nullable = (s: JsonSchema): JsonSchema => ({ ...s, type: [s.type as JsonType, 'null'] });
const str = (description: string): JsonSchema => ({ type: 'string', description, maxLength: MAX_REPORT_STRING });
const num = (description: string, minimum?: number, maximum?: number): JsonSchema => ({
  type: 'number',
  description,
  ...(minimum !== undefined ? { minimum } : {}),
  ...(maximum !== undefined ? { maximum } : {}),
});
const int = (description: string, minimum = 0): JsonSchema => ({ type: 'integer', description, minimum });
const bool = (description: string): JsonSchema => ({ type: 'boolean', description });
const oneOf = (description: string, values: readonly string[]): JsonSchema => ({ description, enum: values });
const list = (description: string, items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({
  type: 'array',
  description,
  items,
  ...extra,
});
const ref = (name: string, description?: string): JsonSchema => ({
  $ref: `#/$defs/${name}`,
  ...(description ? { description } : {}),
});

const FEATURE_CATEGORIES = [
  'capability',
  'safety',
  'response-pattern',
  'confidence',
  'vocabulary',
  'internals',
] as const;
const probability = (d: string) => num(d, 0, 1);
const pair = { minItems: 2, maxItems: 2 };
const TESTS = [
  'mcnemar-exact',
  'mcnemar-chi-square',
  'wilcoxon-exact',
  'wilcoxon-normal',
  'sign-flip',
  'none',
] as const;

const modelSummary = object<ModelSummary>('One model of the pair, as the engine described it.', {
  label: str('Display label.'),
  spec: str('What the user asked for (URL contract string).'),
  id: str('Model id reported by the engine.'),
  engine: str('Engine kind: "onnx", "webllm" or "openai".'),
  architecture: str('Model architecture, e.g. "llama".'),
  vocabSize: int('Vocabulary size.'),
  device: str('Where it ran: "webgpu", "wasm", "cpu" or "remote".'),
  dtype: str('Weight data type, e.g. "fp32".'),
  parameterBytes: num('Bytes of parameters.', 0),
  tokenizerFingerprint: str('Hash of the vocabulary: equal fingerprints mean token ids mean the same thing.'),
});

const effectSize = object<EffectSize>(
  "Standardised effect size: Cohen's h (binary) or rank-biserial r (continuous).",
  {
    measure: oneOf('Which measure.', ['cohens-h', 'rank-biserial']),
    value: num('Signed value: positive when B is higher. h lies in [−π, π], r in [−1, 1].', -Math.PI, Math.PI),
    magnitude: oneOf("Cohen's verbal size.", ['negligible', 'small', 'medium', 'large']),
    ci: list(
      'Rank-biserial only: its 95% interval [lower, upper] (U-statistic projection), for overall and significant rows.',
      num('Bound.', -1, 1),
      pair,
    ),
  },
  ['ci'],
);

const difference = object<Difference>(
  'One paired test of one feature, overall (promptCategory null) or within one prompt category.',
  {
    feature: str('Feature name (key in the per-prompt features).'),
    description: str('What the feature measures.'),
    kind: oneOf('binary: McNemar; continuous: Wilcoxon signed-rank.', ['binary', 'continuous']),
    category: oneOf('Report section the feature belongs to.', FEATURE_CATEGORIES),
    promptCategory: nullable(str('Prompt category tested within, or null for all prompts.')),
    n: int('Prompts where the feature applies to both responses.'),
    meanA: num('Mean of the feature for A (a proportion for binary features).'),
    meanB: num('Mean of the feature for B (a proportion for binary features).'),
    effect: num('Paired mean difference B − A.'),
    ci: list('Seeded paired-bootstrap 95% interval of the effect: [lower, upper].', num('Bound.'), pair),
    p: probability('Two-sided p-value of the paired test.'),
    q: probability('Benjamini–Hochberg q-value across every test in the report.'),
    test: oneOf('The test that produced p.', TESTS),
    effectSize: ref('EffectSize'),
    significant: bool('Reported: q < alpha, effect not negligible and the interval excludes 0.'),
    sentence: str('Plain-language summary of the numbers.'),
    examples: list('Prompts that show the difference most, strongest first (prompt ids).', str('Prompt id.')),
  },
);

const hunk = object<Hunk>('Significant differences of one feature category.', {
  category: oneOf('Feature category.', FEATURE_CATEGORIES),
  differences: list('Indices into `differences`, biggest effect first.', int('Index.')),
});

const tokenBoost = object<TokenBoost>('A token one model raises over the other (same vocabulary only).', {
  token: str('Token text.'),
  id: int('Token id.'),
  score: num('Mean log-probability difference where the token was among the most boosted.'),
  count: int('Positions where it was among the most boosted.'),
});

const wordScore = object<WordScore>('A word distinctive of one model (log-odds with informative Dirichlet prior).', {
  word: str('The word (lower case).'),
  z: num('z-score of the log-odds ratio: positive for A, negative for B.'),
  countA: int('Occurrences in A’s responses.'),
  countB: int('Occurrences in B’s responses.'),
});

const bitsPerByte = (d: string) => nullable(num(d, 0));

const tokenChoice = object<TokenChoice>('One of a model’s likeliest next tokens at a position.', {
  token: str('Token text.'),
  logprob: num('Natural-log probability under that model.'),
});

const responseToken = object<ResponseToken>(
  'A piece of a response as the prompt view shades it: one token of the other model’s tokenization, or several ' +
    'when a token’s text cannot stand alone (a byte piece of a multi-byte character).',
  {
    text: str('The text this piece covers; the pieces of a response spell it exactly (untrusted: rendered as text).'),
    bits: nullable(num('Surprisal in bits under the other model (null: probability 0).', 0)),
    selfBits: nullable(num('Same vocabulary only: surprisal in bits under the owner itself.', 0)),
    kl: num('Same vocabulary only: KL(B‖A) at this position on {owner’s top-k, rest}, nats (a lower bound).', 0),
    topA: list('Same vocabulary only: A’s likeliest next tokens here, likeliest first.', ref('TokenChoice')),
    topB: list('Same vocabulary only: B’s likeliest next tokens here, likeliest first.', ref('TokenChoice')),
  },
  ['selfBits', 'kl', 'topA', 'topB'],
);

const promptSide = object<PromptSide>(
  'One model’s response to one prompt.',
  {
    text: str('The response (untrusted: rendered as text).'),
    tokenCount: int('Generated tokens, end-of-sequence excluded.'),
    stop: oneOf('Why decoding stopped.', ['eos', 'length']),
    features: {
      type: 'object',
      description: 'Every feature of the response; null means "does not apply".',
      propertyNames: { type: 'string', maxLength: MAX_REPORT_STRING },
      additionalProperties: { type: ['number', 'boolean', 'string', 'null'], maxLength: MAX_REPORT_STRING },
    },
    selfBitsPerByte: bitsPerByte('This response’s bits per byte under its own model (null: empty or unknown).'),
    crossBitsPerByte: bitsPerByte('This response’s bits per byte under the other model (null: empty or unknown).'),
    tokens: list(
      'The response cut into the other model’s tokens, each with its surprisal under that model (and, same ' +
        'vocabulary, the per-token KL and both models’ alternatives). Optional: older reports lack it, and in ' +
        'sets of more than 250 prompts only the prompts the differences cite and the most divergent carry it.',
      ref('ResponseToken'),
    ),
  },
  ['tokens'],
);

const promptDiff = object<PromptDiff>(
  'Both responses to one prompt.',
  {
    id: str('Prompt id, unique in the set.'),
    category: str('Prompt category.'),
    subcategory: str('Prompt subcategory, when the set gives one.'),
    harmful: bool('A harmful prompt (refusal expected).'),
    prompt: str('The user-visible prompt text (last user turn for chats).'),
    a: ref('PromptSide', 'Model A’s response.'),
    b: ref('PromptSide', 'Model B’s response.'),
    kl: nullable(
      object<NonNullable<PromptDiff['kl']>>(
        'Mean and max per-token KL(B‖A) over this prompt’s responses, same tokenizer only (else null).',
        { mean: num('Mean per-token KL (nats).', 0), max: num('Largest per-token KL (nats).', 0) },
      ),
    ),
    samples: int('Seeded samples per model, when more than one: a and b show the first; statistics use the means.', 2),
  },
  ['subcategory', 'samples'],
);

const powerNote = object<PowerNote>('What size of difference the run could have detected.', {
  promptCategory: nullable(str('Prompt category, or null for all prompts.')),
  n: int('Prompts.'),
  mdeBinary: nullable(
    num(
      'Smallest paired difference in proportions detectable at α = 0.05 with 80% power, at the observed ' +
        'discordance. null when nothing was detectable (Infinity or NaN in memory).',
    ),
  ),
  mdeContinuous: nullable(num('The same for continuous features, in units of d_z (null for no prompts).')),
});

const interval = (d: string) => list(d, num('Bound.'), pair);

const noiseFloor = object<NoiseFloor>('How much a model differs from itself on this runtime.', {
  value: num('Mean per-prompt divergence of a model against itself (the verdict’s unit).', 0),
  measured: bool('Measured in this run (true) or the runtime’s rounding (false).'),
  method: str('How, in words.'),
  n: int('Prompts it was measured on.'),
});

const verdict = object<Verdict>('Do the two models behave differently at all? null in reports opened from schema 1.', {
  status: oneOf('identical, differs (beyond the noise floor) or indistinguishable.', [
    'identical',
    'differs',
    'indistinguishable',
  ]),
  statistic: oneOf('kl: mean per-token KL(B‖A) (one vocabulary); llr: log-likelihood ratio in bits per byte.', [
    'kl',
    'llr',
  ]),
  unit: oneOf('Unit of effect and noise floor.', ['nats per token', 'bits per byte']),
  n: int('Prompts compared.'),
  effect: num('Mean excess of the per-prompt divergence over the noise floor.'),
  ci: interval('Paired-bootstrap 95% interval of the excess.'),
  p: probability('One-sided sign-flip permutation p-value (linked prompts flip together).'),
  noiseFloor: ref('NoiseFloor'),
  promptsAbove: int('Prompts whose divergence exceeds the floor.'),
  sentence: str('The verdict in words.'),
});

const condition = object<Condition>(
  'Where a behaviour happens: a prompt trait found by a search whose permutation p accounts for the search.',
  {
    kind: oneOf('What kind of trait.', ['prompt-words', 'prompt-category']),
    label: str('The trait in a few words.'),
    sentence: str('The trait with its evidence.'),
    words: list(
      'Word conditions: each word, the prompts it occurs in, and on how many of those the behaviour happens.',
      object<NonNullable<Condition['words']>[number]>('One word of the condition.', {
        word: str('The word (lower case).'),
        prompts: int('Prompts containing it.'),
        happens: int('Of those, prompts where the behaviour happens.'),
      }),
    ),
    category: str('Category conditions: the prompt category.'),
    confirmation: nullable(
      object<NonNullable<Condition['confirmation']>>('Counts over the prompts.', {
        withTrait: int('Prompts with the trait.'),
        happensWith: int('Of those, where the behaviour happens.'),
        withoutTrait: int('Prompts without it.'),
        happensWithout: int('Of those, where the behaviour happens.'),
      }),
    ),
    p: probability(
      'Permutation p of the best trait the search found (the maximum over its candidates); within-category: the row’s p.',
    ),
    test: oneOf('The test behind p.', ['permutation', 'within-category']),
    candidatesTested: int('Candidate traits the search could pick from.'),
  },
  ['words', 'category'],
);

const behaviour = object<Behaviour>('One change, said once: a lead row and the rows the same prompts drive.', {
  id: str('Id within the report.'),
  category: oneOf('Report section.', FEATURE_CATEGORIES),
  scope: oneOf('broad: most prompts, no condition; specific otherwise.', ['broad', 'specific']),
  sentence: str('The behaviour in words.'),
  effect: num('The lead row’s effect (B − A).'),
  ci: interval('The lead row’s 95% interval.'),
  q: probability('The lead row’s q-value.'),
  lead: int('Index into `differences` of the lead row.'),
  evidence: list('Indices into `differences` of every row of this behaviour, the lead first.', int('Index.')),
  consequences: list('What else changes with it, in words.', str('A consequence.')),
  condition: nullable(condition),
  examples: list('Prompt ids where it shows most.', str('Prompt id.')),
});

const discovery = object<Discovery>('How discovered differences were chosen and confirmed; null in schema-1 reports.', {
  method: { const: 'split', description: 'Chosen on a seeded half of the prompts, tested on the other half.' },
  seed: { type: 'integer', description: 'Seed of the split.' },
  discoveryPrompts: int('Prompts candidates were chosen on.'),
  confirmationPrompts: int('Prompts they were tested on.'),
  candidatesScored: int('Candidates scored on the discovery half.'),
  candidatesTested: int('Candidates tested on the confirmation half.'),
  sentence: str('The procedure in words.'),
});

const WEIGHT_MODULES = [
  'attn.q',
  'attn.k',
  'attn.v',
  'attn.qkv',
  'attn.o',
  'mlp.gate',
  'mlp.up',
  'mlp.gate_up',
  'mlp.down',
  'norm.input',
  'norm.post_attention',
  'norm.final',
  'embedding',
  'head',
  'other',
] as const;
const weightModule = oneOf(
  'Where the weight sits: attention q/k/v/o (qkv packed), MLP gate/up/down (gate_up packed), norms, embedding, head, or other (not placed).',
  WEIGHT_MODULES,
);
const layerIndex = nullable(
  int('Decoder layer (0-based); null for the embedding, head, final norm and unplaced tensors.'),
);
const relativeChange = nullable(
  num('‖W_B − W_A‖_F / ‖W_A‖_F: exactly 0 for identical weights; null when A’s tensor is all zeros and B’s is not.', 0),
);

const weightTensorDiff = object<WeightTensorDiff>('One weight tensor of A paired with B’s tensor of the same role.', {
  key: str('Stable role name shared by both models (blocks.0.attn.q, embed, unembed, ln_final; other:<name>).'),
  name: str('A’s initializer name in its ONNX file.'),
  layer: layerIndex,
  module: weightModule,
  shape: list('[out, in] for matrices, [n] for vectors.', int('Size.')),
  relative: relativeChange,
  normA: num('‖W_A‖_F.', 0),
  normDelta: num('‖W_B − W_A‖_F.', 0),
});

const weightDirection = object<WeightDirection>('The top singular direction of one large weight change, as tokens.', {
  key: str('Role name of the tensor.'),
  name: str('A’s initializer name.'),
  layer: layerIndex,
  module: weightModule,
  relative: relativeChange,
  side: oneOf(
    'output: the residual direction the change writes (o, down, embedding), read through B’s final norm and unembedding, or (head) the vocabulary direction itself; input: the residual direction a changed reader (q, k, v, gate, up) responds to most, read through B’s embedding.',
    ['output', 'input'],
  ),
  share: probability('Share of ‖ΔW‖²_F this direction carries (σ₁² / ‖ΔW‖²_F).'),
  tokensUp: list('Tokens at the end of the direction holding the largest score, strongest first.', str('Token text.')),
  tokensDown: list('Tokens at the other end, strongest first.', str('Token text.')),
});

const weightDiff = object<WeightDiff>('How the two models’ weights differ, tensor by tensor (one architecture only).', {
  status: oneOf('identical: every paired tensor is bit-for-bit equal (every relative change exactly 0).', [
    'identical',
    'differs',
  ]),
  layers: int('Decoder layers found in the graph.'),
  tiedEmbedding: bool('B stores one matrix as both embedding and head (listed once, as head).'),
  tensors: list('Every paired tensor, in A’s file order.', ref('WeightTensorDiff')),
  top: list(
    'The largest relative changes among matrices (at most 3), with their top direction.',
    ref('WeightDirection'),
  ),
});

const lensPosition = object<LensPosition>('One position of the activation-difference lens.', {
  position: int('Position among the documents’ tokens (0 = the first after any BOS).'),
  documents: int('Documents with a token at this position.'),
  norm: num('‖δ_p‖: the norm of the mean difference h_B − h_A.', 0),
  relative: num('‖δ_p‖ / B’s mean residual norm at the layer.', 0),
  p: probability('Sign-flip permutation p of ‖δ_p‖ over documents.'),
  q: probability('Benjamini–Hochberg q over positions × the points read (over positions alone without `points`).'),
  tokensUp: list('B’s logit lens of +δ_p: tokens, strongest first (empty where not significant).', str('Token.')),
  tokensDown: list('B’s logit lens of −δ_p: tokens, strongest first.', str('Token.')),
});

const steeringSample = object<SteeringSample>('B steered with α · mean‖h_B‖ · δ̂ at the lens’s layer.', {
  prompt: str('The prompt B continued.'),
  alpha: num('Strength in units of B’s mean residual norm; 0 = unsteered.', 0),
  text: str('B’s reply (untrusted model output).'),
});

const diffLens = object<DiffLens>(
  'The activation-difference lens (Minder et al. 2025, arXiv 2510.13900): the mean residual difference on the first tokens of generic documents.',
  {
    point: int('Residual stream point read: after decoder layer point − 1.', 1),
    layers: int('Decoder layers of each model.'),
    hiddenSize: int('Residual width.', 1),
    texts: str('Which documents were read.'),
    documents: int('How many.'),
    positions: int('First positions read per document.', 1),
    bosSkipped: bool('A leading BOS token was left out of the positions.'),
    meanNormB: num('B’s mean residual norm at the layer (the unit of steering strength).', 0),
    identical: bool('Every difference is exactly 0.'),
    rows: list('Per position, at `point`.', ref('LensPosition')),
    points: list(
      'The lens at every stream point read, one BH family over all their positions.',
      object<LensLayer>('The lens at one stream point.', {
        point: int('0: the embeddings; n: the residual after decoder layer n − 1.'),
        rows: list('Per position.', ref('LensPosition')),
      }),
    ),
    prefix: int('Leading tokens every document shares, left out of the positions.'),
    steering: nullable(list('Steered replies, by prompt and strength.', ref('SteeringSample'))),
  },
  ['points', 'prefix'],
);

const crosscoderSnippet = object<CrosscoderSnippet>('Text around one of a latent’s strongest activations.', {
  source: oneOf('Where the text came from.', ['corpus', 'prompt', 'reply-a', 'reply-b']),
  promptId: nullable(str('The prompt’s id, for prompts and replies.')),
  tokens: list(
    'Tokens of one model’s tokenization, with the latent’s activation at each (untrusted text).',
    object<CrosscoderToken>('A token and the activation there.', {
      text: str('Token text.'),
      activation: num('Latent activation (0 where it does not fire).', 0),
    }),
  ),
  peak: int('Index of the strongest activation in tokens.'),
});

const crosscoderFeature = object<CrosscoderFeature>(
  'One crosscoder latent worth reading.',
  {
    latent: int('Latent index.'),
    band: oneOf('Band of its relative decoder norm.', ['a-only', 'b-only', 'shifted', 'shared']),
    relativeNorm: probability('r = ‖d_B‖ / (‖d_A‖ + ‖d_B‖).'),
    cosine: nullable(num('Cosine of its A and B decoder directions.', -1, 1)),
    nu: nullable(
      object<NonNullable<CrosscoderFeature['nu']>>('Latent scaling ν (Minder et al. 2025).', {
        reconstruction: num('ν on the reconstruction.'),
        error: num('ν on the reconstruction error.'),
      }),
    ),
    frequency: probability('Share of training positions where it fires.'),
    decoderTokens: list('Its decoder direction through that model’s unembedding, strongest first.', str('Token.')),
    snippets: list('Top-activating snippets.', ref('CrosscoderSnippet')),
    confirmation: nullable(
      object<CrosscoderConfirmation>(
        'The held-out check, leaning model minus the other: the share of variance along the latent’s direction, or ' +
          'its mean activation on each model’s own reply.',
        {
          statistic: oneOf('What was measured (absent: direction).', ['direction', 'replies']),
          n: int('Held-out prompts.'),
          effect: num('Mean difference of the two measures (leaning model minus the other).'),
          ci: list('Paired-bootstrap 95% interval.', num('Bound.'), pair),
          p: probability('One-sided sign-flip p.'),
          q: probability('Benjamini–Hochberg q in the report’s family.'),
          confirmed: bool('q below the report’s alpha and the effect positive.'),
        },
        ['statistic'],
      ),
    ),
    leansTo: oneOf('The model a candidate leans to; its card reads that model’s decoder and tokens.', ['a', 'b']),
  },
  ['leansTo'],
);

const pairOf = (description: string, item: JsonSchema) => list(description, item, pair);

const crosscoder = object<CrosscoderSection>(
  'A BatchTopK crosscoder with dedicated latents, trained in the page on both models’ residual streams.',
  {
    points: pairOf('Residual stream point read in A and in B.', int('Point.', 1)),
    hiddenSizes: pairOf('Residual widths of A and B.', int('Width.', 1)),
    latents: int('Dictionary size.', 1),
    dedicated: probability('Share of latents dedicated to each model alone.'),
    k: int('Mean active latents per position (BatchTopK).', 1),
    steps: int('Training steps.'),
    seed: int('Seed.'),
    device: str('Where it trained (webgpu, wasm).'),
    seconds: num('Training time.', 0),
    alignment: object<CrosscoderSection['alignment']>('Position alignment across the two tokenizations.', {
      sameVocabulary: bool('One vocabulary: positions are token-identical.'),
      rate: probability('Share of positions where both tokenizations end a token at the same character.'),
      positions: int('Aligned positions harvested.'),
    }),
    data: object<CrosscoderSection['data']>('What was harvested.', {
      corpus: str('The bundled corpus read.'),
      documents: int('Corpus documents.'),
      trainPrompts: int('Prompts (with both replies) in training.'),
      heldOutPrompts: int('Prompts held out for confirmation.'),
    }),
    fit: object<CrosscoderSection['fit']>('Fit on the training data at the end.', {
      explainedVariance: pairOf('Explained variance of A and of B.', num('Share.')),
      l0: num('Mean active latents per position.', 0),
      dead: int('Latents that never fired.'),
    }),
    bands: object<CrosscoderSection['bands']>('Relative-norm bands.', {
      aOnly: probability('r at or below: A-only.'),
      bOnly: probability('r at or above: B-only.'),
      sharedLow: probability('Shared band, lower edge.'),
      sharedHigh: probability('Shared band, upper edge.'),
    }),
    histogram: object<CrosscoderSection['histogram']>('Histogram of r over live latents.', {
      edges: list('Bin edges.', num('Edge.', 0, 1)),
      counts: list('Latents per bin.', int('Count.')),
    }),
    counts: object<CrosscoderSection['counts']>('Latents per band.', {
      aOnly: int('A-only.'),
      bOnly: int('B-only.'),
      shared: int('Shared.'),
      shifted: int('Between the bands.'),
      dead: int('Never fired.'),
    }),
    noiseFloor: object<CrosscoderSection['noiseFloor']>('Exclusives expected where the models differ in nothing.', {
      expected: num('Expected false exclusives at these thresholds.', 0),
      method: str('How that was measured.'),
    }),
    exclusives: list(
      'Candidates: exclusives after latent scaling, then latents chosen on the training prompts (a lean, or replies).',
      ref('CrosscoderFeature'),
    ),
    changed: list('Shared latents whose two directions differ most.', ref('CrosscoderFeature')),
    dictionary: nullable(str('The decoders, fp16, base64.')),
    notes: list('What to know about this run.', str('Note.')),
  },
);

const internals = object<InternalsSection>(
  'What was read inside the models; absent when the run was asked not to look (internals=0) and in older reports.',
  {
    weights: nullable(weightDiff),
    lens: nullable(diffLens),
    crosscoder: nullable(crosscoder),
    note: nullable(str('Why something is absent, or what to know about it.')),
  },
  ['lens', 'crosscoder'],
);

/** The report schema. Any change to report-types.ts must change this and, if old files break, the version. */
export const REPORT_JSON_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `urn:model-diff:report:v${REPORT_SCHEMA_VERSION}`,
  title: 'model-diff report',
  ...object<DiffReport>(
    'How two language models differ on one prompt set, with paired statistics. Written by model-diff\'s "Export ' +
      'JSON"; fields beyond these are rejected, so adding one means a new schema version.',
    {
      schemaVersion: { const: REPORT_SCHEMA_VERSION, description: 'Version of this format.' },
      generator: object<DiffReport['generator']>('The program that wrote the report.', {
        name: { const: 'model-diff', description: 'Always "model-diff".' },
        version: str('Its version.'),
      }),
      models: list('Model A then model B.', ref('ModelSummary'), pair),
      promptSet: object<DiffReport['promptSet']>('The prompt set both models answered.', {
        id: str('Set id.'),
        name: str('Set name.'),
        hash: str('Hash of the set’s content.'),
        n: int('Prompts in the set.'),
      }),
      settings: object<DiffReport['settings']>(
        'Generation settings, the same for both models.',
        {
          maxNewTokens: int('Largest response length in tokens.'),
          temperature: num(
            '0 = greedy; otherwise sampled from the temperature-scaled, top-k-truncated distribution.',
            0,
          ),
          seed: { type: 'integer', description: 'Sampling seed.' },
          topK: int('How many alternatives were recorded per step.'),
          samples: int('Seeded samples per prompt and model, when more than one (sample j uses seed + j).', 2),
        },
        ['samples'],
      ),
      options: object<DiffReport['options']>('Options of the statistics.', {
        alpha: probability('False-discovery rate level: a difference needs q < alpha.'),
        resamples: int('Bootstrap resamples.', 1),
        seed: { type: 'integer', description: 'Bootstrap seed.' },
        minCategorySize: int('Prompt categories with fewer prompts get no per-category tests.'),
      }),
      verdict: nullable(verdict),
      behaviours: list('Each change said once, most specific first.', ref('Behaviour')),
      discovery: nullable(discovery),
      differences: list('Every paired test, reported ones first.', ref('Difference')),
      hunks: list('Reported differences grouped by feature category.', ref('Hunk')),
      power: list('Minimum detectable effects, overall and per tested prompt category.', ref('PowerNote')),
      tokens: object<DiffReport['tokens']>('Token-level comparison; empty unless both models share a vocabulary.', {
        sameTokenizer: bool('Both models use the same vocabulary.'),
        meanKl: nullable(num('Mean per-token KL(B‖A) on {top-k, rest}: a lower bound (nats).', 0)),
        meanJs: nullable(num('Mean per-token Jensen–Shannon divergence on {top-k, rest} (nats).', 0)),
        boostedInA: list('Tokens A raises over B, strongest first.', ref('TokenBoost')),
        boostedInB: list('Tokens B raises over A, strongest first.', ref('TokenBoost')),
      }),
      crossLikelihood: object<DiffReport['crossLikelihood']>(
        'Bits per byte of each model’s responses under the other model (and under itself); null when unknown.',
        {
          aUnderB: bitsPerByte('A’s responses under B.'),
          bUnderA: bitsPerByte('B’s responses under A.'),
          aUnderA: bitsPerByte('A’s responses under A.'),
          bUnderB: bitsPerByte('B’s responses under B.'),
        },
      ),
      words: object<DiffReport['words']>('Words distinctive of each model’s responses (|z| > 1.96).', {
        distinctiveA: list('Distinctive of A, strongest first.', ref('WordScore')),
        distinctiveB: list('Distinctive of B, strongest first.', ref('WordScore')),
      }),
      prompts: list('Per-prompt detail, in prompt-set order.', ref('PromptDiff'), { maxItems: MAX_REPORT_PROMPTS }),
      internals: ref('Internals', 'What the models’ insides show (the weight diff); optional.'),
    },
    ['internals'],
  ),
  $defs: {
    NoiseFloor: noiseFloor,
    Behaviour: behaviour,
    ModelSummary: modelSummary,
    EffectSize: effectSize,
    Difference: difference,
    Hunk: hunk,
    TokenBoost: tokenBoost,
    WordScore: wordScore,
    PromptSide: promptSide,
    ResponseToken: responseToken,
    TokenChoice: tokenChoice,
    PromptDiff: promptDiff,
    PowerNote: powerNote,
    Internals: internals,
    WeightTensorDiff: weightTensorDiff,
    WeightDirection: weightDirection,
    LensPosition: lensPosition,
    SteeringSample: steeringSample,
    CrosscoderSnippet: crosscoderSnippet,
    CrosscoderFeature: crosscoderFeature,
  },
};
