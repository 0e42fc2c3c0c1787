// Crosscoder training for a session: one worker per run, progress through a proxied callback, a soft stop
// (checkpoint, then resolve with status 'stopped') and a hard stop (terminate; the last checkpoint stays in
// IndexedDB). Activation buffers are transferred to the worker, not copied.

import { proxy, transfer, wrap } from 'comlink';
import type { TrainProgress } from '../core/internals/crosscoder/trainer.ts';
import type { CrosscoderTrainRequest, CrosscoderTrainResult } from '../../workers/crosscoder-train.ts';
import type { CrosscoderWorkerApi } from '../../workers/crosscoder.worker.ts';

export interface CrosscoderRun {
  result: Promise<CrosscoderTrainResult>;
  /** Soft stop after the current step. */
  stop(): void;
  /** Hard stop: ends the worker now; result rejects. */
  terminate(): void;
}

export function startCrosscoder(
  request: CrosscoderTrainRequest,
  onProgress: (p: TrainProgress) => void = () => {},
  options: { transfer?: boolean } = {},
): CrosscoderRun {
  const worker = new Worker(new URL('../../workers/crosscoder.worker.ts', import.meta.url), {
    type: 'module',
    name: 'model-diff-crosscoder',
  });
  const api = wrap<CrosscoderWorkerApi>(worker);
  let rejectHard: (e: Error) => void = () => {};
  const hard = new Promise<never>((_, reject) => (rejectHard = reject));
  const buffers = options.transfer
    ? request.activations.flatMap((a) => a.chunks.map((c) => c.buffer as ArrayBuffer))
    : [];
  const unique = [...new Set(buffers)];
  const result = Promise.race([api.train(transfer(request, unique), proxy(onProgress)), hard]).finally(() =>
    worker.terminate(),
  );
  return {
    result,
    stop: () => void api.cancel(),
    terminate: () => {
      worker.terminate();
      rejectHard(new Error('Crosscoder training was stopped.'));
    },
  };
}
