// Content hashes for prompt sets: FNV-1a 64 over canonical JSON (sorted keys), as 16 hex digits. Not cryptographic.

import type { Prompt, PromptSet } from './types.ts';

/**
 * JSON with object keys sorted (by UTF-16 code units) and no whitespace, so equal values give equal text whatever
 * their key order. Like JSON.stringify, undefined and functions in objects are dropped and non-finite numbers are null.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    return `[${items.map((v) => (isSkipped(v) ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const parts = Object.keys(o)
      .sort()
      .filter((k) => !isSkipped(o[k]))
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`);
    return `{${parts.join(',')}}`;
  }
  return 'null';
}

function isSkipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint';
}

/**
 * FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), over the UTF-8 bytes of `text`.
 * Kept in four 16-bit limbs so every intermediate product stays exact in a double.
 */
export function fnv1a64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (const b of bytes) {
    h0 ^= b;
    // Multiply by 0x100000001b3 = 0x1b3 + 0x100 << 32, modulo 2^64.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return [h3, h2, h1, h0].map((h) => h.toString(16).padStart(4, '0')).join('');
}

/**
 * Identifies the prompts a profile was run on: their content and order. The set's id, name, description and
 * license are left out: renaming a set changes no result.
 */
export function promptSetHash(set: Pick<PromptSet, 'prompts'>): string {
  return fnv1a64(canonicalJson(set.prompts));
}

/** Identifies one prompt's content (everything but nothing else), e.g. for per-prompt cache keys. */
export function promptHash(prompt: Prompt): string {
  return fnv1a64(canonicalJson(prompt));
}
