// Which initializers of an ONNX model are weights, how each is read as float32 (plain, fp16, MatMulNBits, QDQ), and
// which stored axis is its output side — from how the graph uses it. Roles (layer, module) come from weight-roles.ts.

import type { WeightModule } from '../diff/report-types.ts';
import type { OnnxIndex } from './onnx-initializers.ts';
import { Dataflow } from './onnx-graph.ts';

export type { WeightModule };

export type ReadPlan =
  | { kind: 'plain' }
  | {
      kind: 'nbits';
      scales: string;
      zeroPoints: string | null;
      K: number;
      N: number;
      bits: number;
      blockSize: number;
    }
  | { kind: 'qdq'; scale: string; zeroPoint: string | null; axis: number };

export interface WeightPlan {
  /** The initializer (MatMulNBits: its B). */
  name: string;
  /** Shape as read, after dequantisation: MatMulNBits gives [N, K]. */
  dims: number[];
  /** Which stored axis is the output side (matrices used as weights); null for vectors and unknown uses. */
  outAxis: 0 | 1 | null;
  /** How it is stored, in words: "float32", "float16", "4-bit MatMulNBits", "int8 QDQ". */
  storage: string;
  read: ReadPlan;
}

const FLOAT_TYPES: Record<number, string> = { 1: 'float32', 10: 'float16', 11: 'float64', 16: 'bfloat16' };
const INT_TYPES: Record<number, string> = { 2: 'uint8', 3: 'int8' };

/** Every weight of the model with how to read it, by initializer name. */
export function planWeights(index: OnnxIndex, flow = new Dataflow(index)): Map<string, WeightPlan> {
  const plans = new Map<string, WeightPlan>();
  const aux = new Set<string>(); // scales and zero points: read as part of the weight they quantise
  const axes = new Map<string, 0 | 1>();
  const gatherAxes = new Map<string, 0 | 1>();
  const init = (name: string | undefined) => (name ? index.initializers.get(name) : undefined);

  for (const n of index.nodes) {
    if (n.opType === 'MatMulNBits') {
      const b = init(n.inputs[1]);
      if (!b) continue;
      const a = n.attributes;
      const bits = Number(a['bits'] ?? 4);
      const zp = init(n.inputs[3]);
      if (n.inputs[4] && init(n.inputs[4])) continue; // g_idx (deprecated act-order): not read, left as other
      plans.set(b.name, {
        name: b.name,
        dims: [Number(a['N']), Number(a['K'])],
        outAxis: 0,
        storage: `${bits}-bit MatMulNBits`,
        read: {
          kind: 'nbits',
          scales: n.inputs[2] ?? '',
          zeroPoints: zp ? zp.name : null,
          K: Number(a['K']),
          N: Number(a['N']),
          bits,
          blockSize: Number(a['block_size']),
        },
      });
      for (const x of [n.inputs[2], n.inputs[3]]) if (x) aux.add(x);
      continue;
    }
    if (n.opType === 'DequantizeLinear') {
      const x = init(n.inputs[0]);
      if (!x || INT_TYPES[x.dataType] === undefined || x.dims.length < 1) continue;
      plans.set(x.name, {
        name: x.name,
        dims: x.dims,
        outAxis: null,
        storage: `${INT_TYPES[x.dataType]} QDQ`,
        read: {
          kind: 'qdq',
          scale: n.inputs[1] ?? '',
          zeroPoint: n.inputs[2] || null,
          axis: Number(n.attributes['axis'] ?? 1),
        },
      });
      for (const s of [n.inputs[1], n.inputs[2]]) if (s) aux.add(s);
      continue;
    }
    const w = flow.matmulWeight(n);
    if (w) {
      const transB = Number(n.attributes['transB'] ?? 0) === 1;
      axes.set(w.init.name, transB !== w.transposed ? 0 : 1);
    } else if (n.opType === 'Gather') {
      const data = flow.weightOf(n.inputs[0]);
      if (data && data.init.dims.length === 2 && !init(n.inputs[1]))
        gatherAxes.set(data.init.name, (Number(n.attributes['axis'] ?? 0) === 0) !== data.transposed ? 1 : 0);
    }
  }
  for (const t of index.initializers.values()) {
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (aux.has(t.name) || plans.has(t.name) || FLOAT_TYPES[t.dataType] === undefined || count < 2) continue;
    plans.set(t.name, {
      name: t.name,
      dims: t.dims,
      outAxis: null,
      storage: FLOAT_TYPES[t.dataType]!,
      read: { kind: 'plain' },
    });
  }
  for (const p of plans.values()) {
    if (p.read.kind === 'nbits' || p.dims.length !== 2) continue;
    // A tied matrix is both the head's weight and the embedding's table: its output side is the head's.
    p.outAxis = axes.get(p.name) ?? gatherAxes.get(p.name) ?? null;
  }
  return plans;
}
