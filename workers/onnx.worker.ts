// Worker entry: one ONNX engine per worker, exposed over Comlink. All logic lives in onnx-engine.ts; the lifeline
// lets the page notice if this worker ends or its GPU device is lost (lifeline.ts).

import { expose } from 'comlink';
import { holdLifeline, reportDeviceLost } from './lifeline.ts';
import { OnnxEngine } from './onnx-engine.ts';

holdLifeline();
const engine = new OnnxEngine();
engine.onDeviceLost = reportDeviceLost;
expose(engine);
