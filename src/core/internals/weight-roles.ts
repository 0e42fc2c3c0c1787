// Finds each weight's structural role — (layer, module) — from the graph itself: the embedding is the Gather of
// token ids, the head the matrix product nearest the logits, the layers the residual stream's chain of Adds (or
// fused SkipSimplifiedLayerNormalization) between them. Within a residual branch, attention is the branch with a
// Softmax or an attention op: q and k feed its score product, v its context product, o reads its output; in an MLP
// branch down reads another product's output and gate passes through the activation. Exporters' names are not used.

import type { NodeInfo, OnnxIndex } from './onnx-initializers.ts';
import type { Dataflow } from './onnx-graph.ts';
import type { WeightModule } from './weight-plan.ts';
import { ATTENTION_OPS, SKIP_NORMS, intersect, residualStream } from './residual-stream.ts';

export interface WeightRole {
  /** Stable role name, the same in every export of one architecture: blocks.0.attn.q, blocks.3.ln2, embed, unembed. */
  key: string;
  layer: number | null;
  module: WeightModule;
}

const ACTIVATIONS = new Set([
  'Sigmoid',
  'Silu',
  'Gelu',
  'FastGelu',
  'QuickGelu',
  'BiasGelu',
  'Tanh',
  'Relu',
  'Erf',
  'Softplus',
]);
const NORM_OPS = new Set(['SimplifiedLayerNormalization', 'LayerNormalization', 'RMSNormalization', ...SKIP_NORMS]);
const FLOATS = new Set([1, 10, 11, 16]);
/** The input a matrix product's bias comes in (Gemm's C, MatMulNBits's bias); other inputs are never vectors of it. */
const BIAS_INPUT: Record<string, number> = { Gemm: 2, MatMulNBits: 5 };

const KEY: Partial<Record<WeightModule, string>> = {
  'attn.q': 'attn.q',
  'attn.k': 'attn.k',
  'attn.v': 'attn.v',
  'attn.qkv': 'attn.qkv',
  'attn.o': 'attn.o',
  'mlp.gate': 'mlp.gate',
  'mlp.up': 'mlp.up',
  'mlp.gate_up': 'mlp.gate_up',
  'mlp.down': 'mlp.down',
  'norm.input': 'ln1',
  'norm.post_attention': 'ln2',
};

export function roleKey(layer: number | null, module: WeightModule, part = ''): string {
  const base =
    module === 'embedding'
      ? 'embed'
      : module === 'head'
        ? 'unembed'
        : module === 'norm.final'
          ? 'ln_final'
          : `blocks.${layer}.${KEY[module] ?? module}`;
  return part ? `${base}.${part}` : base;
}

/** Roles by initializer name, found from the structure; empty when the graph's layers cannot be found. */
export function structuralRoles(index: OnnxIndex, flow: Dataflow): Map<string, WeightRole> {
  const roles = new Map<string, WeightRole>();
  const put = (name: string | undefined, layer: number | null, module: WeightModule, part = '') => {
    if (name && !roles.has(name)) roles.set(name, { key: roleKey(layer, module, part), layer, module });
  };
  const logits = index.outputs.find((o) => o === 'logits') ?? index.outputs[0] ?? '';
  const head = flow.nearestUpstream(logits, (n) => flow.matmulWeight(n) !== null);
  if (head) put(flow.matmulWeight(head)!.init.name, null, 'head');

  const stream = residualStream(index, flow);
  if (!stream) return roles;
  put(flow.weightOf(stream.embed.inputs[0])!.init.name, null, 'embedding');
  const { steps } = stream;
  let from = [stream.start];
  steps.forEach((s, i) => {
    classifyBlock(flow, s.block, s.layer, s.attention, put);
    const following = steps[i + 1]?.attention;
    if (s.gamma) {
      if (following === true) put(flow.weightOf(s.gamma)?.init.name, s.layer + 1, 'norm.input');
      else if (following === false) put(flow.weightOf(s.gamma)?.init.name, s.layer, 'norm.post_attention');
      else put(flow.weightOf(s.gamma)?.init.name, null, 'norm.final');
    }
    from = s.starts;
  });
  if (head && steps.length) {
    const tail = intersect(flow.forwardNodes(from), flow.backwardNodes([head.inputs[0] ?? '']));
    for (const n of tail) for (const v of n.inputs) vectorOf(flow, v, (name) => put(name, null, 'norm.final'));
  }
  return roles;
}

/** Calls `use` with the name of a 1-D float weight behind `value` (a norm's or a bias's vector). */
function vectorOf(flow: Dataflow, value: string, use: (name: string) => void) {
  const w = flow.weightOf(value);
  if (w && FLOATS.has(w.init.dataType) && w.init.dims.length === 1 && (w.init.dims[0] ?? 0) > 1) use(w.init.name);
}

type Put = (name: string | undefined, layer: number | null, module: WeightModule, part?: string) => void;

function classifyBlock(flow: Dataflow, block: Set<NodeInfo>, layer: number, attention: boolean, put: Put) {
  const mats = [...block].filter((n) => flow.matmulWeight(n));
  const fwd = new Map(mats.map((m) => [m, flow.forward(m.outputs, block)]));
  const modules = new Map<NodeInfo, WeightModule>();
  if (attention) {
    const op = [...block].find((n) => ATTENTION_OPS.has(n.opType));
    const softmax = [...block].find((n) => n.opType === 'Softmax');
    const core = op ?? softmax!;
    const after = flow.forward(core.outputs, block);
    let [qIn, kIn, vIn] = [op?.inputs[0], op?.inputs[1], op?.inputs[2]];
    // GroupQueryAttention with its key and value inputs empty takes q, k and v packed in its first input.
    const packed = op !== undefined && !op.inputs[1] && !op.inputs[2];
    if (!op) {
      const upstream = flow.backwardNodes([softmax!.inputs[0]!]);
      const score = [...block].find((n) => n.opType === 'MatMul' && !flow.matmulWeight(n) && upstream.has(n));
      const ctx = [...block].find((n) => n.opType === 'MatMul' && !flow.matmulWeight(n) && after.has(n.inputs[0]!));
      [qIn, kIn, vIn] = [score?.inputs[0], score?.inputs[1], ctx?.inputs[1]];
    }
    for (const m of mats) {
      const f = fwd.get(m)!;
      const [q, k, v] = [qIn && f.has(qIn), kIn && f.has(kIn), vIn && f.has(vIn)];
      if ((q && k) || (q && packed)) modules.set(m, 'attn.qkv');
      else if (q) modules.set(m, 'attn.q');
      else if (k) modules.set(m, 'attn.k');
      else if (v) modules.set(m, 'attn.v');
      else if (after.has(m.inputs[0]!)) modules.set(m, 'attn.o');
    }
  }
  const rest = mats.filter((m) => !modules.has(m));
  const downs = rest.filter((m) => rest.some((o) => o !== m && fwd.get(o)!.has(m.inputs[0]!)));
  const readers = rest.filter((m) => !downs.includes(m));
  for (const m of downs) modules.set(m, 'mlp.down');
  const activated = (m: NodeInfo) => [...flow.forwardNodes(m.outputs, block)].some((n) => ACTIVATIONS.has(n.opType));
  if (readers.length === 1) modules.set(readers[0]!, downs.length ? 'mlp.up' : 'other');
  if (readers.length === 2) {
    const [x, y] = readers as [NodeInfo, NodeInfo];
    const [ax, ay] = [activated(x), activated(y)];
    if (ax !== ay) {
      modules.set(ax ? x : y, 'mlp.gate');
      modules.set(ax ? y : x, 'mlp.up');
    }
  }
  for (const [m, module] of modules) if (module !== 'other') put(flow.matmulWeight(m)!.init.name, layer, module);

  // Vectors: after a product they belong to it (a bias, Qwen3's q/k norms); before any, they are the branch's norm.
  const below = new Map(mats.map((m) => [m, flow.forwardNodes(m.outputs, block)]));
  for (const n of block) {
    const owners = mats.filter((m) => m === n || below.get(m)!.has(n));
    const nearest = owners.find((m) => !owners.some((o) => o !== m && below.get(m)!.has(o)));
    n.inputs.forEach((v, i) => {
      if (mats.includes(n) && i !== BIAS_INPUT[n.opType]) return;
      vectorOf(flow, v, (name) => {
        const module = nearest ? modules.get(nearest) : undefined;
        if (nearest && module && module !== 'other')
          put(name, layer, module, n.opType === 'Add' || nearest === n ? 'bias' : 'norm');
        else if (!nearest && (NORM_OPS.has(n.opType) || n.opType === 'Mul'))
          put(name, layer, attention ? 'norm.input' : 'norm.post_attention');
      });
    });
  }
}
