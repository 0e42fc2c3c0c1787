// <md-diff-lens>, data in: per position the size of the mean residual difference with its q and B's logit-lens
// tokens (quoted, so a space or a newline stays visible), "not significant" where q ≥ alpha, steered replies by
// strength; "identical" said plainly; the note when the lens could not run; hostile strings rendered as text only.
// The stream-point picker starts at the steered point and switches the table's rows and caption at once; reports
// read at one point only have no picker.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import type { DiffLens, InternalsSection } from '../../../src/core/diff/report-types.ts';
import type { LensView } from '../../../src/ui/lens-view.ts';
import { XSS } from './fixture.ts';

function lens(over: Partial<DiffLens> = {}): DiffLens {
  return {
    point: 3,
    layers: 5,
    hiddenSize: 64,
    texts: 'stories',
    documents: 300,
    positions: 2,
    bosSkipped: true,
    meanNormB: 7.2,
    identical: false,
    rows: [
      {
        position: 0,
        documents: 300,
        norm: 1.5,
        relative: 0.21,
        p: 0.005,
        q: 0.005,
        tokensUp: [' bird', XSS, '\n'],
        tokensDown: ['R'],
      },
      { position: 1, documents: 300, norm: 0.01, relative: 0.001, p: 0.6, q: 0.6, tokensUp: [], tokensDown: [] },
    ],
    steering: [
      { prompt: XSS, alpha: 0, text: 'Once upon a time there was a bird.' },
      { prompt: XSS, alpha: 0.2, text: XSS },
    ],
    ...over,
  };
}

async function mount(internals: InternalsSection): Promise<LensView> {
  const el = document.createElement('md-diff-lens') as LensView;
  el.internals = internals;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('<md-diff-lens>', () => {
  afterEach(() => document.querySelectorAll('md-diff-lens').forEach((e) => e.remove()));

  it('shows each position with its q and tokens, and the steered replies, all as text', async () => {
    const root = (await mount({ weights: null, lens: lens(), note: null })).shadowRoot!;
    const rows = [...root.querySelectorAll('tbody')[0]!.querySelectorAll('tr')];
    expect(rows).to.have.length(2);
    expect(rows[0]!.textContent).to.contain('0.210');
    expect([...rows[0]!.querySelectorAll('code')].map((c) => c.textContent)).to.include.members([' bird', '\\n']);
    expect(rows[1]!.textContent).to.contain('not significant');
    expect(root.querySelector('caption')!.textContent).to.match(/after layer 2 of 5.*300 documents \(stories\)/s);
    expect(root.querySelector('select')).to.equal(null);
    const steer = [...root.querySelectorAll('table.steer tr')].map((r) => r.textContent);
    expect(steer.some((t) => t!.includes('α = 0.2'))).to.equal(true);
    expect(root.querySelector('img, script')).to.equal(null);
    expect(root.textContent).to.contain('<img src=x');
    expect((window as { __xss?: number }).__xss).to.equal(undefined);
  });

  it('says identical plainly, and shows the note when the lens could not run', async () => {
    const same = (await mount({ weights: null, lens: lens({ identical: true }), note: null })).shadowRoot!;
    expect(same.textContent).to.match(/Identical.*equals A's exactly/s);
    expect(same.querySelector('table')).to.equal(null);
    const none = (
      await mount({
        weights: null,
        lens: null,
        note: 'No activation-difference lens: the models tokenise text differently.',
      })
    ).shadowRoot!;
    expect(none.textContent).to.contain('tokenise text differently');
    const older = await mount({ weights: null, note: null });
    expect(older.shadowRoot!.children.length).to.equal(0);
  });

  it('a picker switches the table between stream points at once, starting at the steered one', async () => {
    const at3 = lens().rows;
    const at1 = [
      { ...at3[0]!, relative: 0.5, q: 0.002, tokensUp: [' early'], tokensDown: [] },
      { ...at3[1]!, relative: 0.004, q: 0.7, tokensUp: [], tokensDown: [] },
    ];
    const points = [0, 1, 2, 3, 4, 5].map((point) => ({
      point,
      rows: point === 3 ? at3 : point === 1 ? at1 : at3.map((r) => ({ ...r, q: 0.9, tokensUp: [], tokensDown: [] })),
    }));
    const el = await mount({ weights: null, lens: lens({ points }), note: null });
    const root = el.shadowRoot!;
    const select = root.querySelector('select')!;
    expect(select.labels![0]!.textContent).to.contain('Stream point');
    expect(select.options).to.have.length(6);
    expect(select.value).to.equal('3');
    expect(select.selectedOptions[0]!.textContent).to.match(/after layer 2 \(steered\).*1 of 2\s+significant/s);
    expect(select.options[0]!.textContent).to.contain('at the embeddings');
    const first = () => root.querySelectorAll('tbody')[0]!.querySelector('tr')!;
    expect(first().textContent).to.contain('0.210');
    expect(root.querySelector('caption')!.textContent).to.match(/BH\s+over positions × the 6 points read/);
    select.value = '1';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(first().textContent).to.contain('0.500');
    expect([...first().querySelectorAll('code')].map((c) => c.textContent)).to.deep.equal([' early']);
    expect(root.querySelector('caption')!.textContent).to.contain('after layer 0 of 5');
    select.value = '5';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(first().textContent).to.contain('not significant');
    // Steering stays where it was done.
    expect(root.querySelector('h4')!.textContent).to.contain('after layer 2');
    // Another report starts at its own steered point.
    el.internals = { weights: null, lens: lens({ points, point: 1 }), note: null };
    await el.updateComplete;
    expect(root.querySelector('select')!.value).to.equal('1');
    expect(first().textContent).to.contain('0.500');
  });
});
