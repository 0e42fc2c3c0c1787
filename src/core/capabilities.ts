// Capability decisions before loading: from what the browser reports about WebGPU (adapter, shader-f16, limits) and
// what a model needs, choose engine, device and dtype, or say plainly what will not work and why. Pure: the adapter
// facts come in as data, so every branch is testable without a GPU.

import type { CatalogueEntry, Dtype } from './catalogue.ts';

export interface GpuFacts {
  /** null when the browser offers no WebGPU adapter. */
  adapter: null | {
    isFallback: boolean;
    shaderF16: boolean;
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
  };
  /** navigator.deviceMemory in GiB when the browser says (Chromium caps it at 8), else null. */
  deviceMemoryGiB: number | null;
}

export interface Decision {
  ok: boolean;
  engine: CatalogueEntry['engine'];
  device: 'webgpu' | 'wasm' | null;
  dtype: Dtype | null;
  estimatedBytes: number;
  /** Plain sentences: what was chosen and why, and what will not work. */
  notes: string[];
}

const GiB = 1024 ** 3;
const fmt = (b: number) => (b >= GiB ? `${(b / GiB).toFixed(1)} GiB` : `${(b / 1e6).toFixed(0)} MB`);

/** WASM's 32-bit address space: models above about 2 GB cannot load on the CPU path at all. */
export const WASM_MAX_BYTES = 2 * GiB;

export function decide(entry: CatalogueEntry, gpu: GpuFacts): Decision {
  const notes: string[] = [];
  const hardware = gpu.adapter !== null && !gpu.adapter.isFallback;
  const f16 = gpu.adapter?.shaderF16 ?? false;
  const memoryLimit = gpu.deviceMemoryGiB !== null ? gpu.deviceMemoryGiB * GiB : null;

  if (entry.engine === 'webllm') {
    const dtype = (Object.keys(entry.bytes)[0] ?? null) as Dtype | null;
    if (!gpu.adapter) {
      return refuse(
        entry,
        'web-llm needs WebGPU, and this browser offers no WebGPU adapter: choose the ONNX version of this model (it runs on WASM).',
      );
    }
    if (entry.requiresShaderF16 && !f16) {
      return refuse(
        entry,
        `${entry.id} computes in 16-bit floats, but this GPU has no shader-f16: choose a q4f32 or q0f32 build.`,
      );
    }
    if (gpu.adapter.isFallback) notes.push('The only WebGPU adapter is a software one (no GPU): it will be very slow.');
    if (memoryLimit !== null && entry.vramBytes > memoryLimit) {
      notes.push(
        `It needs about ${fmt(entry.vramBytes)} of GPU memory and this device reports ${fmt(memoryLimit)}: it may fail to load ("device lost").`,
      );
    }
    notes.push(`web-llm on WebGPU, ${dtype}: about ${fmt(entry.vramBytes)} of GPU memory.`);
    return { ok: true, engine: 'webllm', device: 'webgpu', dtype, estimatedBytes: entry.vramBytes, notes };
  }

  // ONNX and llama2.c run through onnxruntime-web: WebGPU on a hardware adapter, else WASM.
  const available = Object.entries(entry.bytes) as [Dtype, number][];
  const preference: Dtype[] = hardware
    ? f16
      ? ['fp16', 'q4f16', 'fp32', 'q4', 'q8']
      : ['fp32', 'q4', 'q8']
    : ['q4', 'q8', 'fp32'];
  if (hardware && !f16 && available.some(([d]) => d === 'fp16' || d === 'q4f16')) {
    notes.push('This GPU has no shader-f16, so 16-bit weights are skipped.');
  }
  const choice = preference.map((d) => available.find(([x]) => x === d)).find((x) => x !== undefined);
  if (!choice)
    return refuse(entry, `None of this model's weight formats (${available.map(([d]) => d).join(', ')}) can run here.`);
  const [dtype, bytes] = choice;
  const device = hardware ? 'webgpu' : 'wasm';
  if (device === 'wasm' && bytes > WASM_MAX_BYTES) {
    return refuse(
      entry,
      `The smallest usable weights are ${fmt(bytes)}, more than WASM can address (${fmt(WASM_MAX_BYTES)}); this model needs a WebGPU GPU.`,
    );
  }
  if (device === 'webgpu' && bytes > gpu.adapter!.maxBufferSize * 4) {
    notes.push(
      `The weights (${fmt(bytes)}) are large for this GPU's buffers (${fmt(gpu.adapter!.maxBufferSize)} each).`,
    );
  }
  if (!gpu.adapter) notes.push('No WebGPU adapter: running on WASM (CPU).');
  else if (!hardware)
    notes.push('Only a software WebGPU adapter: running on WASM, which is faster than emulated WebGPU.');
  if (memoryLimit !== null && bytes * 1.3 > memoryLimit)
    notes.push(`It needs about ${fmt(bytes * 1.3)} and this device reports ${fmt(memoryLimit)}.`);
  notes.push(`onnxruntime-web on ${device === 'webgpu' ? 'WebGPU' : 'WASM'}, ${dtype}: ${fmt(bytes)} to download.`);
  return { ok: true, engine: entry.engine, device, dtype, estimatedBytes: Math.round(bytes * 1.3), notes };
}

function refuse(entry: CatalogueEntry, why: string): Decision {
  return { ok: false, engine: entry.engine, device: null, dtype: null, estimatedBytes: 0, notes: [why] };
}
