// The weight diff of two models of one architecture: per tensor paired by structural role, the relative change
// ‖W_B − W_A‖_F / ‖W_A‖_F; for the largest changes among matrices, the top singular direction of ΔW read as tokens.
// Reads one tensor pair at a time (then, once, B's unembedding and embedding): never both models whole.

import type { InternalsSection, WeightDirection, WeightTensorDiff } from '../diff/report-types.ts';
import type { WeightManifest, WeightMatrix, WeightSource, WeightTensorInfo } from './onnx-weights.ts';
import { readableExtremes, tokenScores, topSingular, type Matrix } from './top-direction.ts';

export interface WeightDiffOptions {
  /** Matrices whose top direction is read (default 3). */
  top?: number;
  /** Tokens at each end of a direction (default 10). */
  tokens?: number;
  /** Power-iteration steps (default 24) and seed (default 1). */
  iterations?: number;
  seed?: number;
  /** Token texts of B's vocabulary; default: B's own tokenTexts, else `#id`. */
  tokenTexts?: (ids: number[]) => Promise<string[]>;
  onProgress?: (done: number, total: number) => void;
  signal?: { throwIfAborted(): void };
}

/** [out, in] for matrices with a known output side, else the shape as stored. */
export function canonicalShape(t: Pick<WeightTensorInfo, 'dims' | 'outAxis'>): number[] {
  return t.outAxis === null || t.dims.length !== 2 ? t.dims : [t.dims[t.outAxis]!, t.dims[1 - t.outAxis]!];
}

/** Why two manifests cannot be compared tensor by tensor, or null when they can. */
export function weightMismatch(a: WeightManifest, b: WeightManifest): string | null {
  if (a.layers !== b.layers) return `model A has ${a.layers} decoder layers and model B has ${b.layers}`;
  const placed = (m: WeightManifest) => new Map(m.tensors.filter((t) => t.module !== 'other').map((t) => [t.key, t]));
  const [pa, pb] = [placed(a), placed(b)];
  const onlyA = [...pa.keys()].filter((k) => !pb.has(k));
  const onlyB = [...pb.keys()].filter((k) => !pa.has(k));
  const some = (keys: string[]) =>
    keys.slice(0, 3).join(', ') + (keys.length > 3 ? ` and ${keys.length - 3} more` : '');
  if (onlyA.length) return `model A has weights model B lacks (${some(onlyA)})`;
  if (onlyB.length) return `model B has weights model A lacks (${some(onlyB)})`;
  for (const [key, t] of pa) {
    const [sa, sb] = [canonicalShape(t), canonicalShape(pb.get(key)!)];
    if (sa.join('×') !== sb.join('×'))
      return `${key} is [${sa.join(', ')}] in model A and [${sb.join(', ')}] in model B`;
  }
  return null;
}

/** B's matrix in A's layout (only needed when one stores [in, out] and the other [out, in]). */
function alignTo(a: WeightMatrix, b: WeightMatrix): Float32Array {
  if (a.outAxis === null || b.outAxis === null || a.outAxis === b.outAxis || b.dims.length !== 2) return b.data;
  const [rows, cols] = b.dims as [number, number];
  const t = new Float32Array(b.data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = b.data[r * cols + c]!;
  return t;
}

const WRITERS = new Set(['attn.o', 'mlp.down', 'embedding']);
const READERS = new Set(['attn.q', 'attn.k', 'attn.v', 'attn.qkv', 'mlp.gate', 'mlp.up', 'mlp.gate_up']);

export async function diffWeights(
  a: WeightSource,
  b: WeightSource,
  options: WeightDiffOptions = {},
): Promise<InternalsSection> {
  const [ma, mb] = await Promise.all([a.manifest(), b.manifest()]);
  const mismatch = weightMismatch(ma, mb);
  if (mismatch)
    return { weights: null, note: `No weight diff: ${mismatch}; it needs one architecture with the same shapes.` };
  const byKey = new Map(mb.tensors.map((t) => [t.key, t]));
  const pairs = ma.tensors.filter((t) => byKey.has(t.key));
  const unpaired = ma.tensors.length - pairs.length + (mb.tensors.length - pairs.length);
  const tensors: WeightTensorDiff[] = [];
  for (const [i, t] of pairs.entries()) {
    const { wa, wb } = await readPair(a, b, t.key, options);
    const { normA, normDelta } = norms(wa.data, wb);
    const relative = normDelta === 0 ? 0 : normA === 0 ? null : normDelta / normA;
    tensors.push({
      key: t.key,
      name: t.name,
      layer: t.layer,
      module: t.module,
      shape: canonicalShape(t),
      relative,
      normA,
      normDelta,
    });
    options.onProgress?.(i + 1, pairs.length);
  }
  const identical = tensors.every((t) => t.normDelta === 0) && unpaired === 0;
  const top = identical ? [] : await directions(a, b, ma, mb, tensors, options);
  const note = unpaired ? `${unpaired} tensor(s) found in only one model were not compared.` : null;
  return {
    weights: {
      status: identical ? 'identical' : 'differs',
      layers: ma.layers,
      tiedEmbedding: mb.tiedEmbedding,
      tensors,
      top,
    },
    note,
  };
}

async function directions(
  a: WeightSource,
  b: WeightSource,
  ma: WeightManifest,
  mb: WeightManifest,
  tensors: WeightTensorDiff[],
  options: WeightDiffOptions,
): Promise<WeightDirection[]> {
  const info = new Map(ma.tensors.map((t) => [t.key, t]));
  const head = mb.tensors.find((t) => t.module === 'head');
  if (!head || head.outAxis === null) return [];
  const vocab = head.dims[head.outAxis]!;
  const rank = (t: WeightTensorDiff) => (t.relative === null ? Infinity : t.relative);
  const chosen = tensors
    .filter(
      (t) =>
        t.normDelta > 0 &&
        t.shape.length === 2 &&
        (t.module === 'head' || WRITERS.has(t.module) || READERS.has(t.module)),
    )
    .sort((x, y) => rank(y) - rank(x) || x.key.localeCompare(y.key))
    .slice(0, options.top ?? 3);
  const found: { t: WeightTensorDiff; side: 'output' | 'input'; x: Float64Array; share: number }[] = [];
  for (const t of chosen) {
    const { wa, wb } = await readPair(a, b, t.key, options);
    const delta = new Float32Array(wa.data.length);
    for (let i = 0; i < delta.length; i++) delta[i] = wb[i]! - wa.data[i]!;
    const outAxis = info.get(t.key)!.outAxis ?? 1;
    const side = READERS.has(t.module) ? 'input' : 'output';
    const axis = (side === 'output' ? outAxis : 1 - outAxis) as 0 | 1;
    const m: Matrix = { data: delta, rows: wa.dims[0]!, cols: wa.dims[1]! };
    const { vector, sigmaSquared } = topSingular(m, axis, options.iterations ?? 24, options.seed ?? 1);
    found.push({ t, side, x: vector, share: Math.min(1, sigmaSquared / (t.normDelta * t.normDelta)) });
  }
  // Each direction as token scores: the head's is over the vocabulary already; the others go through B's matrices.
  const unembed = found.some((f) => f.t.module !== 'head' && f.side === 'output') ? await b.read(head.key) : null;
  const finalNorm =
    unembed && mb.tensors.some((t) => t.key === 'ln_final') ? (await b.read('ln_final')).data : undefined;
  const embedInfo = mb.tensors.find((t) => t.module === 'embedding');
  const embed = found.some((f) => f.side === 'input') ? await b.read(embedInfo?.key ?? head.key) : null;
  const asMatrix = (w: WeightMatrix): Matrix => ({ data: w.data, rows: w.dims[0]!, cols: w.dims[1]! });
  const k = options.tokens ?? 10;
  const tokenTexts = options.tokenTexts ?? b.tokenTexts?.bind(b) ?? (async (x: number[]) => x.map((id) => `#${id}`));
  const ends = found.map((f) => {
    let scores: Float64Array;
    if (f.t.module === 'head') scores = Float64Array.from(f.x);
    else if (f.side === 'output') scores = tokenScores(asMatrix(unembed!), head.outAxis!, f.x, finalNorm);
    else {
      const tokenAxis = embedInfo ? ((1 - (embedInfo.outAxis ?? 1)) as 0 | 1) : head.outAxis!;
      scores = tokenScores(asMatrix(embed!), tokenAxis, f.x);
    }
    if (scores.length !== vocab) return Promise.resolve({ up: [], down: [], text: new Map<number, string>() });
    // Among the tokens that read as text (a small vocabulary's byte pieces otherwise fill both ends); a singular
    // direction has no sign of its own, so the end with the strongest readable token is "up".
    return readableExtremes(scores, k, tokenTexts).then(({ up, down, text }) =>
      Math.abs(scores[down[0]!] ?? 0) > Math.abs(scores[up[0]!] ?? 0)
        ? { up: down, down: up, text }
        : { up, down, text },
    );
  });
  const read = await Promise.all(ends);
  return found.map((f, i) => ({
    key: f.t.key,
    name: f.t.name,
    layer: f.t.layer,
    module: f.t.module,
    relative: f.t.relative,
    side: f.side,
    share: f.share,
    tokensUp: read[i]!.up.map((id) => read[i]!.text.get(id)!),
    tokensDown: read[i]!.down.map((id) => read[i]!.text.get(id)!),
  }));
}

/** A's tensor and B's, in A's layout. */
async function readPair(a: WeightSource, b: WeightSource, key: string, options: WeightDiffOptions) {
  options.signal?.throwIfAborted();
  const wa = await a.read(key);
  const wb = await b.read(key);
  if (wa.data.length !== wb.data.length) throw new Error(`${key}: ${wa.data.length} vs ${wb.data.length} elements.`);
  return { wa, wb: alignTo(wa, wb) };
}

/** ‖a‖ and ‖b − a‖ (float32 differences, as the models hold them; float64 sums): exactly 0 when b equals a. */
function norms(a: Float32Array, b: Float32Array): { normA: number; normDelta: number } {
  let sa = 0;
  let sd = 0;
  const d = new Float32Array(1);
  for (let i = 0; i < a.length; i++) {
    d[0] = b[i]! - a[i]!;
    sa += a[i]! * a[i]!;
    sd += d[0] * d[0];
  }
  return { normA: Math.sqrt(sa), normDelta: Math.sqrt(sd) };
}
