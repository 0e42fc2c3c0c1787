// The honest-selection split: a seeded part of the prompts (half, at most 200) chooses what to test (discovery), the
// rest tests it (confirmation). Linked prompts (a harmful prompt and its benign look-alike; a prompt's samples) share a
// cluster and always land on the same side, so nothing chosen on one side is seen again on the other.

import { createRng } from '../../random.ts';

export interface Split {
  seed: number;
  /** Prompt ids on each side. */
  discovery: ReadonlySet<string>;
  confirmation: ReadonlySet<string>;
}

/**
 * Clusters shuffled by the seed, then dealt to whichever side has fewer prompts so far — until the discovery side
 * holds `maxDiscovery` prompts; the rest all confirm. Choosing candidates needs a few hundred prompts, confirming
 * them gains power with every prompt, so a large set confirms on more than half.
 */
export const MAX_DISCOVERY_PROMPTS = 200;

export function splitPrompts(
  rows: readonly { id: string; cluster: number }[],
  seed: number,
  maxDiscovery = MAX_DISCOVERY_PROMPTS,
): Split {
  const members = new Map<number, string[]>();
  for (const r of rows) members.set(r.cluster, [...(members.get(r.cluster) ?? []), r.id]);
  const clusters = [...members.keys()].sort((x, y) => x - y);
  const rng = createRng(seed ^ 0x5eed);
  for (let i = clusters.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [clusters[i], clusters[j]] = [clusters[j]!, clusters[i]!];
  }
  const discovery = new Set<string>();
  const confirmation = new Set<string>();
  for (const c of clusters) {
    const side = discovery.size <= confirmation.size && discovery.size < maxDiscovery ? discovery : confirmation;
    for (const id of members.get(c)!) side.add(id);
  }
  return { seed, discovery, confirmation };
}
