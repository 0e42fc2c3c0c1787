// Crosscoder checkpoints in IndexedDB (idb-keyval, own database): one per training id, overwritten as training
// goes, so a cancelled run, a closed tab or a lost GPU device resumes from the last one.

import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { CrosscoderConfig } from '../src/core/internals/crosscoder/config.ts';
import type { AdamState, CrosscoderParams } from '../src/core/internals/crosscoder/params.ts';
import type { TrainerState } from '../src/core/internals/crosscoder/trainer.ts';

export interface CrosscoderCheckpoint {
  id: string;
  /** Config, data and schedule this checkpoint belongs to; a mismatch means a fresh start. */
  fingerprint: string;
  config: CrosscoderConfig;
  steps: number;
  trainer: TrainerState;
  params: CrosscoderParams;
  adam: AdamState;
}

let store: UseStore | null = null;
const db = () => (store ??= createStore('model-diff-crosscoder', 'checkpoints'));

export const saveCheckpoint = (c: CrosscoderCheckpoint) => set(c.id, c, db());
export const loadCheckpoint = (id: string) => get<CrosscoderCheckpoint>(id, db());
export const deleteCheckpoint = (id: string) => del(id, db());
