// The presentational report parts, data in and events out: the header (behaviours counted, the verdict when none
// changed, rows for a schema-1 report), hunks (grouped by feature, example prompts as events, the new categories'
// names), the "nothing significant" power note (also when nothing was detectable), the prompt table (filters, hidden
// harmful text, chips without empty segments), the token panel (|z| under each model) and the progress panel.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import { SELECT_PROMPT, type HunkList } from '../../../src/ui/hunk-list.ts';
import type { ProgressPanel } from '../../../src/ui/progress-panel.ts';
import type { ReportHeader } from '../../../src/ui/report-header.ts';
import type { TokenPanel } from '../../../src/ui/token-panel.ts';
import { fixtureReport } from './fixture.ts';

async function mount<T extends HTMLElement & { updateComplete: Promise<boolean> }>(
  tag: string,
  props: Partial<T>,
): Promise<T> {
  const el = Object.assign(document.createElement(tag), props) as T;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('<md-hunk-list>', () => {
  it("groups a feature's overall and per-category results and sends example prompts out as events", async () => {
    const el = await mount<HunkList>('md-hunk-list', { report: fixtureReport() });
    const root = el.shadowRoot!;
    expect([...root.querySelectorAll('h4')].map((h) => h.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'Safety (2)',
      'Response pattern (1)',
    ]);
    expect(root.querySelector('li.sub')!.textContent).to.contain('safety-harmful');
    const picked = new Promise<string>((resolve) =>
      el.addEventListener(SELECT_PROMPT, (e) => resolve((e as CustomEvent<{ promptId: string }>).detail.promptId), {
        once: true,
      }),
    );
    root.querySelector<HTMLButtonElement>('.examples button')!.click();
    expect(await picked).to.equal('p2');
    el.remove();
  });

  it('says what the run could have detected when nothing is significant, and never prints Infinity', async () => {
    const report = fixtureReport();
    report.hunks = [];
    report.power = [{ promptCategory: null, n: 36, mdeBinary: 0.31, mdeContinuous: 0.47 }];
    const el = await mount<HunkList>('md-hunk-list', { report });
    const said = () => el.shadowRoot!.textContent!.replace(/\s+/g, ' ').trim();
    expect(said()).to.equal(
      'No significant difference. With 3 prompts, this run could detect a paired difference of about 31 percentage ' +
        'points in a binary feature, or dz ≈ 0.47 in a continuous one (α = 0.05, power 0.8); smaller differences may exist.',
    );
    // No binary difference of any size detectable (null in the report; Infinity from an older writer).
    for (const mdeBinary of [null, Infinity]) {
      el.report = { ...report, power: [{ promptCategory: null, n: 36, mdeBinary, mdeContinuous: 0.47 }] };
      await el.updateComplete;
      expect(said()).to.contain(
        'No difference of any size in a binary feature was detectable with this few prompts (3); in a continuous one, ' +
          'this run could detect dz ≈ 0.47',
      );
      expect(said()).not.to.match(/no size|about no|Infinity|NaN|\?/);
    }
    el.report = { ...report, power: [{ promptCategory: null, n: 0, mdeBinary: null, mdeContinuous: null }] };
    await el.updateComplete;
    expect(said()).to.equal(
      'No significant difference. No difference of any size was detectable with this few prompts (3).',
    );
    el.remove();
  });

  it('names the new categories: Vocabulary and Internals', async () => {
    const report = fixtureReport();
    report.differences[0]!.category = 'vocabulary';
    report.differences[0]!.feature = 'says:bird';
    report.differences[2]!.category = 'internals';
    report.hunks = [
      { category: 'vocabulary', differences: [0] },
      { category: 'internals', differences: [2] },
    ];
    const el = await mount<HunkList>('md-hunk-list', { report });
    const titles = [...el.shadowRoot!.querySelectorAll('section')].map((s) => s.getAttribute('aria-label'));
    expect(titles).to.deep.equal(['Vocabulary', 'Internals']);
    el.remove();
  });
});

describe('<md-report-header>', () => {
  const headline = async (report: ReturnType<typeof fixtureReport>) => {
    const el = await mount<ReportHeader>('md-report-header', { report });
    const text = el.shadowRoot!.querySelector('.headline')!.textContent!.replace(/\s+/g, ' ').trim();
    el.remove();
    return text;
  };

  it('counts behaviours, not rows: "N behaviours changed" (their sentences are the list\'s, not repeated here)', async () => {
    const report = fixtureReport();
    expect(await headline(report)).to.equal('2 behaviours changed');
    report.behaviours = report.behaviours.slice(0, 1);
    const el = await mount<ReportHeader>('md-report-header', { report });
    const line = el.shadowRoot!.querySelector('.headline')!;
    expect(line.textContent!.replace(/\s+/g, ' ').trim()).to.equal('1 behaviour changed');
    expect(el.shadowRoot!.textContent).not.to.contain(report.behaviours[0]!.sentence);
    expect(el.shadowRoot!.querySelectorAll('img, script')).to.have.length(0);
    expect(el.shadowRoot!.textContent).not.to.contain('significant difference');
    el.remove();
  });

  it('with no behaviour, says the verdict: identical, or no difference beyond the noise floor', async () => {
    const report = fixtureReport();
    report.behaviours = [];
    report.verdict!.status = 'identical';
    expect(await headline(report)).to.equal('Identical');
    report.verdict!.status = 'indistinguishable';
    expect(await headline(report)).to.equal('No difference found beyond the noise floor');
  });

  it('a report from schema 1 (no verdict, no behaviours): the significant rows, as before', async () => {
    const report = fixtureReport();
    report.verdict = null;
    report.behaviours = [];
    expect(await headline(report)).to.match(/^3 significant differences \(q < 0\.05, effect not negligible/);
  });
});

describe('<md-token-panel>', () => {
  it('shows cross-likelihood and says when token-level divergence is undefined', async () => {
    const report = fixtureReport();
    report.tokens.sameTokenizer = false;
    const el = await mount<TokenPanel>('md-token-panel', { report });
    const text = el.shadowRoot!.textContent!;
    expect(text).to.contain('1.200');
    expect(text).to.contain('Different vocabularies');
    el.remove();
  });

  it("shows each model's distinctive words with their strength |z|, never a negative z", async () => {
    const report = fixtureReport();
    // The data keeps the sign: positive for A's words, negative for B's.
    report.words = {
      distinctiveA: [{ word: 'cat', z: 3.14, countA: 9, countB: 1 }],
      distinctiveB: [{ word: 'bird', z: -2.04, countA: 0, countB: 5 }],
    };
    const el = await mount<TokenPanel>('md-token-panel', { report });
    const card = (side: string) =>
      [...el.shadowRoot!.querySelectorAll('.card')]
        .find(
          (c) => c.querySelector('strong')!.textContent!.replace(/\s+/g, ' ').trim() === `Words distinctive of ${side}`,
        )!
        .querySelector('li')!
        .textContent!.replace(/\s+/g, ' ')
        .trim();
    expect(card('B')).to.equal('bird |z| = 2.0 (0 vs 5)');
    expect(card('A')).to.equal('cat |z| = 3.1 (9 vs 1)');
    expect(el.shadowRoot!.textContent).not.to.match(/[−-]2\.0/);
    el.remove();
  });
});

describe('<md-progress>', () => {
  it('shows bytes per model and prompts with a rate and time left', async () => {
    const el = await mount<ProgressPanel>('md-progress', {
      state: {
        phase: 'profile',
        files: { a: [{ file: 'onnx/model.onnx', loaded: 2e6, total: 4e6 }], b: [] },
        startedAt: 0,
        prompts: { done: 10, total: 40, tokensPerSecond: 123, elapsedMs: 5000 },
      },
    });
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('2.0 MB / 4.0 MB');
    expect(text).not.to.contain('MB · '); // no time known for the download
    expect(text).to.contain('10/40 prompts · 123 tok/s · 15 s left');
    el.remove();
  });

  it('shows each file with bytes, rate and time left, and finished files as done', async () => {
    const el = await mount<ProgressPanel>('md-progress', {
      state: {
        phase: 'load',
        files: {
          a: [
            { file: 'config.json', loaded: 600, total: 600, done: true, startedAt: 0, updatedAt: 10 },
            { file: 'onnx/model_q4.onnx', loaded: 10e6, total: 40e6, startedAt: 1000, updatedAt: 3000 },
            { file: 'tokenizer.json', loaded: 5e5, total: 0, startedAt: 0, updatedAt: 100 },
          ],
          b: [{ file: 'stories15M.bin', loaded: 30e6, total: 60e6, startedAt: 0, updatedAt: 60_000 * 2 }],
        },
        startedAt: 0,
      },
    });
    const lines = (side: string) =>
      [...el.shadowRoot!.querySelectorAll(`ul[aria-label="model ${side} files"] li`)].map((li) =>
        li.textContent!.trim(),
      );
    expect(lines('A')).to.deep.equal([
      'config.json: 0.0 MB / 0.0 MB · done',
      'onnx/model_q4.onnx: 10.0 MB / 40.0 MB · 5.0 MB/s · 6 s left',
      'tokenizer.json: 0.5 MB',
    ]);
    expect(lines('B')).to.deep.equal(['stories15M.bin: 30.0 MB / 60.0 MB · 0.3 MB/s · 2 min left']);
    el.remove();
  });

  it('shows a download’s time left at the rate so far, until its bytes are all there', async () => {
    const state = {
      phase: 'load' as const,
      files: {
        a: [{ file: 'onnx/model.onnx', loaded: 2e6, total: 4e6, startedAt: 1000, updatedAt: 5000 }],
        b: [{ file: 'onnx/model.onnx', loaded: 3e6, total: 3e6, done: true, startedAt: 1000, updatedAt: 4000 }],
      },
      startedAt: 1000,
      updatedAt: 5000,
    };
    const el = await mount<ProgressPanel>('md-progress', { state });
    const rows = [...el.shadowRoot!.querySelectorAll('.row')].map((r) => r.textContent!.replace(/\s+/g, ' ').trim());
    expect(rows[0]).to.equal('A 2.0 MB / 4.0 MB · 4 s left'); // 2 MB in 4 s: 2 MB more take 4 s
    expect(rows[1]).to.equal('B 3.0 MB / 3.0 MB');
    el.remove();
  });
});
