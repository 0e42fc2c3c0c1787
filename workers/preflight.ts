// Checks a model folder before transformers.js sees it, so a broken folder gets a message that names the file, says
// what is wrong with it and what to do — instead of a stack trace from deep inside a library.

import type { Resolver } from './model-files.ts';

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

const LAYOUT =
  'A model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (fp32), as in a ' +
  'Hugging Face ONNX export.';

async function get(resolver: Resolver, path: string, where: string, init?: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await resolver(path, init);
  } catch (e) {
    throw new ModelLoadError(
      `Could not reach ${where}${path} (${(e as Error).message}). Check the address, that the server is running, and ` +
        'that it allows cross-origin requests (CORS: Access-Control-Allow-Origin).',
    );
  }
  if (res.status === 404) throw new ModelLoadError(`The model folder ${where} has no ${path}. ${LAYOUT}`);
  if (!res.ok) throw new ModelLoadError(`Could not read ${where}${path}: HTTP ${res.status} ${res.statusText}.`);
  return res;
}

async function json(resolver: Resolver, path: string, where: string): Promise<Record<string, unknown>> {
  const text = await (await get(resolver, path, where)).text();
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (e) {
    throw new ModelLoadError(
      `${where}${path} is not valid JSON (${(e as Error).message}): the file is damaged or is not a ${path}.`,
    );
  }
}

/** Throws ModelLoadError for a folder that cannot work; returns the parsed config and tokenizer for later use. */
export async function preflight(resolver: Resolver, where: string) {
  const config = await json(resolver, 'config.json', where);
  const architectures = Array.isArray(config['architectures']) ? config['architectures'].map(String) : [];
  if (typeof config['model_type'] !== 'string') {
    throw new ModelLoadError(`${where}config.json does not name its architecture (model_type). ${LAYOUT}`);
  }
  if (architectures.length > 0 && !architectures.some((a) => a.endsWith('ForCausalLM') || a.endsWith('LMHeadModel'))) {
    throw new ModelLoadError(
      `${where}config.json describes a ${architectures.join(', ')}, not a text-generation (causal language) model: ` +
        'model-diff compares models that write text, such as LlamaForCausalLM or Qwen2ForCausalLM.',
    );
  }
  const tokenizer = await json(resolver, 'tokenizer.json', where);
  await json(resolver, 'tokenizer_config.json', where);
  const vocab = (tokenizer['model'] as { vocab?: Record<string, number> } | undefined)?.vocab ?? {};
  const added = Array.isArray(tokenizer['added_tokens']) ? (tokenizer['added_tokens'] as { id?: number }[]) : [];
  const tokens = Math.max(-1, ...Object.values(vocab), ...added.map((t) => Number(t.id ?? -1))) + 1;
  const modelVocab = Number(config['vocab_size'] ?? NaN);
  if (Number.isFinite(modelVocab) && tokens > modelVocab) {
    throw new ModelLoadError(
      `The tokenizer in ${where}tokenizer.json has ${tokens} tokens but the model's vocabulary (config.json vocab_size) ` +
        `has ${modelVocab}: they do not belong together. Use the tokenizer files that came with this model.`,
    );
  }
  const weights = await get(resolver, 'onnx/model.onnx', where, { headers: { Range: 'bytes=0-0' } });
  await weights.body?.cancel().catch(() => {});
  return { config, tokenizer };
}

/** Rewords onnxruntime's failure to parse the weights file. */
export function explainOnnxFailure(e: unknown, where: string): Error {
  const message = e instanceof Error ? e.message : String(e);
  if (/protobuf|parse|Failed to load model|invalid model|ORT_INVALID|Can't create a session/i.test(message)) {
    return new ModelLoadError(
      `${where}onnx/model.onnx could not be read as an ONNX model (${message.slice(0, 200)}). The file is damaged or ` +
        'cut short: download or export it again.',
    );
  }
  return e instanceof Error ? e : new Error(message);
}
