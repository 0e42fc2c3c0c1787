// Features belong to the profile (DESIGN.md: a record holds its extracted features): they are extracted once, when a
// profile is assembled, and every diff, N-way comparison and export of that profile reuses them.

import { extractAll, FEATURES, type FeatureValue } from '../features/index.ts';
import type { ModelProfile, ProfileFeatures, ResponseRecord } from '../profile/types.ts';
import { promptSetHash, type Prompt, type PromptSet } from '../prompts/index.ts';
import { responseInput } from './prompt-features.ts';

/**
 * Bump when an extractor's output changes for the same input; stored features of another version are ignored.
 * The feature names are part of it, so adding, removing or renaming a feature invalidates them too.
 */
export const FEATURES_VERSION = `1:${FEATURES.map((f) => f.name).join(',')}`;

/** Prompt-set hashes by prompt array: hashing 1,000 prompts costs more than a diff's token-level work. */
const hashes = new WeakMap<readonly Prompt[], string>();
function setHash(set: Pick<PromptSet, 'prompts'>): string {
  let h = hashes.get(set.prompts);
  if (h === undefined) hashes.set(set.prompts, (h = promptSetHash(set)));
  return h;
}

/** Every record's features for this prompt set (records whose prompt is not in the set are left out). */
export function profileFeatures(
  profile: Pick<ModelProfile, 'records' | 'tokenTexts'>,
  set: Pick<PromptSet, 'prompts'>,
): ProfileFeatures {
  const byId = new Map(set.prompts.map((p) => [p.id, p]));
  const byPrompt: ProfileFeatures['byPrompt'] = {};
  for (const r of profile.records) {
    const prompt = byId.get(r.promptId);
    if (prompt) byPrompt[r.promptId] = extractAll(responseInput(r, prompt, profile.tokenTexts));
  }
  return { version: FEATURES_VERSION, promptSetHash: setHash(set), byPrompt };
}

/** A copy of the profile carrying its features for this prompt set. */
export function withFeatures<P extends ModelProfile>(profile: P, set: Pick<PromptSet, 'prompts'>): P {
  return { ...profile, features: profileFeatures(profile, set) };
}

/**
 * The features of one record: the profile's stored ones when they were extracted by these extractors for this
 * prompt set, otherwise extracted now.
 */
export function featuresReader(
  profile: ModelProfile,
  set: Pick<PromptSet, 'prompts'>,
): (record: ResponseRecord, prompt: Prompt) => Record<string, FeatureValue> {
  const stored = profile.features;
  const usable = stored !== undefined && stored.version === FEATURES_VERSION && stored.promptSetHash === setHash(set);
  return (record, prompt) =>
    (usable ? stored.byPrompt[record.promptId] : undefined) ??
    extractAll(responseInput(record, prompt, profile.tokenTexts));
}
