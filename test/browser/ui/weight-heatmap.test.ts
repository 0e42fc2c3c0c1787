// <md-weight-heatmap>, data in: a layer × module table with each cell's value in its text and label (and shown on
// hover and focus), darker where the change is larger; the top directions' tokens as words; "identical" said
// plainly; a note when there is no weight diff; hostile strings from the report rendered as text only.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import type { InternalsSection, WeightTensorDiff } from '../../../src/core/diff/report-types.ts';
import type { WeightHeatmap } from '../../../src/ui/weight-heatmap.ts';
import { XSS } from './fixture.ts';

const MODULES = [
  'norm.input',
  'attn.q',
  'attn.k',
  'attn.v',
  'attn.o',
  'norm.post_attention',
  'mlp.gate',
  'mlp.up',
  'mlp.down',
] as const;

function tensor(layer: number | null, module: WeightTensorDiff['module'], relative: number): WeightTensorDiff {
  return {
    key: layer === null ? module : `blocks.${layer}.${module}`,
    name: `${XSS}.${layer}.${module}`,
    layer,
    module,
    shape: [8, 8],
    relative,
    normA: 2,
    normDelta: 2 * relative,
  };
}

function differs(): InternalsSection {
  const tensors = [0, 1].flatMap((l) => MODULES.map((m) => tensor(l, m, l === 0 && m === 'attn.o' ? 0.5 : 0)));
  tensors.push(tensor(null, 'embedding', 0), tensor(null, 'head', 0.004), tensor(null, 'norm.final', 0));
  return {
    weights: {
      status: 'differs',
      layers: 2,
      tiedEmbedding: false,
      tensors,
      top: [
        {
          key: 'blocks.0.attn.o',
          name: XSS,
          layer: 0,
          module: 'attn.o',
          relative: 0.5,
          side: 'output',
          share: 0.93,
          tokensUp: [' joy', XSS],
          tokensDown: [' sad'],
        },
      ],
    },
    note: `1 tensor(s) found in only one model were not compared. ${XSS}`,
  };
}

async function mount(internals: InternalsSection): Promise<WeightHeatmap> {
  const el = Object.assign(document.createElement('md-weight-heatmap'), { internals }) as WeightHeatmap;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<md-weight-heatmap>', () => {
  afterEach(() => document.querySelectorAll('md-weight-heatmap').forEach((el) => el.remove()));

  it('draws a layer × module table with values in the cells, and the top direction as words', async () => {
    const el = await mount(differs());
    const root = el.shadowRoot!;
    const heat = root.querySelector('table.heat')!;
    expect([...heat.querySelectorAll('thead th')].map(text)).to.deep.equal([
      'layer',
      'input norm',
      'attn q',
      'attn k',
      'attn v',
      'attn o',
      'post-attn norm',
      'mlp gate',
      'mlp up',
      'mlp down',
    ]);
    expect(heat.querySelectorAll('tbody tr')).to.have.length(2);
    const o = heat.querySelector('td[data-layer="0"][data-module="attn.o"]') as HTMLElement;
    expect(text(o)).to.equal('0.500');
    expect(o.getAttribute('aria-label')).to.equal('layer 0, attn o: relative change 0.500');
    expect(o.tabIndex).to.equal(0);
    const still = heat.querySelector('td[data-layer="1"][data-module="attn.o"]') as HTMLElement;
    expect(text(still)).to.equal('0');
    // Darker where the change is larger; no colour at all where nothing changed.
    expect(o.style.getPropertyValue('--heat')).to.equal('1.000');
    expect(still.style.getPropertyValue('--heat')).to.equal('0.000');
    const head = root.querySelector('table.globals td[data-module="head"]') as HTMLElement;
    expect(Number(head.style.getPropertyValue('--heat'))).to.be.within(0.01, 0.99);
    // Focus says the value in words.
    o.focus();
    await el.updateComplete;
    expect(text(root.querySelector('.readout'))).to.equal('layer 0, attn o: relative change 0.500');
    const top = root.querySelector('ol.top li')!;
    expect(text(top.querySelector('.up'))).to.equal(`writes toward: joy ${XSS}`);
    expect(text(top.querySelector('.down'))).to.equal('other end: sad');
    expect(text(top)).to.contain('93% of the change');
  });

  it('says "identical" when every tensor is equal, without a grid', async () => {
    const i = differs();
    i.weights = {
      ...i.weights!,
      status: 'identical',
      top: [],
      tensors: i.weights!.tensors.map((t) => ({ ...t, relative: 0, normDelta: 0 })),
    };
    i.note = null;
    const root = (await mount(i)).shadowRoot!;
    expect(text(root.querySelector('.identical'))).to.equal(
      "Identical: every one of the 21 tensors of model B equals model A's, bit for bit.",
    );
    expect(root.querySelector('table.heat')).to.equal(null);
  });

  it('shows the note when there is no weight diff, and nothing at all without internals', async () => {
    const root = (await mount({ weights: null, note: 'No weight diff: model B runs on web-llm.' })).shadowRoot!;
    expect(text(root.querySelector('.note'))).to.equal('No weight diff: model B runs on web-llm.');
    const empty = await mount(null as unknown as InternalsSection);
    expect(text(empty.shadowRoot!.querySelector('h3'))).to.equal('');
  });

  it('renders hostile names, tokens and notes as text: no element from them, nothing runs', async () => {
    const el = await mount(differs());
    const root = el.shadowRoot!;
    root.querySelectorAll('details').forEach((d) => (d.open = true));
    await el.updateComplete;
    expect(root.querySelectorAll('img, script')).to.have.length(0);
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
    expect(root.querySelector('.up .tok:nth-of-type(2)')!.textContent).to.equal(XSS);
    expect(text(root.querySelector('.note'))).to.contain(XSS);
    expect(root.querySelector('table.tensors tbody td.mono')!.textContent).to.equal(`${XSS}.0.norm.input`);
  });
});
