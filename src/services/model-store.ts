// The downloaded model files this site keeps (Cache Storage, written by the engine workers): listed per model with
// sizes for the storage view, and deleted per model or all at once.

import { MODEL_CACHE, MODEL_HEADER } from '../../workers/model-cache.ts';

export { readGpuFacts } from '../../workers/gpu-facts.ts';

export interface CachedModel {
  /** The model's id as the engine names it (hf:org/name@rev, a folder URL, llama2c:<checkpoint URL>). */
  model: string;
  files: { url: string; bytes: number }[];
  bytes: number;
}

async function open(): Promise<Cache | null> {
  if (typeof caches === 'undefined') return null;
  return caches.open(MODEL_CACHE).catch(() => null);
}

export async function listCachedModels(): Promise<CachedModel[]> {
  const cache = await open();
  if (!cache) return [];
  const models = new Map<string, CachedModel>();
  for (const request of await cache.keys()) {
    const res = await cache.match(request);
    if (!res) continue;
    const model = res.headers.get(MODEL_HEADER) ?? request.url.replace(/[^/]*$/, '');
    const length = res.headers.get('content-length');
    // Without a length header the stored body's size is read (a disk-backed Blob, not loaded into memory).
    const bytes = length !== null ? Number(length) : (await res.blob()).size;
    const entry = models.get(model) ?? { model, files: [], bytes: 0 };
    entry.files.push({ url: request.url, bytes });
    entry.bytes += bytes;
    models.set(model, entry);
  }
  return [...models.values()].sort((a, b) => b.bytes - a.bytes);
}

/** Deletes every cached file of one model (or of all models when model is null). */
export async function deleteCachedModel(model: string | null): Promise<void> {
  if (model === null) {
    if (typeof caches !== 'undefined') await caches.delete(MODEL_CACHE);
    return;
  }
  const cache = await open();
  if (!cache) return;
  for (const request of await cache.keys()) {
    const res = await cache.match(request);
    if ((res?.headers.get(MODEL_HEADER) ?? request.url.replace(/[^/]*$/, '')) === model) await cache.delete(request);
  }
}
