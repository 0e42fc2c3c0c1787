// Worker entry: the diff computation (statistics with thousands of resamples) off the main thread.

import { expose } from 'comlink';
import { diff } from '../src/core/diff/build-report.ts';

export type DiffWorkerApi = { diff: typeof diff };
expose({ diff } satisfies DiffWorkerApi);
