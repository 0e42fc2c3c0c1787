// The curated model catalogue: small open-weight models people can diff in a browser, for both engines, with what
// the capability check needs (sizes per dtype, VRAM, shader-f16) and pairs that teach something.

import type { OnnxDtype } from './onnx-dtypes.ts';

export type CatalogueEngine = 'onnx' | 'webllm' | 'llama2c';
/** ONNX formats (transformers.js names) and web-llm's quantisations. */
export type Dtype = OnnxDtype | 'q0f32' | 'q4f32_1';

export interface CatalogueEntry {
  /** Stable id used in links: the engine's own id (hub repo or web-llm prebuilt id). */
  id: string;
  engine: CatalogueEngine;
  family: string;
  name: string;
  kind: 'base' | 'instruct' | 'story';
  parameters: number;
  /** Download size per available dtype, in bytes (approximate, from the publishers' listings). */
  bytes: Partial<Record<Dtype, number>>;
  /** GPU memory needed to run, in bytes (web-llm's published VRAM requirement, or an estimate). */
  vramBytes: number;
  requiresShaderF16: boolean;
  /** Models that share a tokenizer family compare token by token. */
  tokenizer: string;
  licence: string;
  /** For llama2c entries: the checkpoint and tokenizer URLs; for ONNX: the hub repo. */
  source: { hub?: string; checkpoint?: string; tokenizerBin?: string };
}

const MB = 1e6;
const TINYSTORIES = 'https://huggingface.co/karpathy/tinyllamas/resolve/main/';
/** The Llama 2 sentencepiece vocabulary as llama2.c exports it, beside run.c in its repository. */
const LLAMA2C_TOKENIZER = 'https://raw.githubusercontent.com/karpathy/llama2.c/master/tokenizer.bin';

export const CATALOGUE: readonly CatalogueEntry[] = [
  smol('135M', 'base', 135e6, 540, 270, 140),
  smol('135M', 'instruct', 135e6, 540, 270, 140),
  smol('360M', 'base', 362e6, 1450, 725, 370),
  smol('360M', 'instruct', 362e6, 1450, 725, 370),
  onnx(
    'onnx-community/Qwen2.5-0.5B-Instruct',
    'qwen2.5',
    'Qwen2.5 0.5B Instruct',
    'instruct',
    494e6,
    { fp32: 1980 * MB, fp16: 990 * MB, q4: 460 * MB },
    'apache-2.0',
  ),
  onnx(
    'onnx-community/Qwen3-0.6B-ONNX',
    'qwen3',
    'Qwen3 0.6B',
    'instruct',
    596e6,
    { fp32: 2390 * MB, fp16: 1200 * MB, q4: 560 * MB },
    'apache-2.0',
  ),
  onnx(
    'onnx-community/Llama-3.2-1B-Instruct',
    'llama3',
    'Llama 3.2 1B Instruct',
    'instruct',
    1236e6,
    { fp16: 2470 * MB, q4: 1100 * MB },
    'llama3.2',
  ),
  webllm(
    'SmolLM2-135M-Instruct-q0f32-MLC',
    'smollm2',
    'SmolLM2 135M Instruct (web-llm)',
    135e6,
    'q0f32',
    540 * MB,
    719 * MB,
    'apache-2.0',
  ),
  webllm(
    'SmolLM2-360M-Instruct-q4f32_1-MLC',
    'smollm2',
    'SmolLM2 360M Instruct (web-llm)',
    362e6,
    'q4f32_1',
    290 * MB,
    580 * MB,
    'apache-2.0',
  ),
  webllm(
    'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    'qwen2.5',
    'Qwen2.5 0.5B Instruct (web-llm)',
    494e6,
    'q4f32_1',
    400 * MB,
    1060 * MB,
    'apache-2.0',
  ),
  webllm(
    'Qwen3-0.6B-q4f32_1-MLC',
    'qwen3',
    'Qwen3 0.6B (web-llm)',
    596e6,
    'q4f32_1',
    480 * MB,
    1920 * MB,
    'apache-2.0',
  ),
  webllm(
    'Llama-3.2-1B-Instruct-q4f32_1-MLC',
    'llama3',
    'Llama 3.2 1B Instruct (web-llm)',
    1236e6,
    'q4f32_1',
    880 * MB,
    1130 * MB,
    'llama3.2',
  ),
  tiny('stories260K', 260e3, 1.06 * MB, 'llama2c-512'),
  tiny('stories15M', 15e6, 60 * MB, 'llama2'),
  tiny('stories42M', 42e6, 167 * MB, 'llama2'),
  tiny('stories110M', 110e6, 438 * MB, 'llama2'),
];

export interface SuggestedPair {
  a: string;
  b: string;
  /** A weight format for each side, when the pair is about formats. */
  dtypeA?: OnnxDtype;
  dtypeB?: OnnxDtype;
  lesson: string;
}

/** Pairs that teach something, by catalogue id. */
export const SUGGESTED_PAIRS: readonly SuggestedPair[] = [
  {
    a: 'HuggingFaceTB/SmolLM2-135M',
    b: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    lesson: 'what instruction tuning changes (base vs instruct, one family)',
  },
  {
    a: 'HuggingFaceTB/SmolLM2-360M',
    b: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    lesson: 'base vs instruct at a larger size',
  },
  {
    a: 'SmolLM2-135M-Instruct-q0f32-MLC',
    b: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    lesson: 'what quantisation and a different runtime change (web-llm vs ONNX)',
  },
  {
    a: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    b: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    dtypeA: 'q4',
    dtypeB: 'fp16',
    lesson: 'what 4-bit weights change (q4 vs fp16 of one model)',
  },
  { a: 'stories260K', b: 'stories15M', lesson: 'what 60× more parameters buy a story model' },
];

/** The model spec (URL contract) that loads an entry: hf:…[#dtype], llama2c:…,… or webllm:…. */
export function specOf(entry: CatalogueEntry, dtype?: OnnxDtype): string {
  if (entry.engine === 'webllm') return `webllm:${entry.id}`;
  if (entry.engine === 'llama2c') return `llama2c:${entry.source.checkpoint},${entry.source.tokenizerBin}`;
  return `hf:${entry.source.hub}${dtype ? `#${dtype}` : ''}`;
}

/** The catalogue entry (and asked-for dtype) a spec loads, when it is one of them. */
export function entryOfSpec(spec: string): { entry: CatalogueEntry; dtype?: OnnxDtype } | null {
  const [body = '', dtype] = spec.trim().split('#');
  for (const entry of CATALOGUE) {
    if (specOf(entry) === body) return dtype ? { entry, dtype: dtype as OnnxDtype } : { entry };
  }
  return null;
}

function smol(
  size: string,
  kind: 'base' | 'instruct',
  parameters: number,
  fp32: number,
  fp16: number,
  q4: number,
): CatalogueEntry {
  const repo = `HuggingFaceTB/SmolLM2-${size}${kind === 'instruct' ? '-Instruct' : ''}`;
  return onnx(
    repo,
    'smollm2',
    `SmolLM2 ${size}${kind === 'instruct' ? ' Instruct' : ''}`,
    kind,
    parameters,
    { fp32: fp32 * MB, fp16: fp16 * MB, q4: q4 * MB },
    'apache-2.0',
  );
}

function onnx(
  repo: string,
  tokenizer: string,
  name: string,
  kind: 'base' | 'instruct',
  parameters: number,
  bytes: Partial<Record<Dtype, number>>,
  licence: string,
): CatalogueEntry {
  const smallest = Math.min(...Object.values(bytes));
  return {
    id: repo,
    engine: 'onnx',
    family: tokenizer,
    name,
    kind,
    parameters,
    bytes,
    vramBytes: Math.round(smallest * 1.3),
    requiresShaderF16: false,
    tokenizer,
    licence,
    source: { hub: repo },
  };
}

function webllm(
  id: string,
  tokenizer: string,
  name: string,
  parameters: number,
  dtype: Dtype,
  bytes: number,
  vram: number,
  licence: string,
): CatalogueEntry {
  return {
    id,
    engine: 'webllm',
    family: tokenizer,
    name,
    kind: 'instruct',
    parameters,
    bytes: { [dtype]: bytes },
    vramBytes: vram,
    requiresShaderF16: /f16/.test(id),
    tokenizer,
    licence,
    source: {},
  };
}

function tiny(id: string, parameters: number, bytes: number, tokenizer: string): CatalogueEntry {
  return {
    id,
    engine: 'llama2c',
    family: 'tinystories',
    name: `TinyStories ${id.replace('stories', '')}`,
    kind: 'story',
    parameters,
    bytes: { fp32: bytes },
    vramBytes: Math.round(bytes * 1.5),
    requiresShaderF16: false,
    tokenizer,
    licence: 'mit',
    source:
      id === 'stories260K'
        ? {
            checkpoint: `${TINYSTORIES}stories260K/stories260K.bin`,
            tokenizerBin: `${TINYSTORIES}stories260K/tok512.bin`,
          }
        : { checkpoint: `${TINYSTORIES}${id}.bin`, tokenizerBin: LLAMA2C_TOKENIZER },
  };
}
