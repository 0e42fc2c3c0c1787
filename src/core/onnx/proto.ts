// Encodes the subset of ONNX's protobuf schema (onnx.proto, IR version 8) that our graph writer needs.
// Field numbers come from onnx/onnx.proto; the wire format is @bufbuild/protobuf's BinaryWriter.

import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

export const DataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

export interface TensorProto {
  name: string;
  dataType: DataTypeId;
  dims: readonly number[];
  /** Little-endian element bytes. */
  raw: Uint8Array;
  /**
   * Set by encodeModelExternal: the bytes lie in a file beside the model (onnx.proto external data: location,
   * offset, length; data_location EXTERNAL) instead of in raw_data.
   */
  external?: { location: string; offset: number; length: number };
}

export type AttributeValue = number | readonly number[] | string | TensorProto | { float: number };

export interface NodeProto {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes?: Record<string, AttributeValue>;
  /** '' (the default) is ai.onnx; contrib ops are 'com.microsoft'. */
  domain?: string;
}

export interface ValueInfo {
  name: string;
  elemType: DataTypeId;
  /** A number is a fixed size; a string is a symbolic dimension. */
  shape: readonly (number | string)[];
}

export interface ModelProto {
  graphName: string;
  nodes: readonly NodeProto[];
  initializers: readonly TensorProto[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  opset: number;
  /** Further operator sets, e.g. [{domain: 'com.microsoft', version: 1}] for onnxruntime's contrib ops. */
  extraOpsets?: readonly { domain: string; version: number }[];
  producer: string;
  docString?: string;
}

const LEN = WireType.LengthDelimited;
const VARINT = WireType.Varint;

function message(w: BinaryWriter, field: number, write: (w: BinaryWriter) => void): void {
  w.tag(field, LEN).fork();
  write(w);
  w.join();
}

function writeTensor(w: BinaryWriter, t: TensorProto): void {
  for (const d of t.dims) w.tag(1, VARINT).int64(d);
  w.tag(2, VARINT).int32(t.dataType);
  w.tag(8, LEN).string(t.name);
  if (!t.external) {
    w.tag(9, LEN).bytes(t.raw);
    return;
  }
  const entry = (key: string, value: string) =>
    message(w, 13, (e) => {
      e.tag(1, LEN).string(key);
      e.tag(2, LEN).string(value);
    });
  entry('location', t.external.location);
  entry('offset', String(t.external.offset));
  entry('length', String(t.external.length));
  w.tag(14, VARINT).int32(1); // TensorProto.DataLocation.EXTERNAL
}

// AttributeProto.AttributeType
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, INTS: 7 } as const;

function writeAttribute(w: BinaryWriter, name: string, v: AttributeValue): void {
  w.tag(1, LEN).string(name);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`ONNX attribute ${name}: use {float: x} for a float.`);
    w.tag(3, VARINT).int64(v);
    w.tag(20, VARINT).int32(ATTR.INT);
  } else if (typeof v === 'string') {
    w.tag(4, LEN).bytes(new TextEncoder().encode(v));
    w.tag(20, VARINT).int32(ATTR.STRING);
  } else if (Array.isArray(v)) {
    for (const x of v as readonly number[]) w.tag(8, VARINT).int64(x);
    w.tag(20, VARINT).int32(ATTR.INTS);
  } else if ('float' in v) {
    w.tag(2, WireType.Bit32).float(v.float);
    w.tag(20, VARINT).int32(ATTR.FLOAT);
  } else {
    message(w, 5, (m) => writeTensor(m, v as TensorProto));
    w.tag(20, VARINT).int32(ATTR.TENSOR);
  }
}

function writeNode(w: BinaryWriter, n: NodeProto): void {
  for (const i of n.inputs) w.tag(1, LEN).string(i);
  for (const o of n.outputs) w.tag(2, LEN).string(o);
  w.tag(3, LEN).string(n.name);
  w.tag(4, LEN).string(n.opType);
  for (const [k, v] of Object.entries(n.attributes ?? {})) message(w, 5, (m) => writeAttribute(m, k, v));
  if (n.domain) w.tag(7, LEN).string(n.domain);
}

function writeValueInfo(w: BinaryWriter, v: ValueInfo): void {
  w.tag(1, LEN).string(v.name);
  message(w, 2, (type) =>
    message(type, 1, (tensor) => {
      tensor.tag(1, VARINT).int32(v.elemType);
      message(tensor, 2, (shape) => {
        for (const d of v.shape) {
          message(shape, 1, (dim) => {
            if (typeof d === 'number') dim.tag(1, VARINT).int64(d);
            else dim.tag(2, LEN).string(d);
          });
        }
      });
    }),
  );
}

export function encodeModel(m: ModelProto): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, VARINT).int64(8); // ir_version
  w.tag(2, LEN).string(m.producer);
  if (m.docString) w.tag(6, LEN).string(m.docString);
  message(w, 7, (g) => {
    for (const n of m.nodes) message(g, 1, (x) => writeNode(x, n));
    g.tag(2, LEN).string(m.graphName);
    for (const t of m.initializers) message(g, 5, (x) => writeTensor(x, t));
    for (const i of m.inputs) message(g, 11, (x) => writeValueInfo(x, i));
    for (const o of m.outputs) message(g, 12, (x) => writeValueInfo(x, o));
  });
  message(w, 8, (o) => {
    o.tag(1, LEN).string('');
    o.tag(2, VARINT).int64(m.opset);
  });
  for (const extra of m.extraOpsets ?? []) {
    message(w, 8, (o) => {
      o.tag(1, LEN).string(extra.domain);
      o.tag(2, VARINT).int64(extra.version);
    });
  }
  return w.finish();
}

/**
 * The model with every initializer of at least `threshold` bytes moved into one external data file named
 * `location` (a name beside the model file, e.g. model.onnx_data), in initializer order, as onnx's
 * save_model(save_as_external_data=True) lays them out: smaller tensors stay inline.
 */
export function encodeModelExternal(
  m: ModelProto,
  location: string,
  threshold = 1024,
): { model: Uint8Array; data: Uint8Array } {
  let size = 0;
  const initializers = m.initializers.map((t) => {
    if (t.raw.byteLength < threshold) return t;
    const placed = { ...t, external: { location, offset: size, length: t.raw.byteLength } };
    size += t.raw.byteLength;
    return placed;
  });
  const data = new Uint8Array(size);
  for (const t of initializers) if (t.external) data.set(t.raw, t.external.offset);
  return { model: encodeModel({ ...m, initializers }), data };
}

export function floatTensor(name: string, dims: readonly number[], data: Float32Array): TensorProto {
  const n = dims.reduce((a, b) => a * b, 1);
  if (n !== data.length)
    throw new Error(`Tensor ${name}: ${data.length} values do not fill shape [${dims.join(', ')}].`);
  const copy = new Float32Array(data); // own buffer, exact length, little-endian on every platform we run on
  return { name, dataType: DataType.FLOAT, dims, raw: new Uint8Array(copy.buffer) };
}

/** float32 → IEEE half-precision bits, rounding to nearest even (overflow to ±Infinity). */
export function toFloat16Bits(data: Float32Array): Uint16Array {
  const out = new Uint16Array(data.length);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < data.length; i++) {
    f[0] = data[i]!;
    const x = u[0]!;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    const mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      const m = mant | 0x800000;
      const shift = 14 - e;
      let half = m >>> shift;
      const rest = m & ((1 << shift) - 1);
      const mid = 1 << (shift - 1);
      if (rest > mid || (rest === mid && half & 1)) half++;
      out[i] = sign | half;
      continue;
    }
    let half = (e << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++; // may carry into the exponent: still correct
    out[i] = sign | half;
  }
  return out;
}

export function float16Tensor(name: string, dims: readonly number[], data: Float32Array): TensorProto {
  const bits = toFloat16Bits(data);
  return { name, dataType: DataType.FLOAT16, dims, raw: new Uint8Array(bits.buffer) };
}

export function int64Tensor(name: string, dims: readonly number[], data: readonly number[]): TensorProto {
  const big = BigInt64Array.from(data, (x) => BigInt(x));
  return { name, dataType: DataType.INT64, dims, raw: new Uint8Array(big.buffer) };
}
