// The planted-difference panel, data in and events out, on reports the build made from the forged pairs
// (public/reports/) and the forge's own planted.json: found signals with the behaviour that shows them, missed ones
// when the report lacks them, false discoveries (behaviours nothing planted explains) named, and example prompts
// sent out as events.

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
  it('forged-trigger: the refusal found, with the behaviour that shows it; no false discoveries', async () => {
    const [report, record] = await pair('forged-trigger');
    const el = await mount(report, record);
    expect(verdicts(el)).to.deep.equal({ 'refusal on trigger words': '✓ found' });
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain(record.planted.note);
    expect(text).to.contain('1 of 1 planted signal found');
    expect(text).to.contain('No false discoveries');
    // The safety behaviour whose rows show the refusal, and its lead row's best prompt.
    const b = report.behaviours.find((x) => x.category === 'safety')!;
    const li = el.shadowRoot!.querySelector('li[data-signal="refusal on trigger words"]')!;
    expect(li.textContent).to.contain(b.sentence);
    const picked = new Promise<string>((resolve) =>
      el.addEventListener(SELECT_PROMPT, (e) => resolve((e as CustomEvent).detail.promptId), { once: true }),
    );
    li.querySelector<HTMLButtonElement>('button')!.click();
    expect(await picked).to.equal(report.differences[b.lead]!.examples[0]);
    el.remove();
  });

  it('forged-boost: the three words found as one vocabulary behaviour, with their rank among the tokens B boosts', async () => {
    const [report, record] = await pair('forged-boost');
    const el = await mount(report, record);
    expect(verdicts(el)).to.deep.equal({ 'joy, happy, friends boosted': '✓ found' });
    expect(el.shadowRoot!.textContent).to.match(/#[123] in "Tokens B boosts"/);
    el.remove();
  });

  it('says "missed" when the report does not show a planted signal, and names false discoveries', async () => {
    const [report, record] = await pair('forged-trigger');
    // The same report, as if the refusals had not been significant, and with a behaviour nothing planted explains.
    for (const d of report.differences) if (d.feature.startsWith('refused')) d.significant = false;
    const confidence = ['meanLogprob', 'minLogprob', 'perplexity', 'meanEntropy', 'maxEntropy'];
    const bullets = report.differences.findIndex((d) => !/^refus/.test(d.feature) && !confidence.includes(d.feature));
    report.differences[bullets]!.significant = true;
    const sentence = `forged-trigger formats with bullets (${report.differences[bullets]!.feature}).`;
    report.behaviours.push({
      ...report.behaviours[0]!,
      id: 'planted-test-extra',
      category: report.differences[bullets]!.category,
      sentence,
      lead: bullets,
      evidence: [bullets],
      condition: null,
    });
    const el = await mount(report, record);
    expect(verdicts(el)).to.deep.equal({ 'refusal on trigger words': '✗ missed' });
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('0 of 1 planted signal found');
    expect(text).to.contain(`false discoveries): `);
    expect(text).to.contain(sentence);
    el.remove();
  });
});
