// Checks a model folder before transformers.js sees it, so a broken folder gets a message that names the file, says
// what is wrong with it and what to do — instead of a stack trace from deep inside a library.

import { ONNX_DTYPES, onnxFileOf, type OnnxDtype } from '../src/core/onnx-dtypes.ts';
import type { Resolver } from './model-files.ts';
import { blobSource, indexOnnx } from '../src/core/internals/onnx-initializers.ts';

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

const LAYOUT =
  'A model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (fp32), as in a ' +
  'Hugging Face ONNX export.';
const SIGN_IN =
  'the repository does not exist, or it is private or gated (it needs a Hugging Face sign-in, which this page never ' +
  'sends). Check the name and revision; for a gated model, download its files and open them as a local folder.';

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
  if (res.status === 404 || isHtmlFallback(res, path))
    throw new ModelLoadError(`The model folder ${where} has no ${path}. ${LAYOUT}`);
  if (res.status === 401 || res.status === 403)
    throw new ModelLoadError(`${where}${path} answered HTTP ${res.status}: ${SIGN_IN}`);
  if (!res.ok) throw new ModelLoadError(`Could not read ${where}${path}: HTTP ${res.status} ${res.statusText}.`);
  return res;
}

/** Single-page-app hosts answer any missing path with their index.html: that is a missing file, not a model file. */
function isHtmlFallback(res: Response, path: string): boolean {
  return !path.endsWith('.html') && (res.headers.get('content-type') ?? '').startsWith('text/html');
}

/** Size of a file from a one-byte probe: Content-Range's total, or Content-Length of a whole answer (0 when unsaid). */
function sizeOf(res: Response): number {
  const range = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  if (range) return Number(range[1]);
  return res.status === 200 ? Number(res.headers.get('content-length') ?? 0) : 0;
}

/**
 * Which weight formats a folder holds, with sizes, from one-byte probes of each transformers.js file name
 * (onnx/model.onnx, onnx/model_q4.onnx, …). Only `only` is probed when given.
 */
export async function probeWeights(
  resolver: Resolver,
  where: string,
  only?: OnnxDtype,
): Promise<Partial<Record<OnnxDtype, number>>> {
  const found = await Promise.all(
    (only ? [only] : ONNX_DTYPES).map(async (dtype) => {
      let res: Response;
      try {
        res = await resolver(onnxFileOf(dtype), { headers: { Range: 'bytes=0-0' } });
      } catch (e) {
        throw new ModelLoadError(
          `Could not reach ${where}${onnxFileOf(dtype)} (${(e as Error).message}). Check the address and that the ` +
            'server allows cross-origin requests (CORS: Access-Control-Allow-Origin).',
        );
      }
      await res.body?.cancel().catch(() => {});
      if (res.status === 404 || isHtmlFallback(res, onnxFileOf(dtype))) return null;
      if (res.status === 401 || res.status === 403)
        throw new ModelLoadError(`${where}${onnxFileOf(dtype)} answered HTTP ${res.status}: ${SIGN_IN}`);
      if (!res.ok)
        throw new ModelLoadError(`Could not read ${where}${onnxFileOf(dtype)}: HTTP ${res.status} ${res.statusText}.`);
      return [dtype, sizeOf(res)] as const;
    }),
  );
  return Object.fromEntries(found.filter((x) => x !== null));
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
  const jsConfig = config['transformers.js_config'] as { dtype?: unknown } | undefined;
  const declared = ONNX_DTYPES.find((d) => d === jsConfig?.dtype) ?? null;
  return { config, tokenizer, declared };
}

/** The message for a folder without weights in any format transformers.js knows. */
export function noWeights(where: string): ModelLoadError {
  return new ModelLoadError(
    `The model folder ${where} has no onnx/model.onnx. It has no other weight format either ` +
      `(onnx/model_fp16.onnx, onnx/model_q4.onnx, onnx/model_quantized.onnx, …). ${LAYOUT}`,
  );
}

/** Rewords onnxruntime's failure to parse the weights file. */
export function explainOnnxFailure(e: unknown, where: string, file = 'onnx/model.onnx'): Error {
  const message = e instanceof Error ? e.message : String(e);
  if (/device (was |is )?lost|GPUDevice.*lost|out of memory|Failed to allocate|allocation failed/i.test(message)) {
    return new ModelLoadError(
      `The GPU gave up while loading ${where} (${message.slice(0, 160)}): usually it ran out of memory ("device ` +
        'lost"). Choose smaller weights (#q4), a smaller model, or WASM (device=wasm); close other GPU-heavy tabs.',
    );
  }
  if (/protobuf|parse|Failed to load model|invalid model|ORT_INVALID|Can't create a session/i.test(message)) {
    return new ModelLoadError(
      `${where}${file} could not be read as an ONNX model (${message.slice(0, 200)}). The file is damaged or ` +
        'cut short: download or export it again.',
    );
  }
  return e instanceof Error ? e : new Error(message);
}

/** transformers.js's limit on external data chunks (model.onnx_data, model.onnx_data_1, …). */
const MAX_DATA_CHUNKS = 100;

/**
 * The external data a weights file uses that config.json does not declare, as the `use_external_data_format` option of
 * from_pretrained ({'model.onnx': chunks}), or null when there is none or config.json declares it. transformers.js
 * fetches onnx/model.onnx_data only when transformers.js_config.use_external_data_format (or that option) names it; a
 * plain Optimum export writes the file without the config entry, and onnxruntime then fails to find the weights. The
 * graph itself says which files it reads (its initializers' external locations: `<file>_data`, `<file>_data_1`, …), so
 * nothing is probed that does not exist.
 */
export async function undeclaredExternalData(
  resolver: Resolver,
  file: string,
  config: Record<string, unknown>,
): Promise<Record<string, number> | null> {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const declared = (config['transformers.js_config'] as { use_external_data_format?: unknown } | undefined)
    ?.use_external_data_format;
  if (declared !== undefined && declared !== null) return null;
  const res = await resolver(file).catch(() => null);
  if (!res?.ok) return null;
  const index = await indexOnnx(blobSource(await res.blob())).catch(() => null);
  if (!index) return null;
  const locations = new Set<string>();
  for (const init of index.initializers.values()) if (init.data?.location) locations.add(init.data.location);
  let chunks = 0;
  while (chunks < MAX_DATA_CHUNKS && locations.has(`${name}_data${chunks === 0 ? '' : `_${chunks}`}`)) chunks++;
  return chunks > 0 ? { [name]: chunks } : null;
}
