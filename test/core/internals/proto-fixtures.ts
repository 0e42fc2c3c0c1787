// Hand-written ONNX models for the reader's tests: tensors in every storage form the reader accepts (raw_data,
// float_data, int32_data, external data) and nodes in any domain (MatMulNBits is com.microsoft), encoded field by
// field from onnx.proto with @bufbuild/protobuf — independent of the project's own writer (src/core/onnx/proto.ts).

import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

export type FixtureTensor = { name: string; dims: number[]; dataType: number } & (
  | { raw: Uint8Array }
  | { floats: number[] }
  | { int32s: number[] }
  | { external: { location: string; offset: number; length: number } }
);

export interface FixtureNode {
  opType: string;
  domain?: string;
  inputs: string[];
  outputs: string[];
  ints?: Record<string, number>;
}

export interface FixtureModel {
  nodes: FixtureNode[];
  initializers: FixtureTensor[];
  inputs: { name: string; elemType: number; shape: number[] }[];
  outputs: { name: string; elemType: number; shape: number[] }[];
  opsets: { domain: string; version: number }[];
}

const LEN = WireType.LengthDelimited;
const VARINT = WireType.Varint;

function sub(w: BinaryWriter, field: number, write: (w: BinaryWriter) => void) {
  w.tag(field, LEN).fork();
  write(w);
  w.join();
}

function tensor(w: BinaryWriter, t: FixtureTensor) {
  // Name first and data before dims, unlike onnx's own serialiser: the reader must not depend on field order.
  w.tag(8, LEN).string(t.name);
  if ('raw' in t) w.tag(9, LEN).bytes(t.raw);
  if ('floats' in t) sub(w, 4, (x) => t.floats.forEach((f) => x.float(f)));
  if ('int32s' in t) sub(w, 5, (x) => t.int32s.forEach((i) => x.int32(i)));
  if ('external' in t) {
    for (const [k, v] of Object.entries(t.external))
      sub(w, 13, (e) => e.tag(1, LEN).string(k).tag(2, LEN).string(String(v)));
    w.tag(14, VARINT).int32(1);
  }
  for (const d of t.dims) w.tag(1, VARINT).int64(d);
  w.tag(2, VARINT).int32(t.dataType);
}

function valueInfo(w: BinaryWriter, v: { name: string; elemType: number; shape: number[] }) {
  w.tag(1, LEN).string(v.name);
  sub(w, 2, (type) =>
    sub(type, 1, (tt) => {
      tt.tag(1, VARINT).int32(v.elemType);
      sub(tt, 2, (shape) => v.shape.forEach((d) => sub(shape, 1, (dim) => dim.tag(1, VARINT).int64(d))));
    }),
  );
}

export function encodeFixture(m: FixtureModel): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, VARINT).int64(8);
  sub(w, 7, (g) => {
    for (const n of m.nodes) {
      sub(g, 1, (x) => {
        n.inputs.forEach((i) => x.tag(1, LEN).string(i));
        n.outputs.forEach((o) => x.tag(2, LEN).string(o));
        x.tag(3, LEN).string(`${n.opType}_node`);
        x.tag(4, LEN).string(n.opType);
        if (n.domain) x.tag(7, LEN).string(n.domain);
        for (const [k, v] of Object.entries(n.ints ?? {}))
          sub(x, 5, (a) => a.tag(1, LEN).string(k).tag(3, VARINT).int64(v).tag(20, VARINT).int32(2));
      });
    }
    g.tag(2, LEN).string('fixture');
    m.initializers.forEach((t) => sub(g, 5, (x) => tensor(x, t)));
    m.inputs.forEach((v) => sub(g, 11, (x) => valueInfo(x, v)));
    m.outputs.forEach((v) => sub(g, 12, (x) => valueInfo(x, v)));
  });
  m.opsets.forEach((o) => sub(w, 8, (x) => x.tag(1, LEN).string(o.domain).tag(2, VARINT).int64(o.version)));
  return w.finish();
}

export const f32bytes = (x: Float32Array) => new Uint8Array(x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength));
