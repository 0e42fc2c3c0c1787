// <md-diff-lens>, data in: per position the size of the mean residual difference with its q and B's logit-lens
// tokens (quoted, so a space or a newline stays visible), "not significant" where q ≥ alpha, steered replies by
// strength; "identical" said plainly; the note when the lens could not run; hostile strings rendered as text only.

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
    expect(root.querySelector('caption')!.textContent).to.match(/after layer 2 of 5.*300 stories documents/s);
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
});
