// The model half of the URL contract: the strings a user types (or a link carries) for model A and B, parsed into
// engine sources. Pure: the page's base URL is an argument.

import type { ModelSource } from './engine/types.ts';

export class ModelSpecError extends Error {
  override name = 'ModelSpecError';
}

const FORGED = /^(?:forged:)?(forged-[a-z0-9-]+)$/;
const HUB = /^hf:([\w.-]+\/[\w.-]+)(?:@([\w./-]+))?$/;

/**
 * Accepted forms:
 * - `forged-base` or `forged:forged-base` — a model forged by this project, served with the site;
 * - `https://host/path/to/folder/` — a Hugging Face-layout folder (config.json, tokenizer files, onnx/model.onnx);
 * - `hf:org/name` or `hf:org/name@revision` — a Hugging Face hub repository with ONNX weights;
 * - `llama2c:<checkpoint URL>,<tokenizer URL>` — a llama2.c checkpoint and its tokenizer.bin.
 */
export function parseModelSpec(spec: string, siteBase: string): ModelSource {
  const s = spec.trim();
  if (!s)
    throw new ModelSpecError(
      'No model given. Pass a forged model name, a folder URL, hf:org/name or llama2c:<ckpt>,<tok>.',
    );
  const forged = FORGED.exec(s);
  if (forged) return { kind: 'url', url: new URL(`forged/${forged[1]}/`, siteBase).href };
  const hub = HUB.exec(s);
  if (hub) return { kind: 'hub', repo: hub[1]!, ...(hub[2] ? { revision: hub[2] } : {}) };
  if (s.startsWith('llama2c:')) {
    const parts = s.slice('llama2c:'.length).split(',');
    if (parts.length !== 2) {
      throw new ModelSpecError(
        `"${s}" names ${parts.length} file(s); llama2c: takes a checkpoint URL and a tokenizer URL separated by a comma.`,
      );
    }
    const [checkpoint, tokenizer] = parts.map((p) => absoluteUrl(p, siteBase, s)) as [string, string];
    return { kind: 'llama2c', name: checkpoint.split('/').pop() ?? 'llama2c', checkpoint, tokenizer };
  }
  if (/^https?:\/\//.test(s)) return { kind: 'url', url: absoluteUrl(s, siteBase, s) };
  throw new ModelSpecError(
    `"${s}" is not a model this page knows. Use a forged model name (forged-base), an absolute folder URL ` +
      '(https://…/model/), hf:org/name[@revision], or llama2c:<checkpoint URL>,<tokenizer URL>.',
  );
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
  if (s.startsWith('llama2c:'))
    return (s.slice(8).split(',')[0] ?? s)
      .split('/')
      .pop()!
      .replace(/\.bin$/, '');
  if (s.startsWith('hf:')) return s.slice(3);
  if (s.startsWith('forged:')) return s.slice(7);
  return s.split('/').pop() ?? s;
}
