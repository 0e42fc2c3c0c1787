// The model half of the URL contract: the strings a user types (or a link carries) for model A and B, parsed into
// engine sources. Pure: the page's base URL is an argument.

import type { EngineSource, ModelSource } from './engine/types.ts';
import { ONNX_DTYPES, isOnnxDtype, type OnnxDtype } from './onnx-dtypes.ts';

export class ModelSpecError extends Error {
  override name = 'ModelSpecError';
}

const FORGED = /^(?:forged:)?(forged-[a-z0-9-]+)$/;
/** Hub names: letters, digits, '-', '_', '.'; not starting or ending with '-' or '.', no '--' or '..', ≤ 96 characters. */
const NAME = '(?![-.])(?!.*(?:--|\\.\\.))[\\w.-]{1,96}(?<![-.])';
const HUB = new RegExp(`^(?:hf:)?(${NAME}/${NAME})(?:@([\\w][\\w./-]*))?$`);
const HUB_URL = /^https:\/\/(?:huggingface\.co|hf\.co)\/([^/]+\/[^/]+?)(?:\/(?:tree|resolve)\/([^/]+))?\/?$/;
const HUB_HELP =
  'Write hf:org/name or hf:org/name@revision (a branch, tag or commit), e.g. hf:HuggingFaceTB/SmolLM2-135M-Instruct@main.';

/**
 * Accepted forms:
 * - `forged-base` or `forged:forged-base` — a model forged by this project, served with the site;
 * - `https://host/path/to/folder/` — a Hugging Face-layout folder (config.json, tokenizer files, onnx/model.onnx);
 * - `hf:org/name` or `hf:org/name@revision` (also `org/name@revision` and huggingface.co URLs) — a Hugging Face hub
 *   repository with ONNX weights;
 * - `llama2c:<checkpoint URL>,<tokenizer URL>` — a llama2.c checkpoint and its tokenizer.bin;
 * - `webllm:<model id>` — a prebuilt web-llm model, or `webllm:<model URL>,<model library URL>` — a custom MLC build;
 * - `openai:<API base URL>,<model>` (or `#<model>`) — a model behind an OpenAI-compatible server.
 * The separator is a comma because it survives unencoded in a query string (a `#` would end the page URL there).
 * ONNX forms take a weight format after `#`: `hf:org/name#q4`, `forged-base#fp16` (default: chosen for the device).
 */
export function parseModelSpec(spec: string, siteBase: string): EngineSource {
  const whole = spec.trim();
  if (!whole)
    throw new ModelSpecError(
      'No model given. Pass a forged model name, a folder URL, hf:org/name or llama2c:<ckpt>,<tok>.',
    );
  // web-llm and server models choose their own weights; their `#` (openai:…#model) is not a weight format.
  if (whole.startsWith('webllm:')) return parseWebLlm(whole, siteBase);
  if (whole.startsWith('openai:')) return parseOpenAi(whole);
  const { body: s, dtype } = splitDtype(whole);
  const withDtype = <T extends ModelSource>(source: T): T => (dtype ? { ...source, dtype } : source);
  const forged = FORGED.exec(s);
  if (forged) return withDtype({ kind: 'url', url: new URL(`forged/${forged[1]}/`, siteBase).href });
  const hub = HUB.exec(s) ?? HUB_URL.exec(s);
  if (hub) {
    const revision = hub[2] ? decodeURIComponent(hub[2]) : undefined;
    return withDtype({ kind: 'hub', repo: hub[1]!, ...(revision ? { revision } : {}) });
  }
  if (s.startsWith('hf:')) throw new ModelSpecError(`"${s}" is not a Hugging Face repository id. ${HUB_HELP}`);
  if (s.startsWith('llama2c:')) {
    if (dtype && dtype !== 'fp32')
      throw new ModelSpecError(`"${whole}": llama2.c checkpoints are converted to fp32 weights; remove "#${dtype}".`);
    const parts = s.slice('llama2c:'.length).split(',');
    if (parts.length !== 2) {
      throw new ModelSpecError(
        `"${s}" names ${parts.length} file(s); llama2c: takes a checkpoint URL and a tokenizer URL separated by a comma.`,
      );
    }
    const [checkpoint, tokenizer] = parts.map((p) => absoluteUrl(p, siteBase, s)) as [string, string];
    return { kind: 'llama2c', name: checkpoint.split('/').pop() ?? 'llama2c', checkpoint, tokenizer };
  }
  if (/^https?:\/\//.test(s)) return withDtype({ kind: 'url', url: absoluteUrl(s, siteBase, s) });
  throw new ModelSpecError(
    `"${s}" is not a model this page knows. Use a forged model name (forged-base), an absolute folder URL ` +
      '(https://…/model/), hf:org/name[@revision], llama2c:<checkpoint URL>,<tokenizer URL>, webllm:<model id> ' +
      'or openai:<server URL>,<model>.',
  );
}

const MLC_ID = /^[\w.-]+$/;

function parseWebLlm(s: string, siteBase: string): EngineSource {
  const rest = s.slice('webllm:'.length).trim();
  if (MLC_ID.test(rest)) return { kind: 'webllm', modelId: rest };
  const parts = rest.split(',');
  if (parts.length !== 2) {
    throw new ModelSpecError(
      `"${s}": webllm: takes a model id (webllm:SmolLM2-360M-Instruct-q4f32_1-MLC) or a model folder URL and a ` +
        'model library URL separated by a comma (webllm:https://…/MyModel-MLC/,https://…/MyModel-webgpu.wasm).',
    );
  }
  const [model, modelLib] = parts.map((p) => absoluteUrl(p, siteBase, s)) as [string, string];
  return { kind: 'webllm', modelId: webLlmIdFromUrl(model), model, modelLib };
}

/** A custom record's model id: the folder name (the part before /resolve/ on Hugging Face). */
export function webLlmIdFromUrl(model: string): string {
  const path = new URL(model).pathname.replace(/\/resolve\/.*$/, '').replace(/\/+$/, '');
  return decodeURIComponent(path.split('/').pop() || new URL(model).host);
}

function parseOpenAi(s: string): EngineSource {
  const rest = s.slice('openai:'.length).trim();
  const hash = rest.indexOf('#');
  const cut = hash >= 0 ? hash : rest.indexOf(',');
  const model = cut >= 0 ? rest.slice(cut + 1).trim() : '';
  if (cut < 0 || !model) {
    throw new ModelSpecError(
      `"${s}" names no model. Write openai:<server URL>,<model>, e.g. openai:http://localhost:8000/v1,` +
        'Qwen/Qwen2.5-7B-Instruct (the model name the server lists at <server URL>/models).',
    );
  }
  let url: URL;
  try {
    url = new URL(rest.slice(0, cut).trim());
  } catch {
    throw new ModelSpecError(`"${s}": ${JSON.stringify(rest.slice(0, cut))} is not an absolute http(s) URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ModelSpecError(`"${s}": the server URL must start with http:// or https://.`);
  if (url.username || url.password || url.search) {
    throw new ModelSpecError(
      `"${s}": the server URL carries credentials or a query. Give the API key separately: it must never be part ` +
        'of a link or a report.',
    );
  }
  return { kind: 'openai', baseUrl: url.href.replace(/\/+$/, ''), model };
}

/** `body#dtype` → its parts; the dtype must be a transformers.js weight format or 'auto'. */
export function splitDtype(spec: string): { body: string; dtype?: OnnxDtype } {
  const at = spec.lastIndexOf('#');
  if (at < 0) return { body: spec };
  const body = spec.slice(0, at);
  const dtype = spec.slice(at + 1).trim();
  if (dtype === 'auto' || dtype === '') return { body };
  if (!isOnnxDtype(dtype))
    throw new ModelSpecError(
      `"#${dtype}" in "${spec}" is not a weight format. Use one of ${ONNX_DTYPES.join(', ')}, or leave it out to ` +
        'choose for this device.',
    );
  return { body, dtype };
}

function absoluteUrl(value: string, base: string, whole: string): string {
  try {
    const url = new URL(value.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(url.protocol);
    return url.href;
  } catch {
    throw new ModelSpecError(`"${whole}": ${JSON.stringify(value)} is not an http(s) URL.`);
  }
}

/** A short display name for a spec: the folder or repo name. */
export function modelLabel(spec: string): string {
  const s = spec.trim().replace(/\/+$/, '');
  if (s.startsWith('webllm:')) {
    const rest = s.slice(7);
    try {
      return MLC_ID.test(rest) ? rest : webLlmIdFromUrl(rest.split(',')[0] ?? rest);
    } catch {
      return rest;
    }
  }
  if (s.startsWith('openai:')) {
    const rest = s.slice(7);
    const cut = rest.includes('#') ? rest.indexOf('#') : rest.indexOf(',');
    return cut >= 0 ? rest.slice(cut + 1) : rest;
  }
  const hash = s.lastIndexOf('#');
  const dtype = hash >= 0 ? s.slice(hash + 1).trim() : '';
  if (dtype && isOnnxDtype(dtype)) return `${modelLabel(s.slice(0, hash))} ${dtype}`;
  if (s.startsWith('llama2c:'))
    return (s.slice(8).split(',')[0] ?? s)
      .split('/')
      .pop()!
      .replace(/\.bin$/, '');
  if (s.startsWith('hf:')) return s.slice(3);
  if (s.startsWith('forged:')) return s.slice(7);
  return s.split('/').pop() ?? s;
}
