// The crosscoder's relative-decoder-norm histogram drawn with Observable Plot: bars per bin of r over live latents
// (√ count scale, so a handful of exclusives shows beside hundreds of shared latents), the A-only, shared and B-only
// bands shaded behind them and labelled above, bars in the band's colour (A orange, B blue).

import type * as PlotMarks from './plot-marks.ts';
import type { CrosscoderSection } from '../core/diff/report-types.ts';

type Band = 'a-only' | 'b-only' | 'shared' | 'shifted';
const FILL: Record<Band, string> = {
  'a-only': 'var(--md-a)',
  'b-only': 'var(--md-b)',
  shared: 'var(--md-muted)',
  shifted: 'var(--md-muted)',
};

function bandAt(r: number, b: CrosscoderSection['bands']): Band {
  if (r <= b.aOnly) return 'a-only';
  if (r >= b.bOnly) return 'b-only';
  return r >= b.sharedLow && r <= b.sharedHigh ? 'shared' : 'shifted';
}

export interface Bin {
  x1: number;
  x2: number;
  n: number;
  band: Band;
}

/** The non-empty bins, each with the band of its centre. */
export function bins(c: CrosscoderSection): Bin[] {
  const { edges, counts } = c.histogram;
  return counts
    .map((n, i) => {
      const x1 = edges[i] ?? 0;
      const x2 = edges[i + 1] ?? x1;
      return { x1, x2, n, band: bandAt((x1 + x2) / 2, c.bands) };
    })
    .filter((b) => b.n > 0);
}

export function drawHistogram(Plot: typeof PlotMarks, c: CrosscoderSection, width: number) {
  const data = bins(c);
  const b = c.bands;
  const zones = [
    { x1: 0, x2: b.aOnly, label: 'A-only', fill: 'var(--md-a)' },
    { x1: b.sharedLow, x2: b.sharedHigh, label: 'shared', fill: 'var(--md-muted)' },
    { x1: b.bOnly, x2: 1, label: 'B-only', fill: 'var(--md-b)' },
  ];
  const top = Math.max(1, ...data.map((d) => d.n));
  const svg = Plot.plot({
    width,
    height: 200,
    marginTop: 22,
    marginBottom: 40,
    marginLeft: 40,
    marginRight: 12,
    style: { background: 'transparent', fontSize: '12px', fontFamily: 'inherit', overflow: 'visible' },
    x: {
      domain: [0, 1],
      label: 'r = ‖d_B‖ / (‖d_A‖ + ‖d_B‖)',
      labelAnchor: 'center',
      labelArrow: 'none',
      ticks: [0, 0.25, 0.5, 0.75, 1],
      tickFormat: (x: number) => String(x),
    },
    y: { type: 'sqrt', domain: [0, top], label: null, grid: true, ticks: 4 },
    marks: [
      Plot.rect(zones, { x1: 'x1', x2: 'x2', fill: 'fill', fillOpacity: 0.12, className: 'md-zone' }),
      Plot.text(zones, {
        x: (z: (typeof zones)[number]) => (z.x1 + z.x2) / 2,
        text: 'label',
        frameAnchor: 'top',
        dy: -12,
        fill: 'fill',
        fontWeight: 600,
        className: 'md-zone-label',
      }),
      Plot.rectY(data, {
        x1: 'x1',
        x2: 'x2',
        y: 'n',
        fill: (d: Bin) => FILL[d.band],
        inset: 0.5,
        title: (d: Bin) => `r ${d.x1.toFixed(2)}–${d.x2.toFixed(2)}: ${d.n} latent${d.n === 1 ? '' : 's'}`,
        className: 'md-bin',
      }),
    ],
  });
  svg.setAttribute('aria-hidden', 'true'); // the table beside it says the same
  return svg;
}
