// The crosscoder's training step as one ONNX graph, written with the project's graph writer: the forward pass,
// the hand-derived backward pass of reference.ts, global-norm clipping and Adam, so onnxruntime-web runs training on
// the backends it already has (WASM, WebGPU). Parameters and Adam moments go in and their next values come out;
// the caller feeds the outputs back (on WebGPU they can stay on the GPU between steps).

import { GraphBuilder } from '../../onnx/graph-builder.ts';
import { DataType, encodeModel, type ValueInfo } from '../../onnx/proto.ts';
import { latentMasks, type CrosscoderConfig } from './config.ts';
import { PARAM_NAMES, paramShapes } from './params.ts';
import { ADAM } from './reference.ts';

const OPSET = 17;
/** Stands in for ±∞ where WebGPU kernels would rather not see infinities. */
const HUGE = 3e38;

export const STEP_STATS = ['loss', 'main_loss', 'aux_loss', 'squared_error', 'fired', 'min_kept', 'grad_norm'] as const;
export const next = (name: string) => `${name}_next`;
/** Graph input names of the state, in PARAM_NAMES order: parameters, first moments, second moments. */
export const stateNames = () => ['p', 'm', 'v'].flatMap((s) => PARAM_NAMES.map((n) => `${s}_${n}`));

/**
 * Inputs: x0 [B, dA], x1 [B, dB], dead [L] (1 = dead), k_top [1] (= k·B), k_aux [1] (int64, 1 ≤ k_aux ≤ the
 * length of dead_idx), dead_idx [nD] (int64: the dead latents' indices, distinct; [0] when none is dead), lr, bc1 =
 * 1/(1−β1ᵗ), bc2 = 1/(1−β2ᵗ) (scalars), and the state (stateNames()). Outputs: each state input's next value, and
 * STEP_STATS (squared_error [2] per model, fired [L] kept count per latent, the rest scalars).
 */
export function buildTrainingStep(c: CrosscoderConfig): Uint8Array {
  const g = new GraphBuilder();
  const B = c.batchSize;
  const L = c.latents;
  const [dA, dB] = c.dims;
  const masks = latentMasks(c);
  const f32 = (name: string, shape: readonly number[]): ValueInfo => ({ name, elemType: DataType.FLOAT, shape });
  const shapes = paramShapes(c);
  const inputs: ValueInfo[] = [
    f32('x0', [B, dA]),
    f32('x1', [B, dB]),
    f32('dead', [L]),
    { name: 'k_top', elemType: DataType.INT64, shape: [1] },
    { name: 'k_aux', elemType: DataType.INT64, shape: [1] },
    { name: 'dead_idx', elemType: DataType.INT64, shape: ['dead_count'] },
    f32('lr', []),
    f32('bc1', []),
    f32('bc2', []),
    ...stateNames().map((n, i) => f32(n, shapes[i % PARAM_NAMES.length]!)),
  ];
  const sum0 = (x: string, out?: string) =>
    g.op('ReduceSum', [x, g.ints([0])], { keepdims: 0 }, out ? [out] : undefined);
  const sumSq = (x: string) => g.op('ReduceSumSquare', [x], { keepdims: 0 });
  const mul = (a: string, b: string) => g.op('Mul', [a, b]);
  const add = (a: string, b: string) => g.op('Add', [a, b]);
  const sub = (a: string, b: string) => g.op('Sub', [a, b]);
  const cst = (v: number) => g.scalar(v);
  const rowMask = masks.map((mk, m) => g.weight(`mask_row${m}`, [1, L], mk));
  const colMask = masks.map((mk, m) => g.weight(`mask_col${m}`, [L, 1], mk));
  const x = ['x0', 'x1'];
  const enc = ['p_enc0', 'p_enc1'];
  const dec = ['p_dec0', 'p_dec1'];
  const decBias = ['p_decBias0', 'p_decBias1'];

  // Forward: f = ReLU(Σ_m x^m W_e^m + b_e); BatchTopK on f·Σ_m‖d^m‖ over the whole batch.
  const f = g.op('Relu', [add(add(g.op('MatMul', [x[0]!, enc[0]!]), g.op('MatMul', [x[1]!, enc[1]!])), 'p_encBias')]);
  const norms = add(...(dec.map((d) => g.op('ReduceL2', [d], { axes: [1], keepdims: 0 })) as [string, string]));
  const scaled = mul(f, norms);
  const [topValues] = [
    g.op('TopK', [g.op('Reshape', [scaled, g.ints([-1])]), 'k_top'], { axis: -1, largest: 1 }, [
      'top_values',
      'top_indices',
    ]),
  ];
  const threshold = g.op('ReduceMin', [topValues!], { keepdims: 1 });
  const kept = g.op('And', [g.op('GreaterOrEqual', [scaled, threshold]), g.op('Greater', [scaled, cst(0)])]);
  const keptF = g.op('Cast', [kept], { to: DataType.FLOAT });
  sum0(keptF, 'fired');
  g.op('ReduceMin', [g.op('Where', [kept, scaled, cst(HUGE)])], { keepdims: 0 }, ['min_kept']);

  // The kept activations are sparse (about k of L per token): every product with them runs over the kept (token,
  // latent) pairs alone — gathered rows and scatter-adds — instead of a dense [B, L] matrix that is almost all zeros.
  // The kept set is exactly the dense mask's (ties at the threshold included), so the step computes the same sums.
  const tr = (t: string) => g.op('Transpose', [t], { perm: [1, 0] });
  const nz = g.op('NonZero', [kept]); // [2, n]: token and latent of each kept pair
  const pairIndex = tr(nz); // [n, 2]
  const rows = g.op('Gather', [nz, g.ints([0], [])], { axis: 0 }); // [n]
  const cols = g.op('Gather', [nz, g.ints([1], [])], { axis: 0 });
  const rowsC = g.op('Unsqueeze', [rows, g.ints([1])]); // [n, 1]
  const colsC = g.op('Unsqueeze', [cols, g.ints([1])]);
  const vals = g.op('Unsqueeze', [g.op('GatherND', [f, pairIndex]), g.ints([1])]); // [n, 1]
  const zeros = (dims: readonly number[]) => g.op('Expand', [cst(0), g.ints(dims)]);
  const scatterAdd = (into: string, at: string, updates: string) =>
    g.op('ScatterND', [into, at, updates], { reduction: 'add' });
  const decKept = dec.map((d) => g.op('Gather', [d, cols], { axis: 0 })); // [n, d_m]
  const residual = [0, 1].map((m) =>
    sub(add(scatterAdd(zeros([B, c.dims[m]!]), rowsC, mul(decKept[m]!, vals)), decBias[m]!), x[m]!),
  ); // x̂ − x
  const sq = residual.map(sumSq);
  g.op(
    'Concat',
    sq.map((s) => g.op('Reshape', [s, g.ints([1])])),
    { axis: 0 },
    ['squared_error'],
  );
  const invB = cst(1 / B);
  const mainLoss = g.op('Mul', [add(sq[0]!, sq[1]!), invB], undefined, ['main_loss']);

  // AuxK: each token's top k_aux dead latents by f reconstruct the (constant) residual e = x − x̂, without biases.
  // Computed over the dead latents' columns only (dead_idx: their indices; one unflagged index when none is dead).
  const deadSel = g.op('Gather', ['dead', 'dead_idx'], { axis: 0 }); // [nD] 1 = dead
  const deadB = g.op('Cast', [deadSel], { to: DataType.BOOL });
  const hasDead = g.op('ReduceMax', ['dead'], { keepdims: 0 });
  const fDead = g.op('Gather', [f, 'dead_idx'], { axis: 1 }); // [B, nD]
  const deadF = g.op('Where', [deadB, fDead, cst(-HUGE)]);
  const auxTop = g.op('TopK', [deadF, 'k_aux'], { axis: 1, largest: 1 }, ['aux_values', 'aux_indices']);
  const auxThreshold = g.op('ReduceMin', [auxTop], { axes: [1], keepdims: 1 });
  const auxKept = g.op('And', [
    g.op('And', [g.op('GreaterOrEqual', [deadF, auxThreshold]), g.op('Greater', [fDead, cst(0)])]),
    deadB,
  ]);
  const auxKeptF = g.op('Cast', [auxKept], { to: DataType.FLOAT });
  const auxA = mul(fDead, auxKeptF); // [B, nD]
  const decDead = dec.map((d) => g.op('Gather', [d, 'dead_idx'], { axis: 0 })); // [nD, d_m]
  const deadC = g.op('Unsqueeze', ['dead_idx', g.ints([1])]);
  const q = [0, 1].map((m) => add(g.op('MatMul', [auxA, decDead[m]!]), residual[m]!)); // ê − e, as e = −residual
  const centred = residual.map((r) => sub(r, g.op('ReduceMean', [r], { axes: [0], keepdims: 1 })));
  const denom = add(mul(add(sumSq(centred[0]!), sumSq(centred[1]!)), invB), cst(1e-12));
  const auxNum = mul(add(sumSq(q[0]!), sumSq(q[1]!)), invB);
  const auxLoss = g.op('Mul', [g.op('Div', [auxNum, denom]), hasDead], undefined, ['aux_loss']);
  g.op('Add', [mainLoss, mul(auxLoss, cst(c.auxAlpha))], undefined, ['loss']);

  // Backward (reference.ts gradients): ∂/∂x̂ = (2/B)(x̂ − x), ∂/∂ê = 2α/(B·denom) (ê − e).
  const gMain = residual.map((r) => mul(r, cst(2 / B)));
  const coef = g.op('Div', [cst((2 * c.auxAlpha) / B), denom]);
  const gAux = q.map((qm) => mul(qm, coef));
  const auxAT = tr(auxA);
  const gMainKept = gMain.map((gm) => g.op('Gather', [gm, rows], { axis: 0 })); // [n, d_m]
  // ∂/∂D^m = aᵀ ∂x̂ + a_auxᵀ ∂ê: scatter-added into the kept latents' rows, then the dead latents' rows.
  const dDec = [0, 1].map((m) => {
    const main = scatterAdd(zeros([L, c.dims[m]!]), colsC, mul(gMainKept[m]!, vals));
    return mul(scatterAdd(main, deadC, g.op('MatMul', [auxAT, gAux[m]!])), colMask[m]!);
  });
  const dDecBias = gMain.map((gm) => sum0(gm));
  // ∂/∂f at the kept pairs (Σ_m ∂x̂^m·d^m per pair) and at the aux-kept dead columns.
  const daKept = g.op('Unsqueeze', [
    add(
      ...([0, 1].map((m) => g.op('ReduceSum', [mul(gMainKept[m]!, decKept[m]!), g.ints([1])], { keepdims: 0 })) as [
        string,
        string,
      ]),
    ),
    g.ints([1]),
  ]); // [n, 1]
  const dAuxDead = mul(
    add(g.op('MatMul', [gAux[0]!, tr(decDead[0]!)]), g.op('MatMul', [gAux[1]!, tr(decDead[1]!)])),
    auxKeptF,
  ); // [B, nD]
  const dAuxDeadT = tr(dAuxDead);
  // ∂/∂W_e^m = x^mᵀ ∂pre, built as its transpose [L, d_m] from the same two parts.
  const dEnc = [0, 1].map((m) => {
    const xKept = g.op('Gather', [x[m]!, rows], { axis: 0 });
    const main = scatterAdd(zeros([L, c.dims[m]!]), colsC, mul(xKept, daKept));
    return mul(tr(scatterAdd(main, deadC, g.op('MatMul', [dAuxDeadT, x[m]!]))), rowMask[m]!);
  });
  const dEncBias = scatterAdd(
    scatterAdd(zeros([L]), colsC, g.op('Reshape', [daKept, g.ints([-1])])),
    deadC,
    sum0(dAuxDead),
  );
  const grads = [dEnc[0]!, dEnc[1]!, dEncBias, dDec[0]!, dDec[1]!, dDecBias[0]!, dDecBias[1]!];

  // Global-norm clipping, then Adam with bias correction.
  const gradNorm = g.op('Sqrt', [grads.map(sumSq).reduce((s, t) => add(s, t))], undefined, ['grad_norm']);
  const clip = cst(c.clipNorm);
  const scale = g.op('Div', [clip, g.op('Max', [gradNorm, clip])]);
  // Adam's scalars folded first, so each parameter element costs 12 element-wise ops:
  //   m' = β1·m + s1·g, v' = β2·v + s2·g², p' = p − c·m' / (√v' + ε'),
  // with s1 = scale·(1−β1), s2 = scale²·(1−β2), c = lr·bc1/√bc2 and ε' = ε/√bc2 (the same update as
  // lr·bc1·m' / (√(bc2·v') + ε), reference.ts's form).
  const s1 = mul(scale, cst(1 - ADAM.beta1));
  const s2 = mul(mul(scale, scale), cst(1 - ADAM.beta2));
  const rootBc2 = g.op('Sqrt', ['bc2']);
  const lrc = g.op('Div', [mul('lr', 'bc1'), rootBc2]);
  const epsc = g.op('Div', [cst(ADAM.eps), rootBc2]);
  const b1 = cst(ADAM.beta1);
  const b2 = cst(ADAM.beta2);
  PARAM_NAMES.forEach((n, k) => {
    const gk = grads[k]!;
    const m2 = g.op('Add', [mul(`m_${n}`, b1), mul(gk, s1)], undefined, [next(`m_${n}`)]);
    const v2 = g.op('Add', [mul(`v_${n}`, b2), mul(mul(gk, gk), s2)], undefined, [next(`v_${n}`)]);
    const step = g.op('Div', [mul(m2, lrc), add(g.op('Sqrt', [v2]), epsc)]);
    g.op('Sub', [`p_${n}`, step], undefined, [next(`p_${n}`)]);
  });

  const outputs: ValueInfo[] = [
    ...stateNames().map((n, i) => f32(next(n), shapes[i % PARAM_NAMES.length]!)),
    f32('loss', []),
    f32('main_loss', []),
    f32('aux_loss', []),
    f32('squared_error', [2]),
    f32('fired', [L]),
    f32('min_kept', []),
    f32('grad_norm', []),
  ];
  return encodeModel({
    graphName: 'crosscoder_step',
    nodes: g.nodes,
    initializers: g.initializers,
    inputs,
    outputs,
    opset: OPSET,
    producer: 'model-diff',
    docString: `BatchTopK crosscoder training step: B=${B}, L=${L}, d=${dA}/${dB}, k=${c.k}, auxK=${c.auxK}.`,
  });
}
