// The residual stream of a decoder graph, found from its structure alone: it starts where the token embedding (the
// Gather of token ids from a 2-D initializer) stops passing through one op at a time, and each step is an Add — or a
// fused SkipSimplifiedLayerNormalization, whose output 3 is the sum — of the stream and a branch computed from it.
// A step whose branch holds a Softmax or an attention op starts a new decoder layer. Exporters' node names are never
// read, so the same code serves this project's graphs, Optimum / onnx-community exports and onnxruntime-genai's
// builder graphs. Used by the weight roles (which weight is which) and by the activation taps (where to read and
// steer the stream).

import type { NodeInfo, OnnxIndex } from './onnx-initializers.ts';
import type { Dataflow } from './onnx-graph.ts';

export const ATTENTION_OPS = new Set(['GroupQueryAttention', 'MultiHeadAttention', 'Attention', 'PagedAttention']);
export const SKIP_NORMS = new Set(['SkipSimplifiedLayerNormalization', 'SkipLayerNormalization']);
const PASS_THROUGH = new Set(['Transpose', 'Reshape', 'Cast', 'Identity', 'Mul', 'Div', 'Squeeze', 'Unsqueeze']);

export interface ResidualStep {
  /** The node that adds the branch to the stream: an Add, or a fused skip norm. */
  node: NodeInfo;
  /** The stream after this step ('' when a fused final norm does not output its sum), and where the next starts. */
  out: string;
  starts: string[];
  /** The branch's output (the Add's other input) and a fused norm's weight (SkipSimplifiedLayerNormalization). */
  branch: string;
  gamma: string | null;
  /** The nodes of the branch, from the stream before this step to its output. */
  block: Set<NodeInfo>;
  attention: boolean;
  /** The decoder layer this step belongs to (0-based). */
  layer: number;
}

export interface ResidualStream {
  /** The embedding's Gather, and the stream's first value (Hugging Face's hidden_states[0]). */
  embed: NodeInfo;
  start: string;
  /** The embedding's element type after the ops it passes through (1 float32, 10 float16, …): the stream's. */
  elemType: number;
  steps: ResidualStep[];
  /** Decoder layers found (attention steps). */
  layers: number;
}

/** The residual stream, or null when the graph has no token embedding or no residual steps after it. */
export function residualStream(index: OnnxIndex, flow: Dataflow): ResidualStream | null {
  const gathers = index.nodes.filter((n) => {
    const w = n.opType === 'Gather' ? flow.weightOf(n.inputs[0]) : null;
    return w !== null && w.init.dims.length === 2 && !index.initializers.has(n.inputs[1] ?? '');
  });
  const size = (n: NodeInfo) => flow.weightOf(n.inputs[0])!.init.dims.reduce((a, b) => a * b, 1);
  const embed =
    gathers.find((n) => n.inputs[1] === 'input_ids') ?? gathers.sort((x, y) => size(y) - size(x))[0] ?? null;
  if (!embed) return null;
  let elemType = flow.weightOf(embed.inputs[0])!.init.dataType;

  let r = embed.outputs[0]!;
  for (
    let next = flow.consumersOf(r);
    next.length === 1 && PASS_THROUGH.has(next[0]!.opType);
    next = flow.consumersOf(r)
  ) {
    if (next[0]!.opType === 'Cast') elemType = Number(next[0]!.attributes['to'] ?? elemType);
    r = next[0]!.outputs[0]!;
  }
  const steps: ResidualStep[] = [];
  let starts = [r];
  let from = [r];
  let layer = -1;
  for (let step = nextStep(flow, r, starts); step; step = nextStep(flow, step.out, step.starts)) {
    const block = intersect(flow.forwardNodes(from), flow.backwardNodes([step.branch]));
    const attention = [...block].some((n) => n.opType === 'Softmax' || ATTENTION_OPS.has(n.opType));
    if (attention || layer < 0) layer++;
    steps.push({ ...step, block, attention, layer });
    if (!step.out || steps.length > 4096) break;
    starts = step.starts;
    from = step.starts;
  }
  if (steps.length === 0) return null;
  return { embed, start: r, elemType, steps, layers: layer + 1 };
}

function nextStep(flow: Dataflow, r: string, starts: string[]) {
  const reach = flow.forward(starts);
  for (const n of flow.consumersOf(r)) {
    const skip = SKIP_NORMS.has(n.opType);
    if (n.opType !== 'Add' && !skip) continue;
    const other = n.inputs[0] === r ? n.inputs[1] : n.inputs[1] === r ? n.inputs[0] : undefined;
    if (!other || !reach.has(other) || other === r) continue;
    if (!skip) return { node: n, out: n.outputs[0]!, starts: [n.outputs[0]!], branch: other, gamma: null };
    const out = n.outputs[3] ?? '';
    return { node: n, out, starts: [out, n.outputs[0]!].filter(Boolean), branch: other, gamma: n.inputs[2] ?? null };
  }
  return null;
}

export function intersect<T>(a: Set<T>, b: Set<T>): Set<T> {
  return new Set([...a].filter((x) => b.has(x)));
}
