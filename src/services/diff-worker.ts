// The statistics worker: diff() and nWay() run off the page's thread, in a worker started for one call.

import { transfer, wrap, type Remote } from 'comlink';
import type { DiffWorkerApi } from '../../workers/diff.worker.ts';
import type { diff } from '../core/diff/build-report.ts';
import type { nWay } from '../core/diff/n-way.ts';
import { packedBuffers, packPairSteps, packProfilesSteps } from '../core/profile/packed-steps.ts';

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

/**
 * diff() in a fresh worker, the pair's token steps packed into typed arrays and transferred rather than cloned
 * object by object (packed-steps.ts: the clone cost more than the diff); a pair of another shape is cloned as is.
 */
export function diffInWorker(...args: Parameters<typeof diff>): Promise<ReturnType<typeof diff>> {
  // Packed once the worker is started: its module loads while the page packs.
  return inDiffWorker((api) => diffOn(api, ...args));
}

/**
 * diff() on a diff worker already running, the steps packed and transferred. Besides the time, this spares the page's
 * thread: structured clone serialises on the sender's thread, in one piece (about half of the clone's cost).
 */
export function diffOn(api: Remote<DiffWorkerApi>, ...args: Parameters<typeof diff>): Promise<ReturnType<typeof diff>> {
  const [pair, ...rest] = args;
  const packed = packPairSteps(pair);
  return packed ? api.diffPacked(transfer(packed, packedBuffers(packed)), ...rest) : api.diff(pair, ...rest);
}

/** nWay() in a fresh worker, the profiles' token steps packed and transferred as for diffInWorker. */
export function nWayInWorker(...args: Parameters<typeof nWay>): Promise<ReturnType<typeof nWay>> {
  const [profiles, ...rest] = args;
  return inDiffWorker((api) => {
    const packed = packProfilesSteps(profiles);
    return packed ? api.nWayPacked(transfer(packed, packedBuffers(packed)), ...rest) : api.nWay(profiles, ...rest);
  });
}
