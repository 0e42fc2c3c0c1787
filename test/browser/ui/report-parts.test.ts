// The presentational report parts, data in and events out: hunks (grouped by feature, example prompts as events),
// the "nothing significant" power note, the prompt table (filters, hidden harmful text) and the progress panel.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import { SELECT_PROMPT, type HunkList } from '../../../src/ui/hunk-list.ts';
import type { ProgressPanel } from '../../../src/ui/progress-panel.ts';
import type { PromptTable } from '../../../src/ui/prompt-table.ts';
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
    expect([...root.querySelectorAll('h3')].map((h) => h.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
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
    report.power = [{ promptCategory: null, n: 36, mdeBinary: Infinity, mdeContinuous: 0.47 }];
    const el = await mount<HunkList>('md-hunk-list', { report });
    const text = el.shadowRoot!.textContent!;
    expect(text).to.contain('No significant difference');
    expect(text).to.contain('too few discordant pairs');
    expect(text).not.to.contain('Infinity');
    el.remove();
  });
});

describe('<md-prompt-table>', () => {
  it('filters by category and by "differs", and keeps harmful prompt text behind a click', async () => {
    const el = await mount<PromptTable>('md-prompt-table', { report: fixtureReport() });
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('article')).to.have.length(3);
    const harmful = root.querySelector('article[data-id="p2"] details')!;
    expect(harmful.hasAttribute('open')).to.equal(false);
    expect(harmful.querySelector('summary')!.textContent).to.contain('Harmful prompt (hidden)');
    const select = root.querySelector('select')!;
    select.value = 'style';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect([...root.querySelectorAll('article')].map((a) => a.getAttribute('data-id'))).to.deep.equal(['p3']);
    el.remove();
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
