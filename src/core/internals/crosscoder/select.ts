// Order statistics the BatchTopK selection needs: the k-th largest of a set of numbers, in linear expected time.

/** The k-th largest value of `values` (1-based k; k ≥ 1). Reorders `values` in place. */
export function kthLargest(values: Float64Array, count: number, k: number): number {
  if (k < 1 || k > count) throw new Error(`kthLargest: k = ${k} outside 1..${count}.`);
  let lo = 0;
  let hi = count - 1;
  const target = k - 1; // index in descending order
  // Hoare-style quickselect, middle pivot: deterministic (no random pivots) and fast on our data.
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target]!;
  }
  return values[target]!;
}
