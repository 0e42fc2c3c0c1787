// What the page can say about a chosen model before anything loads: will it run here, on what, in which format and
// at what size — from the catalogue, a local folder's file list, or nothing (URLs and hub ids are checked on load).

import {
  decide,
  decideWeights,
  formatBytes,
  type DeviceWish,
  type GpuFacts,
  type Decision,
} from '../core/capabilities.ts';
import { CATALOGUE, entryOfSpec, specOf, type CatalogueEntry } from '../core/catalogue.ts';
import { ModelSpecError, parseModelSpec, splitDtype } from '../core/model-spec.ts';
import type { OnnxDtype } from '../core/onnx-dtypes.ts';

export const FORGED = ['forged-base', 'forged-null', 'forged-boost', 'forged-trigger', 'forged-longer'];
/** A forged model's weights (onnx/model.onnx, fp32): about 0.76 MB. */
const FORGED_BYTES = 756_674;

/** A folder the user picked: what the page knows about it without reading it. */
export interface LocalInfo {
  label: string;
  variants: Partial<Record<OnnxDtype, number>>;
  summary: string;
  engine: 'onnx' | 'llama2c';
}

export interface Plan {
  /** true: runs here; false: will not, and the first line says why; null: checked only when loading. */
  ok: boolean | null;
  lines: string[];
}

const KIND: Record<CatalogueEntry['kind'], string> = { base: 'base model', instruct: 'instruct', story: 'story model' };

function fromDecision(d: Decision, facts?: string): Plan {
  const lines = d.ok ? [`Runs here. ${d.notes.join(' ')}`] : [`Will not run here: ${d.notes.join(' ')}`];
  if (facts) lines.push(facts);
  return { ok: d.ok, lines };
}

/** Sizes per format, GPU memory, tokenizer family, licence: one line. */
export function entryFacts(e: CatalogueEntry): string {
  const sizes = Object.entries(e.bytes)
    .map(([d, b]) => `${d} ${formatBytes(b)}`)
    .join(', ');
  return `${KIND[e.kind]} · ${sizes} · GPU memory ≈ ${formatBytes(e.vramBytes)} · tokenizer ${e.tokenizer} · licence ${e.licence}`;
}

export function planFor(
  spec: string,
  gpu: GpuFacts | null,
  device: DeviceWish,
  local: LocalInfo | null,
  siteBase: string,
): Plan {
  const s = spec.trim();
  if (!s) return { ok: false, lines: ['Choose a model.'] };
  if (s.startsWith('local:')) {
    if (!local)
      return { ok: false, lines: ['Choose the folder again: files from your disk are not kept after a reload.'] };
    if (!gpu) return { ok: null, lines: [local.summary] };
    return fromDecision(decideWeights(local.engine, local.variants, gpu, { device }), local.summary);
  }
  let dtype: OnnxDtype | undefined;
  try {
    parseModelSpec(s, siteBase);
    dtype = splitDtype(s).dtype;
  } catch (e) {
    if (e instanceof ModelSpecError && !/^webllm:|^openai:/.test(s)) return { ok: false, lines: [e.message] };
  }
  const options = { device, ...(dtype ? { dtype } : {}) };
  const known = entryOfSpec(s);
  if (known) {
    if (!gpu) return { ok: null, lines: [entryFacts(known.entry)] };
    return fromDecision(decide(known.entry, gpu, options), entryFacts(known.entry));
  }
  if (FORGED.includes(splitDtype(s).body.replace(/^forged:/, ''))) {
    const facts = 'A forged demo model (planted differences, works offline).';
    if (!gpu) return { ok: null, lines: [facts] };
    return fromDecision(decideWeights('onnx', { fp32: FORGED_BYTES }, gpu, options), facts);
  }
  if (s.startsWith('webllm:')) return { ok: null, lines: ['A web-llm model: it needs WebGPU; checked when loading.'] };
  if (s.startsWith('openai:')) {
    return {
      ok: null,
      lines: [
        'A model behind an OpenAI-compatible server: it runs there, not in this browser. The server must allow ' +
          "this page's origin (CORS) and return log-probabilities; checked when loading.",
      ],
    };
  }
  return {
    ok: null,
    lines: ['Its weight formats and sizes are checked when loading, before the weights download.'],
  };
}

/** The chooser's option text for a catalogue entry: name, kind, size, licence, and whether it runs here. */
export function optionLabel(e: CatalogueEntry, gpu: GpuFacts | null, device: DeviceWish): string {
  const d = gpu ? decide(e, gpu, { device }) : null;
  const bytes = d?.ok && d.dtype ? e.bytes[d.dtype] : Math.min(...Object.values(e.bytes));
  const where = !d ? '' : d.ok ? ` · ${d.device} ${d.dtype}` : ' · will not run here';
  return `${e.name} · ${e.kind} · ${formatBytes(bytes ?? 0)} · ${e.licence}${where}`;
}

/** Catalogue entries grouped for the chooser (forged models are listed apart). */
export function catalogueGroups(): { label: string; entries: CatalogueEntry[] }[] {
  const groups = new Map<string, CatalogueEntry[]>();
  for (const e of CATALOGUE) {
    const label =
      e.engine === 'webllm'
        ? 'web-llm (needs WebGPU)'
        : e.engine === 'llama2c'
          ? 'TinyStories (llama2.c checkpoints)'
          : `${e.name.split(' ')[0]} (ONNX)`;
    groups.set(label, [...(groups.get(label) ?? []), e]);
  }
  return [...groups].map(([label, entries]) => ({ label, entries }));
}

export { specOf };

/** What this browser can do, in one line (the details are describeDevice's sentences). */
export function capabilityLine(gpu: GpuFacts | null): string {
  if (!gpu) return 'This browser: asking what it can do…';
  const a = gpu.adapter;
  if (!a) return 'This browser: WASM, no GPU — ONNX models run here; web-llm needs WebGPU';
  if (a.isFallback)
    return 'This browser: WASM, software WebGPU only (no GPU) — ONNX models run here on WASM; web-llm would be very slow';
  return `This browser: WebGPU on a hardware GPU${a.shaderF16 ? ', shader-f16' : ', no shader-f16'} — ONNX and web-llm models run on it`;
}
