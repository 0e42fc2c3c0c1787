// The profile cache in IndexedDB (idb-keyval, in the project's own database): every finished record is stored at
// once, so nothing finished is ever computed twice. Storage failures never stop a run; they are reported.

import { clear, createStore, del, entries, get, set, type UseStore } from 'idb-keyval';

export interface RecordCache {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
}

export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

export const DB_NAME = 'model-diff';
const STORE_NAME = 'records';

export function openProfileStore(): UseStore {
  return createStore(DB_NAME, STORE_NAME);
}

export function idbCache(store: UseStore = openProfileStore()): RecordCache {
  return {
    get: <T>(key: string) => get<T>(key, store),
    async put(key, value) {
      try {
        await set(key, value, store);
      } catch (e) {
        if (e instanceof DOMException && e.name === 'QuotaExceededError') {
          throw new StorageFullError(
            'Browser storage is full, so finished prompts can no longer be saved. Delete cached profiles under ' +
              '"Storage", or free space for this site in the browser settings; the run can continue without saving.',
          );
        }
        throw e;
      }
    },
  };
}

export interface StorageSummary {
  records: number;
  generations: number;
  scores: number;
  bytes: number;
  quota: number | null;
  usage: number | null;
}

/** What is cached: counts and an estimate of bytes (JSON length of each record). */
export async function storageSummary(store: UseStore = openProfileStore()): Promise<StorageSummary> {
  const all = await entries<string, unknown>(store);
  let bytes = 0;
  for (const [k, v] of all) bytes += k.length + JSON.stringify(v).length;
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  return {
    records: all.length,
    generations: all.filter(([k]) => String(k).startsWith('gen:')).length,
    scores: all.filter(([k]) => String(k).startsWith('score:')).length,
    bytes,
    quota: estimate?.quota ?? null,
    usage: estimate?.usage ?? null,
  };
}

export async function clearStorage(store: UseStore = openProfileStore()): Promise<void> {
  await clear(store);
}

export async function deleteRecord(key: string, store: UseStore = openProfileStore()): Promise<void> {
  await del(key, store);
}
