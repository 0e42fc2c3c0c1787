// Reads what this browser says about WebGPU (adapter, shader-f16, limits, software or not) and its memory, as the
// plain data src/core/capabilities.ts decides from. Runs in pages and workers alike (both have navigator.gpu).

import type { GpuFacts } from '../src/core/capabilities.ts';

interface AdapterLike {
  features: { has(name: string): boolean };
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
  /** Chromium 120+: adapter.info; older: adapter.isFallbackAdapter. */
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
  isFallbackAdapter?: boolean;
}

type GpuNavigator = { gpu?: { requestAdapter(): Promise<AdapterLike | null> }; deviceMemory?: number };

export async function readGpuFacts(): Promise<GpuFacts> {
  const nav = globalThis.navigator as unknown as GpuNavigator | undefined;
  const adapter = nav?.gpu ? await nav.gpu.requestAdapter().catch(() => null) : null;
  const memory = typeof nav?.deviceMemory === 'number' ? nav.deviceMemory : null;
  if (!adapter) return { adapter: null, deviceMemoryGiB: memory };
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || info.description || undefined;
  return {
    adapter: {
      isFallback: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
      shaderF16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      ...(name ? { name } : {}),
    },
    deviceMemoryGiB: memory,
  };
}
