// The activation-difference lens of a loaded pair (src/core/internals/diff-lens.ts; Minder et al. 2025, arXiv
// 2510.13900): both models read the same generic documents through their activation taps, the per-position mean
// difference is tested and read through B's logit lens, and B is steered with it. Runs on the page's engines (their
// workers) or on engines in Node alike. Never fails the run: what cannot be computed comes back as a note.

import { bundledTexts } from './bundled-texts.ts';
import type { GenerationSettings, ModelInfo, PromptInput } from '../core/engine/types.ts';
import type { DiffLens, SteeringSample } from '../core/diff/report-types.ts';
import {
  DiffLensAccumulator,
  commonPrefix,
  jointQ,
  lensPoints,
  middlePoint,
  steeringDirection,
  type LensStatistics,
} from '../core/internals/diff-lens.ts';
import type { EngineApi } from '../../workers/engine-api.ts';

/** What the lens needs of an engine (an OnnxEngine, or a Comlink proxy of one). */
export type LensEngine = Pick<EngineApi, 'encode' | 'tokenize' | 'tokenTexts' | 'decode'> &
  Required<Pick<EngineApi, 'tapLayout' | 'activations' | 'generateSteered' | 'logitLens'>>;

export interface LensOptions {
  /** The documents to read (plain texts, or prompts as the engine renders them), and what to call them. */
  texts: { name: string; documents: (string | PromptInput)[] };
  /** First positions per document (k); the paper reads 5, the issue asks for about 8. */
  positions?: number;
  /**
   * The stream point steered at and shown first (1..layers); the middle one by default. The lens is read at every
   * point in the same forward pass, whatever this is.
   */
  point?: number;
  alpha?: number;
  /** Prompts B is steered on (a few), strengths in units of B's mean residual norm, and how replies are decoded. */
  steer?: { prompts: { label: string; input: PromptInput }[]; alphas: number[]; settings: GenerationSettings };
  /** Lens tokens per direction. */
  tokens?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export const LENS_POSITIONS = 8;
/** The taps' session holds a second copy of the weights: past this size per model the lens is left out. */
export const LENS_MAX_BYTES = 2 ** 30;
export const LENS_ALPHAS = [0, 0.5, 1, 2];
/** Stored per-document differences (float32, every point read) stay under this; past it fewer points are read. */
export const LENS_MEMORY = 256 * 2 ** 20;
/** Below this many documents the sign-flip test can hardly reach significance: the report says so. */
export const FEW_DOCUMENTS = 20;
const CHUNK = 32;

/** Why the lens cannot run on this pair, or null when it can (taps are checked later, on the graphs). */
export function lensAbsence(a: ModelInfo, b: ModelInfo): string | null {
  if (a.engine !== 'onnx' || b.engine !== 'onnx')
    return 'No activation-difference lens: it reads activation taps, which only ONNX models in this page have.';
  if (a.tokenizerFingerprint !== b.tokenizerFingerprint)
    return 'No activation-difference lens: the models tokenise text differently, so their positions do not line up.';
  const big = [a, b].find((m) => m.parameterBytes > LENS_MAX_BYTES);
  if (big)
    return (
      `No activation-difference lens: its taps open a second copy of each model, and ${big.id} ` +
      `(${(big.parameterBytes / 2 ** 30).toFixed(1)} GiB of weights) would not fit twice in this page's memory.`
    );
  return null;
}

export async function runDiffLens(
  a: { engine: LensEngine; info: ModelInfo },
  b: { engine: LensEngine; info: ModelInfo },
  options: LensOptions,
): Promise<{ lens: DiffLens | null; note: string | null }> {
  const absent = lensAbsence(a.info, b.info);
  if (absent) return { lens: null, note: absent };
  const [la, lb] = await Promise.all([a.engine.tapLayout(), b.engine.tapLayout()]);
  if (la.layers !== lb.layers || la.hiddenSize !== lb.hiddenSize)
    return {
      lens: null,
      note:
        `No activation-difference lens: model A has ${la.layers} layers of width ${la.hiddenSize} and model B ` +
        `${lb.layers} of width ${lb.hiddenSize}; the lens compares streams of one shape.`,
    };
  const notes: string[] = [];
  const k = options.positions ?? LENS_POSITIONS;
  const D = la.hiddenSize;
  const middle = middlePoint(la.layers);
  let point = options.point ?? middle;
  if (!Number.isInteger(point) || point < 1 || point > la.layers) {
    notes.push(
      `The lens layer asked for (${point}) is not a stream point these models can be steered at (1 to ` +
        `${la.layers}: the residual after that many decoder layers); the middle point, ${middle}, is used.`,
    );
    point = middle;
  }
  const docs = options.texts.documents;
  if (!docs.length) return { lens: null, note: 'No activation-difference lens: there are no documents to read.' };
  const inputs = docs.map((d) => (typeof d === 'string' ? { text: d } : d));
  const encoded: number[][] = [];
  for (let s = 0; s < inputs.length; s += CHUNK)
    encoded.push(...(await Promise.all(inputs.slice(s, s + CHUNK).map((input) => a.engine.encode(input)))));
  // Tokens every document starts with (a BOS: an attention sink; a chat template's opening turn) are the same in
  // every document: left out, so position 0 is the first token where the documents can differ.
  const skip = commonPrefix(encoded);
  // The empty text encodes as the tokens the tokenizer adds itself: [BOS] where it adds one.
  const added = await a.engine.encode({ text: '' });
  const bos = skip > 0 && added.length === 1 && encoded[0]![0] === added[0];
  const points = lensPoints(la.layers, point, docs.length * k * D * 4, LENS_MEMORY);
  if (points.length < la.layers + 1)
    notes.push(
      `The lens read ${points.length} of the ${la.layers + 1} stream points (evenly spaced, with point ${point}): ` +
        `every point's per-document differences would not fit in ${LENS_MEMORY / 2 ** 20} MiB.`,
    );
  const accs = points.map(() => new DiffLensAccumulator(k, D));
  for (let s = 0; s < encoded.length; s += CHUNK) {
    options.signal?.throwIfAborted();
    const request = { rows: encoded.slice(s, s + CHUNK), points, firstPositions: k + skip };
    const [ta, tb] = await Promise.all([a.engine.activations(request), b.engine.activations(request)]);
    let offset = 0;
    for (const n of ta.lengths) {
      const from = (offset + skip) * D;
      const to = (offset + n) * D;
      if (n > skip)
        accs.forEach((acc, i) => acc.add(ta.data[i]!.subarray(from, to), tb.data[i]!.subarray(from, to), n - skip));
      offset += n;
    }
    options.onProgress?.(Math.min(s + CHUNK, docs.length), docs.length);
  }
  const stats: LensStatistics[] = [];
  for (const acc of accs) {
    options.signal?.throwIfAborted();
    stats.push(acc.result());
    // Each point's permutations take a moment on wide models (≈ 0.7 s at width 576, 300 documents): the page, and
    // a stop, get a turn between points.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  jointQ(stats);
  const alpha = options.alpha ?? 0.05;
  const want = options.tokens ?? 12;
  // Every point's significant δ_p through B's logit lens in one call.
  const read = stats.flatMap((st) => st.deltas.filter((_, i) => st.positions[i]!.q < alpha));
  const lensRows = read.length ? (await b.engine.logitLens(read, want)).rows : [];
  let next = 0;
  const layers = stats.map((st, i) => ({
    point: points[i]!,
    rows: st.positions.map((p) => {
      const lens = p.q < alpha ? lensRows[next++] : undefined;
      return {
        ...p,
        tokensUp: lens?.top.map((t) => t.text) ?? [],
        tokensDown: lens?.bottom.map((t) => t.text) ?? [],
      };
    }),
  }));
  const at = points.indexOf(point);
  const steerStats = stats[at]!;
  let steering: SteeringSample[] | null = null;
  const direction = steeringDirection(steerStats.deltas.filter((_, i) => steerStats.positions[i]!.q < alpha));
  if (direction && options.steer) {
    steering = [];
    for (const prompt of options.steer.prompts)
      for (const alpha of options.steer.alphas) {
        options.signal?.throwIfAborted();
        const vector = direction.map((x) => x * alpha * steerStats.meanNormB);
        const r = await b.engine.generateSteered({
          prompt: prompt.input,
          settings: options.steer.settings,
          point,
          vector,
        });
        steering.push({ prompt: prompt.label, alpha, text: r.text });
      }
  }
  const counted = layers[at]!.rows[0]?.documents ?? 0;
  if (counted < FEW_DOCUMENTS)
    notes.push(
      `The lens read ${counted} documents: with fewer than ${FEW_DOCUMENTS} the sign-flip test has little power ` +
        '(few sign patterns, and BH over every position and point), so "not significant" says little.',
    );
  return {
    lens: {
      point,
      layers: la.layers,
      hiddenSize: D,
      texts: options.texts.name,
      documents: docs.length,
      positions: k,
      bosSkipped: bos,
      prefix: skip,
      meanNormB: steerStats.meanNormB,
      identical: stats.every((st) => st.identical),
      rows: layers[at]!.rows,
      points: layers,
      steering,
    },
    note: notes.length ? notes.join(' ') : null,
  };
}

/** Steering strengths shown in the report (units of B's mean residual norm): small models break down beyond. */
export const REPORT_ALPHAS = [0, 0.1, 0.2, 0.4];

/** What a session's URL asks of the lens (lens_layer, lens_texts), as given: checked here, with a note when wrong. */
export interface SessionLensOptions {
  /** The stream point to steer at and show first (1..layers); '' or absent: the middle one. */
  layer?: string | number;
  /** 'bundled' (default): the bundled texts; 'prompts': the run's prompt set, each prompt as the engine renders it. */
  texts?: string;
}

/**
 * The lens as a session runs it: the bundled story set for models without a chat template (story models), the
 * generic set otherwise, or the run's prompts (`texts: 'prompts'`, each rendered as profiling renders it: the chat
 * template where the model has one); B steered on the first three prompts of the run's set. Errors become a note.
 */
export async function lensForSession(
  a: { engine: LensEngine; info: ModelInfo },
  b: { engine: LensEngine; info: ModelInfo },
  steerOn: { label: string; input: PromptInput }[],
  options: {
    site: string;
    signal: AbortSignal;
    onProgress?: (done: number, total: number) => void;
    lens?: SessionLensOptions;
    /** The run's prompt set, rendered (for texts: 'prompts'). */
    prompts?: { name: string; documents: PromptInput[] };
  },
): Promise<{ lens: DiffLens | null; note: string | null }> {
  const absent = lensAbsence(a.info, b.info);
  if (absent) return { lens: null, note: absent };
  const notes: string[] = [];
  const rawLayer = options.lens?.layer ?? '';
  let point: number | undefined;
  if (String(rawLayer).trim() !== '') {
    point = Number(rawLayer);
    if (!Number.isInteger(point)) {
      notes.push(
        `The lens layer asked for (lens_layer=${JSON.stringify(String(rawLayer))}) is not a whole number: the middle ` +
          'point is used.',
      );
      point = undefined;
    }
  }
  const rawTexts = options.lens?.texts ?? 'bundled';
  let usePrompts = rawTexts === 'prompts';
  if (rawTexts !== 'prompts' && rawTexts !== 'bundled')
    notes.push(
      `lens_texts=${JSON.stringify(rawTexts)} is neither "bundled" nor "prompts": the bundled texts are read.`,
    );
  if (usePrompts && !options.prompts?.documents.length) {
    notes.push('lens_texts=prompts, but the run has no prompts to read: the bundled texts are read.');
    usePrompts = false;
  }
  try {
    let texts: { name: string; documents: (string | PromptInput)[] };
    if (usePrompts) texts = options.prompts!;
    else {
      const file = b.info.hasChatTemplate ? 'generic' : 'stories';
      texts = await bundledTexts(file, options.site);
    }
    const { lens, note } = await runDiffLens(a, b, {
      texts,
      ...(point !== undefined ? { point } : {}),
      steer: {
        prompts: steerOn.slice(0, 3),
        alphas: REPORT_ALPHAS,
        settings: { maxNewTokens: 40, temperature: 0, seed: 1, topK: 1 },
      },
      signal: options.signal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (note) notes.push(note);
    return { lens, note: notes.length ? notes.join(' ') : null };
  } catch (e) {
    if (options.signal.aborted) throw e;
    notes.push(`The activation-difference lens could not run: ${(e as Error).message ?? String(e)}`);
    return { lens: null, note: notes.join(' ') };
  }
}
