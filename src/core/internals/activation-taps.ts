// Activation taps: an edit of a decoder's ONNX graph that outputs its residual stream and lets a vector be added to
// it. The layers are found from the graph's structure (residual-stream.ts), never from an exporter's node names, so
// the same edit serves this project's graphs, Optimum / onnx-community exports and onnxruntime-genai builder graphs.
//
// The edited graph has, besides everything it had:
// - outputs `residual.{i}` (float32, [batch, sequence, hidden]) for i = 0..L: i = 0 the embedding, i = l + 1 the
//   stream after decoder layer l (Hugging Face's hidden_states, before the final norm);
// - an input `residual_steering` (float32, [L + 1, hidden]): row i is added to the stream at point i (i ≥ 1; row 0
//   is ignored) at every position — zeros leave the model exactly as it was. Where a residual Add makes point i, its
//   output is renamed and an Add of the steering row takes its place; where a fused SkipSimplifiedLayerNormalization
//   makes it, the row is added to its branch input, so the norm's output and its sum both see it.
//
// Only the graph message is rewritten; external data is never touched. Initializers are copied byte for byte, or,
// given `weightsFile`, each large embedded one becomes external data at its own place in the original bytes, which
// the runtime is then given as that file (onnxruntime-web copies each tensor from it straight into its heap, instead
// of copying the whole model in and parsing a second copy of every weight out of it: the tap session's memory is
// the weights once, not two to three times while it opens).
// Field numbers are onnx/onnx.proto's: ModelProto.graph 7; GraphProto node 1, initializer 5, input 11, output 12;
// NodeProto input 1, output 2, name 3, op_type 4, attribute 5; ValueInfoProto name 1, type 2.

import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { NodeInfo, OnnxIndex } from './onnx-initializers.ts';
import { Dataflow } from './onnx-graph.ts';
import { residualStream } from './residual-stream.ts';

export const STEERING_INPUT = 'residual_steering';
export const tapName = (i: number) => `residual.${i}`;

/** A graph whose layers cannot be found: the taps are refused, with why. */
export class TapError extends Error {
  override name = 'TapError';
}

export interface TapPlan {
  layers: number;
  hiddenSize: number;
  /** The stream's element type in the graph (1 float32, 10 float16): taps are cast to float32 from it. */
  elemType: number;
  /** Per point i = 0..L: the value that holds it ('' when an added Add must compute it), and how to steer it. */
  points: { value: string; node: NodeInfo | null; kind: 'start' | 'add' | 'fused'; branch: string }[];
}

/** Where the stream can be read and steered, or a TapError saying why not (`layers`: what config.json declares). */
export function planTaps(index: OnnxIndex, layers?: number): TapPlan {
  const flow = new Dataflow(index);
  const stream = residualStream(index, flow);
  if (!stream)
    throw new TapError(
      'The residual stream of this graph cannot be found: it has no token embedding (a Gather of input_ids from a ' +
        'weight matrix) followed by residual Adds. Activation taps need a decoder-only transformer graph.',
    );
  if (layers !== undefined && stream.layers !== layers)
    throw new TapError(
      `The graph's structure shows ${stream.layers} decoder layers but config.json declares ${layers}: the layer ` +
        'boundaries cannot be trusted, so no activations are read.',
    );
  // The embedding matrix's other axis is the hidden size: [vocab, hidden] gathered on axis 0, or a tied head
  // [hidden, vocab] gathered on axis 1 (read through a Transpose, the axes swap).
  const table = flow.weightOf(stream.embed.inputs[0])!;
  const gathered = Number(stream.embed.attributes['axis'] ?? 0) === 1 ? 1 : 0;
  const hiddenSize = table.init.dims[(table.transposed ? gathered : 1 - gathered) as 0 | 1]!;
  const points: TapPlan['points'] = [{ value: stream.start, node: null, kind: 'start', branch: '' }];
  for (let l = 0; l < stream.layers; l++) {
    const last = stream.steps.filter((s) => s.layer === l).at(-1);
    if (!last) throw new TapError(`Decoder layer ${l} has no residual step in this graph.`);
    points.push({
      value: last.out,
      node: last.node,
      kind: last.node.opType === 'Add' ? 'add' : 'fused',
      branch: last.branch,
    });
  }
  return { layers: stream.layers, hiddenSize, elemType: stream.elemType, points };
}

const LEN = WireType.LengthDelimited;
const VARINT = WireType.Varint;
const FLOAT = 1;
const INT64 = 7;

/** The model's bytes with the taps and the steering input added (see the opening comment). */
export function addTaps(
  model: Uint8Array,
  index: OnnxIndex,
  plan: TapPlan,
  weightsFile: string | null = null,
): Uint8Array {
  const nodeOf = new Map(index.nodes.map((n, k) => [n, k]));
  const renames = new Map<number, { inputs: Map<number, string>; outputs: Map<number, string> }>();
  const edit = (n: NodeInfo) => {
    const k = nodeOf.get(n)!;
    let e = renames.get(k);
    if (!e) renames.set(k, (e = { inputs: new Map(), outputs: new Map() }));
    return e;
  };
  const added = new BinaryWriter();
  const node = (opType: string, inputs: string[], outputs: string[], attrs: Record<string, number> = {}) =>
    message(added, 1, (w) => {
      for (const i of inputs) w.tag(1, LEN).string(i);
      for (const o of outputs) w.tag(2, LEN).string(o);
      w.tag(3, LEN).string(`model_diff/${outputs[0]}`);
      w.tag(4, LEN).string(opType);
      for (const [name, v] of Object.entries(attrs))
        message(w, 5, (a) => a.tag(1, LEN).string(name).tag(3, VARINT).int64(v).tag(20, VARINT).int32(2));
    });
  const points = plan.points.map((p) => ({ ...p }));
  for (let i = 1; i <= plan.layers; i++) {
    const p = points[i]!;
    const index64 = `model_diff/point_${i}`;
    message(added, 5, (t) => t.tag(2, VARINT).int32(INT64).tag(8, LEN).string(index64).tag(9, LEN).bytes(int64(i)));
    let row = `model_diff/steering_${i}`;
    node('Gather', [STEERING_INPUT, index64], [row], { axis: 0 });
    if (plan.elemType !== FLOAT) {
      node('Cast', [row], [`${row}/cast`], { to: plan.elemType });
      row = `${row}/cast`;
    }
    const n = p.node!;
    if (p.kind === 'add') {
      const raw = `${p.value}/unsteered`;
      edit(n).outputs.set(0, raw);
      node('Add', [raw, row], [p.value]);
    } else {
      const steered = `${p.branch}/steered_${i}`;
      const at = n.inputs.indexOf(p.branch);
      edit(n).inputs.set(at, steered);
      node('Add', [p.branch, row], [steered]);
      if (!p.value) {
        // A fused final norm that does not output its sum: the sum is computed beside it, from the steered inputs.
        const ins = n.inputs.map((v, j) => (j === at ? steered : v));
        const sum = `model_diff/residual_sum_${i}`;
        node('Add', [ins[0]!, ins[1]!], [ins[3] ? `${sum}/nobias` : sum]);
        if (ins[3]) node('Add', [`${sum}/nobias`, ins[3]], [sum]);
        p.value = sum;
      }
    }
  }
  for (let i = 0; i <= plan.layers; i++) node('Cast', [points[i]!.value], [tapName(i)], { to: FLOAT });
  valueInfo(added, 11, STEERING_INPUT, [plan.layers + 1, plan.hiddenSize]);
  for (let i = 0; i <= plan.layers; i++)
    valueInfo(added, 12, tapName(i), ['batch_size', 'sequence_length', plan.hiddenSize]);
  return rewriteGraph(model, renames, added.finish(), weightsFile);
}

/** Embedded initializers at least this large move to the external view (smaller ones stay: a few bytes each). */
const EXTERNAL_MIN_BYTES = 1024;

/**
 * An initializer whose raw_data lies at [offset, offset + length) of the original model bytes, rewritten to point
 * there as external data in `file` (TensorProto external_data 13: location / offset / length; data_location 14 =
 * EXTERNAL). Everything else in the tensor is kept as it was; null when the tensor has no large raw_data.
 */
function externalised(tensor: Uint8Array, model: Uint8Array, file: string): Uint8Array | null {
  let raw: Uint8Array | null = null;
  for (const f of rawFields(tensor)) if (f.no === 9) raw = f.value;
  if (!raw || raw.byteLength < EXTERNAL_MIN_BYTES) return null;
  const w = new BinaryWriter();
  for (const f of rawFields(tensor)) if (f.no !== 9 && f.no !== 13 && f.no !== 14) w.raw(f.raw);
  const entry = (key: string, value: string) =>
    message(w, 13, (e) => e.tag(1, LEN).string(key).tag(2, LEN).string(value));
  entry('location', file);
  entry('offset', String(raw.byteOffset - model.byteOffset));
  entry('length', String(raw.byteLength));
  w.tag(14, VARINT).int32(1);
  return w.finish();
}

/** The model with its graph's nodes renamed as asked and `extra` (encoded GraphProto fields) appended to it. */
function rewriteGraph(
  model: Uint8Array,
  renames: Map<number, { inputs: Map<number, string>; outputs: Map<number, string> }>,
  extra: Uint8Array,
  weightsFile: string | null,
): Uint8Array {
  const top: Uint8Array[] = [];
  let graph: Uint8Array[] | null = null;
  for (const f of rawFields(model)) {
    if (f.no !== 7) {
      top.push(f.raw);
      continue;
    }
    if (graph) throw new TapError('This ONNX file has two graphs; it is not a model this project can edit.');
    graph = [];
    let k = 0;
    for (const g of rawFields(f.value)) {
      const moved = g.no === 5 && weightsFile ? externalised(g.value, model, weightsFile) : null;
      if (moved) graph.push(lengthField(5, moved));
      else if (g.no !== 1) graph.push(g.raw);
      else {
        const e = renames.get(k++);
        graph.push(e ? lengthField(1, renameNode(g.value, e)) : g.raw);
      }
    }
    graph.push(extra);
  }
  if (!graph) throw new TapError('This file is not an ONNX model: it has no graph.');
  const graphLength = graph.reduce((n, c) => n + c.byteLength, 0);
  const head = new BinaryWriter().tag(7, LEN).uint32(graphLength).finish();
  const parts = [...top, head, ...graph];
  const out = new Uint8Array(parts.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of parts) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function renameNode(bytes: Uint8Array, e: { inputs: Map<number, string>; outputs: Map<number, string> }): Uint8Array {
  const w = new BinaryWriter();
  let i = 0;
  let o = 0;
  for (const f of rawFields(bytes)) {
    if (f.no === 1 && e.inputs.has(i)) w.tag(1, LEN).string(e.inputs.get(i)!);
    else if (f.no === 2 && e.outputs.has(o)) w.tag(2, LEN).string(e.outputs.get(o)!);
    else w.raw(f.raw);
    if (f.no === 1) i++;
    if (f.no === 2) o++;
  }
  return w.finish();
}

/** Each field of a message: its number, its whole encoding (tag included) and, for LEN fields, its value's bytes. */
function* rawFields(bytes: Uint8Array): Generator<{ no: number; raw: Uint8Array; value: Uint8Array }> {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const start = r.pos;
    const [no, wt] = r.tag();
    const valueStart = r.pos;
    let value = bytes.subarray(0, 0);
    if (wt === LEN) {
      const n = r.uint32();
      value = bytes.subarray(r.pos, r.pos + n);
      r.pos += n;
      if (r.pos > r.len) throw new TapError(`A field at byte ${start} runs past the end of the ONNX file.`);
    } else {
      r.pos = valueStart;
      r.skip(wt, no);
    }
    yield { no, raw: bytes.subarray(start, r.pos), value };
  }
}

function lengthField(no: number, value: Uint8Array): Uint8Array {
  return new BinaryWriter().tag(no, LEN).bytes(value).finish();
}

function message(w: BinaryWriter, field: number, write: (w: BinaryWriter) => void): void {
  w.tag(field, LEN).fork();
  write(w);
  w.join();
}

function valueInfo(w: BinaryWriter, field: number, name: string, shape: (number | string)[]): void {
  message(w, field, (v) => {
    v.tag(1, LEN).string(name);
    message(v, 2, (type) =>
      message(type, 1, (tensor) => {
        tensor.tag(1, VARINT).int32(FLOAT);
        message(tensor, 2, (s) => {
          for (const d of shape)
            message(s, 1, (dim) => (typeof d === 'number' ? dim.tag(1, VARINT).int64(d) : dim.tag(2, LEN).string(d)));
        });
      }),
    );
  });
}

function int64(v: number): Uint8Array {
  return new Uint8Array(BigInt64Array.of(BigInt(v)).buffer);
}
