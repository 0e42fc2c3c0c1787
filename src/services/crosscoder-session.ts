// The crosscoder in a run (issue 16; Lindsey et al. 2024; Minder et al. 2025, arXiv 2504.02922; Jiralerspong &
// Bricken 2026, arXiv 2602.11729): after profiling, while both workers hold their models, harvest both residual
// streams (crosscoder-harvest.ts) on the corpus and the TRAINING side of the report's discovery split, train a
// BatchTopK crosscoder in its worker, and test each genuine exclusive on the HELD-OUT side (confirm.ts). The same
// configuration trained on A against A is the noise floor shown beside it. The section, and the tests that join the
// report's one FDR family, are kept in the run's record cache. What cannot run becomes a note; a stop ends it.

import { bundledTexts } from './bundled-texts.ts';
import type { CrosscoderFeature, CrosscoderSection } from '../core/diff/report-types.ts';
import type { ExtraTest } from '../core/diff/build-report.ts';
import { clusters } from '../core/diff/build-report.ts';
import { splitPrompts } from '../core/diff/discovery/split.ts';
import { middlePoint } from '../core/internals/diff-lens.ts';
import { crosscoderConfig, type CrosscoderConfig, type Pair } from '../core/internals/crosscoder/config.ts';
import { DEFAULT_BANDS } from '../core/internals/crosscoder/reading.ts';
import { fnv1a64 } from '../core/prompts/hash.ts';
import type { PairProfile } from '../core/profile/types.ts';
import type { PromptSet } from '../core/prompts/index.ts';
import { startCrosscoder } from './crosscoder.ts';
import { harvest, type Side } from './crosscoder-harvest.ts';
import { crosscoderFeatures, featureName } from './crosscoder-section.ts';
import { LENS_MAX_BYTES } from './diff-lens.ts';
import type { RecordCache } from './profile-store.ts';

/** Bumped whenever the cached entry's shape or how it is computed changes. */
const CROSSCODER_FORMAT = 3;

/** The run's default: sized so the forged pairs and stories260K train in well under a minute on WASM (README). */
export function sessionConfig(dims: Pair<number>, seed = 1): { config: CrosscoderConfig; steps: number } {
  return { config: crosscoderConfig(dims, { latents: 8 * Math.max(...dims), k: 8, seed }), steps: 1200 };
}

/**
 * The noise floor when it is not trained in the run: genuine exclusives (both |ν| < 0.5, firing on ≥ 0.1% of
 * positions) measured at this configuration and data composition on pairs that differ in nothing (README).
 */
export const MEASURED_FLOOR = {
  expected: 0,
  method:
    'measured, not trained in this run: forged-null, and forged-base against itself (seed 2), at these settings ' +
    '(8×d latents, k 8, 1,200 steps, the corpus capped at twice the training prompts) gave 0 genuine exclusives ' +
    "each; stories260K against itself (two seeds, 1,500 steps, validate-crosscoder's corpus and layer) gave 0",
};

export type CrosscoderEvent = {
  phase: 'crosscoder';
  stage: 'harvest' | 'train' | 'floor' | 'read';
  done: number;
  total: number;
  loss?: number;
  explained?: [number, number];
};

export interface CrosscoderOutcome {
  section: CrosscoderSection | null;
  note: string | null;
  tests: ExtraTest[];
}

export function crosscoderAbsence(a: Side['info'], b: Side['info']): string | null {
  if (a.engine !== 'onnx' || b.engine !== 'onnx')
    return 'No crosscoder: it reads activation taps, which only ONNX models in this page have.';
  const big = [a, b].find((m) => m.parameterBytes > LENS_MAX_BYTES);
  if (big)
    return (
      `No crosscoder: its taps open a second copy of each model, and ${big.id} ` +
      `(${(big.parameterBytes / 2 ** 30).toFixed(1)} GiB of weights) would not fit twice in this page's memory.`
    );
  return null;
}

const base64 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
/** Largest decoder file a report carries. */
const MAX_DICTIONARY_BYTES = 2 ** 20;

export async function crosscoderForSession(
  a: Side,
  b: Side,
  set: PromptSet,
  pair: PairProfile,
  options: {
    site: string;
    runtimeBase: string;
    signal: AbortSignal;
    emit: (e: CrosscoderEvent) => void;
    cache: RecordCache | undefined;
    seed?: number;
    /** Also train A against A (seed + 1) in this run, for a floor measured on this pair (about twice the time). */
    noiseFloor?: boolean;
    /** The stream point to read in both models (1..layers of each), as given; '' or absent: each model's middle. */
    layer?: string | number;
  },
): Promise<CrosscoderOutcome> {
  const absent = crosscoderAbsence(a.info, b.info);
  if (absent) return { section: null, note: absent, tests: [] };
  const seed = options.seed ?? 1;
  try {
    const [la, lb] = await Promise.all([a.engine.tapLayout(), b.engine.tapLayout()]);
    const chosen = choosePoints(options.layer, [la.layers, lb.layers]);
    const points = chosen.points;
    const dims: Pair<number> = [la.hiddenSize, lb.hiddenSize];
    const { config, steps } = sessionConfig(dims, seed);
    // The report's own split (build-report.ts: the prompts both models answered, linked prompts together, its seed).
    const answered = new Set(pair.b.records.map((r) => r.promptId));
    const cluster = clusters(set.prompts);
    const rows = set.prompts
      .filter((p) => answered.has(p.id) && pair.a.records.some((r) => r.promptId === p.id))
      .map((p) => ({ id: p.id, cluster: cluster.get(p.id)! }));
    const split = splitPrompts(rows, seed);
    const file = b.info.hasChatTemplate ? 'generic' : 'stories';
    const key = `crosscoder:${fnv1a64(
      [
        CROSSCODER_FORMAT,
        options.noiseFloor === true,
        points.join(','),
        a.info.fingerprint,
        b.info.fingerprint,
        JSON.stringify(config),
        steps,
        file,
        [...split.discovery].join(','),
        [...split.confirmation].join(','),
        ...pair.a.records.map((r) => r.text),
        ...pair.b.records.map((r) => r.text),
      ].join('\u0000'),
    )}`;
    const cached = await options.cache?.get<CrosscoderOutcome>(key).catch(() => undefined);
    if (cached) return cached;
    const corpus = await bundledTexts(file, options.site);
    options.emit({ phase: 'crosscoder', stage: 'harvest', done: 0, total: 0 });
    const h = await harvest(
      a,
      b,
      {
        points,
        dims,
        corpus: corpus.documents,
        train: set.prompts.filter((p) => split.discovery.has(p.id)),
        heldOut: set.prompts.filter((p) => split.confirmation.has(p.id)),
        records: [pair.a.records, pair.b.records],
        clusterOf: cluster,
      },
      {
        signal: options.signal,
        onProgress: (done, total) => options.emit({ phase: 'crosscoder', stage: 'harvest', done, total }),
      },
    );
    const positions = h.train[0].chunks.reduce((s, c) => s + c.length / dims[0], 0);
    if (positions - h.train[0].chunks.length < config.batchSize)
      return {
        section: null,
        note:
          `No crosscoder: only ${positions} positions of the two models line up (alignment rate ` +
          `${(100 * h.rate).toFixed(1)}%), fewer than one training batch (${config.batchSize}).`,
        tests: [],
      };
    const t0 = performance.now();
    const run = startCrosscoder(
      {
        id: key,
        activations: h.train,
        config: withoutDims(config),
        steps,
        runtimeBase: options.runtimeBase,
        heldOut: h.heldOut,
        replies: h.trainReplies,
        noiseFloor: options.noiseFloor === true,
      },
      (p) =>
        options.emit({
          phase: 'crosscoder',
          stage: (p as { pass?: string }).pass === 'floor' ? 'floor' : 'train',
          done: p.step,
          total: p.steps,
          loss: p.loss,
          explained: [p.explained[0], p.explained[1]],
        }),
      { transfer: true },
    );
    const stop = () => run.terminate();
    options.signal.addEventListener('abort', stop, { once: true });
    let result;
    try {
      result = await run.result;
    } finally {
      options.signal.removeEventListener('abort', stop);
    }
    options.signal.throwIfAborted();
    const seconds = (performance.now() - t0) / 1000;
    options.emit({ phase: 'crosscoder', stage: 'read', done: 0, total: 0 });
    const analysis = result.analysis!;
    const { exclusives, changed, tests } = await crosscoderFeatures(a, b, h, result);
    const r = result.reading.relativeNorm;
    const live = [...r].filter((x, j) => result.reading.frequency[j]! >= 1e-3 && !Number.isNaN(x));
    const edges = Array.from({ length: 21 }, (_, i) => i / 20);
    const counts = edges
      .slice(0, -1)
      .map((lo, i) => live.filter((x) => x >= lo && (i === 19 ? x <= 1 : x < edges[i + 1]!)).length);
    const c = result.reading.counts;
    const genuine = c.aOnlyGenuine + c.bOnlyGenuine;
    const byReplies = exclusives.filter((f) => f.confirmation?.statistic === 'replies').length;
    const shifted = exclusives.filter(
      (f) => (f.band === 'shifted' || f.band === 'shared') && f.confirmation?.statistic !== 'replies',
    ).length;
    const notes = [
      ...chosen.notes,
      ...h.notes,
      ...result.notes,
      `Trained on ${result.tokens} positions for ${result.step} steps (${result.device}) in ${(seconds - (result.floor?.seconds ?? 0)).toFixed(1)} s` +
        (result.floor
          ? `; the same configuration on A against A (seed ${seed + 1}) took ${result.floor.seconds.toFixed(1)} s more for the noise floor.`
          : '.'),
      `${genuine} exclusive latents survive latent scaling; ${exclusives.length} shown and tested on the held-out ` +
        `prompts${
          shifted
            ? `, ${shifted} of them latents both models write, chosen for leaning most towards one model on the ` +
              'training prompts (dims equal; across hidden sizes: r ≤ ⅓ or ≥ ⅔)'
            : ''
        }${
          byReplies
            ? `, ${byReplies} chosen for firing more on one model's own training replies (tested on how they fire ` +
              "on each model's held-out replies)"
            : ''
        }.`,
      ...powerNote(analysis.candidates),
      ...(h.sameVocabulary
        ? []
        : [
            'The models tokenise differently: each read the plain text (no chat template), and positions count where ' +
              'both end a token at the same character.',
          ]),
      ...(dims[0] !== dims[1]
        ? [
            'Hidden sizes differ: no latent scaling (ν), no direction cosines, and no held-out confirmation (there is no shared direction to measure in the other model).',
          ]
        : []),
    ];
    const dictionary = analysis.decoders.length <= MAX_DICTIONARY_BYTES ? base64(analysis.decoders) : null;
    if (!dictionary)
      notes.push(
        `The decoders (${(analysis.decoders.length / 2 ** 20).toFixed(1)} MiB as fp16) are too large to carry in the report.`,
      );
    const last = result.last;
    const section: CrosscoderSection = {
      points: [points[0], points[1]],
      hiddenSizes: [dims[0], dims[1]],
      latents: config.latents,
      dedicated: config.exclusiveShare,
      k: config.k,
      steps: result.step,
      seed,
      device: result.device,
      seconds,
      alignment: { sameVocabulary: h.sameVocabulary, rate: h.rate, positions: result.tokens },
      data: {
        corpus: corpus.name,
        documents: h.documents,
        trainPrompts: split.discovery.size,
        heldOutPrompts: h.heldOut.prompts.length,
      },
      fit: {
        explainedVariance: last ? [last.explained[0], last.explained[1]] : [NaN, NaN],
        l0: last?.l0 ?? 0,
        dead: last?.dead ?? 0,
      },
      bands: { ...DEFAULT_BANDS },
      histogram: { edges, counts },
      counts: { aOnly: c.aOnly, bOnly: c.bOnly, shared: c.shared, shifted: c.shifted, dead: c.dead },
      noiseFloor: result.floor
        ? {
            expected: result.floor.exclusives,
            method:
              `the same configuration trained in this run on model A against itself (the same activations as both ` +
              `sides, seed ${seed + 1}): exclusive latents that survive latent scaling at these thresholds`,
          }
        : MEASURED_FLOOR,
      exclusives,
      changed,
      dictionary,
      notes,
    };
    const out: CrosscoderOutcome = { section, note: null, tests };
    await options.cache?.put(key, out).catch(() => undefined);
    return out;
  } catch (e) {
    if (options.signal.aborted) throw e;
    return { section: null, note: `The crosscoder could not run: ${(e as Error).message ?? String(e)}`, tests: [] };
  }
}

/** The report's q and verdict for each confirmed row, written back into the section (same family, same q). */
export function withReportQ(
  section: CrosscoderSection,
  differences: readonly { feature: string; q: number; significant: boolean }[],
): CrosscoderSection {
  const byFeature = new Map(differences.map((d) => [d.feature, d]));
  const exclusives = section.exclusives.map((f): CrosscoderFeature => {
    const d = byFeature.get(featureName(f.latent));
    if (!f.confirmation || !d) return f;
    return { ...f, confirmation: { ...f.confirmation, q: d.q, confirmed: d.significant } };
  });
  return { ...section, exclusives };
}

const withoutDims = (c: CrosscoderConfig): Partial<Omit<CrosscoderConfig, 'dims'>> =>
  Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'dims'));

/**
 * Where the held-out test cannot reach a small p: with k independent groups of held-out prompts where the two
 * models' shares differ, a sign-flip test gives no p below 2^−k, however large the effect.
 */
export function powerNote(
  candidates: readonly { latent: number; confirmation: { groups: number } | null }[],
): string[] {
  const weak = candidates.filter((k) => k.confirmation && 2 ** -k.confirmation.groups > 0.01);
  if (weak.length === 0) return [];
  const list = weak
    .map(
      (k) =>
        `latent ${k.latent} (${k.confirmation!.groups} groups, p ≥ ${(2 ** -k.confirmation!.groups).toPrecision(2)})`,
    )
    .join(', ');
  return [
    `Held-out power: ${list} — the models differ along these directions on too few held-out prompts (linked prompts ` +
      'count once) for the test to reach a small p, whatever the effect; a prompt set with more prompts that reach ' +
      'them could confirm them.',
  ];
}

/**
 * The stream point each model is read at: the one asked for (a whole number from 1 to both models' layer counts:
 * the residual after that many decoder layers) or, when none is asked or it does not fit, each model's middle one
 * (with a note saying why).
 */
export function choosePoints(
  raw: string | number | undefined,
  layers: Pair<number>,
): { points: Pair<number>; notes: string[] } {
  const middle: Pair<number> = [middlePoint(layers[0]), middlePoint(layers[1])];
  const text = String(raw ?? '').trim();
  if (text === '') return { points: middle, notes: [] };
  const n = Number(text);
  const most = Math.min(layers[0], layers[1]);
  if (!Number.isInteger(n) || n < 1 || n > most)
    return {
      points: middle,
      notes: [
        `The crosscoder layer asked for (crosscoder_layer=${JSON.stringify(text)}) is not a whole number from 1 to ` +
          `${most} (the models' layer count${layers[0] === layers[1] ? '' : 's'}: ${layers[0]}, ${layers[1]}): each ` +
          `model's middle point is read.`,
      ],
    };
  return {
    points: [n, n],
    notes: [`Read at stream point ${n} (crosscoder_layer), the residual after ${n} decoder layers.`],
  };
}
