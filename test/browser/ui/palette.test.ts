// The colour tokens: text and marks meet WCAG AA contrast in both schemes, and A's and B's colours (text and
// highlight backgrounds) stay apart for the common colour-vision deficiencies — simulated with the Machado, Oliveira
// and Fernandes (2009) matrices at full severity, distance as CIE76 ΔE in Lab.

import { expect } from '@esm-bundle/chai';
import { DARK, LIGHT, type Palette } from '../../../src/core/palette.ts';

type Rgb = [number, number, number];
const channel = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const linear = (hex: string): Rgb => [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16) / 255)) as Rgb;
const luminance = (hex: string) => {
  const [r, g, b] = linear(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (x: string, y: string) => {
  const [a, b] = [luminance(x), luminance(y)].sort((p, q) => q - p) as [number, number];
  return (a + 0.05) / (b + 0.05);
};

const MACHADO: Record<string, number[][]> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

function lab([r, g, b]: Rgb): Rgb {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

const seenAs = (hex: string, m?: number[][]): Rgb => {
  const c = linear(hex);
  if (!m) return c;
  return m.map((row) => Math.min(1, Math.max(0, row[0]! * c[0] + row[1]! * c[1] + row[2]! * c[2]))) as Rgb;
};
const deltaE = (x: string, y: string, m?: number[][]) => {
  const [p, q] = [lab(seenAs(x, m)), lab(seenAs(y, m))];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
};

for (const [scheme, p] of [
  ['light', LIGHT],
  ['dark', DARK],
] as [string, Palette][])
  describe(`palette, ${scheme}`, () => {
    it('text and A/B colours reach 4.5:1 on the background and panels; text, secondary text and marks on the highlights too', () => {
      for (const [fg, bg] of [
        [p.fg, p.bg],
        [p.muted, p.bg],
        [p.muted, p.panel],
        [p.a, p.bg],
        [p.a, p.panel],
        [p.b, p.bg],
        [p.b, p.panel],
        [p.fg, p.aBg],
        [p.fg, p.bBg],
        [p.muted, p.aBg],
        [p.muted, p.bBg],
        [p.a, p.aBg],
        [p.b, p.bBg],
        [p.onAccent, p.accent],
        [p.warn, p.warnBg],
        [p.fg, p.warnBg],
      ])
        expect(contrast(fg!, bg!), `${fg} on ${bg}`).to.be.at.least(4.5);
    });

    it('A and B stay apart (ΔE ≥ 20) for normal vision and under protanopia, deuteranopia and tritanopia', () => {
      for (const [name, m] of [['normal', undefined], ...Object.entries(MACHADO)] as [string, number[][]?][]) {
        expect(deltaE(p.a, p.b, m), `${name}: A and B text`).to.be.at.least(20);
        expect(deltaE(p.aBg, p.bBg, m), `${name}: A and B highlights`).to.be.at.least(20);
      }
    });
  });

describe('palette check', () => {
  it('would catch the red/green pair it replaced (deuteranopia merges the highlights)', () => {
    expect(deltaE('#ffebe9', '#dafbe1', MACHADO['deuteranopia'])).to.be.below(20);
  });
});
