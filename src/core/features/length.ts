// Length: characters, UTF-8 bytes, words, tokens and sentences of a response.

import type { FeatureMeta, ResponseInput } from './types.ts';
import { segmentWords, splitSentences, stripCode } from './text.ts';

export type LengthFeatures = {
  charCount: number;
  byteCount: number;
  wordCount: number;
  tokenCount: number | null;
  sentenceCount: number;
};

export const lengthMeta: { [K in keyof LengthFeatures]: FeatureMeta } = {
  charCount: { kind: 'continuous', category: 'response-pattern', description: 'Unicode code points' },
  byteCount: { kind: 'continuous', category: 'response-pattern', description: 'UTF-8 bytes' },
  wordCount: { kind: 'continuous', category: 'response-pattern', description: 'words, by Unicode word segmentation' },
  tokenCount: {
    kind: 'continuous',
    category: 'response-pattern',
    description: "generated tokens, in the model's own tokenizer",
  },
  sentenceCount: {
    kind: 'continuous',
    category: 'response-pattern',
    description: 'sentences outside code blocks (each line, list item, heading or table row ends one)',
  },
};

const encoder = new TextEncoder();

/** Token count is the engine's when given, else the number of logprobs, else null (words are no substitute). */
export function extractLength(input: ResponseInput): LengthFeatures {
  const { text } = input;
  const surrogatePairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  const tokens = input.tokenCount ?? input.tokenLogprobs?.length ?? null;
  return {
    charCount: text.length - surrogatePairs,
    byteCount: encoder.encode(text).length,
    wordCount: segmentWords(text).length,
    tokenCount: tokens,
    sentenceCount: splitSentences(stripCode(text)).length,
  };
}
