// A loaded model's ONNX file read again through the resolver it came from (bytes already fetched or cached), with
// the external data files it names — for the activation taps' edited graph and for the model's content digest.

import { TapError } from '../src/core/internals/activation-taps.ts';
import { blobSource, indexOnnx, memorySource } from '../src/core/internals/onnx-initializers.ts';
import type { Resolver } from './model-files.ts';

export interface ModelBytes {
  bytes: Uint8Array;
  /** Each external data file, by the location the graph names (relative to the model file's folder). */
  externalData: { path: string; data: Uint8Array }[];
}

export async function readModelBytes(resolver: Resolver, file: string, why: string): Promise<ModelBytes> {
  const res = await resolver(file);
  if (!res.ok) throw new TapError(`Could not read ${file} again for ${why}: HTTP ${res.status}.`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const index = await indexOnnx(memorySource(bytes));
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const locations = new Set<string>();
  for (const init of index.initializers.values()) if (init.data?.location) locations.add(init.data.location);
  const externalData: ModelBytes['externalData'] = [];
  for (const path of locations) {
    if (/^[a-z][a-z0-9+.-]*:|^\/|(^|\/)\.\.(\/|$)|\\/i.test(path))
      throw new TapError(`${file} names external data outside its folder (${path}); it is not read.`);
    const r = await resolver(dir + path);
    if (!r.ok) throw new TapError(`Could not read ${dir + path} (external data) for ${why}: HTTP ${r.status}.`);
    externalData.push({ path, data: new Uint8Array(await r.arrayBuffer()) });
  }
  return { bytes, externalData };
}

/** Files up to this size are hashed whole; larger ones by SAMPLES evenly spaced windows of WINDOW bytes. */
const WHOLE = 256 * 2 ** 20;
const SAMPLES = 256;
const WINDOW = 64 * 2 ** 10;

/**
 * SHA-256 of the weights (the model file and its external data, in order), hex: two fine-tunes of one base share
 * config, tokenizer and file sizes, so only the content tells them apart (the profile cache keys on it). A file over
 * 256 MiB is hashed by its size and 256 evenly spaced 64 KiB windows (16 MiB), so loading never reads it whole again.
 */
export async function weightsDigest(resolver: Resolver, file: string): Promise<string> {
  const res = await resolver(file);
  if (!res.ok) throw new Error(`Could not read ${file} again to fingerprint it: HTTP ${res.status}.`);
  const main = await res.blob();
  const blobs = [main];
  const index = await indexOnnx(blobSource(main));
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const locations = new Set<string>();
  for (const init of index.initializers.values()) if (init.data?.location) locations.add(init.data.location);
  for (const path of locations) {
    const r = await resolver(dir + path);
    if (r.ok) blobs.push(await r.blob());
  }
  const digests: ArrayBuffer[] = [];
  for (const blob of blobs) {
    if (blob.size <= WHOLE) digests.push(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    else {
      const windows = [new Uint8Array(new Float64Array([blob.size]).buffer).buffer as ArrayBuffer];
      for (let k = 0; k < SAMPLES; k++) {
        const at = Math.floor(((blob.size - WINDOW) * k) / (SAMPLES - 1));
        windows.push(await blob.slice(at, at + WINDOW).arrayBuffer());
      }
      digests.push(await crypto.subtle.digest('SHA-256', concat(windows)));
    }
  }
  const all = digests.length === 1 ? digests[0]! : await crypto.subtle.digest('SHA-256', concat(digests));
  return [...new Uint8Array(all)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function concat(buffers: ArrayBuffer[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}
