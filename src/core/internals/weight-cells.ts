// The weight diff as a layer × module grid: each cell's relative change over every tensor in it (a module's weight,
// bias and own norm together: √Σ‖ΔW‖² / √Σ‖W_A‖²), plus a row for the embedding, head and final norm. Pure.

import type { WeightDiff, WeightModule } from '../diff/report-types.ts';

/** Columns in reading order; only those the model has are shown. */
export const MODULE_ORDER: readonly WeightModule[] = [
  'norm.input',
  'attn.q',
  'attn.k',
  'attn.v',
  'attn.qkv',
  'attn.o',
  'norm.post_attention',
  'mlp.gate',
  'mlp.up',
  'mlp.gate_up',
  'mlp.down',
];
export const GLOBAL_ORDER: readonly WeightModule[] = ['embedding', 'head', 'norm.final'];

export const MODULE_LABEL: Record<WeightModule, string> = {
  'attn.q': 'attn q',
  'attn.k': 'attn k',
  'attn.v': 'attn v',
  'attn.qkv': 'attn qkv',
  'attn.o': 'attn o',
  'mlp.gate': 'mlp gate',
  'mlp.up': 'mlp up',
  'mlp.gate_up': 'mlp gate+up',
  'mlp.down': 'mlp down',
  'norm.input': 'input norm',
  'norm.post_attention': 'post-attn norm',
  'norm.final': 'final norm',
  embedding: 'embedding',
  head: 'head',
  other: 'other',
};

export interface WeightCell {
  layer: number | null;
  module: WeightModule;
  /** Combined relative change; null when A's tensors are all zero and B's are not. */
  relative: number | null;
  tensors: number;
}

export interface WeightGrid {
  columns: WeightModule[];
  /** rows[layer][column index]: null where that layer has no such tensor. */
  rows: (WeightCell | null)[][];
  globals: WeightCell[];
  /** Tensors placed nowhere (module "other"), with their own relative change. */
  others: { key: string; relative: number | null }[];
  /** The largest cell value (for colour scales); 0 when nothing changed. */
  max: number;
}

export function weightGrid(w: WeightDiff): WeightGrid {
  const sums = new Map<string, { layer: number | null; module: WeightModule; a: number; d: number; n: number }>();
  for (const t of w.tensors) {
    if (t.module === 'other') continue;
    const id = `${t.layer}|${t.module}`;
    const s = sums.get(id) ?? { layer: t.layer, module: t.module, a: 0, d: 0, n: 0 };
    s.a += t.normA * t.normA;
    s.d += t.normDelta * t.normDelta;
    s.n++;
    sums.set(id, s);
  }
  const cell = (s: { layer: number | null; module: WeightModule; a: number; d: number; n: number }): WeightCell => ({
    layer: s.layer,
    module: s.module,
    relative: s.d === 0 ? 0 : s.a === 0 ? null : Math.sqrt(s.d) / Math.sqrt(s.a),
    tensors: s.n,
  });
  const cells = [...sums.values()].map(cell);
  const columns = MODULE_ORDER.filter((m) => cells.some((c) => c.layer !== null && c.module === m));
  const layers = Math.max(w.layers, ...cells.map((c) => (c.layer ?? -1) + 1));
  const rows = Array.from({ length: layers }, (_, l) =>
    columns.map((m) => cells.find((c) => c.layer === l && c.module === m) ?? null),
  );
  const globals = GLOBAL_ORDER.flatMap((m) => cells.filter((c) => c.layer === null && c.module === m));
  const others = w.tensors.filter((t) => t.module === 'other').map((t) => ({ key: t.key, relative: t.relative }));
  const values = [...cells, ...others].map((c) => (c.relative === null ? Infinity : c.relative));
  const finite = values.filter(Number.isFinite);
  return { columns, rows, globals, others, max: finite.length ? Math.max(...finite) : 0 };
}

/** A relative change as text: 3 significant digits ("0.00630", "8.93"), exponent below 0.001, "from zero" for null. */
export function formatRelative(x: number | null): string {
  if (x === null) return 'from zero';
  if (x === 0) return '0';
  return x >= 0.001 ? x.toPrecision(3) : x.toExponential(2);
}

/**
 * Where a value sits on the grid's colour scale, 0 to 1: logarithmic over four decades below the largest value
 * (weight changes span decades), 0 only for no change at all; from-zero (null) tensors are 1.
 */
export function intensity(x: number | null, max: number): number {
  if (x === null) return 1;
  if (x === 0 || max === 0) return 0;
  return Math.min(1, Math.max(0.06, 1 + Math.log10(x / max) / 4));
}
