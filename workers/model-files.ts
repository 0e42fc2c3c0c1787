// Resolves a model source to the Hugging Face-layout files transformers.js asks for. Every source is mounted under
// one virtual origin, and transformers.js's fetch is pointed at a resolver, so URLs, in-memory files and imported
// llama2.c checkpoints all load the same way.

import { importLlama2c } from '../src/core/llama2c/import.ts';
import type { BlobLike, LoadProgress, ModelSource } from '../src/core/engine/types.ts';
import type { Fetch } from './model-cache.ts';

// A path, not a URL: transformers.js only treats non-URL local paths as local files. Never reaches a server.
export const VIRTUAL_ROOT = '/__model-diff__/models/';

export type Resolver = (path: string, init?: RequestInit) => Promise<Response>;

/**
 * Mounted models by load id. transformers.js keeps one global env per JS context, and memoises files by model id,
 * so two engines in one context (Node scripts, tests) each need a unique id and their own entry here.
 */
const mounts = new Map<string, Resolver>();

export function mount(resolver: Resolver): string {
  const id = `model-${globalThis.crypto.randomUUID()}`;
  mounts.set(id, resolver);
  return id;
}

export function unmount(id: string): void {
  mounts.delete(id);
}

/** Serves VIRTUAL_ROOT/<load id>/<path> from the mounted resolver; null for any other URL. */
export function resolveVirtual(url: string, init?: RequestInit): Promise<Response> | null {
  if (!url.startsWith(VIRTUAL_ROOT)) return null;
  const [id, ...rest] = url.slice(VIRTUAL_ROOT.length).split('/');
  const resolver = mounts.get(id ?? '');
  if (!resolver) return Promise.resolve(new Response(null, { status: 404, statusText: `model ${id} is not mounted` }));
  return resolver(rest.join('/'), init);
}

function fileResponse(files: Record<string, Uint8Array | BlobLike>, path: string): Response {
  const data = files[path];
  if (!data) return new Response(null, { status: 404, statusText: `${path} is not in the model folder` });
  // A File from the user's disk streams from there; bytes are copied so the caller's array stays intact.
  const body = data instanceof Uint8Array ? (data.slice().buffer as ArrayBuffer) : (data as Blob);
  const size = data instanceof Uint8Array ? data.byteLength : data.size;
  return new Response(body, {
    status: 200,
    headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' },
  });
}

export interface ResolverOptions {
  /** How files are fetched from URLs (the model cache wraps the network). */
  fetch?: Fetch;
  /** Bytes of files read before transformers.js sees them (llama2.c checkpoints). */
  onProgress?: (p: LoadProgress) => void;
}

/** Reads a response to the end, reporting bytes as they arrive. */
async function readAll(res: Response, file: string, onProgress?: (p: LoadProgress) => void): Promise<Uint8Array> {
  const total = Number(res.headers.get('content-length') ?? 0);
  if (!res.body || !onProgress) return new Uint8Array(await res.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    loaded += chunk.byteLength;
    onProgress({ file, loaded, total: Math.max(total, loaded), done: false });
  }
  onProgress({ file, loaded: -1, total: -1, done: true });
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

async function bytesOf(
  input: string | Uint8Array | BlobLike,
  what: string,
  options: ResolverOptions,
): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  if (typeof input !== 'string') return new Uint8Array(await input.arrayBuffer());
  const res = await (options.fetch ?? fetch)(input);
  if (!res.ok) throw new Error(`Could not download the ${what} from ${input}: HTTP ${res.status} ${res.statusText}.`);
  return readAll(res, input.split('/').pop() ?? what, options.onProgress);
}

/** Builds the resolver for a source; llama2.c files are downloaded and converted here, once. */
export async function resolverFor(source: ModelSource, options: ResolverOptions = {}): Promise<Resolver> {
  const get: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  switch (source.kind) {
    case 'url': {
      const base = source.url.endsWith('/') ? source.url : `${source.url}/`;
      return (path, init) => get(new URL(path, base).href, init);
    }
    case 'hub': {
      const rev = encodeURIComponent(source.revision ?? 'main');
      return (path, init) => get(`https://huggingface.co/${source.repo}/resolve/${rev}/${path}`, init);
    }
    case 'files':
      return async (path) => fileResponse(source.files, path);
    case 'llama2c': {
      const [ckpt, tok] = await Promise.all([
        bytesOf(source.checkpoint, 'llama2.c checkpoint', options),
        bytesOf(source.tokenizer, 'llama2.c tokenizer', options),
      ]);
      const model = importLlama2c(ckpt, tok, {
        checkpoint: typeof source.checkpoint === 'string' ? source.checkpoint.split('/').pop()! : `${source.name}.bin`,
        tokenizer: typeof source.tokenizer === 'string' ? source.tokenizer.split('/').pop()! : 'tokenizer.bin',
      });
      const files = Object.fromEntries(model.files);
      return async (path) => fileResponse(files, path);
    }
  }
}

/**
 * Wraps a resolver so a whole-file GET downloads nothing until its body is read. transformers.js GETs every model
 * file once just to read its size (when a progress callback is set) and never reads that body; without this each
 * file would download twice. The size comes from a one-byte Range probe.
 */
export function lazyBodies(resolver: Resolver): Resolver {
  return async (path, init) => {
    if ((init?.method ?? 'GET') !== 'GET' || new Headers(init?.headers).has('Range')) return resolver(path, init);
    const headers = new Headers(init?.headers);
    headers.set('Range', 'bytes=0-0');
    const probe = await resolver(path, { ...init, headers });
    await probe.body?.cancel().catch(() => {});
    if (!probe.ok) return probe;
    // 206: the total is in Content-Range; 200: the server sent the whole file, so Content-Length is the size.
    const total =
      probe.status === 206
        ? /\/(\d+)$/.exec(probe.headers.get('content-range') ?? '')?.[1]
        : probe.headers.get('content-length');
    let reader: Promise<ReadableStreamDefaultReader<Uint8Array>> | null = null;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          reader ??= resolver(path, init).then((res) => {
            if (!res.ok || !res.body) throw new Error(`${path}: HTTP ${res.status} ${res.statusText}`);
            return res.body.getReader();
          });
          const { done, value } = await (await reader).read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        async cancel(reason) {
          await (await reader)?.cancel(reason);
        },
      },
      { highWaterMark: 0 }, // nothing is fetched before the first read
    );
    const out = new Headers({ 'content-type': probe.headers.get('content-type') ?? 'application/octet-stream' });
    if (total) out.set('content-length', total);
    return new Response(body, { status: 200, headers: out });
  };
}

/**
 * Wraps a resolver so the bytes each file actually delivered are recorded (servers often send no
 * content-length, and progress events then carry no totals).
 */
export function counting(resolver: Resolver, sizes: Map<string, number>): Resolver {
  return async (path, init) => {
    const res = await resolver(path, init);
    if (!res.body || (init?.method ?? 'GET') !== 'GET' || new Headers(init?.headers).has('Range')) return res;
    let n = 0;
    // Counted per chunk: readers may stop at the expected length without waiting for the stream's end.
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        n += chunk.byteLength;
        sizes.set(path, Math.max(sizes.get(path) ?? 0, n));
        controller.enqueue(chunk);
      },
    });
    return new Response(res.body.pipeThrough(counter), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

/** A stable, human-readable id for a source, used in cache keys and reports. */
export function sourceId(source: ModelSource): string {
  switch (source.kind) {
    case 'url':
      return source.url;
    case 'hub':
      return `hf:${source.repo}@${source.revision ?? 'main'}`;
    case 'files':
      return `files:${source.name}`;
    case 'llama2c':
      return typeof source.checkpoint === 'string' ? `llama2c:${source.checkpoint}` : `llama2c:${source.name}`;
  }
}
