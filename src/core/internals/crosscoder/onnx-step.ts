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
 * Inputs: x0 [B, dA], x1 [B, dB], dead [L] (1 = dead), k_top [1] (= k·B) and k_aux [1] (int64, ≥ 1), lr, bc1 =
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
  const a = mul(f, keptF);
  sum0(keptF, 'fired');
  g.op('ReduceMin', [g.op('Where', [kept, scaled, cst(HUGE)])], { keepdims: 0 }, ['min_kept']);
  const residual = [0, 1].map((m) => sub(add(g.op('MatMul', [a, dec[m]!]), decBias[m]!), x[m]!)); // x̂ − x
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
  const deadB = g.op('Cast', ['dead'], { to: DataType.BOOL });
  const hasDead = g.op('ReduceMax', ['dead'], { keepdims: 0 });
  const deadF = g.op('Where', [deadB, f, cst(-HUGE)]);
  const auxTop = g.op('TopK', [deadF, 'k_aux'], { axis: 1, largest: 1 }, ['aux_values', 'aux_indices']);
  const auxThreshold = g.op('ReduceMin', [auxTop], { axes: [1], keepdims: 1 });
  const auxKept = g.op('And', [
    g.op('And', [g.op('GreaterOrEqual', [deadF, auxThreshold]), g.op('Greater', [f, cst(0)])]),
    deadB,
  ]);
  const auxA = mul(f, g.op('Cast', [auxKept], { to: DataType.FLOAT }));
  const auxKeptF = g.op('Cast', [auxKept], { to: DataType.FLOAT });
  const q = [0, 1].map((m) => add(g.op('MatMul', [auxA, dec[m]!]), residual[m]!)); // ê − e, as e = −residual
  const centred = residual.map((r) => sub(r, g.op('ReduceMean', [r], { axes: [0], keepdims: 1 })));
  const denom = add(mul(add(sumSq(centred[0]!), sumSq(centred[1]!)), invB), cst(1e-12));
  const auxNum = mul(add(sumSq(q[0]!), sumSq(q[1]!)), invB);
  const auxLoss = g.op('Mul', [g.op('Div', [auxNum, denom]), hasDead], undefined, ['aux_loss']);
  g.op('Add', [mainLoss, mul(auxLoss, cst(c.auxAlpha))], undefined, ['loss']);

  // Backward (reference.ts gradients): ∂/∂x̂ = (2/B)(x̂ − x), ∂/∂ê = 2α/(B·denom) (ê − e).
  const gMain = residual.map((r) => mul(r, cst(2 / B)));
  const coef = g.op('Div', [cst((2 * c.auxAlpha) / B), denom]);
  const gAux = q.map((qm) => mul(qm, coef));
  const gemm = (p: string, r: string, attrs: Record<string, number>) => g.op('Gemm', [p, r], attrs);
  const dDec = [0, 1].map((m) =>
    mul(add(gemm(a, gMain[m]!, { transA: 1 }), gemm(auxA, gAux[m]!, { transA: 1 })), colMask[m]!),
  );
  const dDecBias = gMain.map((gm) => sum0(gm));
  const da = add(gemm(gMain[0]!, dec[0]!, { transB: 1 }), gemm(gMain[1]!, dec[1]!, { transB: 1 }));
  const dAux = add(gemm(gAux[0]!, dec[0]!, { transB: 1 }), gemm(gAux[1]!, dec[1]!, { transB: 1 }));
  const dPre = add(mul(da, keptF), mul(dAux, auxKeptF));
  const dEnc = [0, 1].map((m) => mul(gemm(x[m]!, dPre, { transA: 1 }), rowMask[m]!));
  const grads = [dEnc[0]!, dEnc[1]!, sum0(dPre), dDec[0]!, dDec[1]!, dDecBias[0]!, dDecBias[1]!];

  // Global-norm clipping, then Adam with bias correction.
  const gradNorm = g.op('Sqrt', [grads.map(sumSq).reduce((s, t) => add(s, t))], undefined, ['grad_norm']);
  const clip = cst(c.clipNorm);
  const scale = g.op('Div', [clip, g.op('Max', [gradNorm, clip])]);
  const b1 = cst(ADAM.beta1);
  const b2 = cst(ADAM.beta2);
  PARAM_NAMES.forEach((n, k) => {
    const gs = mul(grads[k]!, scale);
    const m2 = g.op('Add', [mul(`m_${n}`, b1), mul(gs, cst(1 - ADAM.beta1))], undefined, [next(`m_${n}`)]);
    const v2 = g.op('Add', [mul(`v_${n}`, b2), mul(mul(gs, gs), cst(1 - ADAM.beta2))], undefined, [next(`v_${n}`)]);
    const step = g.op('Div', [mul(mul(m2, 'bc1'), 'lr'), add(g.op('Sqrt', [mul(v2, 'bc2')]), cst(ADAM.eps))]);
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
