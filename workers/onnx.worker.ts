// Worker entry: one ONNX engine per worker, exposed over Comlink. All logic lives in onnx-engine.ts.

import { expose } from 'comlink';
import { OnnxEngine } from './onnx-engine.ts';

expose(new OnnxEngine());
