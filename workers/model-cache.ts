// Model files from other hosts (the Hugging Face hub, a model server, llama2.c checkpoints) kept in Cache Storage,
// so a finished file is never downloaded twice. transformers.js's own browser cache cannot do this here: it keys files
// by the path it asked for, and every load mounts its model under a fresh virtual path (model-files.ts).
// The site's own files (the forged models) are left to the HTTP cache: caching them again would only go stale.

export const MODEL_CACHE = 'model-diff-models';
/** Header stored with each cached file: the model it belongs to, for the storage view. */
export const MODEL_HEADER = 'x-model-diff-model';

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface CachingFetch {
  fetch: Fetch;
  /** Waits for files still being written to the cache; returns warnings (e.g. a full disk) to show the user. */
  settle(): Promise<string[]>;
}

function cacheable(url: string): boolean {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  return /^https?:/.test(url) && typeof caches !== 'undefined' && !url.startsWith(`${origin}/`);
}

export function cachingFetch(model: string, network: Fetch = (u, i) => fetch(u, i)): CachingFetch {
  const writes: Promise<string | null>[] = [];
  /** Files being written: a second request for one waits for it instead of downloading it again. */
  const pending = new Map<string, Promise<unknown>>();
  const fetchThrough: Fetch = async (url, init) => {
    if ((init?.method ?? 'GET') !== 'GET' || !cacheable(url)) return network(url, init);
    const cache = await caches.open(MODEL_CACHE).catch(() => null);
    await pending.get(url);
    const hit = await cache?.match(url);
    // A probe (Range: bytes=0-0) is answered from a cached file as well: it only reads headers.
    if (hit) return hit;
    const res = await network(url, init);
    if (!cache || res.status !== 200 || new Headers(init?.headers).has('Range')) return res;
    const headers = new Headers(res.headers);
    headers.set(MODEL_HEADER, model);
    const copy = new Response(res.clone().body, { status: 200, statusText: res.statusText, headers });
    const write = cache.put(url, copy);
    pending.set(
      url,
      write.catch(() => {}),
    );
    writes.push(
      write.then(
        () => null,
        (e: unknown) =>
          e instanceof DOMException && e.name === 'QuotaExceededError'
            ? 'Browser storage is full, so this model will be downloaded again next time. Delete cached models ' +
              'under "Storage", or free space for this site in the browser settings.'
            : `This model could not be kept in the browser's cache (${(e as Error).message}); it will be downloaded again next time.`,
      ),
    );
    return res;
  };
  return {
    fetch: fetchThrough,
    async settle() {
      const out = await Promise.all(writes);
      return [...new Set(out.filter((w): w is string => w !== null))];
    },
  };
}
