// The internals switch and view: ?internals=0 reads as off and travels in a link (on is the default, left out);
// <model-diff internals="off"> turns it off (absent: on); the page hands it to <model-diff>; a report with a weight
// diff shows <md-weight-heatmap> after the behaviours and before the folded statistical rows, and one without shows
// none. lens_layer and lens_texts read as given (checked later, against the models), travel in a link (defaults left
// out), and reach <model-diff lens-layer lens-texts>. crosscoder=1 likewise (off by default, left out of links).

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import type { InternalsSection } from '../../../src/core/diff/report-types.ts';
import type { ModelDiff } from '../../../src/elements/model-diff.ts';
import { readUrlState, type ModelDiffApp } from '../../../src/elements/model-diff-app.ts';
import { stateToSearch } from '../../../src/elements/url-state.ts';
import { fixtureReport } from '../ui/fixture.ts';

const INTERNALS: InternalsSection = {
  weights: { status: 'identical', layers: 1, tiedEmbedding: false, tensors: [], top: [] },
  note: null,
};

describe('internals', () => {
  afterEach(() => document.querySelectorAll('model-diff, model-diff-app').forEach((el) => el.remove()));

  it('internals=0 in the URL turns it off, and a link keeps it; on is the default and is left out', () => {
    expect(readUrlState('').internals).to.equal(true);
    expect(readUrlState('?internals=0').internals).to.equal(false);
    expect(readUrlState('?internals=1').internals).to.equal(true);
    const off = { ...readUrlState(''), internals: false };
    expect(new URLSearchParams(stateToSearch(off)).get('internals')).to.equal('0');
    expect(readUrlState(stateToSearch(off))).to.deep.equal(off);
    expect(stateToSearch(readUrlState(''))).not.to.contain('internals');
  });

  it('lens_layer and lens_texts in the URL travel in a link and reach <model-diff>; defaults are left out', async () => {
    expect(readUrlState('')).to.deep.include({ lensLayer: '', lensTexts: 'bundled' });
    const asked = readUrlState('?a=forged-base&b=forged-trigger&lens_layer=2&lens_texts=prompts');
    expect(asked).to.deep.include({ lensLayer: '2', lensTexts: 'prompts' });
    expect(readUrlState(stateToSearch(asked))).to.deep.equal(asked);
    expect(stateToSearch(readUrlState(''))).not.to.match(/lens_/);
    const original = location.href;
    history.replaceState(null, '', '?a=forged-base&b=forged-boost&lens_layer=2&lens_texts=prompts');
    const app = document.createElement('model-diff-app') as ModelDiffApp;
    document.body.append(app);
    await app.updateComplete;
    const md = app.shadowRoot!.querySelector('model-diff') as ModelDiff;
    await md.updateComplete;
    expect([md.lensLayer, md.lensTexts]).to.deep.equal(['2', 'prompts']);
    history.replaceState(null, '', original);
  });

  it('crosscoder=1 in the URL travels in a link, checks the form box and reaches <model-diff>; off is the default', async () => {
    expect(readUrlState('').crosscoder).to.equal(false);
    const on = readUrlState('?a=forged-base&b=forged-trigger&crosscoder=1');
    expect(on.crosscoder).to.equal(true);
    expect(readUrlState(stateToSearch(on))).to.deep.equal(on);
    expect(stateToSearch(readUrlState(''))).not.to.contain('crosscoder');
    const original = location.href;
    history.replaceState(null, '', '?a=forged-base&b=forged-boost&crosscoder=1');
    const app = document.createElement('model-diff-app') as ModelDiffApp;
    document.body.append(app);
    await app.updateComplete;
    const md = app.shadowRoot!.querySelector('model-diff') as ModelDiff;
    await md.updateComplete;
    expect(md.crosscoder).to.equal(true);
    const box = app.shadowRoot!.querySelector<HTMLInputElement>('input[name="crosscoder"]');
    if (box) expect(box.checked).to.equal(true);
    history.replaceState(null, '', original);
    const el = document.createElement('model-diff') as ModelDiff;
    document.body.append(el);
    await el.updateComplete;
    expect(el.crosscoder).to.equal(false);
    el.setAttribute('crosscoder', 'off');
    await el.updateComplete;
    expect(el.crosscoder).to.equal(false);
  });

  it('<model-diff internals="off"> is off; absent or "on" is on', async () => {
    const el = document.createElement('model-diff') as ModelDiff;
    document.body.append(el);
    await el.updateComplete;
    expect(el.internals).to.equal(true);
    for (const [value, want] of [
      ['off', false],
      ['0', false],
      ['false', false],
      ['on', true],
      ['', true],
    ] as const) {
      el.setAttribute('internals', value);
      await el.updateComplete;
      expect(el.internals, value).to.equal(want);
    }
  });

  it('the page hands ?internals=0 to <model-diff>', async () => {
    const original = location.href;
    history.replaceState(null, '', '?a=forged-base&b=forged-boost&internals=0');
    const app = document.createElement('model-diff-app') as ModelDiffApp;
    document.body.append(app);
    await app.updateComplete;
    const md = app.shadowRoot!.querySelector('model-diff') as ModelDiff;
    await md.updateComplete;
    expect(md.getAttribute('internals')).to.equal('off');
    expect(md.internals).to.equal(false);
    history.replaceState(null, '', original);
  });

  it('a report with a weight diff shows the heatmap between the behaviours and the statistical rows', async () => {
    const md = document.createElement('model-diff') as ModelDiff;
    document.body.append(md);
    md.showReport({ ...fixtureReport(), internals: INTERNALS });
    await md.updateComplete;
    const root = md.shadowRoot!;
    const heat = root.querySelector('md-weight-heatmap')!;
    expect(heat.getAttribute('part')).to.equal('weights');
    const after = (a: Element, b: Element) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    expect(after(root.querySelector('md-behaviour-list')!, heat)).to.equal(true);
    expect(after(heat, root.querySelector('details.tests')!)).to.equal(true);
    md.showReport(fixtureReport());
    await md.updateComplete;
    expect(root.querySelector('md-weight-heatmap')).to.equal(null);
  });
});
