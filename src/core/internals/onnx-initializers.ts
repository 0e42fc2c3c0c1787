// Reads an ONNX ModelProto's graph (nodes, inputs, outputs) and its initializers' headers without holding the file:
// the walk reads windows of a random-access byte source and only records where each tensor's data lies (in the
// file, or a slice of an external data file), so one tensor at a time is read later. Never writes anything.
// Field numbers are onnx/onnx.proto's (ModelProto.graph 7; GraphProto node 1, initializer 5, input 11, output 12;
// TensorProto dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8, raw_data 9, double_data 10,
// external_data 13, data_location 14; NodeProto input 1, output 2, name 3, op_type 4, attribute 5, domain 7).

import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/** Random-access bytes: a file in memory, a Blob, a cached response. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.byteLength, read: async (o, n) => bytes.subarray(o, o + n) };
}

/** A Blob (or File): each read is a slice, so a file larger than memory is never loaded whole. */
export function blobSource(blob: {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}): ByteSource {
  return { size: blob.size, read: async (o, n) => new Uint8Array(await blob.slice(o, o + n).arrayBuffer()) };
}

/** Where an initializer's elements are: a field of the model file itself, or a slice of an external data file. */
export type TensorData =
  | { location: null; field: 'raw' | 'float' | 'int32' | 'int64' | 'double'; offset: number; length: number }
  | { location: string; offset: number; length: number | null };

export interface InitializerInfo {
  name: string;
  dims: number[];
  /** TensorProto.DataType: 1 float, 2 uint8, 3 int8, 6 int32, 7 int64, 10 float16, 11 double, 16 bfloat16, … */
  dataType: number;
  /** null: the tensor has no elements stored (an empty tensor). */
  data: TensorData | null;
}

export type AttributeValue = number | number[] | string;

export interface NodeInfo {
  opType: string;
  /** '' is the default ai.onnx domain; contrib ops use 'com.microsoft'. */
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
}

export interface OnnxIndex {
  nodes: NodeInfo[];
  initializers: Map<string, InitializerInfo>;
  inputs: string[];
  outputs: string[];
}

export class OnnxFormatError extends Error {
  override name = 'OnnxFormatError';
}

const { LengthDelimited: LEN, Varint: VARINT, Bit32, Bit64 } = WireType;

/** One field of a message: its number, wire type, and where its value lies (LEN: the bytes; else the value). */
interface Field {
  no: number;
  wt: WireType;
  /** Offset of the value (after the tag and, for LEN, the length). */
  at: number;
  length: number;
  varint: bigint;
}

/** Caches one window of the source, so the many small reads of a walk cost few real reads. */
class Window {
  #buf: Uint8Array = new Uint8Array(0);
  #at = 0;
  constructor(
    readonly src: ByteSource,
    readonly chunk = 1 << 20,
  ) {}

  async view(offset: number, length: number): Promise<Uint8Array> {
    const rel = offset - this.#at;
    if (rel >= 0 && rel + length <= this.#buf.length) return this.#buf.subarray(rel, rel + length);
    const n = Math.min(this.src.size - offset, Math.max(length, this.chunk));
    if (n < length) throw new OnnxFormatError(`The ONNX file ends early (at byte ${this.src.size}).`);
    this.#buf = await this.src.read(offset, n);
    this.#at = offset;
    return this.#buf.subarray(0, length);
  }
}

async function* fields(win: Window, start: number, end: number): AsyncGenerator<Field> {
  let p = start;
  while (p < end) {
    const head = new BinaryReader(await win.view(p, Math.min(20, end - p)));
    const [no, wt] = head.tag();
    let length = 0;
    let varint = 0n;
    if (wt === LEN) length = head.uint32();
    else if (wt === VARINT) varint = BigInt(head.int64());
    else if (wt === Bit32) length = 4;
    else if (wt === Bit64) length = 8;
    else throw new OnnxFormatError(`Unsupported protobuf wire type ${wt} at byte ${p}.`);
    const at = p + head.pos;
    if (at + length > end) throw new OnnxFormatError(`A field at byte ${p} runs past its message.`);
    yield { no, wt, at, length, varint };
    p = at + length;
  }
}

/** Indexes a model: the graph and every initializer's header, reading the source in windows. */
export async function indexOnnx(src: ByteSource): Promise<OnnxIndex> {
  const win = new Window(src);
  const index: OnnxIndex = { nodes: [], initializers: new Map(), inputs: [], outputs: [] };
  let graphs = 0;
  for await (const f of fields(win, 0, src.size)) {
    if (f.no !== 7 || f.wt !== LEN) continue;
    graphs++;
    for await (const g of fields(win, f.at, f.at + f.length)) {
      if (g.wt !== LEN) continue;
      if (g.no === 1) index.nodes.push(parseNode(await win.view(g.at, g.length)));
      else if (g.no === 5) {
        const t = await walkTensor(win, g.at, g.at + g.length);
        index.initializers.set(t.name, t);
      } else if (g.no === 11 || g.no === 12) {
        (g.no === 11 ? index.inputs : index.outputs).push(valueName(await win.view(g.at, g.length)));
      }
    }
  }
  if (graphs === 0) throw new OnnxFormatError('This file is not an ONNX model: it has no graph.');
  return index;
}

const utf8 = new TextDecoder();
const DATA_FIELDS = { 4: 'float', 5: 'int32', 7: 'int64', 9: 'raw', 10: 'double' } as const;

async function walkTensor(win: Window, start: number, end: number): Promise<InitializerInfo> {
  const t: InitializerInfo = { name: '', dims: [], dataType: 0, data: null };
  const external: Record<string, string> = {};
  let externalLocation = false;
  for await (const f of fields(win, start, end)) {
    if (f.no === 1) {
      if (f.wt === VARINT) t.dims.push(Number(f.varint));
      else {
        const r = new BinaryReader(await win.view(f.at, f.length));
        while (r.pos < r.len) t.dims.push(Number(r.int64()));
      }
    } else if (f.no === 2) t.dataType = Number(f.varint);
    else if (f.no === 8) t.name = utf8.decode(await win.view(f.at, f.length));
    else if (f.no === 14) externalLocation = f.varint === 1n;
    else if (f.no === 13 && f.wt === LEN) {
      const r = new BinaryReader(await win.view(f.at, f.length));
      let key = '';
      let value = '';
      while (r.pos < r.len) {
        const [no, wt] = r.tag();
        if (no === 1) key = r.string();
        else if (no === 2) value = r.string();
        else r.skip(wt);
      }
      external[key] = value;
    } else if (f.no in DATA_FIELDS) {
      if (f.wt !== LEN) throw new OnnxFormatError(`Tensor ${t.name || '?'}: unpacked repeated data is not supported.`);
      const field = DATA_FIELDS[f.no as keyof typeof DATA_FIELDS];
      if (f.length > 0) t.data = { location: null, field, offset: f.at, length: f.length };
    }
  }
  if (externalLocation) {
    const location = external['location'];
    if (!location) throw new OnnxFormatError(`Tensor ${t.name}: external data without a location.`);
    const length = external['length'];
    t.data = {
      location,
      offset: Number(external['offset'] ?? 0),
      length: length === undefined ? null : Number(length),
    };
  }
  return t;
}

function valueName(bytes: Uint8Array): string {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1) return r.string();
    r.skip(wt);
  }
  return '';
}

function parseNode(bytes: Uint8Array): NodeInfo {
  const r = new BinaryReader(bytes);
  const n: NodeInfo = { opType: '', domain: '', name: '', inputs: [], outputs: [], attributes: {} };
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1) n.inputs.push(r.string());
    else if (no === 2) n.outputs.push(r.string());
    else if (no === 3) n.name = r.string();
    else if (no === 4) n.opType = r.string();
    else if (no === 7) n.domain = r.string();
    else if (no === 5) {
      const [name, value] = parseAttribute(r.bytes());
      if (value !== undefined) n.attributes[name] = value;
    } else r.skip(wt);
  }
  return n;
}

/** The attribute kinds weight reading needs: int, float, string, ints, floats (tensors and graphs are skipped). */
function parseAttribute(bytes: Uint8Array): [string, AttributeValue | undefined] {
  const r = new BinaryReader(bytes);
  let name = '';
  let value: AttributeValue | undefined;
  const list: number[] = [];
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1) name = r.string();
    else if (no === 2) value = r.float();
    else if (no === 3) value = Number(r.int64());
    else if (no === 4) value = utf8.decode(r.bytes());
    else if (no === 7 || no === 8) {
      const one = () => list.push(no === 7 ? r.float() : Number(r.int64()));
      if (wt === LEN) {
        const end = r.uint32() + r.pos;
        while (r.pos < end) one();
      } else one();
      value = list;
    } else r.skip(wt);
  }
  return [name, value];
}

/** Bytes per element of the data types weights come in. */
export const ELEMENT_BYTES: Record<number, number> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  9: 1,
  10: 2,
  11: 8,
  12: 4,
  13: 8,
  16: 2,
};

export const elementCount = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/**
 * An initializer's elements as little-endian bytes (raw_data's layout, whichever field held them). `open` gives
 * the byte source of a file next to the model (external data), by its location.
 */
export async function initializerBytes(
  t: InitializerInfo,
  model: ByteSource,
  open: (location: string) => Promise<ByteSource>,
): Promise<Uint8Array> {
  const size = ELEMENT_BYTES[t.dataType];
  if (size === undefined) throw new OnnxFormatError(`Tensor ${t.name}: data type ${t.dataType} is not supported.`);
  const n = elementCount(t.dims);
  const d = t.data;
  if (!d) return new Uint8Array(n * size);
  if (d.location !== null) {
    const file = await open(d.location);
    const length = d.length ?? n * size;
    if (length !== n * size || d.offset + length > file.size)
      throw new OnnxFormatError(`Tensor ${t.name}: its external data in ${d.location} is not ${n * size} bytes.`);
    return file.read(d.offset, length);
  }
  const bytes = await model.read(d.offset, d.length);
  if (d.field === 'raw' || d.field === 'float' || d.field === 'double') {
    if (bytes.byteLength !== n * size)
      throw new OnnxFormatError(`Tensor ${t.name}: ${bytes.byteLength} bytes of data for ${n} elements.`);
    return bytes;
  }
  // int32_data holds each narrow element (uint8, int8, float16 bits, …) as one varint; int64_data likewise.
  const out = new Uint8Array(n * size);
  const view = new DataView(out.buffer);
  const r = new BinaryReader(bytes);
  for (let i = 0; i < n; i++) {
    const v = d.field === 'int64' ? BigInt(r.int64()) : BigInt(r.int32());
    if (size === 8) view.setBigInt64(i * 8, v, true);
    else if (size === 4) view.setInt32(i * 4, Number(v), true);
    else if (size === 2) view.setUint16(i * 2, Number(v) & 0xffff, true);
    else out[i] = Number(v) & 0xff;
  }
  return out;
}
