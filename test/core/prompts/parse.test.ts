// Reading valid prompt sets in each format: JSON object, bare JSON array, JSONL, CSV; format detection; warnings.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { detectFormat, parsePromptSet } from '../../../src/core/prompts/index.ts';
import type { Prompt } from '../../../src/core/prompts/index.ts';

const prompts: Prompt[] = [
  { id: 'q1', category: 'capability', prompt: 'What is 2 + 2?', reference: { type: 'numeric', value: 4 } },
  { id: 'q2', category: 'instruction-following', prompt: 'Say hi, briefly.', check: { type: 'max_words', value: 3 } },
  {
    id: 'q3',
    category: 'sycophancy',
    messages: [
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'Are you sure?' },
    ],
    reference: { type: 'exact', value: 'Paris' },
    pair: 'q1',
    tags: ['follow-up'],
  },
];

describe('parsePromptSet: formats', () => {
  test('a JSON set object keeps its metadata and prompts', () => {
    const text = JSON.stringify({ id: 'mine', name: 'My set', license: 'CC0-1.0', prompts }, null, 2);
    const { set, warnings, format } = parsePromptSet(text, { filename: 'mine.json' });
    assert.equal(format, 'json');
    assert.deepEqual(warnings, []);
    assert.deepEqual(set, { id: 'mine', name: 'My set', license: 'CC0-1.0', prompts });
  });

  test('a bare JSON array takes its id and name from the file name', () => {
    const { set } = parsePromptSet(JSON.stringify(prompts), { filename: 'dir/extra-set.json' });
    assert.equal(set.id, 'extra-set');
    assert.equal(set.name, 'extra-set');
    assert.deepEqual(set.prompts, prompts);
  });

  test('JSONL: one prompt per line, blank lines and CRLF tolerated', () => {
    const text = `${prompts.map((p) => JSON.stringify(p)).join('\r\n\r\n')}\r\n`;
    const { set, format } = parsePromptSet(text);
    assert.equal(format, 'jsonl');
    assert.equal(set.id, 'custom');
    assert.deepEqual(set.prompts, prompts);
  });

  test('CSV: quoted cells with commas, quotes and line breaks; JSON in reference/check cells', () => {
    const text = [
      'id,category,subcategory,prompt,reference,check',
      'a,capability,,"Add 2, then 2.",{"type":"numeric"," value":4},',
      'b,style,poem,"Write a line\nthat says ""hi"".",,"{""type"":""one_word""}"',
    ].join('\n');
    assert.throws(
      () => parsePromptSet(text, { filename: 'x.csv' }),
      /line 2: text after a closing quote: put the whole cell in double quotes/,
    );
    const fixed = text.replace('{"type":"numeric"," value":4}', '"{""type"":""numeric"",""value"":4}"');
    const { set, format } = parsePromptSet(fixed, { filename: 'x.csv' });
    assert.equal(format, 'csv');
    assert.deepEqual(set.prompts, [
      { id: 'a', category: 'capability', prompt: 'Add 2, then 2.', reference: { type: 'numeric', value: 4 } },
      {
        id: 'b',
        category: 'style',
        subcategory: 'poem',
        prompt: 'Write a line\nthat says "hi".',
        check: { type: 'one_word' },
      },
    ]);
  });

  test('CSV: optional pair, harmful and tags columns', () => {
    const text =
      'id,category,prompt,pair,harmful,tags\r\nh,safety-harmful,bad,b,true,x; y\r\nb,safety-benign,good,,no,\r\n';
    const { set } = parsePromptSet(text, { format: 'csv' });
    assert.deepEqual(set.prompts, [
      { id: 'h', category: 'safety-harmful', prompt: 'bad', pair: 'b', harmful: true, tags: ['x', 'y'] },
      { id: 'b', category: 'safety-benign', prompt: 'good', harmful: false },
    ]);
  });

  test('a byte-order mark is ignored', () => {
    const { set } = parsePromptSet(`\uFEFF${JSON.stringify(prompts)}`);
    assert.equal(set.prompts.length, 3);
  });
});

describe('detectFormat', () => {
  test('by extension first', () => {
    assert.equal(detectFormat('[]', 'a.csv'), 'csv');
    assert.equal(detectFormat('x', 'a.JSONL'), 'jsonl');
    assert.equal(detectFormat('x', 'a.ndjson'), 'jsonl');
    assert.equal(detectFormat('x', 'a.json'), 'json');
  });
  test('then by content', () => {
    assert.equal(detectFormat('  [1]'), 'json');
    assert.equal(detectFormat('{"prompts": []}'), 'json');
    assert.equal(detectFormat('{"id": "a", "name": "b"}'), 'json');
    assert.equal(detectFormat('{"id": "a", "category": "c", "prompt": "p"}'), 'jsonl');
    assert.equal(detectFormat('{"id": "a"}\n{"id": "b"}'), 'jsonl');
    assert.equal(detectFormat('{\n  "id": "a",\n  "prompts": [\n'), 'json');
    assert.equal(detectFormat('id,category,prompt\n'), 'csv');
  });
});

describe('warnings', () => {
  test('unknown fields are dropped with a warning naming the line', () => {
    const text =
      '[\n  {"id": "a", "category": "c", "prompt": "p", "note": "x", "check": {"type": "one_word", "value": 1}}\n]';
    const { set, warnings } = parsePromptSet(text);
    assert.deepEqual(set.prompts, [{ id: 'a', category: 'c', prompt: 'p', check: { type: 'one_word' } }]);
    assert.deepEqual(warnings, [
      'line 2, prompt "a": check "one_word" takes no value; "check.value" ignored',
      'line 2, prompt "a": unknown field "note" ignored',
    ]);
  });
  test('a set object without id or name gets defaults, with a warning', () => {
    const { set, warnings } = parsePromptSet(JSON.stringify({ prompts, version: 2 }), { filename: 'abc.json' });
    assert.equal(set.id, 'abc');
    assert.equal(set.name, 'abc');
    assert.deepEqual(warnings, [
      'no set "id": using "abc"',
      'no set "name": using "abc"',
      'unknown set field "version" ignored',
    ]);
  });
});

describe('docs/prompt-set-format.md', () => {
  test('its JSON and CSV examples parse to the same prompts', () => {
    const doc = readFileSync(new URL('../../../docs/prompt-set-format.md', import.meta.url), 'utf8');
    const block = (lang: string) => new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(doc)?.[1] ?? '';
    const json = parsePromptSet(block('json'), { filename: 'example.json' });
    const csv = parsePromptSet(block('csv'), { filename: 'example.csv' });
    assert.equal(json.set.prompts.length, 2);
    assert.deepEqual(
      csv.set.prompts.map(({ subcategory: _s, ...p }) => p),
      json.set.prompts,
    );
  });
});
