// The model half of the URL contract: the strings a user types (or a link carries) for model A and B, parsed into
// engine sources. Pure: the page's base URL is an argument.

import type { ModelSource } from './engine/types.ts';
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
 * - `llama2c:<checkpoint URL>,<tokenizer URL>` — a llama2.c checkpoint and its tokenizer.bin.
 * ONNX forms take a weight format after `#`: `hf:org/name#q4`, `forged-base#fp16` (default: chosen for the device).
 */
export function parseModelSpec(spec: string, siteBase: string): ModelSource {
  const whole = spec.trim();
  if (!whole)
    throw new ModelSpecError(
      'No model given. Pass a forged model name, a folder URL, hf:org/name or llama2c:<ckpt>,<tok>.',
    );
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
      '(https://…/model/), hf:org/name[@revision], or llama2c:<checkpoint URL>,<tokenizer URL>.',
  );
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
  const hash = spec.lastIndexOf('#');
  const dtype = hash >= 0 ? spec.slice(hash + 1).trim() : '';
  if (dtype && isOnnxDtype(dtype)) return `${modelLabel(spec.slice(0, hash))} ${dtype}`;
  const s = spec.trim().replace(/\/+$/, '');
  if (s.startsWith('llama2c:'))
    return (s.slice(8).split(',')[0] ?? s)
      .split('/')
      .pop()!
      .replace(/\.bin$/, '');
  if (s.startsWith('hf:')) return s.slice(3);
  if (s.startsWith('forged:')) return s.slice(7);
  return s.split('/').pop() ?? s;
}
