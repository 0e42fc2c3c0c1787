// The N-way distance matrix, data in and events out: a real nWay() report of three synthetic models (A and B
// behave alike, C refuses and runs long) becomes a table with one shaded cell per pair, what is unique to C, and a
// pair event when a cell is picked; hostile labels stay text.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import { nWay, type NWayReport } from '../../../src/core/diff/n-way.ts';
import { SELECT_PAIR, type DistanceMatrix } from '../../../src/ui/distance-matrix.ts';
import { style, syntheticProfile, syntheticSet } from '../../core/diff/synthetic.ts';
import { XSS } from './fixture.ts';

const set = syntheticSet(60, 4);
const report: NWayReport = nWay(
  [
    syntheticProfile(set, style('A'), 1),
    syntheticProfile(set, style('B'), 2),
    syntheticProfile(set, style('C', { refuseHarmful: 1, refuseBenign: 0.9, extra: [6, 9] }), 3),
  ],
  set,
  { resamples: 200, seed: 1 },
);

async function mount(r: NWayReport): Promise<DistanceMatrix> {
  const el = Object.assign(document.createElement('md-distance-matrix') as DistanceMatrix, { report: r });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('<md-distance-matrix>', () => {
  it('one cell per pair with its distance, shaded by it (the largest darkest); C is further from A and B than they are apart', async () => {
    const el = await mount(report);
    const rows = [...el.shadowRoot!.querySelectorAll('tr')].slice(1);
    const max = Math.max(...report.distance.flat());
    expect(rows.map((r) => r.querySelector('th')!.textContent)).to.deep.equal(['A', 'B', 'C']);
    for (const [i, row] of rows.entries()) {
      const cells = [...row.querySelectorAll('td')];
      expect(cells).to.have.length(3);
      for (const [j, cell] of cells.entries()) {
        const button = cell.querySelector('button');
        if (i === j) {
          expect(button === null, 'no button on the diagonal').to.equal(true);
          continue;
        }
        const d = report.distance[i]![j]!;
        expect(button!.textContent!.trim()).to.equal(`${(d * 100).toFixed(0)}%`);
        expect(button!.style.getPropertyValue('--d')).to.equal((d / max).toFixed(3));
      }
    }
    expect(report.distance[0]![2]!).to.be.greaterThan(report.distance[0]![1]!);
    // What sets C apart, strongest first: its features, each with C's mean and the others'.
    const items = [...el.shadowRoot!.querySelectorAll('.card')[2]!.querySelectorAll('li')];
    const unique = report.unique[2]!.slice(0, 12);
    expect(items.map((li) => li.querySelector('.mono')!.textContent)).to.deep.equal(unique.map((u) => u.feature));
    expect(unique.map((u) => u.feature)).to.include('wordCount');
    expect(items[0]!.textContent!.replace(/\s+/g, ' ')).to.contain(unique[0]!.direction === 'higher' ? '↑' : '↓');
    el.remove();
  });

  it('picking a cell asks for that pair (row, column) through an event', async () => {
    const el = await mount(report);
    const picked = new Promise<{ a: string; b: string }>((resolve) =>
      el.addEventListener(SELECT_PAIR, (e) => resolve((e as CustomEvent).detail), { once: true }),
    );
    el.shadowRoot!.querySelectorAll('tr')[3]!.querySelectorAll('button')[0]!.click();
    expect(await picked).to.deep.equal({ a: report.models[2]!.spec, b: report.models[0]!.spec });
    el.remove();
  });

  it('shows hostile model labels as text', async () => {
    const r = structuredClone(report);
    r.models[0]!.label = XSS;
    const el = await mount(r);
    expect(el.shadowRoot!.querySelectorAll('img, script')).to.have.length(0);
    expect(el.shadowRoot!.querySelector('th[scope=col]')!.textContent).to.equal(XSS);
    el.remove();
  });
});
