// Capability decisions before loading: from what the browser reports about WebGPU (adapter, shader-f16, limits) and
// what a model needs, choose engine, device and dtype, or say plainly what will not work and why. Pure: the adapter
// facts come in as data, so every branch is testable without a GPU. The page uses it to explain before a run; the
// engine worker uses the same functions with the weights it actually finds.

import type { CatalogueEntry, Dtype } from './catalogue.ts';
import { F16_DTYPES, ONNX_DTYPES, isOnnxDtype, onnxFileOf, type OnnxDtype } from './onnx-dtypes.ts';

export interface GpuFacts {
  /** null when the browser offers no WebGPU adapter. */
  adapter: null | {
    isFallback: boolean;
    shaderF16: boolean;
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    /** Vendor and architecture or description, when the browser says. */
    name?: string;
  };
  /** navigator.deviceMemory in GiB when the browser says (rounded, and capped by some browsers), else null. */
  deviceMemoryGiB: number | null;
}

export type DeviceWish = 'auto' | 'webgpu' | 'wasm';
/** Where onnxruntime runs: WebGPU or WASM in a browser, the native CPU runtime in Node. */
export type OnnxDevice = 'webgpu' | 'wasm' | 'cpu';

export interface DecideOptions {
  /** The page's device setting (URL `device=`). */
  device?: DeviceWish;
  /** A dtype the user asked for (spec suffix `#q4`), or 'auto' to choose. */
  dtype?: OnnxDtype | 'auto';
  /** The dtype the model folder declares (config.json "transformers.js_config".dtype): preferred by 'auto'. */
  declared?: OnnxDtype | null;
}

export interface Decision {
  ok: boolean;
  engine: CatalogueEntry['engine'];
  device: OnnxDevice | null;
  dtype: Dtype | null;
  estimatedBytes: number;
  /** Plain sentences: what was chosen and why, and what will not work. */
  notes: string[];
}

const GiB = 1024 ** 3;
export const formatBytes = (b: number) =>
  b >= GiB ? `${(b / GiB).toFixed(1)} GiB` : `${(b / 1e6).toFixed(b < 1e7 ? 1 : 0)} MB`;

/** WASM's 32-bit address space: models above about 2 GB cannot load on the CPU path at all. */
export const WASM_MAX_BYTES = 2 * GiB;

/**
 * On WASM, fp32 weights up to this size come first when the format is the page's choice: onnxruntime-web's WASM
 * MatMulNBits (q4, q8) is far slower than its fp32 MatMul (the 135M-shaped model profiles about 2× faster in fp32:
 * `npm run bench -- formats`), and at this size two models in fp32, with the lens's second copy, stay well inside
 * WASM's memory. Larger models keep the smaller downloads (q4 → q8 → fp32), and so does an fp32 file smaller than
 * another format's (its weights are in external data, which the probes do not size).
 */
export const WASM_FP32_FIRST_BYTES = 0.75 * GiB;
/** Memory needed beside the weights (activations, KV cache, runtime): a rough factor for the estimate. */
const OVERHEAD = 1.3;

/** The device onnxruntime-web should use, or why the one asked for cannot be used. */
export function pickDevice(gpu: GpuFacts, wish: DeviceWish): { device: 'webgpu' | 'wasm'; notes: string[] } {
  const a = gpu.adapter;
  if (wish === 'wasm') return { device: 'wasm', notes: ['Running on WASM (CPU), as asked.'] };
  if (wish === 'webgpu') {
    if (!a)
      throw new CapabilityError(
        'WebGPU was requested (device=webgpu), but this browser offers no WebGPU adapter. Run on the CPU instead: ' +
          'device=auto or device=wasm. Nothing was loaded or lost.',
      );
    return {
      device: 'webgpu',
      notes: a.isFallback ? ['WebGPU as asked, on a software adapter (no GPU): much slower than WASM.'] : [],
    };
  }
  if (!a) return { device: 'wasm', notes: ['No WebGPU adapter: running on WASM (CPU).'] };
  if (a.isFallback)
    return {
      device: 'wasm',
      notes: ['Only a software WebGPU adapter: running on WASM, which is faster than emulated WebGPU.'],
    };
  return { device: 'webgpu', notes: [] };
}

export class CapabilityError extends Error {
  override name = 'CapabilityError';
}

/** The order in which 'auto' tries weight formats on a device. */
export function dtypePreference(device: OnnxDevice, shaderF16: boolean): OnnxDtype[] {
  if (device === 'webgpu')
    return shaderF16
      ? ['fp16', 'q4f16', 'fp32', 'q4', 'q8', 'int8', 'uint8', 'bnb4']
      : ['fp32', 'q4', 'q8', 'int8', 'uint8', 'bnb4'];
  if (device === 'cpu') return ['fp32', 'q8', 'q4', 'fp16', 'int8', 'uint8', 'bnb4', 'q4f16'];
  return ['q4', 'q8', 'int8', 'uint8', 'bnb4', 'fp32'];
}

/** Why a dtype cannot run on a device, or null when it can. */
export function dtypeProblem(dtype: OnnxDtype, device: OnnxDevice, gpu: GpuFacts): string | null {
  if (!F16_DTYPES.has(dtype) || device === 'cpu') return null;
  const a = gpu.adapter;
  if (device === 'webgpu' && a?.shaderF16) return null;
  const why =
    device === 'webgpu'
      ? 'this GPU has no shader-f16'
      : !a
        ? 'this browser offers no WebGPU adapter'
        : !a.shaderF16
          ? `the WebGPU adapter here has no shader-f16${a.isFallback ? ' (it is a software adapter)' : ''}`
          : 'the model runs on WASM here (device=wasm)';
  return `${dtype} weights compute in 16-bit floats, which needs WebGPU with shader-f16, and ${why}: choose fp32, q8 or q4 weights.`;
}

/** For ONNX weights (and converted llama2.c checkpoints): device and dtype from the formats a model has. */
export function decideWeights(
  engine: 'onnx' | 'llama2c',
  available: Partial<Record<OnnxDtype, number>>,
  gpu: GpuFacts,
  options: DecideOptions = {},
): Decision {
  let device: { device: 'webgpu' | 'wasm'; notes: string[] };
  try {
    device = pickDevice(gpu, options.device ?? 'auto');
  } catch (e) {
    return refuse(engine, (e as Error).message);
  }
  const first = decideOn(engine, device.device, available, gpu, options);
  // A hardware GPU whose buffers are small for these weights: WASM is the safer place when it can hold them.
  if (
    first.ok &&
    device.device === 'webgpu' &&
    (options.device ?? 'auto') === 'auto' &&
    tooBigForBuffers(first.estimatedBytes / OVERHEAD, gpu)
  ) {
    const wasm = decideOn(engine, 'wasm', available, gpu, options);
    if (wasm.ok) {
      const a = gpu.adapter!;
      return {
        ...wasm,
        notes: [
          `The weights are large for this GPU's buffers (${formatBytes(a.maxBufferSize)} each): running on WASM.`,
          ...wasm.notes,
        ],
      };
    }
  }
  return first.ok ? { ...first, notes: [...device.notes, ...first.notes] } : first;
}

function tooBigForBuffers(bytes: number, gpu: GpuFacts): boolean {
  return gpu.adapter !== null && bytes > gpu.adapter.maxBufferSize * 4;
}

/** Chooses the dtype on a given device (the engine's path: it knows the device and the files it found). */
export function decideOn(
  engine: 'onnx' | 'llama2c',
  device: OnnxDevice,
  available: Partial<Record<OnnxDtype, number>>,
  gpu: GpuFacts,
  options: DecideOptions,
): Decision {
  const have = ONNX_DTYPES.filter((d) => available[d] !== undefined);
  const listed = have.join(', ') || 'none';
  const wanted = options.dtype ?? 'auto';
  const notes: string[] = [];
  let dtype: OnnxDtype;
  if (wanted !== 'auto') {
    if (available[wanted] === undefined)
      return refuse(engine, `This model has no ${wanted} weights (${onnxFileOf(wanted)}); it has: ${listed}.`);
    const problem = dtypeProblem(wanted, device, gpu);
    if (problem) return refuse(engine, problem);
    dtype = wanted;
  } else {
    // The probes size the graph file only: an fp32 file smaller than another format's holds its weights elsewhere
    // (external data, not sized), so its size says nothing and the smaller formats stay first.
    const fp32 = available.fp32 ?? 0;
    const holdsWeights = have.every((d) => available[d]! <= fp32);
    const small32 = fp32 > 0 && holdsWeights && fp32 <= WASM_FP32_FIRST_BYTES;
    // On a device that says it has little memory (under 8 GiB), two fp32 models are a lot: the smaller formats stay first.
    const roomy = gpu.deviceMemoryGiB === null || gpu.deviceMemoryGiB >= 8;
    const fp32First = device === 'wasm' && small32 && roomy;
    const preferred = dtypePreference(device, gpu.adapter?.shaderF16 ?? false);
    const order = fp32First ? (['fp32', ...preferred.filter((d) => d !== 'fp32')] as OnnxDtype[]) : preferred;
    const declared = options.declared && order.includes(options.declared) ? [options.declared] : [];
    const fits = (d: OnnxDtype) => available[d] !== undefined && (device !== 'wasm' || available[d]! <= WASM_MAX_BYTES);
    const found = [...declared, ...order].find(fits);
    if (!found) {
      const runnable = have.filter((d) => !dtypeProblem(d, device, gpu));
      if (device === 'wasm' && runnable.length > 0) {
        const smallest = Math.min(...runnable.map((d) => available[d]!));
        return refuse(
          engine,
          `The smallest usable weights are ${formatBytes(smallest)}, more than WASM can address (${formatBytes(WASM_MAX_BYTES)}); this model needs a WebGPU GPU.`,
        );
      }
      const reasons = have.map((d) => dtypeProblem(d, device, gpu)).filter((r): r is string => r !== null);
      return refuse(engine, `None of this model's weight formats (${listed}) can run here. ${reasons[0] ?? ''}`.trim());
    }
    dtype = found;
    if (fp32First && found === 'fp32' && declared[0] !== 'fp32' && have.some((d) => d !== 'fp32'))
      notes.push(
        `fp32 rather than 4- or 8-bit weights: at ${formatBytes(available.fp32!)} it fits, and quantised weights run ` +
          'several times slower on WASM.',
      );
    if (device === 'webgpu' && !gpu.adapter?.shaderF16 && have.some((d) => F16_DTYPES.has(d)))
      notes.push('This GPU has no shader-f16, so 16-bit weights are skipped.');
  }
  const bytes = available[dtype]!;
  if (device === 'wasm' && bytes > WASM_MAX_BYTES)
    return refuse(
      engine,
      `The ${dtype} weights are ${formatBytes(bytes)}, more than WASM can address (${formatBytes(WASM_MAX_BYTES)}); this model needs a WebGPU GPU.`,
    );
  if (device === 'webgpu' && tooBigForBuffers(bytes, gpu))
    notes.push(
      `The weights (${formatBytes(bytes)}) are large for this GPU's buffers (${formatBytes(gpu.adapter!.maxBufferSize)} each): loading may fail.`,
    );
  const memory = gpu.deviceMemoryGiB !== null ? gpu.deviceMemoryGiB * GiB : null;
  if (memory !== null && bytes * OVERHEAD > memory)
    notes.push(`It needs about ${formatBytes(bytes * OVERHEAD)} and this device reports ${formatBytes(memory)}.`);
  const where =
    device === 'webgpu'
      ? 'onnxruntime-web on WebGPU'
      : device === 'wasm'
        ? 'onnxruntime-web on WASM'
        : 'onnxruntime on the CPU';
  notes.push(`${where}, ${dtype}: ${bytes > 0 ? `${formatBytes(bytes)} to download` : 'size unknown'}.`);
  return { ok: true, engine, device, dtype, estimatedBytes: Math.round(bytes * OVERHEAD), notes };
}

/** A catalogue entry on this browser: web-llm needs WebGPU; ONNX and llama2.c go through decideWeights. */
export function decide(entry: CatalogueEntry, gpu: GpuFacts, options: DecideOptions = {}): Decision {
  if (entry.engine !== 'webllm') {
    const available = Object.fromEntries(Object.entries(entry.bytes).filter(([d]) => isOnnxDtype(d))) as Partial<
      Record<OnnxDtype, number>
    >;
    return decideWeights(entry.engine, available, gpu, options);
  }
  const notes: string[] = [];
  const dtype = (Object.keys(entry.bytes)[0] ?? null) as Dtype | null;
  const memoryLimit = gpu.deviceMemoryGiB !== null ? gpu.deviceMemoryGiB * GiB : null;
  if (!gpu.adapter) {
    return refuse(
      entry.engine,
      'web-llm needs WebGPU, and this browser offers no WebGPU adapter: choose the ONNX version of this model (it runs on WASM).',
    );
  }
  if (options.device === 'wasm')
    return refuse(entry.engine, 'web-llm runs only on WebGPU, and this page is set to WASM (device=wasm).');
  if (entry.requiresShaderF16 && !gpu.adapter.shaderF16) {
    return refuse(
      entry.engine,
      `${entry.id} computes in 16-bit floats, but this GPU has no shader-f16: choose a q4f32 or q0f32 build.`,
    );
  }
  if (gpu.adapter.isFallback) notes.push('The only WebGPU adapter is a software one (no GPU): it will be very slow.');
  if (memoryLimit !== null && entry.vramBytes > memoryLimit) {
    notes.push(
      `It needs about ${formatBytes(entry.vramBytes)} of GPU memory and this device reports ${formatBytes(memoryLimit)}: it may fail to load ("device lost").`,
    );
  }
  notes.push(`web-llm on WebGPU, ${dtype}: about ${formatBytes(entry.vramBytes)} of GPU memory.`);
  return { ok: true, engine: 'webllm', device: 'webgpu', dtype, estimatedBytes: entry.vramBytes, notes };
}

/** What this browser can do, in sentences for the page (before anything is chosen). */
export function describeDevice(gpu: GpuFacts): string[] {
  const a = gpu.adapter;
  const out: string[] = [];
  if (!a) {
    out.push('No WebGPU adapter: web-llm models are unavailable, and ONNX models run on WASM (CPU).');
  } else {
    const name = a.name ? `${a.name}, ` : '';
    out.push(
      a.isFallback
        ? `WebGPU adapter: ${name}a software adapter (no GPU). ONNX models run on WASM, which is faster; web-llm models would be very slow.`
        : `WebGPU adapter: ${name}a hardware GPU. ONNX and web-llm models run on it.`,
    );
    out.push(
      a.shaderF16
        ? 'shader-f16: yes — 16-bit weights (fp16, q4f16) can run.'
        : 'shader-f16: no — fp16 and q4f16 weights and web-llm builds with f16 in their name will not run.',
    );
    out.push(
      `Largest GPU buffer: ${formatBytes(a.maxBufferSize)} (storage binding ${formatBytes(a.maxStorageBufferBindingSize)}).`,
    );
  }
  if (gpu.deviceMemoryGiB !== null)
    out.push(
      `This device reports about ${gpu.deviceMemoryGiB} GiB of memory (browsers round the figure and may cap it).`,
    );
  return out;
}

function refuse(engine: CatalogueEntry['engine'], why: string): Decision {
  return { ok: false, engine, device: null, dtype: null, estimatedBytes: 0, notes: [why] };
}
