// Entry point for reading a prompt-set file (JSON, JSONL or CSV): format detection, limits, set metadata.

import { readCsv } from './csv.ts';
import { PromptSetError } from './errors.ts';
import { locateJson } from './json-locate.ts';
import { describeJsonError, readJsonl } from './jsonl.ts';
import type { ReadResult } from './jsonl.ts';
import { describeType, isPlainObject } from './reference-check.ts';
import { MAX_SCANNED_BYTES, MAX_SET_BYTES } from './types.ts';
import type { ParseOptions, ParseResult, PromptSet, PromptSetFormat, PromptSetIssue } from './types.ts';
import { oversizedPrompts, validatePrompts } from './validate.ts';

const SET_FIELDS = ['id', 'name', 'description', 'license', 'prompts'];

/**
 * Parses and validates a prompt set. Throws only PromptSetError, whose `issues` name line, prompt and field.
 * JSON line numbers are those of each prompt's opening brace.
 */
export function parsePromptSet(text: string, options: ParseOptions = {}): ParseResult {
  const source = options.filename;
  const fail = (issues: PromptSetIssue[]): never => {
    throw new PromptSetError(issues, source);
  };
  if (typeof text !== 'string') fail([{ message: `expected the file's text, got ${describeType(text)}` }]);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const format = () =>
    options.format === undefined || options.format === 'auto' ? detectFormat(body, source) : options.format;
  const read = (f: PromptSetFormat): JsonReadResult =>
    f === 'json' ? readJson(body) : f === 'jsonl' ? readJsonl(body) : readCsv(body);
  const bytes = utf8Length(text);
  if (bytes > MAX_SET_BYTES) {
    const mb = (bytes / 1024 / 1024).toFixed(1);
    const size = { message: `the file is ${mb} MB; the limit is 5 MB: split it into smaller sets` };
    // One huge prompt is the usual cause: when the file is not far over the limit, read it to name that prompt
    // (and any other), so the user knows what to shorten. Beyond MAX_SCANNED_BYTES it is refused unread.
    const huge = bytes <= MAX_SCANNED_BYTES ? oversizedPrompts(read(format()).records) : [];
    fail([...huge, size]);
  }
  if (body.trim() === '') fail([{ message: 'the file is empty: it holds no prompts' }]);

  const detected = format();
  const records = read(detected);
  if (records.issues.length > 0) fail(records.issues);

  const meta = readMeta(records.meta, source);
  const { prompts, issues, warnings } = validatePrompts(records.records);
  if (meta.issues.length + issues.length > 0) fail([...meta.issues, ...issues]);
  if (prompts.length === 0) fail([{ field: 'prompts', message: 'the set holds no prompts: add at least one' }]);

  const set: PromptSet = { ...meta.fields, prompts };
  return { set, warnings: [...meta.warnings, ...records.warnings, ...warnings], format: detected };
}

/** The set's own fields, from a JSON set object; id and name default to the file name. */
function readMeta(meta: Record<string, unknown> | undefined, source: string | undefined) {
  const warnings: string[] = [];
  const issues: PromptSetIssue[] = [];
  const fallback = baseName(source);
  const text = (key: string, orElse?: string): string | undefined => {
    const v = meta?.[key];
    if (v === undefined || v === '') {
      if (meta !== undefined && orElse !== undefined) warnings.push(`no set "${key}": using "${orElse}"`);
      return orElse;
    }
    if (typeof v === 'string') return v;
    issues.push({ field: key, message: `the set's ${key} must be a string, got ${describeType(v)}` });
    return undefined;
  };
  const id = text('id', fallback ?? 'custom') ?? 'custom';
  const name = text('name', fallback ?? 'Custom prompt set') ?? id;
  const description = text('description');
  const license = text('license');
  for (const key of Object.keys(meta ?? {})) {
    if (!SET_FIELDS.includes(key)) warnings.push(`unknown set field ${JSON.stringify(key)} ignored`);
  }
  const fields: Omit<PromptSet, 'prompts'> = {
    id,
    name,
    ...(description !== undefined && { description }),
    ...(license !== undefined && { license }),
  };
  return { fields, issues, warnings };
}

/** A read file plus, for a JSON set object, its top-level fields. */
type JsonReadResult = ReadResult & { meta?: Record<string, unknown> };

function readJson(text: string): JsonReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    const { line, message } = describeJsonError(text, e);
    return { records: [], issues: [{ ...(line !== undefined && { line }), message }], warnings: [] };
  }
  let list: unknown[];
  let meta: Record<string, unknown> | undefined;
  if (Array.isArray(value)) {
    list = value;
  } else if (isPlainObject(value) && Array.isArray(value['prompts'])) {
    list = value['prompts'];
    meta = value;
  } else {
    const message = isPlainObject(value)
      ? 'a JSON prompt set needs a "prompts" array: {"id", "name", "prompts": [...]}, or is a bare array of prompts'
      : `expected an object {"id", "name", "prompts": [...]} or an array of prompts, got ${describeType(value)}`;
    return { records: [], issues: [{ field: 'prompts', message }], warnings: [] };
  }
  const lines = locateJson(text).elementLines;
  const known = lines.length === list.length;
  const records = list.map((v, k) => {
    const line = known ? lines[k] : undefined;
    return line === undefined ? { value: v } : { value: v, line };
  });
  return { records, issues: [], warnings: [], ...(meta !== undefined && { meta }) };
}

/** By extension first, then by content: "[" is JSON; "{" is JSON if the whole text parses as one set, else JSONL. */
export function detectFormat(text: string, filename?: string): PromptSetFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  if (ext === 'json') return 'json';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'csv') return 'csv';
  const head = text.trimStart();
  if (head.startsWith('[')) return 'json';
  if (!head.startsWith('{')) return 'csv';
  try {
    const whole = JSON.parse(text) as unknown;
    return isPlainObject(whole) && ('prompts' in whole || 'name' in whole) ? 'json' : 'jsonl';
  } catch {
    const firstLine = head.split('\n', 1)[0] ?? '';
    try {
      JSON.parse(firstLine);
      return 'jsonl';
    } catch {
      return 'json';
    }
  }
}

function baseName(filename: string | undefined): string | undefined {
  if (filename === undefined) return undefined;
  const base = filename.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[^.]*$/, '').trim();
  return stem === '' ? undefined : stem;
}

/** UTF-8 byte length without allocating the encoded bytes. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
