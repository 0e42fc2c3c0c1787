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

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  #count = 0;
  readonly #constants = new Map<string, string>();

  /** fp16: weights are stored in 16 bits and cast to float32 on load (half the file; arithmetic stays float32). */
  constructor(readonly storage: 'fp32' | 'fp16' = 'fp32') {}

  /** Adds a node and returns its (first) output's name. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes?: Record<string, AttributeValue>,
    outputs?: string[],
  ): string {
    const n = this.#count++;
    const outs = outputs ?? [`${opType.toLowerCase()}_${n}`];
    this.nodes.push({ opType, inputs, outputs: outs, name: `${opType}_${n}`, ...(attributes ? { attributes } : {}) });
    return outs[0]!;
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
