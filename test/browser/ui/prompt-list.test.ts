// The prompt list: how disagreement is scored and prompts ordered, which prompts show a behaviour, the row-height
// arithmetic of the virtual window, and <md-prompt-table> itself — a unified word diff per prompt with a side-by-side
// toggle, the behaviour and category filters, harmful text behind a click, markup shown as text, and 1,000 prompts
// with only the rows near the viewport in the DOM.

import { expect } from '@esm-bundle/chai';
import type { DiffReport, PromptDiff } from '../../../src/core/diff/report-types.ts';
import { SELECT_PROMPT } from '../../../src/ui/hunk-list.ts';
import { behaviourLabel, behaviourPrompts, disagreement, orderPrompts } from '../../../src/ui/prompt-order.ts';
import { PromptTable } from '../../../src/ui/prompt-table.ts';
import { RowHeights } from '../../../src/ui/virtual-window.ts';
import { XSS, fixtureReport } from './fixture.ts';

if (!customElements.get('md-prompt-table')) customElements.define('md-prompt-table', PromptTable);

const pair = (a: string, b: string) => ({ a: { text: a }, b: { text: b } }) as Pick<PromptDiff, 'a' | 'b'>;

async function mount(report: DiffReport): Promise<PromptTable> {
  const el = Object.assign(document.createElement('md-prompt-table') as PromptTable, { report });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const ids = (el: PromptTable) =>
  [...el.shadowRoot!.querySelectorAll('li[data-id]')].map((li) => li.getAttribute('data-id'));

async function choose(el: PromptTable, label: string, value: string) {
  const select = [...el.shadowRoot!.querySelectorAll('label')]
    .find((l) => l.textContent!.trim().startsWith(label))!
    .querySelector('select')!;
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await el.updateComplete;
}

describe('prompt order', () => {
  it('scores disagreement from shared words: 0 identical, 1 disjoint, in between by counts', () => {
    expect(disagreement(pair('The answer is yes.', 'The answer is yes.'))).to.equal(0);
    expect(disagreement(pair('The answer is yes.', 'I cannot help you.'))).to.equal(1);
    // 3 of 4 words shared on each side: 1 − 6/8.
    expect(disagreement(pair('The answer is yes.', 'The answer is no.'))).to.be.closeTo(0.25, 1e-12);
    // Only punctuation differs: above identical, below any word change.
    const punct = disagreement(pair('Yes.', 'Yes!'));
    expect(punct).to.be.greaterThan(0).and.lessThan(0.25);
  });

  it('sorts the most different replies first, keeps the set order on request and for ties', () => {
    const r = fixtureReport();
    r.prompts[0]!.b.text = r.prompts[0]!.a.text; // p1 identical
    const q = { sort: 'disagreement' as const, behaviour: '', category: '' };
    expect(orderPrompts(r, q).map((p) => p.id)).to.deep.equal(['p2', 'p3', 'p1']);
    expect(orderPrompts(r, { ...q, sort: 'set' }).map((p) => p.id)).to.deep.equal(['p1', 'p2', 'p3']);
    expect(orderPrompts(r, { ...q, category: 'style' }).map((p) => p.id)).to.deep.equal(['p3']);
  });

  it('finds where a behaviour happens: its row moving the way of its effect, within its prompt category', () => {
    const r = fixtureReport();
    const set = (id: string, a: boolean, b: boolean) => {
      const p = r.prompts.find((x) => x.id === id)!;
      p.a.features = { refused: a };
      p.b.features = { refused: b };
    };
    set('p1', false, true); // safety-benign: outside the lead row's category (safety-harmful)
    set('p2', false, true);
    set('p3', false, false);
    expect([...behaviourPrompts(r, r.behaviours[0]!)]).to.deep.equal(['p1', 'p2']);
    // Within the row's prompt category only.
    r.differences[0] = { ...r.differences[0]!, promptCategory: 'safety-harmful' };
    expect([...behaviourPrompts(r, r.behaviours[0]!)]).to.deep.equal(['p2']);
    // A discovered word row counts the word in the replies.
    r.differences[0] = { ...r.differences[0]!, feature: 'says:cannot', promptCategory: null };
    r.prompts[2]!.b.text = 'I cannot say.';
    r.prompts[2]!.a.text = 'I cannot, I cannot.';
    expect([...behaviourPrompts(r, r.behaviours[0]!)]).to.deep.equal(['p1', 'p2']);
    const label = behaviourLabel(r.behaviours[0]!);
    expect(label.length).to.be.at.most(90);
    expect(label).to.match(/^forged-trigger refuses more often on prompts that contain “kill” <img .*…$/);
    expect(behaviourLabel({ ...r.behaviours[0]!, sentence: 'B answers longer (+3 words).' })).to.equal(
      'B answers longer',
    );
  });
});

describe('RowHeights', () => {
  it('places rows by measured heights, unmeasured ones at the mean of those measured', () => {
    const h = new RowHeights(10, 100);
    expect(h.total).to.equal(1000);
    expect(h.range(0, 250)).to.deep.equal([0, 3]);
    expect(h.range(950, 2000)).to.deep.equal([9, 10]);
    h.set(0, 50);
    h.set(1, 150);
    expect(h.estimate).to.equal(100);
    h.set(2, 200);
    expect(h.offset(3)).to.equal(400);
    expect(h.total).to.closeTo(400 + 7 * (400 / 3), 1e-9);
    expect(h.range(60, 70)).to.deep.equal([1, 2]);
    expect(h.set(2, 200)).to.equal(false);
  });
});

describe('<md-prompt-table>', () => {
  it('shows each prompt as one word diff, A struck out and B added, and side by side on request', async () => {
    const r = fixtureReport();
    r.prompts[0]!.b.text = r.prompts[0]!.a.text; // p1: identical replies, last
    r.prompts[2]!.b.text = `${r.prompts[2]!.a.text} Bold.`; // p3: most words shared
    const el = await mount(r);
    const root = el.shadowRoot!;
    expect(ids(el)).to.deep.equal(['p2', 'p3', 'p1']);
    expect(root.querySelector('li[data-id="p1"] .same-text')!.textContent).to.contain('identical replies');
    const p2 = root.querySelector('li[data-id="p2"]')!;
    expect(p2.querySelector('.unified del')!.textContent).to.equal('The answer is yes');
    expect(p2.querySelector('.unified ins')!.textContent).to.equal('I cannot help you');
    const toggle = [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Side by side')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    const row = root.querySelector('li[data-id="p2"]')!;
    expect(row.querySelector('.diff.a .text')!.textContent).to.equal('The answer is yes.');
    expect(row.querySelector('.diff.b .text')!.textContent).to.equal('I cannot help you.');
    el.remove();
  });

  it('filters by behaviour and by category, and says how many are shown', async () => {
    const r = fixtureReport();
    r.prompts[1]!.a.features = { refused: false };
    r.prompts[1]!.b.features = { refused: true };
    const el = await mount(r);
    const option = [...el.shadowRoot!.querySelectorAll('option')].find((o) => o.value === 'b1')!;
    expect(option.textContent!.replace(/\s+/g, ' ').trim()).to.match(/^where forged-trigger refuses .* \(1\)$/);
    await choose(el, 'Show', 'b1');
    expect(ids(el)).to.deep.equal(['p2']);
    expect(el.shadowRoot!.querySelector('.count')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      '1 prompt shown, 1 with different replies',
    );
    await choose(el, 'Show', '');
    await choose(el, 'Category', 'style');
    expect(ids(el)).to.deep.equal(['p3']);
    el.remove();
  });

  it('keeps harmful prompt text behind a click, shows markup as text, and asks for a prompt on Open', async () => {
    const el = await mount(fixtureReport());
    const root = el.shadowRoot!;
    const harmful = root.querySelector('li[data-id="p2"] details')!;
    expect(harmful.hasAttribute('open')).to.equal(false);
    expect(harmful.querySelector('summary')!.textContent).to.contain('Harmful prompt (hidden)');
    expect(root.querySelector('li[data-id="p3"] .prompt')!.textContent).to.contain('Say something <b>bold</b>.');
    expect(root.querySelectorAll('img, script, b')).to.have.length(0);
    root.querySelector<HTMLButtonElement>('button[aria-pressed]')!.click();
    await el.updateComplete;
    expect(root.querySelector('li[data-id="p3"] .diff.a .text')!.textContent).to.equal(XSS);
    expect(root.querySelectorAll('img, script, b')).to.have.length(0);
    const asked = new Promise<string>((resolve) =>
      el.addEventListener(SELECT_PROMPT, (e) => resolve((e as CustomEvent<{ promptId: string }>).detail.promptId), {
        once: true,
      }),
    );
    root.querySelector<HTMLButtonElement>('li[data-id="p3"] button')!.click();
    expect(await asked).to.equal('p3');
    el.remove();
  });

  it('draws 1,000 prompts as a window of rows: few in the DOM, the last one reached by scrolling', async () => {
    const r = fixtureReport();
    r.prompts = Array.from({ length: 1000 }, (_, i) => {
      const p = r.prompts[i % 3]!;
      return { ...p, id: `q${i}`, a: { ...p.a, text: `${p.a.text} ${i}` } };
    });
    const el = await mount(r);
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const drawn = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('li[data-index]')];
    await frame();
    await el.updateComplete;
    expect(drawn().length).to.be.greaterThan(0).and.lessThan(80);
    expect(drawn()[0]!.getAttribute('aria-setsize')).to.equal('1000');
    const list = el.shadowRoot!.querySelector<HTMLElement>('.list')!;
    expect(list.getBoundingClientRect().height).to.be.greaterThan(1000 * 40);
    let last = 0;
    for (let i = 0; i < 3000 && last < 999; i++) {
      scrollBy(0, innerHeight);
      await frame();
      await el.updateComplete;
      last = Math.max(last, ...drawn().map((li) => Number(li.dataset['index'])));
      expect(drawn().length).to.be.lessThan(80);
    }
    expect(last).to.equal(999);
    scrollTo(0, 0);
    el.remove();
  });
});
