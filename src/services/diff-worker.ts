// The statistics worker: diff() and nWay() run off the page's thread, in a worker started for one call.

import { wrap, type Remote } from 'comlink';
import type { DiffWorkerApi } from '../../workers/diff.worker.ts';

/** Starts the diff worker, hands it to `use`, and ends it when `use` settles. */
export async function inDiffWorker<T>(use: (api: Remote<DiffWorkerApi>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('../../workers/diff.worker.ts', import.meta.url), {
    type: 'module',
    name: 'model-diff-stats',
  });
  try {
    return await use(wrap<DiffWorkerApi>(worker));
  } finally {
    worker.terminate();
  }
}
