// The Custom Elements Manifest: the committed custom-elements.json is what `npm run manifest` makes from the current
// source, and it documents every attribute (as the element observes them), event, part, slot and CSS custom
// property of <model-diff> (as the source uses them), each with a description.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ModelDiff } from '../../src/elements/model-diff.ts';

const root = join(import.meta.dirname, '..', '..');
const committed = readFileSync(join(root, 'custom-elements.json'), 'utf8');

interface Documented {
  name: string;
  description?: string;
}
interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  attributes?: (Documented & { fieldName?: string })[];
  events?: Documented[];
  slots?: Documented[];
  cssParts?: Documented[];
  cssProperties?: Documented[];
}
const manifest = JSON.parse(committed) as { modules: { path: string; declarations: Declaration[] }[] };
const modelDiff = manifest.modules.flatMap((m) => m.declarations).find((d) => d.tagName === 'model-diff');

const source = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(root, dir, f), 'utf8'))
    .join('\n');
const elementSource = readFileSync(join(root, 'src', 'elements', 'model-diff.ts'), 'utf8');
const all = (re: RegExp, text: string) => [...new Set([...text.matchAll(re)].map((m) => m[1]!))].sort();
const names = (list: Documented[] | undefined) => (list ?? []).map((x) => x.name).sort();
const undocumented = (list: Documented[] | undefined) =>
  (list ?? []).filter((x) => !x.description || x.description.length < 10).map((x) => x.name);

test('custom-elements.json is what `npm run manifest` makes from the source now', () => {
  const out = mkdtempSync(join(tmpdir(), 'cem-'));
  try {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', '@custom-elements-manifest', 'analyzer', 'cem.js'), 'analyze', '--quiet'],
      {
        cwd: root,
        // The analyzer joins outdir to the working directory: give it relative.
        env: { ...process.env, CEM_OUTDIR: relative(root, out) },
      },
    );
    const fresh = readFileSync(join(out, 'custom-elements.json'), 'utf8');
    assert.ok(fresh === committed, 'custom-elements.json is out of date: run `npm run manifest` and commit it.');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('<model-diff>: every observed attribute is documented, with its property', () => {
  assert.ok(modelDiff, 'no declaration with tagName model-diff');
  const observed = [...ModelDiff.observedAttributes].sort();
  assert.deepEqual(names(modelDiff.attributes), observed);
  for (const a of ['model-a', 'model-b', 'prompts', 'report', 'loading', 'view']) assert.ok(observed.includes(a), a);
  assert.deepEqual(undocumented(modelDiff.attributes), []);
  const field = Object.fromEntries((modelDiff.attributes ?? []).map((a) => [a.name, a.fieldName]));
  assert.equal(field['report'], 'reportUrl');
  assert.equal(field['prompt-id'], 'promptId');
});

test('<model-diff>: events, parts, slots and CSS custom properties are those the source uses', () => {
  assert.ok(modelDiff);
  assert.deepEqual(names(modelDiff.events), all(/new CustomEvent\('(model-diff-[a-z-]+)'/g, elementSource));
  assert.deepEqual(names(modelDiff.events), ['model-diff-error', 'model-diff-progress', 'model-diff-ready']);
  assert.deepEqual(names(modelDiff.cssParts), all(/\bpart="([a-z-]+)"/g, elementSource));
  assert.deepEqual(names(modelDiff.slots), all(/<slot name="([a-z-]+)"/g, elementSource));
  // Theming reaches every part the element renders: the custom properties of src/ui and of the element itself.
  const used = all(/var\((--model-diff-[a-z0-9-]+)/g, source('src/ui') + elementSource);
  assert.deepEqual(names(modelDiff.cssProperties), used);
  for (const list of [modelDiff.events, modelDiff.cssParts, modelDiff.slots, modelDiff.cssProperties])
    assert.deepEqual(undocumented(list), []);
});
