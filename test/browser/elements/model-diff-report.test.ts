// <model-diff> showing a report it was given: hostile strings stay text in every view, a report from a future schema
// or a broken one is refused with a message, and exports contain the same report.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import type { ModelDiff } from '../../../src/elements/model-diff.ts';
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
