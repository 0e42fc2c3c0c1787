import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFormatting } from '../../../src/core/features/formatting.ts';

test('plain prose has no Markdown', () => {
  const r = extractFormatting({ text: 'Just a sentence. 2 * 3 = 6 and snake_case_name stays plain.' });
  assert.equal(r.hasMarkdown, false);
  assert.equal(r.italicSpans, 0);
});

test('bullet and numbered lists, nested items belong to their list', () => {
  const r = extractFormatting({
    text: 'Intro:\n\n- one\n- two\n  - two a\n* three\n\nThen:\n\n1. first\n2) second\n\nOutro.',
  });
  assert.equal(r.bulletItems, 4);
  assert.equal(r.bulletLists, 1);
  assert.equal(r.numberedItems, 2);
  assert.equal(r.numberedLists, 1);
  assert.equal(r.hasList, true);
});

test('separate lists are counted apart; a thematic break is not a list', () => {
  const r = extractFormatting({ text: '- a\n- b\n\nParagraph.\n\n- c\n\n---\n\n***' });
  assert.equal(r.bulletLists, 2);
  assert.equal(r.bulletItems, 3);
});

test('headings, code blocks, inline code, emphasis, tables, quotes', () => {
  const text = [
    '# Title',
    'Sub',
    '===',
    'Use `npm test` and **bold** or __bold__, *it* or _it_.',
    '```js',
    '# not a heading',
    '- not a list',
    '```',
    '| a | b |',
    '|:---|---:|',
    '| 1 | 2 |',
    '',
    '> quoted',
  ].join('\n');
  const r = extractFormatting({ text });
  assert.equal(r.headings, 2);
  assert.equal(r.codeBlocks, 1);
  assert.equal(r.inlineCode, 1);
  assert.equal(r.boldSpans, 2);
  assert.equal(r.italicSpans, 2);
  assert.equal(r.tables, 1);
  assert.equal(r.blockquotes, 1);
  assert.equal(r.bulletItems, 0);
  assert.equal(r.hasMarkdown, true);
});

test('an unterminated fence still counts, and hides what follows', () => {
  const r = extractFormatting({ text: 'Code:\n```\n- x\n# y' });
  assert.equal(r.codeBlocks, 1);
  assert.equal(r.bulletItems, 0);
  assert.equal(r.headings, 0);
});
