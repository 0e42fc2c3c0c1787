// Benjamini–Hochberg false-discovery-rate q-values across all the tests of one report.

/**
 * Benjamini–Hochberg (1995) adjusted p-values ("q-values", R's `p.adjust(p, "BH")`): q_(i) is the minimum
 * over j ≥ i of m·p_(j)/j, capped at 1, returned in the input order. Rejecting q < α controls the false
 * discovery rate at α. By construction q ≥ p and q is monotone in p (equal p get equal q).
 *
 * NaN p-values (a test that could not be run) stay NaN and are left out of m, as in R's `p.adjust`: a
 * feature that could not be tested neither costs the others power nor becomes a discovery. Values outside
 * [0, 1] throw.
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const q = new Float64Array(p.length).fill(NaN);
  const order: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (Number.isNaN(v)) continue;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`benjaminiHochberg: p[${i}] = ${v} is not in [0, 1]`);
    order.push(i);
  }
  // Descending p; index order breaks ties so the result never depends on the sort's stability.
  order.sort((i, j) => p[j]! - p[i]! || i - j);
  const m = order.length;
  let running = 1;
  for (let k = 0; k < m; k++) {
    const i = order[k]!;
    const rank = m - k;
    running = Math.min(running, (m * p[i]!) / rank);
    // m·p/rank ≥ p in exact arithmetic; the max only undoes rounding (m·p/m can land one ulp below p).
    q[i] = Math.max(running, p[i]!);
  }
  return q;
}
