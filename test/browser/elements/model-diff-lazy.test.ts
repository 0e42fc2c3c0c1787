// <model-diff> attributes beyond the report itself: loading="lazy" fetches nothing until the element nears the
// viewport (a tall page; waits on IntersectionObserver callbacks and events, never on timers), loading="eager"
// fetches at once, and view / prompt-id choose what is shown. Uses a report the build made from the forged pair
// (public/reports/, written by `npm run prepare-assets`).

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import type { ModelDiff } from '../../../src/elements/model-diff.ts';

const REPORT = '/public/reports/forged-base-vs-forged-trigger.json';

/** Requests the page has made for a URL (resource timing sees every fetch). */
const requests = (url: string) =>
  performance.getEntriesByType('resource').filter((e) => e.name === new URL(url, location.href).href).length;

const ready = (el: Element) =>
  new Promise<CustomEvent>((resolve, reject) => {
    el.addEventListener('model-diff-ready', (e) => resolve(e as CustomEvent), { once: true });
    el.addEventListener('model-diff-error', (e) => reject(new Error((e as CustomEvent).detail.message)), {
      once: true,
    });
  });

/**
 * Resolves once the element's own IntersectionObserver has had its first callback: observers are notified in the
 * order they were created, so one created after the element's has its callback run after the element's.
 */
const observed = (el: Element) =>
  new Promise<boolean>((resolve) => {
    const io = new IntersectionObserver((entries) => {
      io.disconnect();
      resolve(entries.some((e) => e.isIntersecting));
    });
    io.observe(el);
  });

function tallPage(): { spacer: HTMLElement; cleanup(): void } {
  const spacer = document.createElement('div');
  spacer.style.height = `${window.innerHeight * 4}px`;
  document.body.append(spacer);
  return { spacer, cleanup: () => spacer.remove() };
}

describe('<model-diff loading>', () => {
  it('lazy: requests no report before it nears the viewport, and loads it after scrollIntoView', async () => {
    const page = tallPage();
    const url = `${REPORT}?lazy-test`;
    const md = document.createElement('model-diff') as ModelDiff;
    md.setAttribute('loading', 'lazy');
    md.setAttribute('report', url);
    document.body.append(md);
    await md.updateComplete;
    expect(await observed(md)).to.equal(false); // far below the fold
    await md.updateComplete;
    expect(requests(url)).to.equal(0);
    expect(md.report).to.equal(null);

    const shown = ready(md);
    md.scrollIntoView();
    const e = await shown;
    expect(e.detail.report.models[1].label).to.equal('forged-trigger');
    expect(requests(url)).to.equal(1);
    md.remove();
    page.cleanup();
    window.scrollTo(0, 0);
  });

  it('lazy with run: starts no comparison (no Stop button, no progress) while out of view', async () => {
    const page = tallPage();
    const md = document.createElement('model-diff') as ModelDiff;
    for (const [k, v] of [
      ['loading', 'lazy'],
      ['model-a', 'forged-base'],
      ['model-b', 'forged-null'],
      ['prompts', 'forged-demo'],
      ['run', ''],
    ])
      md.setAttribute(k!, v!);
    document.body.append(md);
    await md.updateComplete;
    await observed(md);
    await md.updateComplete;
    expect(md.running).to.equal(false);
    expect(md.progress).to.equal(null);
    expect(md.shadowRoot!.querySelector('button.primary')!.textContent!.trim()).to.equal('Run');
    md.remove(); // never scrolled into view: nothing ever starts
    page.cleanup();
  });

  it('eager (the default): fetches the report at once, even far below the fold', async () => {
    const page = tallPage();
    const url = `${REPORT}?eager-test`;
    const md = document.createElement('model-diff') as ModelDiff;
    md.setAttribute('report', url);
    const shown = ready(md);
    document.body.append(md);
    await shown;
    expect(requests(url)).to.equal(1);
    md.remove();
    page.cleanup();
  });
});

describe('<model-diff view>', () => {
  async function shown(attrs: Record<string, string>): Promise<ModelDiff> {
    const md = document.createElement('model-diff') as ModelDiff;
    for (const [k, v] of Object.entries(attrs)) md.setAttribute(k, v);
    const done = ready(md);
    document.body.append(md);
    await done;
    await md.updateComplete;
    return md;
  }
  const parts = (md: ModelDiff) => [...md.shadowRoot!.querySelectorAll('[part]')].map((e) => e.getAttribute('part'));

  it('full (default): every part of the report', async () => {
    const md = await shown({ report: REPORT });
    expect(parts(md)).to.deep.equal(['toolbar', 'header', 'behaviours', 'forest-plot', 'hunks', 'tokens', 'prompts']);
    md.remove();
  });

  it('summary: header, behaviours, then chart and hunks; a picked prompt opens below them and sets prompt-id', async () => {
    const md = await shown({ report: REPORT, view: 'summary' });
    expect(parts(md)).to.deep.equal(['toolbar', 'header', 'behaviours', 'forest-plot', 'hunks']);
    const hunks = md.shadowRoot!.querySelector('md-hunk-list')!;
    const first = hunks.shadowRoot!.querySelector<HTMLButtonElement>('.examples button')!;
    first.click();
    await md.updateComplete;
    expect(md.getAttribute('prompt-id')).to.equal(first.textContent!.trim());
    expect(parts(md)).to.deep.equal(['toolbar', 'header', 'behaviours', 'forest-plot', 'hunks', 'prompt']);
    md.remove();
  });

  it('prompt: the header and one prompt (prompt-id), with shading and the KL strip, and no Close', async () => {
    const md = await shown({ report: REPORT, view: 'prompt', 'prompt-id': 'h-kill-1' });
    expect(parts(md)).to.deep.equal(['toolbar', 'header', 'prompt']);
    const view = md.shadowRoot!.querySelector('md-prompt-view')! as HTMLElement & { updateComplete: Promise<boolean> };
    await view.updateComplete;
    expect(view.shadowRoot!.querySelector('.head')!.textContent).to.contain('h-kill-1');
    expect(view.shadowRoot!.querySelector('.head button') === null, 'no Close button').to.equal(true);
    expect(view.shadowRoot!.querySelectorAll('md-token-strip')).to.have.length(2);
    md.remove();
  });

  it("prompt without prompt-id: the first behaviour's first example", async () => {
    const md = await shown({ report: REPORT, view: 'prompt' });
    const r = md.report!;
    expect(r.behaviours.length).to.be.greaterThan(0);
    const best = r.behaviours[0]!.examples[0]!;
    const view = md.shadowRoot!.querySelector('md-prompt-view')! as HTMLElement & { updateComplete: Promise<boolean> };
    await view.updateComplete;
    expect(view.shadowRoot!.querySelector('.head')!.textContent).to.contain(best);
    md.remove();
  });
});
