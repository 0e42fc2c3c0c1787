// What a folder from the user's disk holds, from its file list alone (paths and sizes, nothing read): a Hugging Face
// ONNX model, llama2.c files, or neither — with a message that names what is missing. Pure.

import { ONNX_DTYPES, onnxVariants, type OnnxDtype } from './onnx-dtypes.ts';

export interface ListedFile {
  /** Path as the browser gives it: `folder/onnx/model.onnx` (webkitRelativePath) or relative to the folder. */
  path: string;
  size: number;
}

export type FolderPlan =
  | {
      kind: 'onnx';
      name: string;
      /** Path inside the model folder (`onnx/model_q4.onnx`) → the listed path it comes from. */
      files: Map<string, string>;
      variants: Partial<Record<OnnxDtype, number>>;
    }
  | { kind: 'llama2c'; name: string; checkpoint: string; tokenizer: string };

export class LocalFolderError extends Error {
  override name = 'LocalFolderError';
}

const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const LAYOUT =
  'A Hugging Face ONNX model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx ' +
  '(or a variant such as onnx/model_q4.onnx); a llama2.c model needs its checkpoint (.bin) and tokenizer.bin.';

/** Files the engine may ask for; anything else in the folder (PyTorch weights, READMEs, .git) is left out. */
function wanted(path: string): boolean {
  return /^[^/]+\.(json|jinja|txt|model)$/.test(path) || /^onnx\/[^/]+\.onnx(_data(_\d+)?)?$/.test(path);
}

export function classifyFolder(listed: readonly ListedFile[], fallbackName = 'folder'): FolderPlan {
  const visible = listed.filter((f) => !f.path.split('/').some((part) => part.startsWith('.')));
  if (visible.length === 0) throw new LocalFolderError(`The folder ${fallbackName} is empty. ${LAYOUT}`);
  // A picked or dropped folder arrives as `name/…`: strip that one shared top folder.
  const tops = new Set(visible.map((f) => (f.path.includes('/') ? f.path.split('/')[0] : '')));
  const [top] = tops;
  const strip = tops.size === 1 && top ? `${top}/` : '';
  const name = strip ? top! : fallbackName;
  const rel = visible.map((f) => ({ ...f, rel: f.path.slice(strip.length) }));
  const at = new Map(rel.map((f) => [f.rel, f]));

  if (at.has('config.json')) {
    const files = new Map<string, string>();
    for (const f of rel) {
      // Weights dropped beside config.json (no onnx/ folder) are read as if they were in onnx/.
      const inside = /^[^/]+\.onnx(_data(_\d+)?)?$/.test(f.rel) ? `onnx/${f.rel}` : f.rel;
      if (wanted(inside) && !files.has(inside)) files.set(inside, f.path);
    }
    const variants = onnxVariants([...files].map(([inside, path]) => [inside, at.get(path.slice(strip.length))!.size]));
    const missing = REQUIRED.filter((r) => !files.has(r));
    if (Object.keys(variants).length === 0) missing.push('onnx/model.onnx');
    if (missing.length > 0) {
      const pytorch = rel.some((f) => /\.(safetensors|bin|pt|gguf)$/.test(f.rel));
      throw new LocalFolderError(
        `The folder ${name} has no ${missing.join(', ')}. ${LAYOUT}` +
          (pytorch && missing.includes('onnx/model.onnx')
            ? ' It holds other weights (safetensors, PyTorch or GGUF): this page runs ONNX exports, such as the ' +
              'onnx-community versions on Hugging Face, or a model exported with Optimum.'
            : ''),
      );
    }
    return { kind: 'onnx', name, files, variants };
  }

  const bins = rel.filter((f) => /^[^/]+\.bin$/.test(f.rel));
  if (bins.length > 0) {
    const tokenizers = bins.filter((f) => /^(tokenizer[^/]*|tok\d+)\.bin$/i.test(f.rel));
    // Two .bin files without a tokenizer-like name: the tokenizer is the small one (kilobytes against megabytes).
    const bySize = [...bins].sort((x, y) => x.size - y.size);
    const tokenizer = tokenizers.length === 1 ? tokenizers[0]! : bins.length === 2 ? bySize[0]! : null;
    const checkpoints = bins.filter((f) => f !== tokenizer);
    if (!tokenizer || checkpoints.length !== 1) {
      throw new LocalFolderError(
        `The folder ${name} has ${bins.map((f) => f.rel).join(', ')}: a llama2.c model needs exactly one checkpoint ` +
          '(.bin) and its tokenizer (tokenizer.bin or tok512.bin, say) side by side.',
      );
    }
    return { kind: 'llama2c', name, checkpoint: checkpoints[0]!.path, tokenizer: tokenizer.path };
  }
  throw new LocalFolderError(
    `The folder ${name} holds neither model kind: it has no config.json and no .bin files. ${LAYOUT}`,
  );
}

/** The formats a folder offers, largest first, for a short description ("fp32 0.8 MB, q4 0.2 MB"). */
export function describeVariants(variants: Partial<Record<OnnxDtype, number>>): string {
  return ONNX_DTYPES.filter((d) => variants[d] !== undefined)
    .map((d) => `${d} ${(variants[d]! / 1e6).toFixed(1)} MB`)
    .join(', ');
}
