// The trained crosscoder in its inference form (SAELens saves BatchTopK as JumpReLU: a latent is on where
// f·Σ_m‖d^m‖ exceeds the learned threshold), and its compact fp16 file that travels with a report.

import { toFloat16Bits } from '../../onnx/proto.ts';
import type { CrosscoderConfig, Pair } from './config.ts';
import { fromList, paramList, paramShapes, type CrosscoderParams } from './params.ts';
import { decoderNorms } from './reference.ts';

export interface CrosscoderDictionary {
  config: CrosscoderConfig;
  params: CrosscoderParams;
  threshold: number;
  /** Raw activations × scale[m] = the space the dictionary was trained in. */
  scale: Pair<number>;
  steps: number;
}

/** Latent activations [n, L] of n normalised positions, inference form. */
export function encodeRows(dict: CrosscoderDictionary, x: Pair<Float32Array>, n: number): Float32Array {
  const { config: c, params: p } = dict;
  const L = c.latents;
  const norms = decoderNorms(c, p);
  const out = new Float32Array(n * L);
  const row = new Float64Array(L);
  for (let t = 0; t < n; t++) {
    row.set(p.encoderBias);
    for (let m = 0; m < 2; m++) {
      const d = c.dims[m]!;
      const w = p.encoder[m]!;
      const xm = x[m]!;
      for (let i = 0; i < d; i++) {
        const v = xm[t * d + i]!;
        if (v === 0) continue;
        const base = i * L;
        for (let j = 0; j < L; j++) row[j] = row[j]! + v * w[base + j]!;
      }
    }
    for (let j = 0; j < L; j++) {
      const f = row[j]!;
      out[t * L + j] = f > 0 && f * norms[j]! > dict.threshold ? f : 0;
    }
  }
  return out;
}

const MAGIC = 0x4358444d; // 'MDXC' little-endian

function fromFloat16Bits(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    out[i] =
      exp === 0
        ? sign * mant * 2 ** -24
        : exp === 31
          ? mant
            ? NaN
            : sign * Infinity
          : sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  return out;
}

/**
 * 'MDXC', a little-endian u32 header length, the JSON header (config, threshold, scale, steps, which arrays), then
 * the parameters as fp16 in PARAM_NAMES order. Without the encoder (encoder: false) the file is half as large and
 * still gives the decoder-norm reading, but not activations.
 */
export function exportDictionary(dict: CrosscoderDictionary, options: { encoder?: boolean } = {}): Uint8Array {
  const withEncoder = options.encoder ?? true;
  const arrays = paramList(dict.params).map((a, k) => (withEncoder || k > 2 ? a : new Float32Array(0)));
  const header = JSON.stringify({
    format: 'model-diff crosscoder',
    version: 1,
    config: dict.config,
    threshold: dict.threshold,
    scale: dict.scale,
    steps: dict.steps,
    encoder: withEncoder,
  });
  let headerBytes = new TextEncoder().encode(header);
  if (headerBytes.length % 2) headerBytes = new TextEncoder().encode(header + ' ');
  const total = 8 + headerBytes.length + arrays.reduce((s, a) => s + 2 * a.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const a of arrays) {
    out.set(new Uint8Array(toFloat16Bits(a).buffer), at);
    at += 2 * a.length;
  }
  return out;
}

export function importDictionary(bytes: Uint8Array): CrosscoderDictionary & { hasEncoder: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('Not a model-diff crosscoder file.');
  const n = view.getUint32(4, true);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as {
    version: number;
    config: CrosscoderConfig;
    threshold: number;
    scale: Pair<number>;
    steps: number;
    encoder: boolean;
  };
  if (h.version !== 1) throw new Error(`Crosscoder file version ${h.version} is newer than this reader.`);
  let at = 8 + n;
  const arrays = paramShapes(h.config).map((shape, k) => {
    const len = h.encoder || k > 2 ? shape.reduce((a, b) => a * b, 1) : 0;
    const bits = new Uint16Array(bytes.slice(at, at + 2 * len).buffer);
    at += 2 * len;
    return len || k > 2 ? fromFloat16Bits(bits) : new Float32Array(shape.reduce((a, b) => a * b, 1));
  });
  if (at !== bytes.length) throw new Error('Crosscoder file: its size does not match its header.');
  return {
    config: h.config,
    params: fromList(arrays),
    threshold: h.threshold,
    scale: h.scale,
    steps: h.steps,
    hasEncoder: h.encoder,
  };
}
