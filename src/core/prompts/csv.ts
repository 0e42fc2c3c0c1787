// Reads CSV (RFC 4180: header row, "quoted" cells may hold commas, quotes as "" and line breaks) into raw records.

import { describeJsonError } from './jsonl.ts';
import type { ReadResult } from './jsonl.ts';
import type { PromptSetIssue } from './types.ts';
import type { RawRecord } from './validate.ts';

interface Row {
  /** 1-based line where the row starts (a quoted cell may span lines). */
  line: number;
  cells: string[];
}

/** Columns read as plain text, as JSON, and the rest. `prompt` or `messages` is needed too. */
const TEXT_COLUMNS = ['id', 'category', 'subcategory', 'prompt', 'pair'] as const;
const JSON_COLUMNS = ['messages', 'reference', 'check'] as const;
const OTHER_COLUMNS = ['harmful', 'tags'] as const;
const KNOWN: readonly string[] = [...TEXT_COLUMNS, ...JSON_COLUMNS, ...OTHER_COLUMNS];

export function readCsv(text: string): ReadResult {
  const issues: PromptSetIssue[] = [];
  const warnings: string[] = [];
  const rows = splitRows(text, issues);
  if (issues.length > 0) return { records: [], issues, warnings };
  const header = rows[0];
  if (header === undefined) return { records: [], issues: [{ message: 'the file is empty' }], warnings };

  const names = header.cells.map((c) => c.trim().toLowerCase());
  const missing = ['id', 'category'].filter((c) => !names.includes(c));
  if (!names.includes('prompt') && !names.includes('messages')) missing.push('prompt');
  if (missing.length > 0) {
    const message =
      `the header row lacks column(s) ${missing.join(', ')}: a CSV prompt set starts with a header such as ` +
      `"id,category,subcategory,prompt,reference,check" (or is this file meant to be JSON or JSONL?)`;
    return { records: [], issues: [{ line: header.line, message }], warnings };
  }
  names.forEach((n, k) => {
    if (names.indexOf(n) !== k) issues.push({ line: header.line, field: n, message: `column "${n}" appears twice` });
    else if (!KNOWN.includes(n)) warnings.push(`line ${header.line}: unknown column ${JSON.stringify(n)} ignored`);
  });
  if (issues.length > 0) return { records: [], issues, warnings };

  const records: RawRecord[] = [];
  for (const row of rows.slice(1)) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    if (row.cells.length > names.length) {
      issues.push({
        line: row.line,
        message:
          `the row has ${row.cells.length} cells but the header has ${names.length}: ` +
          'put any cell holding a comma in double quotes',
      });
      continue;
    }
    const value: Record<string, unknown> = {};
    names.forEach((name, k) => {
      const cell = row.cells[k] ?? '';
      if (cell.trim() === '' || !KNOWN.includes(name)) return;
      const report = (message: string) => issues.push({ line: row.line, field: name, message });
      if ((JSON_COLUMNS as readonly string[]).includes(name)) {
        try {
          value[name] = JSON.parse(cell) as unknown;
        } catch (e) {
          const example = name === 'check' ? '{"type":"max_words","value":50}' : '{"type":"exact","value":"Paris"}';
          const hint = name === 'messages' ? '' : ` (a cell holds JSON such as ${example})`;
          report(`${describeJsonError(cell, e, hint).message}`);
        }
      } else if (name === 'harmful') {
        const b = parseBoolean(cell);
        if (b === undefined) report(`must be true or false, got ${JSON.stringify(cell)}`);
        else value[name] = b;
      } else if (name === 'tags') {
        value[name] = cell
          .split(';')
          .map((t) => t.trim())
          .filter((t) => t !== '');
      } else {
        value[name] = name === 'prompt' ? cell : cell.trim();
      }
    });
    records.push({ value, line: row.line });
  }
  return { records, issues, warnings };
}

function parseBoolean(cell: string): boolean | undefined {
  const s = cell.trim().toLowerCase();
  if (['true', 'yes', '1'].includes(s)) return true;
  if (['false', 'no', '0'].includes(s)) return false;
  return undefined;
}

/** Splits CSV text into rows of cells; reports an unterminated or misplaced quote with its line. */
function splitRows(text: string, issues: PromptSetIssue[]): Row[] {
  const rows: Row[] = [];
  let line = 1;
  let rowLine = 1;
  let cells: string[] = [];
  let cell = '';
  let i = 0;
  const endRow = () => {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && cell === '') {
      const open = line;
      i++;
      for (;;) {
        if (i >= text.length) {
          issues.push({ line: open, message: 'a quoted cell opened here is never closed: add the closing "' });
          return rows;
        }
        const d = text[i];
        if (d === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          if (d === '\n') line++;
          cell += d;
          i++;
        }
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        const message =
          'text after a closing quote: put the whole cell in double quotes and write each quote in it as ""';
        issues.push({ line, message });
        return rows;
      }
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      i++;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      endRow();
      i += c === '\r' ? 2 : 1;
      line++;
      rowLine = line;
    } else {
      cell += c;
      i++;
    }
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}
