// A tiny builder for ONNX graphs: names every intermediate value and collects nodes and initializers.

import {
  DataType,
  float16Tensor,
  floatTensor,
  int64Tensor,
  type AttributeValue,
  type NodeProto,
  type TensorProto,
} from './proto.ts';

/**
 * How nodes and their outputs are named. plain: `MatMul_12` / `matmul_12`. torch: as torch.onnx export (Optimum)
 * names them, `/model/layers.0/self_attn/q_proj/MatMul` / `…/MatMul_output_0`, a repeated op in one scope getting
 * `_1`, `_2`. builder: as onnxruntime-genai's model builder, `/model/layers.0/attn/q_proj/MatMul` / `…/output_0`.
 */
export type Naming = 'plain' | 'torch' | 'builder';

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  /** The module path new nodes are named under (torch and builder naming), e.g. `/model/layers.0/mlp`. */
  scope = '';
  #count = 0;
  readonly #constants = new Map<string, string>();
  readonly #names = new Map<string, number>();

  /** fp16: weights are stored in 16 bits and cast to float32 on load (half the file; arithmetic stays float32). */
  constructor(
    readonly storage: 'fp32' | 'fp16' = 'fp32',
    readonly naming: Naming = 'plain',
  ) {}

  /** Adds a node and returns its (first) output's name. `domain` 'com.microsoft' for onnxruntime's contrib ops. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes?: Record<string, AttributeValue>,
    outputs?: string[],
    domain?: string,
  ): string {
    const n = this.#count++;
    let name = `${opType}_${n}`;
    let out = `${opType.toLowerCase()}_${n}`;
    if (this.naming !== 'plain') {
      const stem = `${this.scope}/${opType}`;
      const seen = this.#names.get(stem) ?? 0;
      this.#names.set(stem, seen + 1);
      name = seen === 0 ? stem : `${stem}_${seen}`;
      out = this.naming === 'torch' ? `${name}_output_0` : `${name}/output_0`;
    }
    const outs = outputs ?? [out];
    this.nodes.push({
      opType,
      inputs,
      outputs: outs,
      name,
      ...(attributes ? { attributes } : {}),
      ...(domain ? { domain } : {}),
    });
    return outs[0]!;
  }

  /** Runs `build` with nodes named under `scope` (torch and builder naming), then restores the previous scope. */
  within<T>(scope: string, build: () => T): T {
    const before = this.scope;
    this.scope = scope;
    try {
      return build();
    } finally {
      this.scope = before;
    }
  }

  weight(name: string, dims: readonly number[], data: Float32Array): string {
    if (this.storage === 'fp32') {
      this.initializers.push(floatTensor(name, dims, data));
      return name;
    }
    this.initializers.push(float16Tensor(`${name}.fp16`, dims, data));
    return this.op('Cast', [`${name}.fp16`], { to: DataType.FLOAT }, [name]);
  }

  /** An int64 constant, shared when the same values are asked for twice. dims [] makes a scalar. */
  ints(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i64:${dims.join('x')}:${values.join(',')}`;
    let name = this.#constants.get(key);
    if (!name) {
      name = `const_i64_${this.#constants.size}`;
      this.initializers.push(int64Tensor(name, dims, values));
      this.#constants.set(key, name);
    }
    return name;
  }

  /** A float32 scalar constant. */
  scalar(value: number): string {
    const key = `f32:${value}`;
    let name = this.#constants.get(key);
    if (!name) {
      name = `const_f32_${this.#constants.size}`;
      this.initializers.push({
        name,
        dataType: DataType.FLOAT,
        dims: [],
        raw: new Uint8Array(Float32Array.of(value).buffer),
      });
      this.#constants.set(key, name);
    }
    return name;
  }
}

/** Row-major [rows, cols] → [cols, rows]: PyTorch Linear weights become the right operand of MatMul. */
export function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  if (m.length !== rows * cols) throw new Error(`transpose: ${m.length} values are not ${rows}×${cols}.`);
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c]!;
  return t;
}
