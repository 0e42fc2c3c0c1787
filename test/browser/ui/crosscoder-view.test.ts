// <md-crosscoder>, data in: the r histogram drawn (a bar per non-empty bin, the three bands labelled) with the counts
// per band and the noise floor in one sentence beside it; confirmed cards before unconfirmed ones (folded when many),
// band in the model's colour, snippet tokens shaded by activation and hostile token text shown as text; inside
// <model-diff>, placed right after the lens; nothing for an absent section, the note for a null one.

import { expect } from '@esm-bundle/chai';
import type * as PlotLib from '@observablehq/plot';
import '../../../src/elements/define.ts';
import type { InternalsSection } from '../../../src/core/diff/report-types.ts';
import { CrosscoderView, FOLD_UNCONFIRMED } from '../../../src/ui/crosscoder-view.ts';
import type { ModelDiff } from '../../../src/elements/model-diff.ts';
import { bins } from '../../../src/ui/crosscoder-histogram.ts';
import { HOSTILE_TOKENS, crosscoderInternals, crosscoderSection } from './crosscoder-fixture.ts';
import { fixtureReport } from './fixture.ts';

/** Plot's ESM source needs a bundler (a CommonJS dependency); the same release's UMD build stands in (as forest-plot.test). */
function script(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = Object.assign(document.createElement('script'), { src, onload: () => resolve(), onerror: reject });
    document.head.append(s);
  });
}
const umd = (async () => {
  if (!(globalThis as { Plot?: unknown }).Plot) {
    await script('/node_modules/d3/dist/d3.min.js');
    await script('/node_modules/@observablehq/plot/dist/plot.umd.min.js');
  }
  return (globalThis as unknown as { Plot: typeof PlotLib }).Plot;
})();
const esmLoader = CrosscoderView.loadPlot;
before(() => (CrosscoderView.loadPlot = () => umd));
after(() => (CrosscoderView.loadPlot = esmLoader));

async function mount(internals: InternalsSection): Promise<CrosscoderView> {
  const el = Object.assign(document.createElement('md-crosscoder'), { internals }) as CrosscoderView;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The alpha of a computed colour: rgb(), rgba() or color(srgb … / a). */
function alpha(colour: string): number {
  const m = /\/\s*([\d.]+)\)$/.exec(colour) ?? /^rgba\([^)]*,\s*([\d.]+)\)$/.exec(colour);
  return m ? Number(m[1]) : 1;
}

const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<md-crosscoder>', () => {
  afterEach(() => document.querySelectorAll('md-crosscoder, model-diff').forEach((e) => e.remove()));

  it('draws the histogram with its bands, the counts beside the noise floor, and the cards in order', async () => {
    const c = crosscoderSection();
    const root = (await mount(crosscoderInternals())).shadowRoot!;
    const svg = root.querySelector('.plot svg')!;
    expect(svg, 'histogram drawn').to.not.equal(null);
    expect(svg.querySelectorAll('g.md-bin rect')).to.have.length(bins(c).length);
    expect(bins(c).length).to.be.greaterThan(5);
    expect([...svg.querySelectorAll('g.md-zone-label text')].map(text)).to.deep.equal(['A-only', 'shared', 'B-only']);
    // The band table states what the bars show.
    const row = (band: string) => text(root.querySelector(`tr[data-band="${band}"] td.n`));
    expect(row('a-only')).to.equal(String(c.counts.aOnly));
    expect(row('b-only')).to.equal(String(c.counts.bOnly));
    expect(row('shared')).to.equal(String(c.counts.shared));
    expect(c.counts.aOnly + c.counts.bOnly + c.counts.shared + c.counts.shifted).to.equal(
      c.histogram.counts.reduce((s, n) => s + n, 0),
    );
    // One sentence holds both numbers: how many look exclusive, and how many would by chance.
    const floor = text(root.querySelector('.floor'));
    expect(floor).to.contain(`${c.counts.aOnly + c.counts.bOnly} exclusive latents (3 A-only, 9 B-only)`);
    expect(floor).to.contain(
      'expected false exclusives where the models differ in nothing: 2.5, measured by the forged-null',
    );

    // Confirmed first (the fixture lists an unconfirmed one first), each in its model's colour.
    const cards = [...root.querySelectorAll('.cards.confirmed article, .cards.unconfirmed article')];
    const confirmed = cards.map((a) => a.getAttribute('data-confirmed'));
    expect(confirmed.slice(0, 2)).to.deep.equal(['yes', 'yes']);
    expect(confirmed.slice(2).every((x) => x === 'no')).to.equal(true);
    const bird = root.querySelector('article[data-latent="17"]')!;
    expect(text(bird.querySelector('.check'))).to.match(
      /^confirmed on 10 held-out prompts \(effect \+0\.041, 95% CI \+0\.018 to \+0\.066, q = 0\.004\)$/,
    );
    const style = getComputedStyle(root.host);
    const colour = (v: string) => {
      const probe = Object.assign(document.createElement('span'), { style: `color: ${v}` });
      root.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    };
    expect(getComputedStyle(bird.querySelector('.band')!).color).to.equal(colour(style.getPropertyValue('--md-b')));
    const cat = root.querySelector('article[data-latent="88"]')!;
    expect(text(cat.querySelector('.band'))).to.equal('A-only');
    expect(getComputedStyle(cat.querySelector('.band')!).color).to.equal(colour(style.getPropertyValue('--md-a')));
    expect(text(bird.querySelector('.raises'))).to.equal('raises: bird birds nest feather');
    // Unconfirmed ones are many here: folded, and drawn as secondary.
    const rest = c.exclusives.filter((f) => !f.confirmation?.confirmed).length;
    expect(rest).to.be.greaterThan(FOLD_UNCONFIRMED);
    const folded = root.querySelector<HTMLDetailsElement>('details.more')!;
    expect(folded.open).to.equal(false);
    expect(text(folded.querySelector('summary'))).to.equal(`${rest} candidates not confirmed on held-out prompts`);
    expect(folded.querySelectorAll('article.secondary')).to.have.length(rest);
    expect(text(root.querySelector('article[data-latent="405"] .check'))).to.equal(
      'not checked: no held-out prompts were left',
    );

    // Tokens shaded by activation: the peak fully, a token that does not fire not at all.
    const toks = [...bird.querySelectorAll('ol.snippets li:first-child .tok')] as HTMLElement[];
    expect(toks.map((t) => t.textContent).join('')).to.equal(' The little bird sang in the tree.');
    const peak = toks.find((t) => t.classList.contains('peak'))!;
    expect(peak.textContent).to.equal(' bird');
    expect(peak.style.getPropertyValue('--act')).to.equal('1.000');
    expect(alpha(getComputedStyle(peak).backgroundColor)).to.be.closeTo(0.5, 0.01);
    expect(alpha(getComputedStyle(toks[0]!).backgroundColor)).to.equal(0);
    const sang = toks.find((t) => t.textContent === ' sang')!;
    expect(alpha(getComputedStyle(sang).backgroundColor)).to.be.closeTo((0.5 * 1.1) / 3.2, 0.01);
    expect(text(bird.querySelector('ol.snippets li:nth-child(2) .small'))).to.equal("B's reply to stories-04:");

    // Hostile token text, in a snippet, a decoder token and a note: literal text, never markup.
    const hostile = root.querySelector('article[data-latent="301"]')!;
    const shown = [...hostile.querySelectorAll('.tok')].map((t) => t.textContent);
    expect(shown).to.include.members(HOSTILE_TOKENS);
    expect(root.querySelector('img, script')).to.equal(null);
    expect(text(root.querySelector('li.note'))).to.contain('<img src=x');
    expect((window as { __xss?: number }).__xss).to.equal(undefined);

    // Concepts that changed: shared latents with their cosine, no held-out line.
    const changed = [...root.querySelectorAll('.changed article')];
    expect(changed.map((a) => a.getAttribute('data-latent'))).to.deep.equal(['230', '9']);
    expect(text(changed[0]!.querySelector('header'))).to.contain('cosine 0.12');
    expect(changed[0]!.querySelector('.check')).to.equal(null);
    expect(text(root.querySelector('ul.facts'))).to.contain('explained variance A 82.0%, B 79.0%');
  });

  it('a candidate chosen by the replies says so, and reads the model it leans to even where r is below ½', async () => {
    const base = crosscoderSection();
    const chosen = {
      ...base.exclusives[1]!,
      latent: 205,
      band: 'shared' as const,
      relativeNorm: 0.46,
      nu: null,
      leansTo: 'b' as const,
      confirmation: {
        statistic: 'replies' as const,
        n: 20,
        effect: 0.22,
        ci: [0.1, 0.35] as [number, number],
        p: 1e-4,
        q: 0.016,
        confirmed: true,
      },
    };
    const el = await mount(crosscoderInternals({ ...base, exclusives: [chosen] }));
    const card = el.renderRoot.querySelector('article[data-latent="205"]')!;
    expect(text(card.querySelector('.check'))).to.match(
      /^confirmed on 20 held-out prompts: fires more on that model's own replies \(effect \+0\.22/,
    );
    expect(card.querySelector('.raises')!.getAttribute('title')).to.equal(
      "Its decoder direction read through B's unembedding",
    );
  });

  it('renders nothing for an absent section and the note for a null one; in <model-diff> it follows the lens', async () => {
    const absent = await mount({ weights: null, note: null });
    expect(absent.shadowRoot!.children.length).to.equal(0);
    const none = await mount({ weights: null, crosscoder: null, note: 'No crosscoder: no aligned positions.' });
    expect(text(none.shadowRoot)).to.contain('No crosscoder: no aligned positions.');
    expect(none.shadowRoot!.querySelector('.plot')).to.equal(null);

    const report = fixtureReport();
    report.internals = { ...crosscoderInternals(), lens: null, note: 'Lens: not this pair.' };
    const page = Object.assign(document.createElement('model-diff'), { report }) as ModelDiff;
    document.body.append(page);
    await page.updateComplete;
    const parts = [...page.shadowRoot!.querySelectorAll('[part]')].map((e) => e.getAttribute('part'));
    expect(parts.slice(parts.indexOf('lens'), parts.indexOf('lens') + 2)).to.deep.equal(['lens', 'crosscoder']);
    const without = fixtureReport();
    const plain = Object.assign(document.createElement('model-diff'), { report: without }) as ModelDiff;
    document.body.append(plain);
    await plain.updateComplete;
    expect(plain.shadowRoot!.querySelector('md-crosscoder')).to.equal(null);
  });
});
