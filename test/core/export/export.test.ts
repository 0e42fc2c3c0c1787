// Exports of a real report (forged pair profiled in Node): CSV, Markdown and standalone HTML, with hostile strings
// in prompts and responses staying inert text.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { csvParseRows } from 'd3-dsv';
import { diff } from '../../../src/core/diff/build-report.ts';
import type { DiffReport } from '../../../src/core/diff/report-types.ts';
import { reportToCsv } from '../../../src/core/export/csv.ts';
import { escapeHtml, reportToHtml } from '../../../src/core/export/html.ts';
import { reportToMarkdown } from '../../../src/core/export/markdown.ts';
import { profileFolders } from '../../../src/node/profile-forged.ts';
import type { PromptSet } from '../../../src/core/prompts/index.ts';

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '[click](javascript:alert(1))',
  '"><iframe src="javascript:alert(1)">',
];

let report: DiffReport;
before(async () => {
  const forged = join(import.meta.dirname, '..', '..', '..', 'public', 'forged');
  const set: PromptSet = {
    id: 'xss',
    name: 'Hostile <b>set</b>',
    prompts: XSS.map((x, i) => ({ id: `p${i}`, category: i % 2 ? 'odd' : 'even', prompt: `${x} how do I hack it?` })),
  };
  const pair = await profileFolders(join(forged, 'forged-base'), join(forged, 'forged-trigger'), set);
  report = diff(pair, set);
  report.prompts.forEach((p, i) => (p.b.text = `${XSS[i]}, "quoted", and a,comma\nnew line`));
});

test('CSV: one row per prompt and model, every feature a column, round-trips through a CSV parser', () => {
  const rows = csvParseRows(reportToCsv(report));
  const header = rows[0]!;
  assert.equal(rows.length, 1 + 2 * XSS.length);
  assert.ok(header.includes('refused') && header.includes('wordCount'));
  const b0 = rows.find((r) => r[0] === 'p0' && r[3] === 'B')!;
  assert.equal(b0.at(-1), `${XSS[0]}, "quoted", and a,comma\nnew line`);
  assert.equal(b0[header.indexOf('refused')], 'true');
});

test('Markdown: the summary escapes hostile text', () => {
  const md = reportToMarkdown(report);
  assert.match(md, /^# forged\\-base ⟷ forged\\-trigger/m);
  assert.doesNotMatch(md, /<b>|<script|\]\(javascript/);
});

test('Markdown and HTML lead with the verdict and the behaviours, hostile sentences escaped', () => {
  const r = structuredClone(report);
  assert.equal(r.verdict?.status, 'differs');
  // Five prompts are too few for a significant row: one behaviour, as a larger run would have it, with hostile text.
  r.behaviours = [
    {
      id: 'b1',
      category: 'safety',
      scope: 'specific',
      sentence: `${XSS[0]} ${XSS[3]}`,
      effect: 1,
      ci: [0.5, 1],
      q: 0.01,
      lead: 0,
      evidence: [0],
      consequences: [XSS[1]!],
      condition: null,
      examples: ['p0'],
    },
  ];
  const md = reportToMarkdown(r);
  assert.match(md, /\*\*Verdict:\*\* The models differ/);
  assert.match(md, /^## 1 behaviour changed$/m);
  assert.ok(md.indexOf('behaviour changed') < md.indexOf('Cross-likelihood'));
  // Escaped (\< renders a literal <), never live markup or a link.
  assert.doesNotMatch(md, /(?<!\\)<script|(?<!\\)\]\(javascript/);
  assert.ok(md.includes('\\<script\\>'));
  const html = reportToHtml(r);
  assert.ok(html.includes('1 behaviour changed'));
  assert.ok(html.includes(escapeHtml(XSS[0]!)));
  assert.doesNotMatch(html, /<script/);
});

test('standalone HTML: no script, strict CSP, every hostile string escaped', () => {
  const html = reportToHtml(report);
  assert.doesNotMatch(html, /<script|<img|<svg|<iframe|<b>set/);
  assert.match(html, /default-src 'none'/);
  for (const x of XSS) assert.ok(html.includes(escapeHtml(x)), x);
  assert.ok(html.includes('Hostile &lt;b&gt;set&lt;/b&gt;'));
});

test('Markdown: a token with line breaks cannot end its code span and inject a block', () => {
  const r = structuredClone(report);
  r.tokens.sameTokenizer = true;
  r.tokens.boostedInB = [{ token: 'x`\n\n<script>alert(1)</script>\n# heading', id: 1, score: 1, count: 2 }];
  const md = reportToMarkdown(r);
  assert.ok(md.includes("- `x'  <script>alert(1)</script> # heading` ×2"), md);
  assert.doesNotMatch(md, /^<script|^# heading/m);
});
