// The dataflow of an indexed ONNX graph: who produces and who consumes each value, what is reachable from what,
// and which initializer a node's weight input is (looking through casts, transposes and DequantizeLinear).

import type { InitializerInfo, NodeInfo, OnnxIndex } from './onnx-initializers.ts';

/** Matrix products whose second input can be a weight. */
export const MATMUL_OPS = new Set(['MatMul', 'Gemm', 'MatMulNBits', 'FusedMatMul']);

export interface WeightInput {
  init: InitializerInfo;
  /** An odd number of Transposes lies between the initializer and the node. */
  transposed: boolean;
  /** The DequantizeLinear node on the way, when the weight is stored quantised (QDQ). */
  dequantize: NodeInfo | null;
}

export class Dataflow {
  readonly producer = new Map<string, NodeInfo>();
  readonly consumers = new Map<string, NodeInfo[]>();

  constructor(readonly index: OnnxIndex) {
    for (const n of index.nodes) {
      for (const o of n.outputs) if (o) this.producer.set(o, n);
      for (const i of n.inputs) {
        if (!i) continue;
        const list = this.consumers.get(i);
        if (list) list.push(n);
        else this.consumers.set(i, [n]);
      }
    }
  }

  consumersOf(value: string): NodeInfo[] {
    return this.consumers.get(value) ?? [];
  }

  /** The initializer a value comes from, through Cast/Identity/Transpose and at most one DequantizeLinear. */
  weightOf(value: string | undefined): WeightInput | null {
    let v = value;
    let transposed = false;
    let dequantize: NodeInfo | null = null;
    for (let depth = 0; v && depth < 8; depth++) {
      const init = this.index.initializers.get(v);
      if (init) return { init, transposed, dequantize };
      const p = this.producer.get(v);
      if (!p) return null;
      if (p.opType === 'Transpose') transposed = !transposed;
      else if (p.opType === 'DequantizeLinear' && !dequantize) dequantize = p;
      else if (p.opType !== 'Cast' && p.opType !== 'Identity') return null;
      v = p.inputs[0];
    }
    return null;
  }

  /** A matrix product with a weight as its second input: the weight, else null. */
  matmulWeight(n: NodeInfo): WeightInput | null {
    if (!MATMUL_OPS.has(n.opType)) return null;
    if (n.opType === 'MatMulNBits') {
      const init = this.index.initializers.get(n.inputs[1] ?? '');
      return init ? { init, transposed: false, dequantize: null } : null;
    }
    const w = this.weightOf(n.inputs[1]);
    return w && w.init.dims.length === 2 ? w : null;
  }

  /**
   * Values reachable from `from` (themselves included), moving only through nodes in `within` when it is given.
   * With `nodes`, the nodes passed through are collected there.
   */
  forward(from: readonly string[], within?: ReadonlySet<NodeInfo>, nodes?: Set<NodeInfo>): Set<string> {
    const seen = new Set(from);
    const stack = [...from];
    const visited = nodes ?? new Set<NodeInfo>();
    while (stack.length) {
      for (const n of this.consumersOf(stack.pop()!)) {
        if (visited.has(n) || (within && !within.has(n))) continue;
        visited.add(n);
        for (const o of n.outputs) {
          if (o && !seen.has(o)) {
            seen.add(o);
            stack.push(o);
          }
        }
      }
    }
    return seen;
  }

  forwardNodes(from: readonly string[], within?: ReadonlySet<NodeInfo>): Set<NodeInfo> {
    const nodes = new Set<NodeInfo>();
    this.forward(from, within, nodes);
    return nodes;
  }

  /** Nodes upstream of `to` (the producers of those values and everything before them). */
  backwardNodes(to: readonly string[]): Set<NodeInfo> {
    const nodes = new Set<NodeInfo>();
    const stack = [...to];
    const seen = new Set(to);
    while (stack.length) {
      const p = this.producer.get(stack.pop()!);
      if (!p || nodes.has(p)) continue;
      nodes.add(p);
      for (const i of p.inputs) {
        if (i && !seen.has(i)) {
          seen.add(i);
          stack.push(i);
        }
      }
    }
    return nodes;
  }

  /** The nearest node upstream of `value` (breadth first) that satisfies `test`. */
  nearestUpstream(value: string, test: (n: NodeInfo) => boolean): NodeInfo | null {
    const queue = [value];
    const seen = new Set(queue);
    for (let i = 0; i < queue.length; i++) {
      const p = this.producer.get(queue[i]!);
      if (!p) continue;
      if (test(p)) return p;
      for (const v of p.inputs) {
        if (v && !seen.has(v)) {
          seen.add(v);
          queue.push(v);
        }
      }
    }
    return null;
  }
}
