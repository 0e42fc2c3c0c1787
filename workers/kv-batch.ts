// KV caches and batches of the ONNX engine, on the CPU side: stacking single-row caches into a left-padded batch,
// dropping finished rows, splitting work into parts, and freeing tensors (onnx-engine.ts's decode loop uses them).

import { DynamicCache, Tensor } from '@huggingface/transformers';

/** A KV cache by input name (past_key_values.{layer}.key|value). */
export type Kv = Record<string, Tensor>;

/** Runs each part (indices into the whole) on its own and puts the results back in the whole's order. */
export async function inParts<T>(parts: number[][], run: (indices: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const part of parts) (await run(part)).forEach((r, k) => (out[part[k]!] = r));
  return out;
}

export function lastRow(t: Tensor): Float32Array {
  const [, n, V] = t.dims as [number, number, number];
  return (t.data as Float32Array).slice((n - 1) * V, n * V);
}

/**
 * How far a padded row's log-probabilities may stray from the same prompt alone: far above float32 noise (1e-6) and
 * half-precision noise (1e-3), far below what wrong positions or an ignored mask do (0.01 to 1 and more).
 */
export const PADDING_TOLERANCE = 5e-3;

/** Above this ratio of padded to real prompt tokens, a group's prompts run one by one (see #prefill). */
export const PADDING_LIMIT = 1.25;

/** Single-row caches [1, heads, n_i, d] left-padded with zeros into one [rows, heads, width, d] cache. */
export function stackLeftPadded(kvs: Kv[], width: number): Kv {
  const out: Kv = {};
  for (const name of Object.keys(kvs[0]!)) {
    const first = kvs[0]![name]!;
    const [, heads, , d] = first.dims as [number, number, number, number];
    const data = sameKind(first.data as Float32Array, kvs.length * heads * width * d);
    kvs.forEach((kv, b) => {
      const t = kv[name]!;
      const n = t.dims[2]!;
      const src = t.data as Float32Array;
      for (let h = 0; h < heads; h++) {
        data.set(src.subarray(h * n * d, (h + 1) * n * d), ((b * heads + h) * width + width - n) * d);
      }
      t.dispose?.();
    });
    out[name] = new Tensor(first.type, data, [kvs.length, heads, width, d]);
  }
  return out;
}

/** A zeroed array of the same element type as `like` (a 16-bit cache is a Uint16Array or Float16Array). */
export function sameKind(like: Float32Array, length: number): Float32Array {
  return new (like.constructor as Float32ArrayConstructor)(length);
}

export function disposeKv(kv: Kv): void {
  for (const t of Object.values(kv)) t.dispose?.();
}

export function isCpu(kv: Kv): boolean {
  return Object.values(kv).every((t) => (t as Tensor & { location?: string }).location !== 'gpu-buffer');
}

/** The cache of some batch rows only ([B, heads, T, d] → [rows.length, heads, T, d]), copied on the CPU. */
export function selectRows(kv: Kv, rows: number[]): Kv {
  const out: Kv = {};
  for (const [name, t] of Object.entries(kv)) {
    const [B, ...rest] = t.dims as number[];
    const size = rest.reduce((a, b) => a * b, 1);
    const data = t.data as Float32Array;
    const kept = sameKind(data, rows.length * size);
    rows.forEach((b, i) => kept.set(data.subarray(b * size, (b + 1) * size), i * size));
    if (B === undefined) throw new Error(`selectRows: ${name} has no batch dimension`);
    out[name] = new Tensor(t.type, kept, [rows.length, ...rest]);
  }
  return out;
}

export function disposeCache(cache: DynamicCache): void {
  for (const t of Object.values(cache as unknown as Record<string, Tensor>)) t.dispose?.();
}
