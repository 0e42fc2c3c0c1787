// The machine's own limit: a plain chain of matrix products on onnxruntime-web in a worker, as an engine worker runs
// it (the same runtime build and WASM files, the same thread count). The graph is written with the project's ONNX
// writer (src/core/onnx: GraphBuilder, linear(), encodeModel): `depth` projections alternating K → N → K, float
// MatMul or MatMulNBits (q4: 4 bits, block 32, symmetric; q8: 8 bits, block 32, zero points — the forge's layouts).

import { expose } from 'comlink';
import * as ort from 'onnxruntime-web/webgpu';
import { GraphBuilder } from '../../src/core/onnx/graph-builder.ts';
import { CONTRIB, linear } from '../../src/core/onnx/linear.ts';
import { DataType, encodeModel } from '../../src/core/onnx/proto.ts';
import { Q4, Q8 } from '../../src/core/forge/shapes.ts';

export type PeakFormat = 'fp32' | 'q4' | 'q8';

export interface PeakShape {
  /** Rows of the left operand (tokens in one forward pass). */
  m: number;
  k: number;
  n: number;
  /** Projections in the chain (alternately [k → n] and [n → k]). */
  depth: number;
  format: PeakFormat;
  /**
   * MatMulNBits' accuracy_level (absent: 0, float compute; 4: int8 compute, where the runtime has kernels for it).
   * The forge writes none, as onnx-community's q4 files do.
   */
  accuracyLevel?: number;
}

let session: ort.InferenceSession | null = null;
let shape: PeakShape | null = null;

function graph(s: PeakShape): Uint8Array {
  const g = new GraphBuilder();
  const quant = s.format === 'q4' ? Q4 : s.format === 'q8' ? Q8 : null;
  let x = 'x';
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed / 2 ** 32 - 0.5) * 0.04;
  };
  for (let d = 0; d < s.depth; d++) {
    const [inDim, out] = d % 2 === 0 ? [s.k, s.n] : [s.n, s.k];
    const w = Float32Array.from({ length: inDim * out }, rand);
    x = linear(g, x, w, out, inDim, { weight: `w${d}` }, quant).y;
    if (quant && s.accuracyLevel !== undefined) {
      const node = g.nodes.at(-1)!;
      g.nodes[g.nodes.length - 1] = { ...node, attributes: { ...node.attributes, accuracy_level: s.accuracyLevel } };
    }
  }
  const last = s.depth % 2 === 0 ? s.k : s.n;
  return encodeModel({
    graphName: 'peak',
    nodes: [...g.nodes, { opType: 'Identity', inputs: [x], outputs: ['y'], name: 'out' }],
    initializers: g.initializers,
    inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: ['m', s.k] }],
    outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: ['m', last] }],
    opset: 17,
    ...(quant ? { extraOpsets: [{ domain: CONTRIB, version: 1 }] } : {}),
    producer: 'model-diff bench',
  });
}

const api = {
  async init(runtimeBase: string, threads: number): Promise<number> {
    ort.env.wasm.wasmPaths = {
      mjs: `${runtimeBase}ort-wasm-simd-threaded.asyncify.mjs`,
      wasm: `${runtimeBase}ort-wasm-simd-threaded.asyncify.wasm`,
    };
    ort.env.wasm.numThreads = crossOriginIsolated ? threads : 1;
    return ort.env.wasm.numThreads;
  },

  /** Builds and opens the chain for `s` (replacing the last one). Returns the model's bytes. */
  async open(s: PeakShape): Promise<number> {
    await session?.release();
    const bytes = graph(s);
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    shape = s;
    return bytes.length;
  },

  /** Runs the chain `runs` times back to back; milliseconds per run (after one untimed run). */
  async run(runs: number): Promise<number> {
    if (!session || !shape) throw new Error('peak worker: open() first');
    const x = new ort.Tensor('float32', new Float32Array(shape.m * shape.k).fill(0.01), [shape.m, shape.k]);
    await session.run({ x });
    const t = performance.now();
    for (let r = 0; r < runs; r++) await session.run({ x });
    return (performance.now() - t) / runs;
  },
};

export type PeakApi = typeof api;
expose(api);
