// The internals part of a run, while both workers still hold their models: the weight diff (each worker reads its
// file again, one tensor at a time) then the activation-difference lens (both workers' taps). Kept in the run's
// record cache (IndexedDB by default) under both models' fingerprints, the prompt set and what the lens was asked
// (lens_layer, lens_texts): a repeated run shows them at once. What cannot be computed becomes the section's note;
// only a stop (the signal) ends the run.

import type { InternalsSection } from '../core/diff/report-types.ts';
import { fnv1a64, promptSetHash } from '../core/prompts/hash.ts';
import type { PromptSet } from '../core/prompts/index.ts';
import { lensForSession, type LensEngine, type SessionLensOptions } from './diff-lens.ts';
import type { EngineHandle } from './engine-pool.ts';
import type { RecordCache } from './profile-store.ts';
import { promptInput } from './profiler.ts';
import { siteBase } from './site-base.ts';
import { compareWeights } from './weight-diff.ts';

/** Bumped whenever what the section holds, or how it is computed, changes: older entries are then not reused. */
const INTERNALS_FORMAT = 2;

export type InternalsEvent = { phase: 'weights' | 'lens'; done: number; total: number };

/** The cache key: both models, the prompts B is steered on, what the lens was asked (and the set it read, if it did). */
export function internalsKey(a: EngineHandle, b: EngineHandle, set: PromptSet, lens: SessionLensOptions = {}): string {
  const steerOn = set.prompts.slice(0, 3).map((p) => JSON.stringify(promptInput(p)));
  const texts = lens.texts ?? 'bundled';
  const asked = [String(lens.layer ?? ''), texts, texts === 'prompts' ? promptSetHash(set) : ''];
  const parts = [INTERNALS_FORMAT, a.info.fingerprint, b.info.fingerprint, ...steerOn, ...asked];
  return `internals:${fnv1a64(parts.join('\u0000'))}`;
}

export async function readInternals(
  a: EngineHandle,
  b: EngineHandle,
  set: PromptSet,
  signal: AbortSignal,
  emit: (e: InternalsEvent) => void,
  cache: RecordCache | undefined,
  lensOptions: SessionLensOptions = {},
): Promise<InternalsSection> {
  const key = internalsKey(a, b, set, lensOptions);
  const cached = await cache?.get<InternalsSection>(key).catch(() => undefined);
  if (cached) return cached;
  emit({ phase: 'weights', done: 0, total: 0 });
  const weights = await compareWeights(a, b, signal, (done, total) => emit({ phase: 'weights', done, total }));
  emit({ phase: 'lens', done: 0, total: 0 });
  const lensing = (h: EngineHandle) => ({ engine: h.engine as unknown as LensEngine, info: h.info });
  const steerOn = set.prompts.slice(0, 3).map((p) => ({
    label: p.prompt ?? p.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? p.id,
    input: promptInput(p),
  }));
  const { lens, note } = await lensForSession(lensing(a), lensing(b), steerOn, {
    site: siteBase(),
    signal,
    onProgress: (done, total) => emit({ phase: 'lens', done, total }),
    lens: lensOptions,
    prompts: { name: `prompt set "${set.name}"`, documents: set.prompts.map(promptInput) },
  });
  const notes = [weights.note, note].filter(Boolean).join(' ');
  const section: InternalsSection = { ...weights, lens, note: notes || null };
  // Storage trouble (a full disk) never costs the run its result.
  await cache?.put(key, section).catch(() => undefined);
  return section;
}
