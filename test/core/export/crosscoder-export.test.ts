// The crosscoder in the Markdown and HTML exports: the exclusive count beside the noise floor, each confirmed
// exclusive with its held-out check, decoder tokens and strongest snippet, the unconfirmed by number — hostile token
// text escaped in both — and the HTML export drawn in the page's palette (A orange, B blue), no red or green left.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, reportToHtml } from '../../../src/core/export/html.ts';
import { reportToMarkdown } from '../../../src/core/export/markdown.ts';
import { DARK, LIGHT } from '../../../src/core/palette.ts';
import type { DiffReport } from '../../../src/core/diff/report-types.ts';
import { HOSTILE_TOKENS, crosscoderInternals } from '../../browser/ui/crosscoder-fixture.ts';
import { fixtureReport } from '../../browser/ui/fixture.ts';

/** The fixture with its hostile-snippet candidate confirmed, so its tokens reach the exports. */
function report(): DiffReport {
  const r = fixtureReport();
  r.internals = crosscoderInternals();
  r.internals.crosscoder!.exclusives[0]!.confirmation!.confirmed = true;
  return r;
}

const unescapeMd = (s: string) => s.replace(/\\(.)/g, '$1');

test('Markdown: counts beside the noise floor, confirmed exclusives with tokens and snippet, all escaped', () => {
  const md = reportToMarkdown(report());
  const plain = unescapeMd(md);
  assert.match(plain, /### Crosscoder/);
  assert.match(
    plain,
    /- 12 exclusive latents \(3 A-only, 9 B-only\); expected false exclusives where the models differ in nothing: 2\.5, measured by the forged-null pair/,
  );
  assert.match(
    plain,
    /7 candidates \(exclusives after latent scaling, ν, and latents chosen on the training prompts\); 3 confirmed on 10 held-out prompts/,
  );
  assert.match(
    plain,
    /B-only latent 17 \(r = 0\.95 · .*\): confirmed on 10 held-out prompts \(effect \+0\.041, 95% CI \+0\.018 to \+0\.066, q = 0\.004\); raises " bird", " birds", " nest", " feather"; strongest in corpus: " The little «bird» sang in the tree\."/,
  );
  assert.match(plain, /A-only latent 88 .*" cat", " purr"/);
  assert.match(plain, /Not confirmed: B-only latent 402, B-only latent 403, B-only latent 404, B-only latent 405\./);
  assert.match(plain, /Concept that changed: shared latent 230 \(.*cosine 0\.12.*\), raises " happy", " smiled"/);
  assert.match(plain, /explained variance A 82\.0%, B 79\.0%/);
  // The confirmed hostile candidate's tokens are in it, as text.
  assert.ok(plain.includes(JSON.stringify(HOSTILE_TOKENS[0])), 'decoder token quoted');
  assert.ok(!/(^|[^\\])<(script|img)/.test(md), 'no unescaped HTML in the Markdown');
});

test('HTML: the same lines, escaped; the page palette and no red or green', () => {
  const html = reportToHtml(report());
  assert.match(html, /<h3>Crosscoder<\/h3>/);
  assert.ok(html.includes(escapeHtml('expected false exclusives where the models differ in nothing: 2.5')));
  const snippet = JSON.stringify(` She said «${HOSTILE_TOKENS[0]}»${HOSTILE_TOKENS[1]} to me`);
  assert.ok(html.includes(escapeHtml(`strongest in corpus: ${snippet}`)), 'the hostile snippet, peak marked, escaped');
  assert.doesNotMatch(html, /<script|<img/);
  assert.ok(html.includes('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;'), 'the note, escaped');

  const style = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
  const used = new Set((style.match(/#[0-9a-f]{6}\b/gi) ?? []).map((c) => c.toLowerCase()));
  const palette = new Set([...Object.values(LIGHT), ...Object.values(DARK)].map((c) => c.toLowerCase()));
  for (const c of used) assert.ok(palette.has(c), `${c} is not one of the page's colours`);
  for (const c of [LIGHT.a, LIGHT.b, DARK.a, DARK.b]) assert.ok(used.has(c), `${c} (A or B) is used`);
  for (const old of ['#cf222e', '#1a7f37']) assert.ok(!used.has(old), `${old}: the old red/green`);
  // Increases are B's blue, decreases A's orange.
  assert.match(style, /li\.up\{border-left:4px solid var\(--b\)/);
  assert.match(style, /li\.down\{border-left:4px solid var\(--a\)/);
});
