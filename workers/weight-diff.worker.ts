// Worker entry: the weight diff off the page's thread. Each model's worker serves its weights on a MessagePort
// (weights.ts); tensors travel worker to worker, transferred, never through the page.

import { expose, wrap } from 'comlink';
import type { WeightSource } from '../src/core/internals/onnx-weights.ts';
import { diffWeights, type WeightDiffOptions } from '../src/core/internals/weight-diff.ts';

type Options = Pick<WeightDiffOptions, 'top' | 'tokens' | 'iterations' | 'seed'>;

const api = {
  diff(
    portA: MessagePort,
    portB: MessagePort,
    options: Options = {},
    onProgress?: (done: number, total: number) => void,
  ) {
    return diffWeights(wrap<Required<WeightSource>>(portA), wrap<Required<WeightSource>>(portB), {
      ...options,
      ...(onProgress ? { onProgress } : {}),
    });
  },
};

export type WeightDiffWorkerApi = typeof api;
expose(api);
