// Reads JSONL (one prompt object per line; blank lines skipped) into raw records with their line numbers.

import { locateJson } from './json-locate.ts';
import type { PromptSetIssue } from './types.ts';
import type { RawRecord } from './validate.ts';

export interface ReadResult {
  records: RawRecord[];
  issues: PromptSetIssue[];
  warnings: string[];
}

export function readJsonl(text: string): ReadResult {
  const records: RawRecord[] = [];
  const issues: PromptSetIssue[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, k) => {
    const source = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (source.trim() === '') return;
    const line = k + 1;
    try {
      records.push({ value: JSON.parse(source) as unknown, line });
    } catch (e) {
      const hint = source.trimStart().startsWith('{') ? '' : ' (JSONL holds one JSON object per line)';
      issues.push({ line, message: describeJsonError(source, e, hint).message });
    }
  });
  return { records, issues, warnings: [] };
}

/**
 * Where and why `source` is not JSON: line (1-based, within `source`) and a message naming the column, from our
 * locator, else from the engine's own message (engines word and place these differently).
 */
export function describeJsonError(source: string, e: unknown, hint = ''): { line?: number; message: string } {
  const found = locateJson(source).error;
  if (found !== undefined) {
    return { line: found.line, message: `invalid JSON at column ${found.column}: ${found.message}${hint}` };
  }
  return { message: `invalid JSON: ${e instanceof Error ? e.message : String(e)}${hint}` };
}
