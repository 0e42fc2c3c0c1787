// Shared helpers for browser tests: spawning real engine workers and reading the test server's files.

import { wrap, type Remote } from 'comlink';
import type { EngineApi, RuntimeOptions } from '../../workers/engine-api.ts';

export const FORGED = new URL('/public/forged/', location.origin).href;
export const SHARED = new URL('/__shared__/', location.origin).href;

export function runtime(device: RuntimeOptions['device']): RuntimeOptions {
  return { runtimeBase: new URL('/public/ort/', location.origin).href, device };
}

export interface WorkerHandle {
  engine: Remote<EngineApi>;
  worker: Worker;
}

export function spawnEngine(): WorkerHandle {
  const worker = new Worker(new URL('../../workers/onnx.worker.ts', import.meta.url), { type: 'module' });
  return { engine: wrap<EngineApi>(worker), worker };
}

/** Bytes of a file under ../shared/data, or null when that folder is not there (the test then skips). */
export async function sharedFile(path: string): Promise<Uint8Array | null> {
  const res = await fetch(SHARED + path);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function webgpuAvailable(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  return Boolean(gpu && (await gpu.requestAdapter()));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** stories260K's checkpoint and tokenizer from ../shared, or a skip with a message when that folder is absent. */
export async function stories260KOrSkip(ctx: Mocha.Context): Promise<{ ckpt: Uint8Array; tok: Uint8Array }> {
  const [ckpt, tok] = await Promise.all([
    sharedFile('stories260K/stories260K.bin'),
    sharedFile('stories260K/tok512.bin'),
  ]);
  if (!ckpt || !tok) {
    console.warn('../shared/data/stories260K is absent: stories260K tests skipped.');
    ctx.skip();
  }
  return { ckpt: ckpt!, tok: tok! };
}

/** Resolves with probe()'s first truthy value, checking after each render and animation frame (never a timer). */
export function until<T>(
  probe: () => T | null | undefined | false | '',
  el?: { updateComplete: Promise<unknown> },
): Promise<T> {
  return new Promise((resolve) => {
    const check = () => {
      const value = probe();
      if (value) resolve(value);
      else void (el?.updateComplete ?? Promise.resolve()).then(() => requestAnimationFrame(check));
    };
    check();
  });
}

/** Base64 of bytes, for handing files to the test server's commands. */
export function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export const FORGED_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'generation_config.json',
  'onnx/model.onnx',
];

/** The forged base model's files, as the test server serves them. */
export async function forgedFiles(name = 'forged-base'): Promise<Record<string, Uint8Array>> {
  const entries = await Promise.all(
    FORGED_FILES.map(
      async (f) => [f, new Uint8Array(await (await fetch(`${FORGED}${name}/${f}`)).arrayBuffer())] as const,
    ),
  );
  return Object.fromEntries(entries);
}
