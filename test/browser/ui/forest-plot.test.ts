// <md-forest-plot> on a hand-made report: rows per panel, dots and interval lines where the numbers say, the toggle,
// the table fallback, and md-select-difference on click.

import { expect } from '@esm-bundle/chai';
import type * as PlotLib from '@observablehq/plot';
import type { Plot } from '@observablehq/plot';
import { ForestPlot, SELECT_DIFFERENCE } from '../../../src/ui/forest-plot.ts';
import { fixtureReport } from './fixture.ts';

if (!customElements.get('md-forest-plot')) customElements.define('md-forest-plot', ForestPlot);

/**
 * The test server serves node_modules unbundled, and Plot's ESM source imports a CommonJS package (interval-tree-1d)
 * that only a bundler can serve; so here the same Plot release comes from its UMD build (over d3's UMD build).
 */
function script(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = Object.assign(document.createElement('script'), { src, onload: () => resolve(), onerror: reject });
    document.head.append(s);
  });
}
const umd = (async () => {
  await script('/node_modules/d3/dist/d3.min.js');
  await script('/node_modules/@observablehq/plot/dist/plot.umd.min.js');
  return (globalThis as unknown as { Plot: typeof PlotLib }).Plot;
})();
const esmLoader = ForestPlot.loadPlot;
before(() => (ForestPlot.loadPlot = () => umd));
after(() => (ForestPlot.loadPlot = esmLoader));

async function mount(): Promise<ForestPlot> {
  const el = document.createElement('md-forest-plot') as ForestPlot;
  el.style.width = '800px';
  el.report = fixtureReport();
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const svgOf = (el: ForestPlot, panel: 'binary' | 'continuous') =>
  el.shadowRoot!.querySelector(`.plot.${panel} svg`) as (SVGSVGElement & Plot) | null;

/** The row index (into report.differences) whose band centre is at SVG y. */
function rowAt(svg: SVGSVGElement & Plot, y: number): number | undefined {
  const s = svg.scale('y')!;
  return [...s.domain!].find((i) => Math.abs((s.apply(i) as number) + s.bandwidth! / 2 - y) < 1) as number | undefined;
}

/**
 * Each mark element's row and its position in data units (x1/x2 of a line, cx of a dot), read back from the SVG. The
 * group's vertical shift places marks in their bands; its horizontal 0.5 px (crisp edges) is not data.
 */
function marks(svg: SVGSVGElement & Plot, selector: string) {
  const x = (px: string | null) => svg.scale('x')!.invert!(Number(px)) as number;
  return [...svg.querySelectorAll(selector)].map((m) => {
    const shift = /translate\([-\d.]+,([-\d.]+)\)/.exec(m.closest('g[transform]')?.getAttribute('transform') ?? '');
    const y = (v: string | null) => Number(v) + Number(shift?.[1] ?? 0);
    return m.tagName === 'line'
      ? { row: rowAt(svg, y(m.getAttribute('y1'))), lo: x(m.getAttribute('x1')), hi: x(m.getAttribute('x2')) }
      : { row: rowAt(svg, y(m.getAttribute('cy'))), at: x(m.getAttribute('cx')) };
  });
}

describe('<md-forest-plot>', () => {
  it('draws the significant differences: binary in points, continuous as rank-biserial, each with its interval', async () => {
    const el = await mount();
    const bin = svgOf(el, 'binary')!;
    const cont = svgOf(el, 'continuous')!;
    expect(bin.getAttribute('aria-label')).to.match(/Binary features.*2 rows/);
    expect(el.shadowRoot!.querySelector('figure')!.getAttribute('aria-label')).to.contain('3 differences');

    const dots = marks(bin, '.md-value circle').sort((p, q) => p.row! - q.row!);
    expect(dots.map((d) => d.row)).to.deep.equal([0, 1]);
    expect(dots[0]!.at).to.be.closeTo(25, 0.01);
    expect(dots[1]!.at).to.be.closeTo(50, 0.01);
    const lines = marks(bin, '.md-ci line').sort((p, q) => p.row! - q.row!);
    expect(lines).to.have.length(2);
    expect(lines[0]).to.deep.include({ row: 0 });
    expect(lines[0]!.lo).to.be.closeTo(10, 0.01);
    expect(lines[0]!.hi).to.be.closeTo(40, 0.01);
    expect(lines[1]!.lo).to.be.closeTo(20, 0.01);
    expect(lines[1]!.hi).to.be.closeTo(75, 0.01);

    const cdots = marks(cont, '.md-value circle');
    expect(cdots).to.have.length(1);
    expect(cdots[0]!.row).to.equal(2);
    expect(cdots[0]!.at).to.be.closeTo(-0.6, 0.001);
    const clines = marks(cont, '.md-ci line');
    expect(clines).to.have.length(1); // the rank-biserial's own interval
    expect(clines[0]).to.deep.include({ row: 2 });
    expect(clines[0]!.lo).to.be.closeTo(-0.8, 0.001);
    expect(clines[0]!.hi).to.be.closeTo(-0.35, 0.001);
    expect(cont.scale('x')!.domain).to.deep.equal([-1, 1]);
    // Colours: B higher in B's colour, A higher in A's.
    expect(bin.querySelector('.md-value circle')!.getAttribute('fill')).to.equal('var(--md-b)');
    expect(cont.querySelector('.md-value circle')!.getAttribute('fill')).to.equal('var(--md-a)');
    // Row labels: feature and prompt category.
    expect(bin.textContent).to.contain('refused · all prompts').and.to.contain('refused · safety-harmful');
    el.remove();
  });

  it('shows every tested overall difference when asked, not-significant ones hollow', async () => {
    const el = await mount();
    const box = el.shadowRoot!.querySelector('input[type=checkbox]') as HTMLInputElement;
    box.click();
    await el.updateComplete;
    const bin = svgOf(el, 'binary')!;
    const cont = svgOf(el, 'continuous')!;
    const rows = marks(bin, '.md-value circle').map((d) => d.row);
    expect(rows.sort()).to.deep.equal([0, 1, 3]); // apology within a category is not significant: not shown
    expect(
      marks(cont, '.md-value circle')
        .map((d) => d.row)
        .sort(),
    ).to.deep.equal([2, 4]);
    // Row 4's report entry has no rank-biserial interval (as in reports made before it): a dot, no line.
    expect(marks(cont, '.md-ci line').map((l) => l.row)).to.deep.equal([2]);
    const hedged = marks(bin, '.md-ci line').find((l) => l.row === 3)!;
    expect(hedged.lo).to.be.closeTo(-5, 0.01);
    expect(hedged.hi).to.be.closeTo(15, 0.01);
    const fills = [...bin.querySelectorAll('.md-value circle')].map((c) => c.getAttribute('fill'));
    expect(fills.filter((f) => f === 'var(--md-bg)')).to.have.length(1);
    el.remove();
  });

  it('lists the same numbers in a visually hidden table', async () => {
    const el = await mount();
    const rows = [...el.shadowRoot!.querySelectorAll('table tr')]
      .slice(1)
      .map((tr) => tr.textContent!.replace(/\s+/g, ' '));
    expect(rows).to.have.length(3);
    expect(rows[0])
      .to.contain('refused · all prompts')
      .and.to.contain('+25.0 pts')
      .and.to.contain('+10.0 to +40.0 pts');
    expect(rows.find((r) => r.includes('charCount')))
      .to.contain('−12.5')
      .and.to.contain('rank-biserial −0.60');
    const box = el.shadowRoot!.querySelector('table')!.parentElement!.getBoundingClientRect();
    expect(box.width * box.height).to.be.lessThan(2);
    el.remove();
  });

  it('dispatches md-select-difference with the row index on click', async () => {
    const el = await mount();
    const picked: number[] = [];
    el.addEventListener(SELECT_DIFFERENCE, (e) => picked.push((e as CustomEvent<{ index: number }>).detail.index));
    const clickAt = (target: Element) => {
      const b = target.getBoundingClientRect();
      const init = { clientX: b.x + b.width / 2, clientY: b.y + b.height / 2, bubbles: true, composed: true };
      target.dispatchEvent(new MouseEvent('click', init));
    };
    const bin = svgOf(el, 'binary')!;
    const row1 = marks(bin, '.md-value circle').findIndex((d) => d.row === 1);
    clickAt(bin.querySelectorAll('.md-value circle')[row1]!); // on the dot
    clickAt(svgOf(el, 'continuous')!.querySelector('.md-hit rect')!); // anywhere in the row
    (el.shadowRoot!.querySelector('table button') as HTMLButtonElement).click(); // keyboard path: the table
    expect(picked).to.deep.equal([1, 2, 0]);
    el.remove();
  });
});
