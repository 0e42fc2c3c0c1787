// Which rows of a long list of rows of varying height are on screen: heights measured once rendered, and for rows
// not yet drawn the mean of those measured (the first guess before any), and the rows that meet a window of pixels.
// Pure arithmetic, no DOM.

export class RowHeights {
  readonly #heights: Float64Array;
  readonly #measured: Uint8Array;
  #sum = 0;
  #count = 0;
  #offsets: Float64Array | null = null;

  constructor(
    readonly count: number,
    private readonly guess: number,
  ) {
    this.#heights = new Float64Array(count);
    this.#measured = new Uint8Array(count);
  }

  /** The height assumed for a row not yet drawn. */
  get estimate(): number {
    return this.#count > 0 ? this.#sum / this.#count : this.guess;
  }

  /** Records a measured height; true when it changed what was assumed. */
  set(i: number, height: number): boolean {
    if (i < 0 || i >= this.count) return false;
    const was = this.#measured[i] ? this.#heights[i]! : null;
    if (was !== null && Math.abs(was - height) < 0.5) return false;
    this.#sum += height - (was ?? 0);
    if (was === null) this.#count += 1;
    this.#heights[i] = height;
    this.#measured[i] = 1;
    this.#offsets = null;
    return true;
  }

  #prefix(): Float64Array {
    if (!this.#offsets) {
      const o = new Float64Array(this.count + 1);
      const e = this.estimate;
      for (let i = 0; i < this.count; i++) o[i + 1] = o[i]! + (this.#measured[i] ? this.#heights[i]! : e);
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
    // The first row that ends below `top`, then forward while rows begin above `bottom`.
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
