// Provisional findings while a run profiles: the diff of the prompts finished so far, computed now and then in a
// diff worker of its own. Throttled and never awaited by the profiler: one computation at a time, a pause of at least
// as long as the last one took between two (so the worker takes at most half of a core from the engines), and a
// new one only when a quarter more prompts have finished. Stopped (its worker ended) when the run is done.

import type { Remote } from 'comlink';
import type { DiffReport } from '../core/diff/report-types.ts';
import type { PairProfile } from '../core/profile/types.ts';
import type { PromptSet } from '../core/prompts/index.ts';
import type { DiffWorkerApi } from '../../workers/diff.worker.ts';
import { wrap } from 'comlink';
import { diffOn } from './diff-worker.ts';

export interface ProvisionalOptions {
  /** Prompts in the whole run. */
  total: number;
  /** Told each provisional report, with the prompts it covers. */
  onReport: (report: DiffReport, done: number) => void;
  /** Fewest finished prompts worth a first look (default 8). */
  minPrompts?: number;
  /** Bootstrap resamples of a provisional diff (default 400; the final report uses the diff's own default). */
  resamples?: number;
}

export interface Provisional {
  /** Hand it after each group: `partial` assembles the finished prompts; it is called only when a diff is due. */
  offer(done: number, partial: () => Promise<{ pair: PairProfile; set: PromptSet }>): void;
  /** Ends the worker; a report still being computed is dropped. */
  stop(): void;
}

export function provisionalFindings(options: ProvisionalOptions): Provisional {
  const minPrompts = options.minPrompts ?? 8;
  let worker: Worker | null = null;
  let api: Remote<DiffWorkerApi> | null = null;
  let busy = false;
  let stopped = false;
  let lastDone = 0;
  let readyAt = 0;
  const start = () => {
    worker ??= new Worker(new URL('../../workers/diff.worker.ts', import.meta.url), {
      type: 'module',
      name: 'model-diff-provisional',
    });
    return (api ??= wrap<DiffWorkerApi>(worker));
  };
  return {
    offer(done, partial) {
      // Worth it: not busy, rested, enough prompts, and a quarter more than last time (at least 4): looks grow
      // geometrically, so sending the finished prompts to the worker (token steps packed, diff-worker.ts) costs a few
      // times one full send in all, on any set size (about 20 looks for 1,000 prompts).
      const grown = done - lastDone >= Math.max(4, Math.ceil(lastDone / 4));
      if (stopped || busy || done < minPrompts || done >= options.total || !grown || performance.now() < readyAt)
        return;
      busy = true;
      lastDone = done;
      const began = performance.now();
      void partial()
        .then(({ pair, set }) => diffOn(start(), pair, set, { resamples: options.resamples ?? 400 }))
        .then(
          (report) => {
            if (!stopped) options.onReport(report, done);
          },
          () => {
            // A provisional look that fails says nothing the final report will not say better.
          },
        )
        .finally(() => {
          busy = false;
          readyAt = performance.now() + (performance.now() - began);
        });
    },
    stop() {
      stopped = true;
      worker?.terminate();
      worker = null;
      api = null;
    },
  };
}
