// A user gives two llama2.c files: the page checks them, the worker converts them, and <model-diff> runs on them.

import { expect } from '@esm-bundle/chai';
import '../../../src/elements/define.ts';
import type { DiffReport } from '../../../src/core/diff/report-types.ts';
import type { ModelDiff } from '../../../src/elements/model-diff.ts';
import type { ModelDiffApp } from '../../../src/elements/model-diff-app.ts';
import type { ModelChooser } from '../../../src/ui/model-chooser.ts';
import { sharedFile, until } from '../helpers.ts';

// The site's assets live under /public/ on the test server: make relative URLs resolve there.
const base = document.createElement('base');
base.href = '/public/';
document.head.append(base);

const chooserOf = (app: ModelDiffApp) => app.shadowRoot!.querySelector('md-model-chooser') as ModelChooser;

function pick(input: HTMLInputElement, files: File[]) {
  const dt = new DataTransfer();
  files.forEach((f) => dt.items.add(f));
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
}

describe('local llama2.c files', () => {
  it('the app checks the pair of files and names the bad one', async () => {
    const app = document.createElement('model-diff-app') as ModelDiffApp;
    document.body.append(app);
    await app.updateComplete;
    const chooser = chooserOf(app);
    const input = chooser.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="model A llama2.c files"]')!;
    pick(input, [new File([new Uint8Array(10)], 'broken.bin'), new File([new Uint8Array(5)], 'tok.bin')]);
    const alert = await until(() => chooser.shadowRoot!.querySelector('[role="alert"]')?.textContent, chooser);
    expect(alert).to.contain('broken.bin is 10 bytes: too short for a llama2.c checkpoint header');
    pick(input, [new File([new Uint8Array(10)], 'only-one.bin')]);
    await until(() => /Choose exactly two files/.test(chooser.shadowRoot!.textContent ?? ''), chooser);
    app.remove();
  });

  it('stories260K from two local files runs against a forged model', async function () {
    const [ckpt, tok] = await Promise.all([
      sharedFile('stories260K/stories260K.bin'),
      sharedFile('stories260K/tok512.bin'),
    ]);
    if (!ckpt || !tok) {
      console.warn('../shared/data/stories260K is absent: skipped.');
      this.skip();
    }
    const app = document.createElement('model-diff-app') as ModelDiffApp;
    document.body.append(app);
    await app.updateComplete;
    const chooser = chooserOf(app);
    const input = chooser.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="model A llama2.c files"]')!;
    pick(input, [new File([new Uint8Array(tok!)], 'tok512.bin'), new File([new Uint8Array(ckpt!)], 'stories260K.bin')]);
    const field = chooser.shadowRoot!.querySelector<HTMLInputElement>('input[name="a"]')!;
    await until(() => field.value === 'local:stories260K', chooser);
    // Run the element the app drives with the model the app built from the files.
    const md = app.shadowRoot!.querySelector('model-diff') as ModelDiff;
    md.localA = app.local.a;
    md.modelB = 'forged-base';
    md.prompts = 'stories';
    md.maxNewTokens = 8;
    md.device = 'wasm';
    const ready = new Promise<DiffReport>((resolve, reject) => {
      md.addEventListener('model-diff-ready', (e) => resolve((e as CustomEvent).detail.report), { once: true });
      md.addEventListener('model-diff-error', (e) => reject(new Error((e as CustomEvent).detail.message)), {
        once: true,
      });
    });
    void md.start();
    const report = await ready;
    expect(report.models[0].label).to.equal('stories260K');
    expect(report.models[0].spec).to.equal('local:stories260K');
    expect(report.prompts.length).to.equal(40);
    expect(report.prompts[0]!.a.text.length).to.be.greaterThan(0);
    app.remove();
  });
});
