// <md-behaviour-list>, data in and events out: the verdict first, then each behaviour once in report order (its
// category, the broad marker, the lead row's effect), expandable to its condition, consequences and evidence rows,
// example prompts as select events; no behaviour (differs, no difference beyond noise, identical) said plainly with
// the minimum detectable effect; a report without a verdict (schema 1); and hostile report text kept as text.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import { SHOW_BEHAVIOUR, type BehaviourList } from '../../../src/ui/behaviour-list.ts';
import { SELECT_PROMPT } from '../../../src/ui/hunk-list.ts';
import type { DiffReport } from '../../../src/core/diff/report-types.ts';
import { XSS, fixtureReport } from './fixture.ts';

async function mount(report: DiffReport): Promise<BehaviourList> {
  const el = Object.assign(document.createElement('md-behaviour-list'), { report }) as BehaviourList;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
/** Whether the element is rendered and shown (a closed <details> does not render its content). */
const shown = (el: Element | null | undefined) => Boolean(el?.checkVisibility());

describe('<md-behaviour-list>', () => {
  afterEach(() => document.querySelectorAll('md-behaviour-list').forEach((el) => el.remove()));

  it('offers every prompt where a behaviour happens, with their count, when the host lists prompts', async () => {
    const r = fixtureReport();
    r.prompts[0]!.a.features = { refused: false };
    r.prompts[0]!.b.features = { refused: true };
    r.prompts[1]!.a.features = { refused: false };
    r.prompts[1]!.b.features = { refused: true };
    const el = await mount(r);
    expect(el.shadowRoot!.querySelector('.show-all')).to.equal(null);
    el.listsPrompts = true;
    await el.updateComplete;
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('li.behaviour .show-all')!;
    expect(text(button)).to.equal('Every prompt where it happens (2)');
    const asked = new Promise<string>((resolve) =>
      el.addEventListener(SHOW_BEHAVIOUR, (e) => resolve((e as CustomEvent<{ behaviour: string }>).detail.behaviour), {
        once: true,
      }),
    );
    button.click();
    expect(await asked).to.equal('b1');
  });

  it('reads in order: the verdict, the behaviours in report order, then how candidates were chosen', async () => {
    const el = await mount(fixtureReport());
    const root = el.shadowRoot!;
    const verdict = root.querySelector('.verdict')!;
    const list = root.querySelector('ol.behaviours')!;
    const discovery = root.querySelector('.discovery')!;
    expect(verdict.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    expect(list.compareDocumentPosition(discovery) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    expect(text(verdict.querySelector('.badge'))).to.equal('Differs');
    expect(text(verdict.querySelector('.floor'))).to.equal('Noise floor: rounding.');
    expect([...list.querySelectorAll('li.behaviour')].map((li) => li.getAttribute('data-id'))).to.deep.equal([
      'b1',
      'b2',
    ]);
    expect(text(list.querySelector('li[data-id="b1"] .tag.category'))).to.equal('Safety');
    expect(text(list.querySelector('li[data-id="b2"] .tag.category'))).to.equal('Response pattern');
    // The lead row's effect in its own units: a binary row in points, with its interval.
    expect(text(list.querySelector('li[data-id="b1"] .effect'))).to.equal(
      'refused +25.0 pts (95% CI +10.0 to +40.0 pts)',
    );
    expect(list.querySelector('li[data-id="b1"] .effect svg circle')).to.not.equal(null);
    expect(text(discovery)).to.equal('Words were scored on 2 prompts and tested on 1.');
    expect(text(list)).not.to.contain('significant difference');
  });

  it('renders hostile sentences as text: no element from them, nothing runs', async () => {
    const el = await mount(fixtureReport());
    const root = el.shadowRoot!;
    // Open everything, so the condition and consequences are rendered too.
    root.querySelectorAll('details').forEach((d) => (d.open = true));
    await el.updateComplete;
    expect(root.querySelectorAll('img, script')).to.have.length(0);
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
    expect(root.querySelector('.verdict .sentence')!.textContent).to.equal(`The models differ ${XSS}.`);
    const b1 = root.querySelector('li[data-id="b1"]')!;
    expect(b1.querySelector('.sentence')!.textContent).to.contain(XSS);
    expect(b1.querySelector('.condition')!.textContent).to.contain(XSS);
    expect(b1.querySelector('.consequences li')!.textContent).to.contain(XSS);
  });

  it('expands a behaviour to its condition, consequences and evidence rows, and folds it again', async () => {
    const report = fixtureReport();
    report.differences[1]!.sentence = 'Within safety-harmful prompts, refusals rise.';
    const el = await mount(report);
    const b1 = el.shadowRoot!.querySelector('li[data-id="b1"]')!;
    const details = b1.querySelector('details')!;
    const rows = () => [...b1.querySelectorAll('ul.evidence li')];
    expect(details.open).to.equal(false);
    expect(shown(b1.querySelector('summary .sentence'))).to.equal(true);
    expect(rows().some(shown)).to.equal(false);

    b1.querySelector('summary')!.click();
    expect(details.open).to.equal(true);
    expect(rows().map(text)).to.deep.equal(report.behaviours[0]!.evidence.map((i) => report.differences[i]!.sentence));
    expect(rows().map(text)).to.deep.equal(['refused differs.', 'Within safety-harmful prompts, refusals rise.']);
    expect(rows().every(shown)).to.equal(true);
    expect(text(b1.querySelector('.condition'))).to.contain('on prompts that contain “kill”');
    expect(shown(b1.querySelector('.consequences li'))).to.equal(true);

    b1.querySelector('summary')!.click();
    expect(details.open).to.equal(false);
    expect(rows().some(shown)).to.equal(false);
  });

  it("sends a behaviour's example prompt out as the select-prompt event the hunk list uses", async () => {
    const el = await mount(fixtureReport());
    const b1 = el.shadowRoot!.querySelector('li[data-id="b1"]')!;
    b1.querySelector('summary')!.click();
    // Listened for on the document: it bubbles out of the shadow root (composed). Events dispatch synchronously.
    const picked: CustomEvent<{ promptId: string }>[] = [];
    const listener = (e: Event) => picked.push(e as CustomEvent<{ promptId: string }>);
    document.addEventListener(SELECT_PROMPT, listener);
    const button = b1.querySelector<HTMLButtonElement>('.examples button')!;
    expect(button.getAttribute('aria-label')).to.equal('show prompt p2');
    button.click();
    document.removeEventListener(SELECT_PROMPT, listener);
    expect(picked.map((e) => e.detail.promptId)).to.deep.equal(['p2']);
    expect(picked[0]!.composed && picked[0]!.bubbles).to.equal(true);
  });

  it('marks a broad behaviour as broad, and only that one', async () => {
    const el = await mount(fixtureReport());
    const root = el.shadowRoot!;
    expect(text(root.querySelector('li[data-id="b2"] .tag.broad'))).to.equal('broad: across most prompts');
    expect(root.querySelector('li[data-id="b1"] .tag.broad')).to.equal(null);
  });

  it('with no behaviour: says so next to the verdict, with what the run could have detected', async () => {
    const report = fixtureReport();
    report.behaviours = [];
    report.verdict!.status = 'indistinguishable';
    report.verdict!.sentence = 'No difference beyond the noise floor: mean KL 1e-7.';
    const el = await mount(report);
    const root = el.shadowRoot!;
    expect(root.querySelector('ol.behaviours')).to.equal(null);
    expect(text(root.querySelector('.verdict .badge'))).to.equal('No difference beyond noise');
    const none = root.querySelector('.none')!;
    expect(root.querySelector('.verdict')!.nextElementSibling).to.equal(none);
    expect(text(none)).to.contain('No behaviour changed: no difference found beyond the noise floor.');
    expect(text(none)).to.contain('about 20 percentage points in a binary feature, or dz ≈ 0.50');

    report.verdict!.status = 'differs';
    el.report = { ...report };
    await el.updateComplete;
    expect(text(root.querySelector('.verdict .badge'))).to.equal('Differs');
    expect(text(root.querySelector('.none'))).to.contain('No behaviour changed significantly');
  });

  it('identical: a clear badge and "Identical on this prompt set"', async () => {
    const report = fixtureReport();
    report.behaviours = [];
    report.verdict!.status = 'identical';
    report.verdict!.sentence = 'Identical on this prompt set: both models wrote the same replies.';
    const el = await mount(report);
    const root = el.shadowRoot!;
    expect(text(root.querySelector('.verdict .badge'))).to.equal('Identical');
    expect(root.querySelector('.verdict')!.getAttribute('data-status')).to.equal('identical');
    expect(text(root.querySelector('.none'))).to.match(/^Identical on this prompt set: no behaviour changed\./);
  });

  it('a report from schema 1 (no verdict, behaviours or discovery): no verdict, the rows counted instead', async () => {
    const report = fixtureReport();
    report.verdict = null;
    report.behaviours = [];
    report.discovery = null;
    const el = await mount(report);
    const root = el.shadowRoot!;
    expect(root.querySelector('.verdict')).to.equal(null);
    expect(root.querySelector('.discovery')).to.equal(null);
    expect(text(root.querySelector('.none'))).to.contain('report schema 1');
    expect(text(root.querySelector('.none'))).to.contain('its 3 significant differences are in the tested features');
  });
});
