// Whether two loaded models' weights can be diffed at all, before any tensor is read: both ONNX (web-llm and
// OpenAI-compatible engines expose no weights) and one architecture. Shapes are checked later, tensor by tensor.

import type { ModelInfo } from '../engine/types.ts';

const NO_WEIGHTS: Record<string, string> = {
  webllm: 'runs on web-llm, whose engine does not expose its weights',
  openai: 'runs behind an OpenAI-compatible server, which does not expose its weights',
};

/** Why the weight diff cannot run on this pair (a sentence for the report's note), or null when it can. */
export function weightDiffAbsence(a: Pick<ModelInfo, 'engine' | 'architecture'>, b: typeof a): string | null {
  for (const [side, m] of [
    ['A', a],
    ['B', b],
  ] as const) {
    if (m.engine !== 'onnx') {
      const why = NO_WEIGHTS[m.engine] ?? `runs on the ${m.engine} engine, which does not expose its weights`;
      return `No weight diff: model ${side} ${why}; it needs two ONNX models.`;
    }
  }
  if (a.architecture !== b.architecture)
    return `No weight diff: model A is a ${a.architecture} model and model B a ${b.architecture} model; it needs one architecture.`;
  return null;
}
