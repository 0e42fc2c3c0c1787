// <md-response-diff>: exactly the expected removed and added words in both views, the toggle, surprisal shading,
// and markup in a response shown as text.

import { expect } from '@esm-bundle/chai';
import { ResponseDiff, type SurprisalToken } from '../../../src/ui/response-diff.ts';
import { XSS } from './fixture.ts';

if (!customElements.get('md-response-diff')) customElements.define('md-response-diff', ResponseDiff);

const A = 'The answer is yes. Have fun today!';
const B = 'The answer is no. Have fun!';

async function mount(props: Partial<ResponseDiff>): Promise<ResponseDiff> {
  const el = Object.assign(document.createElement('md-response-diff') as ResponseDiff, props);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** Each response as shown: the columns, or the unified flow without its insertions (A) or deletions (B). */
function sides(root: ParentNode): [string, string] {
  const flow = root.querySelector('.flow .text');
  if (!flow)
    return [root.querySelector('.side.a .text')!.textContent!, root.querySelector('.side.b .text')!.textContent!];
  const without = (tag: string) => {
    const copy = flow.cloneNode(true) as Element;
    copy.querySelectorAll(tag).forEach((e) => e.remove());
    return copy.textContent!;
  };
  return [without('ins'), without('del')];
}

const texts = (root: ParentNode, selector: string) => [...root.querySelectorAll(selector)].map((e) => e.textContent);

describe('<md-response-diff>', () => {
  it('side by side: removed words in A, added words in B, each column spelling its response', async () => {
    const el = await mount({ a: A, b: B });
    const root = el.shadowRoot!;
    expect(texts(root, '.side.a del')).to.deep.equal(['yes', ' today']);
    expect(texts(root, '.side.a ins')).to.deep.equal([]);
    expect(texts(root, '.side.b ins')).to.deep.equal(['no']);
    expect(texts(root, '.side.b del')).to.deep.equal([]);
    expect(sides(root)).to.deep.equal([A, B]);
    expect(root.querySelector('[role=status]')!.textContent).to.match(/2 words only in A \(removed\), 1 only in B/);
    el.remove();
  });

  it('unified: one flow with <del> and <ins>, and the button switches between the views', async () => {
    const el = await mount({
      a: 'I cannot help you.',
      b: 'Use the kill command with the process id.',
      mode: 'unified',
    });
    const root = el.shadowRoot!;
    expect(root.querySelector('.sides')).to.equal(null);
    // As git diff --word-diff: a run of changed words is one removal, then one addition.
    expect(texts(root, '.flow del')).to.deep.equal(['I cannot help you']);
    expect(texts(root, '.flow ins')).to.deep.equal(['Use the kill command with the process id']);
    expect(sides(root)).to.deep.equal(['I cannot help you.', 'Use the kill command with the process id.']);
    const button = root.querySelector('button')!;
    expect(button.textContent!.trim()).to.equal('Side by side');
    button.click();
    await el.updateComplete;
    expect(el.mode).to.equal('split');
    expect(el.getAttribute('mode')).to.equal('split');
    expect(root.querySelector('.flow')).to.equal(null);
    expect(texts(root, '.side.b ins')).to.deep.equal(['Use', 'the', 'kill', 'command with the process id']);
    button.click();
    await el.updateComplete;
    expect(root.querySelector('.flow')).to.not.equal(null);
    el.remove();
  });

  it('says when the responses are identical', async () => {
    const el = await mount({ a: A, b: A });
    expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain('identical');
    expect(el.shadowRoot!.querySelectorAll('del, ins')).to.have.length(0);
    el.remove();
  });

  it('shades tokens by surprisal under the other model, cut at word-diff boundaries', async () => {
    const bits = [1, 2, 1, 14, 0.5, 1, 1, 6, 0.2];
    const pieces = ['The', ' answer', ' is', ' yes', '.', ' Have', ' fun', ' today', '!'];
    const tokensA: SurprisalToken[] = pieces.map((text, i) => ({ text, surprisal: bits[i]! }));
    const el = await mount({ a: A, b: B, tokensA });
    const root = el.shadowRoot!;
    expect(root.textContent).to.contain('darker = more surprising to the other model');
    const shaded = [...root.querySelectorAll('.side.a .t')] as HTMLElement[];
    // ' yes' is cut into ' ' (common) and 'yes' (removed); both keep the token's surprisal.
    expect(shaded.map((s) => s.textContent)).to.deep.equal([
      'The',
      ' answer',
      ' is',
      ' ',
      'yes',
      '.',
      ' Have',
      ' fun',
      ' today',
      '!',
    ]);
    const yes = root.querySelector('.side.a del .t') as HTMLElement;
    expect(yes.textContent).to.equal('yes');
    expect(yes.style.getPropertyValue('--s')).to.equal('1.000'); // 14 bits: darkest (≥ 12)
    expect(yes.title).to.equal('14.0 bits');
    expect((root.querySelectorAll('.side.a del .t')[1] as HTMLElement).style.getPropertyValue('--s')).to.equal('0.500');
    expect(root.querySelectorAll('.side.b .t')).to.have.length(0); // no tokens for B: plain
    expect(root.querySelector('.side.a .text')!.textContent).to.equal(A);
    el.remove();
  });

  it('does not shade tokens that do not spell the response, and says so', async () => {
    const el = await mount({ a: A, b: B, tokensA: [{ text: 'Something else', surprisal: 3 }] });
    expect(el.shadowRoot!.querySelectorAll('.t')).to.have.length(0);
    expect(el.shadowRoot!.textContent).to.contain('no surprisal shading');
    el.remove();
  });

  it('shows markup in a response as text, in both views', async () => {
    const b = '<script>window.__xss = 2</script><svg onload="window.__xss = 3"></svg> ok';
    for (const mode of ['split', 'unified'] as const) {
      const el = await mount({ a: XSS, b, mode, labelA: '<img src=y onerror="window.__xss=4">' });
      const root = el.shadowRoot!;
      expect(root.querySelectorAll('img, script, svg')).to.have.length(0);
      expect(sides(root)).to.deep.equal([XSS, b]);
      expect(root.querySelector('.label')!.textContent).to.contain('<img src=y');
      el.remove();
    }
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
  });
});
