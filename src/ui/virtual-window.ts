// Which rows of a long list of rows of varying height are on screen: heights measured once rendered, estimated
// before, and the rows that meet a window of pixels. Pure arithmetic, no DOM.

export class RowHeights {
  readonly #heights: Float64Array;
  #offsets: Float64Array | null = null;

  constructor(
    readonly count: number,
    estimate: number,
  ) {
    this.#heights = new Float64Array(count).fill(estimate);
  }

  /** Records a measured height; true when it changed. */
  set(i: number, height: number): boolean {
    if (i < 0 || i >= this.count || Math.abs(this.#heights[i]! - height) < 0.5) return false;
    this.#heights[i] = height;
    this.#offsets = null;
    return true;
  }

  #prefix(): Float64Array {
    if (!this.#offsets) {
      const o = new Float64Array(this.count + 1);
      for (let i = 0; i < this.count; i++) o[i + 1] = o[i]! + this.#heights[i]!;
      this.#offsets = o;
    }
    return this.#offsets;
  }

  /** Top of row i (i = count: the total height). */
  offset(i: number): number {
    return this.#prefix()[Math.max(0, Math.min(this.count, i))]!;
  }

  get total(): number {
    return this.offset(this.count);
  }

  /** Rows [start, end) that meet the pixels [top, bottom) of the list. */
  range(top: number, bottom: number): [number, number] {
    const o = this.#prefix();
    // The last row whose top is at or above `top`, then forward while rows begin above `bottom`.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (o[mid + 1]! <= top) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < this.count && o[end]! < bottom) end++;
    return [lo, Math.max(lo, end)];
  }
}
