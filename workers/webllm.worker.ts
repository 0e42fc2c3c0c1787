// Worker entry: one web-llm engine per worker, exposed over Comlink. All logic lives in webllm-engine.ts.

import { expose } from 'comlink';
import { MlcBoundary } from './webllm-mlc.ts';
import { WebLlmEngine } from './webllm-engine.ts';

expose(new WebLlmEngine(new MlcBoundary()));
