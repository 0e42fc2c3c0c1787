// Shared helpers for Node tests of src/core: the shared data folder, tokenizers built from our own files, and
// onnxruntime-node for running the graphs we write.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import type { ModelFiles } from '../../src/core/hf/folder.ts';

export const SHARED_DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data');

/** Bytes of a file in ../shared/data, or null when the folder is absent (the caller skips with a message). */
export function sharedFile(path: string): Uint8Array | null {
  const file = join(SHARED_DATA, path);
  return existsSync(file) ? new Uint8Array(readFileSync(file)) : null;
}

export const SKIP_SHARED = '../shared/data/stories260K is absent: skipped (tests that need the real checkpoint).';

export function jsonFile(files: ModelFiles, path: string): Record<string, unknown> {
  const bytes = files.get(path);
  if (!bytes) throw new Error(`${path} missing`);
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** The tokenizer transformers.js builds from a folder's tokenizer.json and tokenizer_config.json. */
export function tokenizerOf(files: ModelFiles): PreTrainedTokenizer {
  return new PreTrainedTokenizer(jsonFile(files, 'tokenizer.json'), jsonFile(files, 'tokenizer_config.json'));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
