// Reads a llama2.c "version 0" checkpoint (.bin) into Hugging Face-layout Llama weights, with clear errors for
// truncated or garbled files. llama2.c rotates interleaved pairs; Hugging Face rotates halves, so wq/wk rows are
// permuted per head (the same permutation Hugging Face's own llama2.c converter applies).

import type { LlamaConfig } from '../llama/config.ts';
import type { LlamaLayerWeights, LlamaWeights } from '../llama/weights.ts';

export class Llama2cFormatError extends Error {
  override name = 'Llama2cFormatError';
}

const HEADER_BYTES = 7 * 4;

export interface Llama2cHeader {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  sharedClassifier: boolean;
  seqLen: number;
}

export function readLlama2cHeader(bytes: Uint8Array, fileName = 'checkpoint'): Llama2cHeader {
  if (bytes.byteLength < HEADER_BYTES) {
    throw new Llama2cFormatError(
      `${fileName} is ${bytes.byteLength} bytes: too short for a llama2.c checkpoint header (28 bytes). Choose the model's .bin file.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const h = Array.from({ length: 7 }, (_, i) => view.getInt32(i * 4, true));
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, vocab, seqLen] = h as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const sane = (v: number, max: number) => v > 0 && v <= max;
  if (
    !sane(dim, 65536) ||
    !sane(hiddenDim, 1 << 20) ||
    !sane(nLayers, 1024) ||
    !sane(nHeads, 1024) ||
    !sane(nKvHeads, 1024) ||
    !sane(Math.abs(vocab), 1 << 22) ||
    !sane(seqLen, 1 << 20) ||
    dim % nHeads !== 0 ||
    nHeads % nKvHeads !== 0 ||
    (dim / nHeads) % 2 !== 0
  ) {
    throw new Llama2cFormatError(
      `${fileName} does not start with a llama2.c header (read dim=${dim}, hidden_dim=${hiddenDim}, n_layers=${nLayers}, ` +
        `n_heads=${nHeads}, n_kv_heads=${nKvHeads}, vocab_size=${vocab}, seq_len=${seqLen}). ` +
        'Only llama2.c version-0 checkpoints (run.c / export.py --version 0) are supported.',
    );
  }
  return { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize: Math.abs(vocab), sharedClassifier: vocab > 0, seqLen };
}

/** [heads * hd, in] rows from interleaved-pair order to rotate-half order, per head. */
export function permuteRopeRows(w: Float32Array, heads: number, headDim: number, inDim: number): Float32Array {
  const out = new Float32Array(w.length);
  const half = headDim / 2;
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < half; j++) {
      const src0 = (h * headDim + 2 * j) * inDim;
      const src1 = (h * headDim + 2 * j + 1) * inDim;
      out.set(w.subarray(src0, src0 + inDim), (h * headDim + j) * inDim);
      out.set(w.subarray(src1, src1 + inDim), (h * headDim + half + j) * inDim);
    }
  }
  return out;
}

/** One tensor of a version-0 checkpoint, among the floats after its header. */
export interface Llama2cTensor {
  /** `embed`, `<kind>.<layer>` (rmsAtt, wq, wk, wv, wo, rmsFfn, w1, w2, w3), `rmsFinal`, `freqs`, `wcls`. */
  name: string;
  offset: number;
  length: number;
}

/**
 * The tensors of a version-0 checkpoint in file order: each kind for every layer before the next kind, then the
 * final norm, the rotary tables (`freqs`, real and imaginary, [seq_len, head_size / 2] each; run.c recomputes them)
 * and, unless shared with the embedding, the classifier.
 */
export function llama2cTensors(h: Llama2cHeader): Llama2cTensor[] {
  const headDim = h.dim / h.nHeads;
  const kvDim = h.nKvHeads * headDim;
  const out: Llama2cTensor[] = [];
  let offset = 0;
  const add = (name: string, length: number) => {
    out.push({ name, offset, length });
    offset += length;
  };
  add('embed', h.vocabSize * h.dim);
  const perLayer: [string, number][] = [
    ['rmsAtt', h.dim],
    ['wq', h.dim * h.dim],
    ['wk', kvDim * h.dim],
    ['wv', kvDim * h.dim],
    ['wo', h.dim * h.dim],
    ['rmsFfn', h.dim],
    ['w1', h.hiddenDim * h.dim],
    ['w2', h.dim * h.hiddenDim],
    ['w3', h.hiddenDim * h.dim],
  ];
  for (const [name, length] of perLayer) for (let l = 0; l < h.nLayers; l++) add(`${name}.${l}`, length);
  add('rmsFinal', h.dim);
  add('freqs', h.seqLen * headDim);
  if (!h.sharedClassifier) add('wcls', h.vocabSize * h.dim);
  return out;
}

export function readLlama2cCheckpoint(bytes: Uint8Array, fileName = 'checkpoint'): LlamaWeights {
  const hdr = readLlama2cHeader(bytes, fileName);
  const { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen } = hdr;
  const headDim = dim / nHeads;
  const tensors = llama2cTensors(hdr);
  const last = tensors[tensors.length - 1]!;
  const floats = last.offset + last.length;
  const expected = HEADER_BYTES + floats * 4;
  if (bytes.byteLength !== expected) {
    const what = bytes.byteLength < expected ? 'truncated' : 'longer than its header says';
    throw new Llama2cFormatError(
      `${fileName} is ${what}: a llama2.c checkpoint with dim=${dim}, n_layers=${nLayers}, vocab_size=${vocabSize} ` +
        `should be ${expected} bytes, but it is ${bytes.byteLength}. Download it again, or check it is the .bin checkpoint.`,
    );
  }
  // Copy once so every tensor is 4-byte aligned whatever the caller's buffer offset.
  const all = new Float32Array(floats);
  new Uint8Array(all.buffer).set(bytes.subarray(HEADER_BYTES));
  const byName = new Map(tensors.map((t) => [t.name, all.subarray(t.offset, t.offset + t.length)]));
  const tensor = (name: string) => byName.get(name)!;
  const stacked = (kind: string) => Array.from({ length: nLayers }, (_, l) => tensor(`${kind}.${l}`));
  const embed = tensor('embed');
  const rmsAtt = stacked('rmsAtt');
  const wq = stacked('wq');
  const wk = stacked('wk');
  const wv = stacked('wv');
  const wo = stacked('wo');
  const rmsFfn = stacked('rmsFfn');
  const w1 = stacked('w1');
  const w2 = stacked('w2');
  const w3 = stacked('w3');
  const finalNorm = tensor('rmsFinal');
  const lmHead = hdr.sharedClassifier ? embed : tensor('wcls');
  for (const t of [embed, finalNorm, lmHead, ...rmsAtt, ...wq]) {
    for (let i = 0; i < t.length; i++) {
      if (!Number.isFinite(t[i]!)) {
        throw new Llama2cFormatError(`${fileName} holds a non-finite weight (NaN or Infinity): the file is corrupted.`);
      }
    }
  }
  const layers: LlamaLayerWeights[] = Array.from({ length: nLayers }, (_, l) => ({
    attnNorm: rmsAtt[l]!,
    wq: permuteRopeRows(wq[l]!, nHeads, headDim, dim),
    wk: permuteRopeRows(wk[l]!, nKvHeads, headDim, dim),
    wv: wv[l]!,
    wo: wo[l]!,
    ffnNorm: rmsFfn[l]!,
    wGate: w1[l]!,
    wDown: w2[l]!,
    wUp: w3[l]!,
  }));
  const config: LlamaConfig = {
    vocabSize,
    hiddenSize: dim,
    intermediateSize: hiddenDim,
    numLayers: nLayers,
    numHeads: nHeads,
    numKvHeads: nKvHeads,
    headDim,
    rmsNormEps: 1e-5,
    ropeTheta: 10000,
    maxPositionEmbeddings: seqLen,
    bosTokenId: 1,
    // llama2.c ends a sample when the model emits BOS; </s> ends it in Hugging Face's conversion.
    eosTokenIds: [2, 1],
  };
  return { config, embed, layers, finalNorm, lmHead };
}
