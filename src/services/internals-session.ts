// The internals part of a run, while both workers still hold their models: the weight diff (each worker reads its
// file again, one tensor at a time) then the activation-difference lens (both workers' taps). Kept in the run's
// record cache (IndexedDB by default) under both models' fingerprints and the prompt set: a repeated run shows them
// at once. What cannot be computed becomes the section's note; only a stop (the signal) ends the run.

import type { InternalsSection } from '../core/diff/report-types.ts';
import { fnv1a64 } from '../core/prompts/hash.ts';
import type { PromptSet } from '../core/prompts/index.ts';
import { lensForSession, type LensEngine } from './diff-lens.ts';
import type { EngineHandle } from './engine-pool.ts';
import type { RecordCache } from './profile-store.ts';
import { promptInput } from './profiler.ts';
import { siteBase } from './site-base.ts';
import { compareWeights } from './weight-diff.ts';

/** Bumped whenever what the section holds, or how it is computed, changes: older entries are then not reused. */
const INTERNALS_FORMAT = 1;

export type InternalsEvent = { phase: 'weights' | 'lens'; done: number; total: number };

export function internalsKey(a: EngineHandle, b: EngineHandle, set: PromptSet): string {
  const steerOn = set.prompts.slice(0, 3).map((p) => JSON.stringify(promptInput(p)));
  return `internals:${fnv1a64([INTERNALS_FORMAT, a.info.fingerprint, b.info.fingerprint, ...steerOn].join('\u0000'))}`;
}

export async function readInternals(
  a: EngineHandle,
  b: EngineHandle,
  set: PromptSet,
  signal: AbortSignal,
  emit: (e: InternalsEvent) => void,
  cache: RecordCache | undefined,
): Promise<InternalsSection> {
  const key = internalsKey(a, b, set);
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
  });
  const notes = [weights.note, note].filter(Boolean).join(' ');
  const section: InternalsSection = { ...weights, lens, note: notes || null };
  // Storage trouble (a full disk) never costs the run its result.
  await cache?.put(key, section).catch(() => undefined);
  return section;
}
