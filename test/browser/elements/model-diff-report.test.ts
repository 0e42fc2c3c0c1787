// <model-diff> showing a report it was given: what changed first (verdict and behaviours), the statistical rows folded
// one click away (open for a schema-1 report), the prompt view's default prompt, hostile strings as text in every
// view, and a report from a future schema or a broken one refused with a message.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import type { DiffReport } from '../../../src/core/diff/report-types.ts';
import type { ModelDiff } from '../../../src/elements/model-diff.ts';
import type { BehaviourList } from '../../../src/ui/behaviour-list.ts';
import type { PromptView } from '../../../src/ui/prompt-view.ts';
import type { ReportHeader } from '../../../src/ui/report-header.ts';
import { XSS, fixtureReport } from '../ui/fixture.ts';

/** Every element in the element's shadow tree, descending into nested shadow roots. */
function allElements(root: ShadowRoot | Document): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) out.push(...allElements(el.shadowRoot));
  }
  return out;
}

async function mounted(): Promise<ModelDiff> {
  const md = document.createElement('model-diff') as ModelDiff;
  document.body.append(md);
  await md.updateComplete;
  return md;
}

/** A <model-diff> showing the report, once it has said so (model-diff-ready) and rendered. */
async function showing(report: DiffReport, view?: ModelDiff['view']): Promise<ModelDiff> {
  const md = await mounted();
  if (view) md.view = view;
  const ready = new Promise((resolve) => md.addEventListener('model-diff-ready', resolve, { once: true }));
  md.showReport(report);
  await ready;
  await md.updateComplete;
  return md;
}

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const before = (a: Element, b: Element) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;

describe('<model-diff> reading order', () => {
  it('what changed first, then every tested feature folded one click away', async () => {
    const md = await showing(fixtureReport());
    const root = md.shadowRoot!;
    const header = root.querySelector('md-report-header')!;
    const list = root.querySelector('md-behaviour-list') as BehaviourList;
    const tests = root.querySelector('details.tests') as HTMLDetailsElement;
    await list.updateComplete;
    expect(list.getAttribute('part')).to.equal('behaviours');
    expect(before(header, list) && before(list, tests)).to.equal(true);
    expect(before(tests, root.querySelector('md-token-panel')!)).to.equal(true);
    // The chart and the hunks are inside the fold, with their parts.
    expect(tests.querySelector(':scope > md-forest-plot[part="forest-plot"]')).to.not.equal(null);
    expect(tests.querySelector(':scope > md-hunk-list[part="hunks"]')).to.not.equal(null);
    expect(text(tests.querySelector('summary'))).to.equal('All tested features (6 tests, 3 significant)');
    expect([...root.querySelectorAll('h3')].map(text).slice(0, 3)).to.deep.equal([
      'What changed',
      'All tested features (6 tests, 3 significant)',
      'Tokens and words',
    ]);
    // The verdict and the first behaviour show; the rows do not until the fold is opened.
    expect(list.shadowRoot!.querySelector('.verdict')!.checkVisibility()).to.equal(true);
    expect(list.shadowRoot!.querySelector('li.behaviour summary')!.checkVisibility()).to.equal(true);
    expect(tests.open).to.equal(false);
    const hunks = root.querySelector('md-hunk-list')!;
    expect(hunks.checkVisibility()).to.equal(false);
    tests.querySelector('summary')!.click();
    expect(tests.open).to.equal(true);
    expect(hunks.checkVisibility()).to.equal(true);
    const headline = (header as ReportHeader).shadowRoot!.querySelector('.headline');
    expect(text(headline)).to.equal('2 behaviours changed');
    md.remove();
  });

  it("a behaviour's example prompt opens that prompt", async () => {
    const md = await showing(fixtureReport());
    const list = md.shadowRoot!.querySelector('md-behaviour-list') as BehaviourList;
    await list.updateComplete;
    list.shadowRoot!.querySelector<HTMLButtonElement>('li[data-id="b2"] .examples button')!.click();
    await md.updateComplete;
    expect(md.promptId).to.equal('p3');
    expect((md.shadowRoot!.querySelector('md-prompt-view') as PromptView | null)?.prompt?.id).to.equal('p3');
    md.remove();
  });

  it("summary: the same order; the prompt view's default is the first behaviour's first example", async () => {
    const summary = await showing(fixtureReport(), 'summary');
    const parts = [...summary.shadowRoot!.querySelectorAll('[part]')].map((e) => e.getAttribute('part'));
    expect(parts).to.deep.equal(['toolbar', 'header', 'behaviours', 'forest-plot', 'hunks']);
    summary.remove();

    const shownId = async (report: DiffReport) => {
      const md = await showing(report, 'prompt');
      const id = (md.shadowRoot!.querySelector('md-prompt-view') as PromptView).prompt?.id;
      md.remove();
      return id;
    };
    expect(await shownId(fixtureReport())).to.equal('p2');
    // Without behaviours: the first hunk's first row's best prompt (none here), else the first prompt.
    expect(await shownId({ ...fixtureReport(), behaviours: [] })).to.equal('p1');
  });

  it('a report from schema 1 (no verdict, no behaviours): the tested features start open', async () => {
    const md = await showing({ ...fixtureReport(), verdict: null, behaviours: [], discovery: null });
    const tests = md.shadowRoot!.querySelector('details.tests') as HTMLDetailsElement;
    expect(tests.open).to.equal(true);
    const header = md.shadowRoot!.querySelector('md-report-header') as ReportHeader;
    expect(text(header.shadowRoot!.querySelector('.headline'))).to.match(/^3 significant differences/);
    md.remove();
  });
});

describe('<model-diff> with a given report', () => {
  it('renders hostile strings as text everywhere', async () => {
    const md = await mounted();
    const report = fixtureReport();
    report.models[0].label = XSS;
    report.prompts.forEach((p) => {
      p.a.text = XSS;
      p.prompt = XSS;
    });
    report.differences.forEach((d) => (d.sentence = XSS));
    report.discovery!.sentence = XSS;
    report.verdict!.noiseFloor.method = XSS;
    const ready = new Promise((resolve) => md.addEventListener('model-diff-ready', resolve, { once: true }));
    md.showReport(report);
    await ready;
    await md.updateComplete;
    const els = allElements(md.shadowRoot!);
    await Promise.all(els.map((el) => (el as Partial<ModelDiff>).updateComplete));
    const all = allElements(md.shadowRoot!);
    expect(all.filter((el) => el.tagName === 'IMG' || el.tagName === 'SCRIPT')).to.have.length(0);
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
    const text = all.map((el) => el.shadowRoot?.textContent ?? '').join(' ');
    expect(text).to.contain('<img src=x onerror=');
    md.remove();
  });

  it('refuses a report from a future schema version, and a broken one, with a message', async () => {
    const md = await mounted();
    const errors: string[] = [];
    md.addEventListener('model-diff-error', (e) => errors.push((e as CustomEvent).detail.message));
    md.showReport({ ...fixtureReport(), schemaVersion: 99 });
    md.showReport({ schemaVersion: 1, models: [] });
    md.showReport('not a report');
    expect(errors[0]).to.match(/schema version 99, newer than this viewer/);
    expect(errors[1]).to.match(/does not match the model-diff report format: generator: required field is missing/);
    expect(errors[2]).to.match(/not a model-diff report/);
    await md.updateComplete;
    expect(md.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.match(/not a model-diff report/);
    md.remove();
  });
});
