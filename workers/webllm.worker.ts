// Worker entry: one web-llm engine per worker, exposed over Comlink. All logic lives in webllm-engine.ts; the
// lifeline lets the page notice if this worker ends (lifeline.ts).

import { expose } from 'comlink';
import { holdLifeline } from './lifeline.ts';
import { MlcBoundary } from './webllm-mlc.ts';
import { WebLlmEngine } from './webllm-engine.ts';

holdLifeline();
expose(new WebLlmEngine(new MlcBoundary()));
