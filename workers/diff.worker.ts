// Worker entry: the diff computations (statistics with thousands of resamples) off the main thread.

import { expose } from 'comlink';
import { diff } from '../src/core/diff/build-report.ts';
import { nWay } from '../src/core/diff/n-way.ts';

export type DiffWorkerApi = { diff: typeof diff; nWay: typeof nWay };
expose({ diff, nWay } satisfies DiffWorkerApi);
