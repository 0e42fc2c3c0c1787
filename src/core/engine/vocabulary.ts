// The vocabulary fingerprint every engine reports: equal fingerprints mean token ids mean the same thing, so an ONNX
// model and a web-llm build of the same tokenizer are compared token by token.

import { fnv1a64 } from '../prompts/hash.ts';

/** FNV-1a 64 of the tokenizer.json vocabulary's tokens in id order (the ONNX engine's definition). */
export function vocabularyFingerprint(tokenizerJson: unknown): string {
  const model = (tokenizerJson as { model?: { vocab?: Record<string, number> } }).model;
  const vocab = Object.entries(model?.vocab ?? {}).sort((a, b) => a[1] - b[1]);
  return fnv1a64(vocab.map(([t]) => t).join('\u0000'));
}
