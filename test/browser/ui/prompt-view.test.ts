// The prompt view, data in and events out: each response's tokens shaded by their surprisal under the other model,
// the per-token KL strip (marks from the data; hover, focus and arrow keys show both models' alternatives), the
// close request, and token texts from a hostile report shown as text.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import type { PromptDiff, ResponseToken } from '../../../src/core/diff/report-types.ts';
import { CLOSE_PROMPT, type PromptView } from '../../../src/ui/prompt-view.ts';
import { MAX_KL, type TokenStrip } from '../../../src/ui/token-strip.ts';
import { XSS, fixtureReport } from './fixture.ts';

const lp = Math.log;

/** A's "The answer is yes." scored by B, the same vocabulary: B would rather say "joy" at the fourth token. */
const TOKENS_A: ResponseToken[] = [
  { text: 'The', bits: 0.6, selfBits: 0.7, kl: 0.08, topA: [{ token: 'The', logprob: lp(0.6) }], topB: [] },
  { text: ' answer', bits: 0.4, selfBits: 0.4, kl: 0.1, topA: [], topB: [] },
  { text: ' is', bits: 0.2, selfBits: 0.3, kl: 0.15, topA: [], topB: [] },
  {
    text: ' yes',
    bits: 6,
    selfBits: 0.8,
    kl: 1.5,
    topA: [
      { token: 'yes', logprob: lp(0.4) },
      { token: 'no', logprob: lp(0.13) },
    ],
    topB: [
      { token: 'joy', logprob: lp(0.58) },
      { token: 'yes', logprob: lp(0.015625) },
    ],
  },
  { text: '.', bits: 0.1, selfBits: 0.1, kl: 0.5, topA: [], topB: [] },
];

function prompt(): PromptDiff {
  const p = structuredClone(fixtureReport().prompts[1]!);
  p.harmful = false;
  p.a.text = 'The answer is yes.';
  p.a.tokens = TOKENS_A;
  p.b.text = 'The answer is joy.';
  p.b.tokens = ['The', ' answer', ' is', ' joy', '.'].map((text, i) => ({ text, bits: i === 3 ? 2 : 0.5 }));
  return p;
}

async function mount<T extends HTMLElement & { updateComplete: Promise<boolean> }>(
  tag: string,
  props: Partial<T>,
): Promise<T> {
  const el = Object.assign(document.createElement(tag), props) as T;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const diffOf = async (view: PromptView) => {
  const d = view.shadowRoot!.querySelector('md-response-diff') as HTMLElement & { updateComplete: Promise<boolean> };
  await d.updateComplete;
  return d.shadowRoot!;
};

describe('<md-prompt-view>', () => {
  it("shades each response's tokens by their surprisal under the other model", async () => {
    const el = await mount<PromptView>('md-prompt-view', { prompt: prompt(), labelA: 'base', labelB: 'boost' });
    const root = await diffOf(el);
    const shaded = [...root.querySelectorAll<HTMLElement>('.side.a .t')];
    expect(shaded.map((s) => s.textContent).join('')).to.equal('The answer is yes.');
    const yes = [...root.querySelectorAll<HTMLElement>('.side.a del .t')].find((s) => s.textContent === 'yes')!;
    expect(yes.title).to.equal('6.0 bits');
    expect(yes.style.getPropertyValue('--s')).to.equal('0.500');
    const joy = [...root.querySelectorAll<HTMLElement>('.side.b ins .t')].find((s) => s.textContent === 'joy')!;
    expect(joy.title).to.equal('2.0 bits');
    expect(root.textContent).to.contain('darker = more surprising to the other model');
    el.remove();
  });

  it('draws a KL strip for a response with per-token KL, one cell per token, marked by the KL', async () => {
    const el = await mount<PromptView>('md-prompt-view', { prompt: prompt(), labelA: 'base', labelB: 'boost' });
    const strips = [...el.shadowRoot!.querySelectorAll<TokenStrip>('md-token-strip')];
    expect(strips).to.have.length(1); // B's tokens carry no KL: no strip for B
    await strips[0]!.updateComplete;
    const cells = [...strips[0]!.shadowRoot!.querySelectorAll<HTMLButtonElement>('.cell')];
    expect(cells.map((c) => c.querySelector('.t')!.textContent)).to.deep.equal(['The', ' answer', ' is', ' yes', '.']);
    expect(cells.map((c) => c.style.getPropertyValue('--k'))).to.deep.equal(
      TOKENS_A.map((t) => Math.min(1, t.kl! / MAX_KL).toFixed(3)),
    );
    expect(cells[3]!.style.getPropertyValue('--k')).to.equal('1.000'); // 1.5 nats: the strongest mark
    el.remove();
  });

  it('asks to close through an event, and shows no Close button when not closable', async () => {
    const el = await mount<PromptView>('md-prompt-view', { prompt: prompt() });
    const closed = new Promise((resolve) => el.addEventListener(CLOSE_PROMPT, resolve, { once: true }));
    el.shadowRoot!.querySelector<HTMLButtonElement>('.head button')!.click();
    await closed;
    el.closable = false;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.head button') === null, 'no Close button').to.equal(true);
    el.remove();
  });
});

describe('<md-token-strip>', () => {
  it('hovering a token shows both models’ likeliest tokens there, with probabilities', async () => {
    const el = await mount<TokenStrip>('md-token-strip', { tokens: TOKENS_A, labelA: 'base', labelB: 'boost' });
    const detail = () => el.shadowRoot!.querySelector('.detail')!.textContent!.replace(/\s+/g, ' ');
    expect(detail()).to.contain('Hover or focus a token');
    el.shadowRoot!.querySelectorAll('.cell')[3]!.dispatchEvent(new MouseEvent('mouseenter'));
    await el.updateComplete;
    expect(detail()).to.contain('KL(B‖A) ≥ 1.500 nats');
    expect(detail()).to.contain('6.0 bits to the other model, 0.8 bits to its own');
    const lists = [...el.shadowRoot!.querySelectorAll('.alts ol')].map((ol) =>
      [...ol.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim()),
    );
    expect(lists).to.deep.equal([
      ['yes 40% (chosen)', 'no 13%'],
      ['joy 58%', 'yes 1.6% (chosen)'],
    ]);
    el.remove();
  });

  it('is one tab stop; focus shows a token, arrow keys, Home and End move along the strip', async () => {
    const el = await mount<TokenStrip>('md-token-strip', { tokens: TOKENS_A });
    const cells = () => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.cell')];
    expect(cells().map((c) => c.tabIndex)).to.deep.equal([0, -1, -1, -1, -1]);
    cells()[0]!.focus();
    await el.updateComplete;
    expect(el.active).to.equal(0);
    const press = async (key: string) => {
      (el.shadowRoot!.activeElement as HTMLElement).dispatchEvent(
        new KeyboardEvent('keydown', { key, bubbles: true, composed: true }),
      );
      await el.updateComplete;
      await el.updateComplete;
    };
    await press('ArrowRight');
    await press('ArrowRight');
    await press('ArrowRight');
    expect(el.shadowRoot!.activeElement === cells()[3], 'the fourth cell has focus').to.equal(true);
    expect(el.active).to.equal(3);
    expect(cells()[3]!.getAttribute('aria-current')).to.equal('true');
    expect(cells().map((c) => c.tabIndex)).to.deep.equal([-1, -1, -1, 0, -1]);
    expect(el.shadowRoot!.querySelector('.detail')!.textContent).to.contain('joy');
    await press('End');
    expect(el.active).to.equal(4);
    await press('ArrowRight');
    expect(el.active).to.equal(4);
    await press('Home');
    expect(el.active).to.equal(0);
    await press('ArrowLeft');
    expect(el.active).to.equal(0);
    el.remove();
  });

  it('shows hostile token texts and alternatives as text', async () => {
    const tokens: ResponseToken[] = [
      { text: XSS, bits: 1, kl: 0.2, topA: [{ token: '<script>window.__xss=5</script>', logprob: -1 }], topB: [] },
    ];
    const el = await mount<TokenStrip>('md-token-strip', { tokens });
    el.shadowRoot!.querySelector('.cell')!.dispatchEvent(new MouseEvent('mouseenter'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('img, script')).to.have.length(0);
    expect(el.shadowRoot!.querySelector('.cell .t')!.textContent).to.equal(XSS);
    expect(el.shadowRoot!.querySelector('.alts')!.textContent).to.contain('<script>window.__xss=5</script>');
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
    el.remove();
  });
});
