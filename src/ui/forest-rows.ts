// Forest-plot rows from a report (which differences, on which scale, in which order, in which words) and one panel
// drawn with Observable Plot, which the caller passes in so that it can load lazily.

import type * as PlotMarks from './plot-marks.ts';
import type { DiffReport, Difference } from '../core/diff/report-types.ts';

export interface ForestRow {
  /** Index into report.differences. */
  index: number;
  /** Feature and prompt scope, e.g. "refused · safety-harmful". */
  label: string;
  /** The plotted value: B − A in percentage points (binary) or the rank-biserial correlation (continuous). */
  x: number;
  /** The 95% interval on the plotted scale; null where the report has none on that scale (older reports). */
  lo: number | null;
  hi: number | null;
  significant: boolean;
  /** Tooltip: every number of the row, as plain text. */
  title: string;
}

export interface ForestRows {
  binary: ForestRow[];
  continuous: ForestRow[];
  /** Differences selected but not drawable (a non-finite value). */
  omitted: number;
}

export const rowLabel = (d: Difference) => `${d.feature} · ${d.promptCategory ?? 'all prompts'}`;

/** A signed number with a true minus sign. */
export function signed(x: number, digits = 1): string {
  const s = Math.abs(x).toFixed(digits);
  return Number(s) === 0 ? s : `${x > 0 ? '+' : '−'}${s}`;
}

/** Significant digits for values on a feature's own scale (lengths in characters, log-probabilities, …). */
export function signedRaw(x: number): string {
  const a = Math.abs(x);
  const digits = a === 0 || a >= 100 ? 0 : Math.max(0, 2 - Math.floor(Math.log10(a)));
  return signed(x, Math.min(digits, 4));
}

export const qText = (q: number) => (q < 0.001 ? 'q < 0.001' : `q = ${q.toFixed(3)}`);

/** B − A and its interval in the units the table and the tooltip use. */
export function effectText(d: Difference): { effect: string; ci: string } {
  if (d.kind === 'binary') {
    return {
      effect: `${signed(d.effect * 100)} pts`,
      ci: `${signed(d.ci[0] * 100)} to ${signed(d.ci[1] * 100)} pts`,
    };
  }
  return { effect: signedRaw(d.effect), ci: `${signedRaw(d.ci[0])} to ${signedRaw(d.ci[1])}` };
}

export const effectSizeText = (d: Difference) =>
  `${d.effectSize.measure === 'cohens-h' ? "Cohen's h" : 'rank-biserial'} ${signed(d.effectSize.value, 2)} (${d.effectSize.magnitude})`;

/** " (95% CI −0.12 to +0.30)" for a rank-biserial with its own interval, else "" (reports made before it). */
const rankCi = (d: Difference) => {
  const r = d.effectSize.ci;
  return r ? ` (95% CI ${signed(r[0], 2)} to ${signed(r[1], 2)})` : '';
};

function toRow(d: Difference, index: number): ForestRow {
  const { effect, ci } = effectText(d);
  const binary = d.kind === 'binary';
  const head = binary
    ? `B − A = ${effect} (95% CI ${ci})`
    : `rank-biserial = ${signed(d.effectSize.value, 2)}${rankCi(d)}; mean difference B − A = ${effect} (95% CI ${ci})`;
  const r = d.effectSize.ci;
  return {
    index,
    label: rowLabel(d),
    x: binary ? d.effect * 100 : d.effectSize.value,
    lo: binary ? d.ci[0] * 100 : (r?.[0] ?? null),
    hi: binary ? d.ci[1] * 100 : (r?.[1] ?? null),
    significant: d.significant,
    title: `${rowLabel(d)}\n${d.description}\n${head}\n${qText(d.q)}, n = ${d.n}${d.significant ? '' : ' (not significant)'}`,
  };
}

/** Rows of one panel: rows of a feature together (overall first), features by their largest |value| first. */
function ordered(rows: { row: ForestRow; d: Difference }[]): ForestRow[] {
  const byFeature = new Map<string, { row: ForestRow; d: Difference }[]>();
  for (const x of rows) byFeature.set(x.d.feature, [...(byFeature.get(x.d.feature) ?? []), x]);
  const groups = [...byFeature.values()].map((g) =>
    g.sort(
      (p, q) =>
        Number(p.d.promptCategory !== null) - Number(q.d.promptCategory !== null) ||
        (p.d.promptCategory ?? '').localeCompare(q.d.promptCategory ?? ''),
    ),
  );
  const size = (g: { row: ForestRow }[]) => Math.max(...g.map((x) => Math.abs(x.row.x)));
  groups.sort((g, h) => size(h) - size(g) || g[0]!.d.feature.localeCompare(h[0]!.d.feature));
  return groups.flat().map((x) => x.row);
}

/**
 * The significant differences (overall and within prompt categories); with `all`, also every tested overall
 * difference, so the default view is always a subset of the full one.
 */
export function forestRows(r: DiffReport, all: boolean): ForestRows {
  const picked = r.differences
    .map((d, index) => ({ d, index }))
    .filter(({ d }) => d.significant || (all && d.promptCategory === null));
  const finite = (row: ForestRow) =>
    Number.isFinite(row.x) &&
    (row.lo === null || Number.isFinite(row.lo)) &&
    (row.hi === null || Number.isFinite(row.hi));
  const rows = picked.map(({ d, index }) => ({ d, row: toRow(d, index) })).filter((x) => finite(x.row));
  return {
    binary: ordered(rows.filter((x) => x.d.kind === 'binary')),
    continuous: ordered(rows.filter((x) => x.d.kind !== 'binary')),
    omitted: picked.length - rows.length,
  };
}

const short = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
const colour = (r: ForestRow) => (r.x > 0 ? 'var(--md-b)' : r.x < 0 ? 'var(--md-a)' : 'var(--md-muted)');

export type Panel = 'binary' | 'continuous';
const AXIS: Record<Panel, string> = {
  binary: '← A higher · B − A, percentage points · B higher →',
  continuous: '← A higher · rank-biserial correlation · B higher →',
};

/** One panel as an SVG: a row per difference, the value as a dot, its 95% interval as a line, a rule at zero. */
export function drawPanel(Plot: typeof PlotMarks, rows: ForestRow[], panel: Panel, width: number) {
  const label = new Map(rows.map((r) => [r.index, short(r.label)]));
  const values = [0, ...rows.flatMap((r) => [r.x, r.lo ?? 0, r.hi ?? 0])];
  const pad = (Math.max(...values) - Math.min(...values)) * 0.05 || 1;
  const padded = [Math.max(-100, Math.min(...values) - pad), Math.min(100, Math.max(...values) + pad)];
  // Rounded ends (Plot's "nice") fixed up front, so that each row's full-width hit area spans the whole axis.
  const nice = Plot.scale({ x: { domain: padded, nice: true } }).domain as number[];
  const [x0 = -1, x1 = 1] = panel === 'continuous' ? [-1, 1] : nice;
  const longest = Math.max(...[...label.values()].map((s) => s.length));
  const svg = Plot.plot({
    width,
    height: 20 + 44 + rows.length * (rows.length > 20 ? 20 : 26),
    marginTop: 20,
    marginBottom: 44,
    marginLeft: Math.min(270, 14 + longest * 6.4),
    marginRight: 18,
    style: { background: 'transparent', fontSize: '12px', fontFamily: 'inherit', overflow: 'visible' },
    ariaLabel:
      panel === 'binary'
        ? `Binary features: B − A in percentage points with 95% intervals, ${rows.length} rows`
        : `Continuous features: rank-biserial correlation with 95% intervals, ${rows.length} rows`,
    // Centred under a wide chart; at phone width the centre sits right of the page's, so the label ends at the edge.
    x: {
      domain: [x0, x1],
      inset: 8,
      grid: true,
      label: AXIS[panel],
      labelAnchor: width < 560 ? 'right' : 'center',
      labelArrow: 'none',
    },
    y: { type: 'band', domain: rows.map((r) => r.index), tickFormat: (i: number) => label.get(i), label: null },
    marks: [
      Plot.barX(rows, {
        y: 'index',
        x1: () => x0,
        x2: () => x1,
        fill: 'currentColor',
        fillOpacity: 0,
        className: 'md-hit',
        title: 'title',
      }),
      Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.7 }),
      Plot.ruleY(
        rows.filter((r) => r.lo !== null && r.hi !== null),
        {
          y: 'index',
          x1: 'lo',
          x2: 'hi',
          stroke: colour,
          strokeWidth: 2.5,
          strokeOpacity: (r: ForestRow) => (r.significant ? 1 : 0.55),
          className: 'md-ci',
        },
      ),
      Plot.dot(rows, {
        x: 'x',
        y: 'index',
        r: 5,
        stroke: colour,
        strokeWidth: 2,
        fill: (r: ForestRow) => (r.significant ? colour(r) : 'var(--md-bg)'),
        className: 'md-value',
        title: 'title',
      }),
    ],
  });
  svg.setAttribute('role', 'img');
  // The whole chart is one image with one label (and a table alternative); Plot's labels on inner groups are not
  // allowed on generic elements (axe: aria-prohibited-attr).
  for (const el of svg.querySelectorAll('[aria-label], [aria-description]')) {
    if (el === svg) continue;
    el.removeAttribute('aria-label');
    el.removeAttribute('aria-description');
  }
  return svg;
}
