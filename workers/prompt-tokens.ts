// Prompt and token text through a transformers.js tokenizer, the same for every engine that has one (ONNX, web-llm).

import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { PromptInput } from '../src/core/engine/types.ts';

/** A prompt's token ids: given ids as they are, a chat through the model's template, else plain text. */
export function encodePrompt(tok: PreTrainedTokenizer, prompt: PromptInput): number[] {
  if ('tokens' in prompt) return [...prompt.tokens];
  if ('messages' in prompt && tok.chat_template) {
    const ids = tok.apply_chat_template(prompt.messages, {
      add_generation_prompt: true,
      tokenize: true,
      return_tensor: false,
      return_dict: false,
    }) as unknown as number[];
    return ids.map(Number);
  }
  // No chat template (story models): the conversation's last user turn is the text to continue.
  const text =
    'text' in prompt ? prompt.text : (prompt.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
  return tok.encode(text);
}

/** Each id's own text, special tokens included (for token-level views). */
export function idTexts(tok: PreTrainedTokenizer, ids: number[]): string[] {
  return ids.map((id) => tok.decode([id], { skip_special_tokens: false }));
}
