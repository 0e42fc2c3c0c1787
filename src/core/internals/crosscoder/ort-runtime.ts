// Adapts an onnxruntime module and session (onnxruntime-web or onnxruntime-node: the same API) to StepRuntime.
// Typed structurally, so core imports no runtime and either package's Tensor fits.

import type { StepRuntime } from './stepper.ts';

export interface OrtTensorLike {
  readonly data: unknown;
  readonly location?: string;
  getData?(): Promise<unknown>;
  dispose(): void;
}

export interface OrtLike {
  Tensor: new (type: 'float32' | 'int64', data: Float32Array | BigInt64Array, dims: readonly number[]) => OrtTensorLike;
}

export interface SessionLike {
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
}

export function ortStepRuntime(ort: OrtLike, session: SessionLike): StepRuntime<OrtTensorLike> {
  return {
    float: (data, dims) => new ort.Tensor('float32', data, dims),
    int64: (data, dims) => new ort.Tensor('int64', data, dims),
    run: (feeds) => session.run(feeds),
    async read(t) {
      const data = t.location === 'gpu-buffer' && t.getData ? await t.getData() : t.data;
      if (!(data instanceof Float32Array)) throw new Error('crosscoder: expected a float32 tensor.');
      return data;
    },
  };
}
