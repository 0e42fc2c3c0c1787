// Share: the page's state goes into a link and comes back out the same — as a query (stateToSearch then
// readUrlState), and through the page itself: Share gives a link; a page opened on it has the same state and hands
// <model-diff> the same attributes. Nothing here runs a model (no run=1).

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import { readUrlState, type AppState, type ModelDiffApp } from '../../../src/elements/model-diff-app.ts';
import { stateToSearch, unshareable } from '../../../src/elements/url-state.ts';

const base = readUrlState('');
const states: AppState[] = [
  { ...base, a: 'forged-base', b: 'forged-boost', prompts: 'forged-demo', maxNewTokens: 24, run: true },
  { ...base, a: 'hf:org/model@main', b: 'https://example.org/m?x=1&y=2', prompts: 'https://example.org/p.jsonl' },
  { ...base, device: 'wasm', prompt: 'h-kill-1', maxNewTokens: 7 },
  { ...base, a: 'forged-base', b: 'forged-longer', samples: 4, run: true },
  { ...base, a: 'llama2c:https://x/a.bin,https://x/tok.bin', b: 'forged-null', prompt: 'id with spaces & =' },
  { ...base, models: ['forged-base', 'forged-boost', 'forged-trigger'], prompts: 'smoke', run: true },
];

describe('share links', () => {
  it('a state written as a query reads back as the same state', () => {
    for (const s of states) expect(readUrlState(stateToSearch(s))).to.deep.equal(s);
  });

  it('samples: a whole number from 1 to 16; anything else reads as 1 (greedy), and 1 is left out of links', () => {
    expect(readUrlState('?samples=4').samples).to.equal(4);
    expect(readUrlState('?samples=400').samples).to.equal(16);
    for (const bad of ['0', '-2', '2.5', 'x', '']) expect(readUrlState(`?samples=${bad}`).samples).to.equal(1);
    expect(stateToSearch({ ...base, samples: 1 })).not.to.contain('samples');
    expect(stateToSearch({ ...base, samples: 3 })).to.contain('samples=3');
  });

  it('a hosted report: the link carries the report URL and the prompt, nothing else', () => {
    const s: AppState = { ...base, report: 'https://example.org/r/diff.json?v=2', prompt: 'n-3', a: 'ignored' };
    const q = new URLSearchParams(stateToSearch(s));
    expect([...q.keys()]).to.deep.equal(['report', 'prompt']);
    expect(readUrlState(`?${q}`)).to.deep.equal({ ...base, report: s.report, prompt: 'n-3' });
  });

  it('says when a state cannot travel in a link', () => {
    expect(unshareable(states[0]!)).to.equal('');
    expect(unshareable({ ...base, a: 'local:stories260K' })).to.match(/files on this computer/);
    expect(unshareable({ ...base, prompts: 'file:mine.csv' })).to.match(/host it/);
  });
});

describe('<model-diff-app> Share', () => {
  const original = location.href;
  afterEach(() => history.replaceState(null, '', original));

  async function openApp(search: string): Promise<ModelDiffApp> {
    history.replaceState(null, '', search);
    const app = document.createElement('model-diff-app') as ModelDiffApp;
    document.body.append(app);
    await app.updateComplete;
    return app;
  }
  const attrs = (app: ModelDiffApp) => {
    const md = app.shadowRoot!.querySelector('model-diff')!;
    return Object.fromEntries(md.getAttributeNames().map((n) => [n, md.getAttribute(n)]));
  };

  it('Share gives a link that opens the page in the same state, with the same <model-diff> attributes', async () => {
    const first = await openApp('?a=forged-base&b=forged-boost&prompts=forged-demo&max_new_tokens=20&device=wasm');
    // The user picks a prompt in the report (here: the element's prompt-id, as a hunk click sets it).
    const md = first.shadowRoot!.querySelector('model-diff')! as HTMLElement & { promptId: string };
    md.promptId = 'b-kill-1';
    first.shadowRoot!.querySelector<HTMLButtonElement>('.share button')!.click();
    await new Promise<void>((resolve) => {
      const check = () => (first.shared ? resolve() : requestAnimationFrame(check));
      check();
    });
    await first.updateComplete;
    const link = first.shadowRoot!.querySelector<HTMLInputElement>('.share input')!.value;
    expect(first.shadowRoot!.querySelector('.share [role=status]')!.textContent).to.match(/Link copied|Copy the link/);
    const url = new URL(link);
    expect(url.origin + url.pathname).to.equal(new URL(original).origin + new URL(original).pathname);
    const expected = { ...first.state, prompt: 'b-kill-1' };
    const before = { ...attrs(first), 'prompt-id': 'b-kill-1' };
    first.remove();

    const second = await openApp(url.search);
    expect(second.state).to.deep.equal(expected);
    expect(attrs(second)).to.deep.equal(before);
    second.remove();
  });
});
