// Bad JSONL and CSV prompt sets, and the size limits: issues name the line (and field), and say what to do.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PromptSetError, parsePromptSet } from '../../../src/core/prompts/index.ts';
import { issuesOf, jsonSet, jsonl, ok, places } from './issues.ts';

describe('JSONL', () => {
  test('a bad line is reported with its number; fields are checked once every line reads', () => {
    const text = `${jsonl([ok('a')])}\n\n{"id": "b", "category": "c", "prompt": "p",}\n${jsonl([{ id: 'c', prompt: 'p' }, ok('a')])}`;
    const issues = issuesOf(text);
    assert.deepEqual(places(issues), [{ line: 3 }]);
    assert.match(issues[0]?.message ?? '', /invalid JSON at column 44: unexpected "}".*trailing comma/);
    const fixed = text.replace(',}', '}');
    assert.deepEqual(places(issuesOf(fixed)), [
      { line: 4, promptId: 'c', field: 'category' },
      { line: 5, promptId: 'a', field: 'id' },
    ]);
  });

  test('a line that is not an object', () => {
    const issues = issuesOf(`${jsonl([ok('a')])}\n[1, 2]`, { format: 'jsonl' });
    assert.deepEqual(places(issues), [{ line: 2 }]);
    assert.match(issues[0]?.message ?? '', /each prompt must be an object/);
  });
});

describe('CSV', () => {
  const header = 'id,category,subcategory,prompt,reference,check';
  test('bad JSON in a cell names the line and the column', () => {
    const text = `${header}\na,c,,p,"{""type"":""exact""",\nb,c,,p,,"{""type"":""max_words""}"`;
    const issues = issuesOf(text, { filename: 'x.csv' });
    assert.deepEqual(places(issues), [{ line: 2, field: 'reference' }]);
    assert.match(issues[0]?.message ?? '', /invalid JSON at column 16: unexpected end .*a cell holds JSON such as/);
    const fixed = text.replace('""exact"""', '""exact"",""value"":""x""}"');
    assert.deepEqual(places(issuesOf(fixed, { filename: 'x.csv' })), [
      { line: 3, promptId: 'b', field: 'check.value' },
    ]);
  });

  test('line numbers count the line breaks inside quoted cells', () => {
    const text = `${header}\na,c,,"line one\nline two",,\na,c,,p,,`;
    const issues = issuesOf(text, { format: 'csv' });
    assert.deepEqual(places(issues), [{ line: 4, promptId: 'a', field: 'id' }]);
    assert.match(issues[0]?.message ?? '', /first used on line 2/);
  });

  test('an unclosed quote is reported where it opened', () => {
    assert.deepEqual(places(issuesOf(`${header}\na,c,,"never closed\n\n`, { format: 'csv' })), [{ line: 2 }]);
  });

  test('a header without the needed columns says what a header looks like', () => {
    const issues = issuesOf('name,text\nx,y', { filename: 'x.csv' });
    assert.deepEqual(places(issues), [{ line: 1 }]);
    assert.match(issues[0]?.message ?? '', /lacks column\(s\) id, category, prompt/);
  });

  test('a row with more cells than the header', () => {
    const issues = issuesOf(`${header}\na,c,,Hello, world,,`, { format: 'csv' });
    assert.deepEqual(places(issues), [{ line: 2 }]);
    assert.match(issues[0]?.message ?? '', /the row has 7 cells but the header has 6: put any cell holding a comma/);
  });

  test('harmful must read as a boolean', () => {
    const issues = issuesOf('id,category,prompt,harmful\na,c,p,maybe', { format: 'csv' });
    assert.deepEqual(places(issues), [{ line: 2, field: 'harmful' }]);
  });
});

describe('limits', () => {
  test('a prompt over 100,000 characters', () => {
    const issues = issuesOf(jsonSet([ok('a'), { id: 'big', category: 'c', prompt: 'x'.repeat(100_001) }]));
    assert.deepEqual(places(issues), [{ line: 4, promptId: 'big', field: 'prompt' }]);
    assert.match(issues[0]?.message ?? '', /is 100,001 characters; the limit is 100,000/);
  });

  test('a file over 5 MB is refused', () => {
    const issues = issuesOf(`[${' '.repeat(5 * 1024 * 1024)}]`);
    assert.deepEqual(places(issues), [{}]);
    assert.match(issues[0]?.message ?? '', /the file is 5\.0 MB; the limit is 5 MB/);
  });

  test('the message lists at most 50 issues', () => {
    const items = Array.from({ length: 60 }, (_, k) => ({ id: `p${k}`, category: '', prompt: 'p' }));
    try {
      parsePromptSet(jsonSet(items), { filename: 'many.json' });
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof PromptSetError);
      assert.equal(e.issues.length, 60);
      assert.match(e.message, /^Prompt set "many.json" has 60 problems:\n {2}- line 3, prompt "p0", field "category"/);
      assert.match(e.message, /… and 10 more$/);
    }
  });
});

describe('a 10 MB prompt', () => {
  test('is named, with its size and the limit, before the file-size limit', () => {
    const huge = { id: 'huge', category: 'c', prompt: 'x'.repeat(10 * 1024 * 1024) };
    try {
      parsePromptSet(jsonSet([ok('a'), huge]), { filename: 'huge.json' });
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof PromptSetError);
      assert.equal(
        e.message,
        'Prompt set "huge.json" has 2 problems:\n' +
          '  - line 4, prompt "huge", field "prompt": is 10,485,760 characters; the limit is 100,000: shorten or split it\n' +
          '  - the file is 10.0 MB; the limit is 5 MB: split it into smaller sets',
      );
    }
  });

  test('in a chat (JSONL), the messages field is named', () => {
    const chat = { id: 'c1', category: 'c', messages: [{ role: 'user', content: 'y'.repeat(6 * 1024 * 1024) }] };
    const issues = issuesOf(jsonl([ok('a'), chat]), { filename: 'x.jsonl' });
    assert.deepEqual(places(issues), [{ line: 2, promptId: 'c1', field: 'messages' }, {}]);
  });

  test('a file far over the limit is refused unread', () => {
    const issues = issuesOf(`[${' '.repeat(33 * 1024 * 1024)}]`);
    assert.deepEqual(places(issues), [{}]);
    assert.match(issues[0]?.message ?? '', /the file is 33\.0 MB; the limit is 5 MB/);
  });
});
