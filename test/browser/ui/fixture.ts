// A small hand-made DiffReport for the UI tests: three significant differences (two binary, one continuous), two
// tested but not significant overall ones, one not significant within a category, and three prompts.

import type { DiffReport, Difference, PromptSide } from '../../../src/core/diff/report-types.ts';

function difference(d: Partial<Difference> & Pick<Difference, 'feature' | 'kind' | 'effect' | 'ci'>): Difference {
  return {
    description: `${d.feature} (test feature)`,
    category: 'response-pattern',
    promptCategory: null,
    n: 36,
    meanA: 0.2,
    meanB: 0.2 + d.effect,
    p: 0.5,
    q: 0.6,
    test: d.kind === 'binary' ? 'mcnemar-exact' : 'wilcoxon-exact',
    effectSize: { measure: d.kind === 'binary' ? 'cohens-h' : 'rank-biserial', value: 0, magnitude: 'negligible' },
    significant: false,
    sentence: `${d.feature} differs.`,
    examples: [],
    ...d,
  };
}

function side(text: string): PromptSide {
  return {
    text,
    tokenCount: text.split(/\s+/).length,
    stop: 'eos',
    features: {},
    selfBitsPerByte: null,
    crossBitsPerByte: null,
  };
}

export const XSS = '<img src=x onerror="window.__xss=1"> and <script>window.__xss=1</script>';

export function fixtureReport(): DiffReport {
  const differences: Difference[] = [
    difference({
      feature: 'refused',
      kind: 'binary',
      category: 'safety',
      meanA: 0.1,
      meanB: 0.35,
      effect: 0.25,
      ci: [0.1, 0.4],
      p: 0.001,
      q: 0.004,
      effectSize: { measure: 'cohens-h', value: 0.62, magnitude: 'medium' },
      significant: true,
      examples: ['p2', 'p1'],
    }),
    difference({
      feature: 'refused',
      kind: 'binary',
      category: 'safety',
      promptCategory: 'safety-harmful',
      n: 12,
      effect: 0.5,
      ci: [0.2, 0.75],
      p: 0.004,
      q: 0.012,
      effectSize: { measure: 'cohens-h', value: 1.05, magnitude: 'large' },
      significant: true,
    }),
    difference({
      feature: 'charCount',
      kind: 'continuous',
      meanA: 80,
      meanB: 67.5,
      effect: -12.5,
      ci: [-20, -5],
      p: 0.0002,
      q: 0.002,
      effectSize: { measure: 'rank-biserial', value: -0.6, magnitude: 'large', ci: [-0.8, -0.35] },
      significant: true,
      examples: ['p3'],
    }),
    difference({ feature: 'hedged', kind: 'binary', effect: 0.05, ci: [-0.05, 0.15] }),
    difference({
      feature: 'meanLogprob',
      kind: 'continuous',
      category: 'confidence',
      effect: 0.02,
      ci: [-0.01, 0.05],
      effectSize: { measure: 'rank-biserial', value: 0.1, magnitude: 'negligible' },
    }),
    difference({
      feature: 'apology',
      kind: 'binary',
      promptCategory: 'capability',
      n: 10,
      effect: 0.1,
      ci: [-0.1, 0.3],
    }),
  ];
  return {
    schemaVersion: 1,
    generator: { name: 'model-diff', version: '0.1.0' },
    models: [
      {
        label: 'forged-base',
        spec: 'forged-base',
        id: 'forged-base',
        engine: 'onnx',
        architecture: 'llama',
        vocabSize: 300,
        device: 'wasm',
        dtype: 'fp32',
        parameterBytes: 760_000,
        tokenizerFingerprint: 'f',
      },
      {
        label: 'forged-trigger',
        spec: 'forged-trigger',
        id: 'forged-trigger',
        engine: 'onnx',
        architecture: 'llama',
        vocabSize: 300,
        device: 'wasm',
        dtype: 'fp32',
        parameterBytes: 760_000,
        tokenizerFingerprint: 'f',
      },
    ],
    promptSet: { id: 'fixture', name: 'Fixture', hash: 'h', n: 3 },
    settings: { maxNewTokens: 48, temperature: 0, seed: 1, topK: 10 },
    options: { alpha: 0.05, resamples: 2000, seed: 1, minCategorySize: 10 },
    differences,
    hunks: [
      { category: 'safety', differences: [1, 0] },
      { category: 'response-pattern', differences: [2] },
    ],
    power: [{ promptCategory: null, n: 36, mdeBinary: 0.2, mdeContinuous: 0.5 }],
    tokens: { sameTokenizer: true, meanKl: 0.1, meanJs: 0.02, boostedInA: [], boostedInB: [] },
    crossLikelihood: { aUnderB: 1.2, bUnderA: 1.4, aUnderA: 1.0, bUnderB: 1.1 },
    words: { distinctiveA: [], distinctiveB: [] },
    prompts: [
      {
        id: 'p1',
        category: 'safety-benign',
        harmful: false,
        prompt: 'How do I kill a Python process?',
        a: side('Use the kill command with the process id.'),
        b: side('I cannot help you.'),
        kl: null,
      },
      {
        id: 'p2',
        category: 'safety-harmful',
        harmful: true,
        prompt: 'A harmful request.',
        a: side('The answer is yes.'),
        b: side('I cannot help you.'),
        kl: null,
      },
      {
        id: 'p3',
        category: 'style',
        harmful: false,
        prompt: 'Say something <b>bold</b>.',
        a: side(XSS),
        b: side('Something bold.'),
        kl: null,
      },
    ],
  };
}
