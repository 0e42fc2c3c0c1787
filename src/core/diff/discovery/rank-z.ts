// The signed-rank z of paired differences without ties assumptions: (W⁺ − W⁻) / √Σr², ranks of |d| over the
// non-zero differences with ties averaged (the Wilcoxon statistic's normal form, robust to one huge difference).
// Used to rank candidates on the discovery half; the confirmation half gets the full paired tests.

export function signedRankZ(ds: readonly number[]): number {
  const nz = ds.filter((d) => d !== 0).map((d) => ({ d, a: Math.abs(d) }));
  if (nz.length === 0) return 0;
  nz.sort((x, y) => x.a - y.a);
  let w = 0;
  let r2 = 0;
  for (let i = 0; i < nz.length;) {
    let j = i;
    while (j + 1 < nz.length && nz[j + 1]!.a === nz[i]!.a) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      w += Math.sign(nz[k]!.d) * rank;
      r2 += rank * rank;
    }
    i = j + 1;
  }
  return w / Math.sqrt(r2);
}

/** Sums of values per cluster (linked prompts are one unit), in first-seen order. */
export function clusterSums(values: Iterable<[cluster: number, value: number]>): number[] {
  const sums = new Map<number, number>();
  for (const [c, v] of values) sums.set(c, (sums.get(c) ?? 0) + v);
  return [...sums.values()];
}

/**
 * Candidates from per-prompt values of many terms (absent where a term does not apply): on the discovery prompts,
 * each term with at least `minPrompts` prompts gets its signed-rank z over cluster sums; the strongest `perDirection`
 * of each sign with |z| ≥ minZ are kept, strongest first.
 */
export function rankTerms(
  values: ReadonlyMap<string, ReadonlyMap<string, number>>,
  discovery: ReadonlySet<string>,
  clusterOf: ReadonlyMap<string, number>,
  { perDirection = 8, minZ = 2, minPrompts = 3 } = {},
): { chosen: { term: string; z: number }[]; scored: number } {
  const byTerm = new Map<string, [number, number][]>();
  values.forEach((terms, id) => {
    if (!discovery.has(id)) return;
    const c = clusterOf.get(id)!;
    terms.forEach((v, t) => {
      let xs = byTerm.get(t);
      if (!xs) byTerm.set(t, (xs = []));
      xs.push([c, v]);
    });
  });
  const scored = [...byTerm].filter(([, xs]) => xs.length >= minPrompts);
  const ranked = scored
    .map(([term, xs]) => ({ term, z: signedRankZ(clusterSums(xs)) }))
    .filter((x) => Math.abs(x.z) >= minZ)
    .sort((x, y) => Math.abs(y.z) - Math.abs(x.z) || (x.term < y.term ? -1 : 1));
  return {
    chosen: [
      ...ranked.filter((x) => x.z > 0).slice(0, perDirection),
      ...ranked.filter((x) => x.z < 0).slice(0, perDirection),
    ],
    scored: scored.length,
  };
}
