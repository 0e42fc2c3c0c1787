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

test('Markdown and HTML carry the internals (weights, lens), token texts quoted and escaped', () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const withInternals: DiffReport = {
    ...report,
    internals: {
      weights: {
        status: 'differs',
        layers: 2,
        tiedEmbedding: false,
        tensors: [
          {
            key: 'unembed',
            name: 'lm_head',
            layer: null,
            module: 'head',
            shape: [4, 2],
            relative: 0.25,
            normA: 1,
            normDelta: 0.25,
          },
          {
            key: 'embed',
            name: 'embed',
            layer: null,
            module: 'embedding',
            shape: [4, 2],
            relative: 0,
            normA: 1,
            normDelta: 0,
          },
        ],
        top: [
          {
            key: 'unembed',
            name: 'lm_head',
            layer: null,
            module: 'head',
            relative: 0.25,
            side: 'output',
            share: 0.9,
            tokensUp: [hostile, ' joy'],
            tokensDown: ['[x](javascript:1)'],
          },
        ],
      },
      lens: {
        point: 1,
        layers: 2,
        hiddenSize: 2,
        texts: 'generic',
        documents: 10,
        positions: 2,
        bosSkipped: true,
        meanNormB: 3,
        identical: false,
        rows: [
          {
            position: 0,
            documents: 10,
            norm: 1,
            relative: 0.33,
            p: 0.005,
            q: 0.01,
            tokensUp: [hostile, ' bird'],
            tokensDown: ['`'],
          },
          { position: 1, documents: 10, norm: 0.1, relative: 0.03, p: 0.5, q: 0.5, tokensUp: [], tokensDown: [] },
        ],
        steering: null,
      },
      note: null,
    },
  };
  const md = reportToMarkdown(withInternals);
  assert.match(md, /## Inside the models/);
  assert.match(md, /1 of 2 tensors changed/);
  assert.match(md, /1 of 2 positions beyond per\\-document variation/);
  assert.match(md, /bird/);
  assert.ok(!/(^|[^\\])<img/.test(md), 'no unescaped HTML in the Markdown');
  assert.ok(!/\]\(javascript/.test(md), 'no link in the Markdown');
  const html = reportToHtml(withInternals);
  assert.match(html, /<h2>Inside the models<\/h2>/);
  assert.ok(!html.includes('<img'), 'no raw HTML in the HTML export');
  assert.ok(html.includes(escapeHtml(JSON.stringify(hostile))));
  const none = reportToMarkdown({ ...report, internals: { weights: null, lens: null, note: 'No weight diff: why.' } });
  assert.match(none, /No weight diff: why/);
});
