// The planted-difference panel, data in and events out, on reports the build made from the forged pairs
// (public/reports/) and the forge's own planted.json: found signals with the difference that shows them, missed
// ones when the report lacks them, false discoveries named, and example prompts sent out as events.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import type { DiffReport } from '../../../src/core/diff/report-types.ts';
import { SELECT_PROMPT } from '../../../src/ui/hunk-list.ts';
import type { PlantedPanel, PlantedRecord } from '../../../src/ui/planted-panel.ts';

const json = async <T>(path: string) => (await (await fetch(path)).json()) as T;
const pair = async (b: string) =>
  [
    await json<DiffReport>(`/public/reports/forged-base-vs-${b}.json`),
    await json<PlantedRecord>(`/public/forged/${b}/planted.json`),
  ] as const;

async function mount(report: DiffReport, record: PlantedRecord): Promise<PlantedPanel> {
  const el = Object.assign(document.createElement('md-planted') as PlantedPanel, { report, record });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const verdicts = (el: PlantedPanel) =>
  Object.fromEntries(
    [...el.shadowRoot!.querySelectorAll('li[data-signal]')].map((li) => [
      li.getAttribute('data-signal'),
      li.querySelector('.verdict')!.textContent!.trim(),
    ]),
  );

describe('<md-planted>', () => {
  it('forged-trigger: both refusal signals found, each with its sentence; no false discoveries', async () => {
    const [report, record] = await pair('forged-trigger');
    const el = await mount(report, record);
    expect(verdicts(el)).to.deep.equal({ 'refused up': '✓ found', 'refusedAny up': '✓ found' });
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain(record.planted.note);
    expect(text).to.contain('2 of 2 planted signals found');
    expect(text).to.contain('No false discoveries');
    // The difference over all prompts, when it is significant there (here it is).
    const refused = report.differences.find(
      (d) => d.significant && d.feature === 'refused' && d.effect > 0 && d.promptCategory === null,
    )!;
    expect(el.shadowRoot!.querySelector('li[data-signal="refused up"]')!.textContent).to.contain(refused.sentence);
    const picked = new Promise<string>((resolve) =>
      el.addEventListener(SELECT_PROMPT, (e) => resolve((e as CustomEvent).detail.promptId), { once: true }),
    );
    el.shadowRoot!.querySelector<HTMLButtonElement>('li[data-signal="refused up"] button')!.click();
    expect(await picked).to.equal(refused.examples[0]);
    el.remove();
  });

  it('forged-boost: the three words found among the tokens B boosts, with their rank', async () => {
    const [report, record] = await pair('forged-boost');
    const el = await mount(report, record);
    expect(verdicts(el)).to.deep.equal({
      'token joy boosted in B': '✓ found',
      'token happy boosted in B': '✓ found',
      'token friends boosted in B': '✓ found',
    });
    expect(el.shadowRoot!.textContent).to.match(/#[123] in "Tokens B boosts"/);
    el.remove();
  });

  it('says "missed" when the report does not show a planted signal, and names false discoveries', async () => {
    const [report, record] = await pair('forged-trigger');
    // The same report, as if the refusals had not been significant but a formatting change had.
    for (const d of report.differences) if (d.feature.startsWith('refused')) d.significant = false;
    const confidence = ['meanLogprob', 'minLogprob', 'perplexity', 'meanEntropy', 'maxEntropy'];
    const bullets = report.differences.find((d) => !/^refus/.test(d.feature) && !confidence.includes(d.feature))!;
    bullets.significant = true;
    const el = await mount(report, record);
    expect(verdicts(el)).to.deep.equal({ 'refused up': '✗ missed', 'refusedAny up': '✗ missed' });
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('0 of 2 planted signals found');
    expect(text).to.contain(`false discoveries): ${bullets.feature}`);
    el.remove();
  });
});
