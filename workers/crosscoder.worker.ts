// Worker entry: crosscoder training off the page's thread (workers/crosscoder-train.ts), with a soft stop.

import { expose } from 'comlink';
import type { TrainProgress } from '../src/core/internals/crosscoder/trainer.ts';
import { trainCrosscoder, type CrosscoderTrainRequest, type TrainControl } from './crosscoder-train.ts';

let control: TrainControl = { stopped: false };

const api = {
  train(request: CrosscoderTrainRequest, onProgress?: (p: TrainProgress) => void) {
    control = { stopped: false };
    return trainCrosscoder(request, onProgress, control);
  },
  /** Soft stop: the run checkpoints after its current step and resolves with status 'stopped'. */
  cancel() {
    control.stopped = true;
  },
};

export type CrosscoderWorkerApi = typeof api;
expose(api);
