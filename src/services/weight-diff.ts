// The weight diff of a loaded pair, for a session: decides whether it can run (two ONNX models of one
// architecture), then connects each model's worker to a weight-diff worker by a MessageChannel and waits for the
// result. Never fails the run: what cannot be computed becomes the internals section's note.

import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { InternalsSection } from '../core/diff/report-types.ts';
import { weightDiffAbsence } from '../core/internals/eligibility.ts';
import type { EngineApi } from '../../workers/engine-api.ts';
import type { WeightDiffWorkerApi } from '../../workers/weight-diff.worker.ts';
import type { EngineHandle } from './engine-pool.ts';

export async function compareWeights(
  a: EngineHandle,
  b: EngineHandle,
  signal: AbortSignal,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<InternalsSection> {
  const absent = weightDiffAbsence(a.info, b.info);
  if (absent) return { weights: null, note: absent };
  const worker = new Worker(new URL('../../workers/weight-diff.worker.ts', import.meta.url), {
    type: 'module',
    name: 'model-diff-weights',
  });
  const stopped = new Promise<never>((_, reject) => {
    const stop = () => reject(signal.reason instanceof Error ? signal.reason : new Error('Stopped.'));
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    const [ca, cb] = [new MessageChannel(), new MessageChannel()];
    // Both are ONNX engines (checked above), which serve their weights.
    const serving = (h: EngineHandle) => h.engine as unknown as Remote<Required<Pick<EngineApi, 'serveWeights'>>>;
    await Promise.race([
      Promise.all([
        serving(a).serveWeights(transfer(ca.port1, [ca.port1])),
        serving(b).serveWeights(transfer(cb.port1, [cb.port1])),
      ]),
      stopped,
    ]);
    const api = wrap<WeightDiffWorkerApi>(worker);
    const diff = api.diff(transfer(ca.port2, [ca.port2]), transfer(cb.port2, [cb.port2]), {}, proxy(onProgress));
    return await Promise.race([diff, stopped]);
  } catch (e) {
    if (signal.aborted) throw e;
    // Out of memory, a graph this reader cannot follow, a file that cannot be read again: the report goes on.
    return { weights: null, note: `The weight diff could not be computed: ${(e as Error).message ?? String(e)}` };
  } finally {
    worker.terminate();
  }
}
