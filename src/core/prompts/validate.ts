// Turns untrusted records (parsed JSON values with their line numbers) into validated prompts, collecting issues.

import { describeType, isPlainObject, validateCheck, validateReference } from './reference-check.ts';
import { MAX_PROMPT_CHARS, ROLES } from './types.ts';
import type { ChatMessage, Prompt, PromptSetIssue, Role } from './types.ts';

/** One prompt as read from a file, before validation. */
export interface RawRecord {
  value: unknown;
  /** 1-based line where the record starts, when known. */
  line?: number;
}

export interface ValidationResult {
  prompts: Prompt[];
  issues: PromptSetIssue[];
  warnings: string[];
}

const PROMPT_FIELDS = [
  'id',
  'category',
  'subcategory',
  'prompt',
  'messages',
  'reference',
  'check',
  'pair',
  'harmful',
  'tags',
] as const;

export function validatePrompts(records: readonly RawRecord[]): ValidationResult {
  const issues: PromptSetIssue[] = [];
  const warnings: string[] = [];
  const prompts: Prompt[] = [];
  const seen = new Map<string, { line?: number; index: number }>();
  const pairs: { pair: string; id: string; line?: number }[] = [];

  records.forEach((record, index) => {
    const line = record.line;
    const where = line !== undefined ? `line ${line}` : `prompt #${index + 1}`;
    const v = record.value;
    if (!isPlainObject(v)) {
      issues.push({
        ...(line !== undefined && { line }),
        message: `each prompt must be an object {"id", "category", "prompt" or "messages", …}, got ${describeType(v)}`,
      });
      return;
    }
    const rawId = v['id'];
    const promptId = typeof rawId === 'string' && rawId.trim() !== '' ? rawId : undefined;
    const before = issues.length;
    const report = (field: string, message: string) =>
      issues.push({
        ...(line !== undefined && { line }),
        ...(promptId !== undefined && { promptId }),
        field,
        message,
      });
    const warn = (message: string) =>
      warnings.push(`${where}${promptId !== undefined ? `, prompt ${JSON.stringify(promptId)}` : ''}: ${message}`);

    if (rawId === undefined) report('id', 'missing: give every prompt a unique string id, e.g. "math-001"');
    else if (typeof rawId !== 'string') report('id', `must be a string, got ${describeType(rawId)}: put it in quotes`);
    else if (rawId.trim() === '') report('id', 'is empty: give every prompt a unique string id');
    else if (rawId !== rawId.trim()) report('id', 'has leading or trailing spaces: remove them');

    const category = v['category'];
    if (category === undefined) {
      report('category', 'missing: every prompt needs a category, any non-empty string (e.g. "capability")');
    } else if (typeof category !== 'string' || category.trim() === '') {
      report('category', `must be a non-empty string, got ${describeType(category)}`);
    }

    const subcategory = optionalString(v['subcategory'], 'subcategory', report);
    const pair = optionalString(v['pair'], 'pair', report);
    if (pair !== undefined && pair === promptId) report('pair', 'a prompt cannot be paired with itself');

    const text = v['prompt'];
    const rawMessages = v['messages'];
    let prompt: string | undefined;
    let messages: ChatMessage[] | undefined;
    if (text !== undefined && rawMessages !== undefined) {
      report('prompt', 'has both "prompt" and "messages": keep exactly one');
    } else if (text === undefined && rawMessages === undefined) {
      report('prompt', 'has neither "prompt" nor "messages": add the text to send');
    } else if (text !== undefined) {
      if (typeof text === 'string' && text.trim() !== '') prompt = text;
      else report('prompt', `must be a non-empty string, got ${describeType(text)}`);
    } else {
      messages = validateMessages(rawMessages, report);
    }
    const tooLong = promptSizeIssue(v);
    if (tooLong) report(tooLong.field, tooLong.message);

    const reference = v['reference'] === undefined ? undefined : validateReference(v['reference'], report, warn);
    const check = v['check'] === undefined ? undefined : validateCheck(v['check'], report, warn);

    const harmful = v['harmful'];
    if (harmful !== undefined && typeof harmful !== 'boolean') {
      report('harmful', `must be true or false (no quotes), got ${describeType(harmful)}`);
    }
    const tags = v['tags'];
    const tagsOk = Array.isArray(tags) && tags.every((t) => typeof t === 'string' && t.trim() !== '');
    if (tags !== undefined && !tagsOk)
      report('tags', `must be an array of non-empty strings, got ${describeType(tags)}`);

    for (const key of Object.keys(v)) {
      if (!(PROMPT_FIELDS as readonly string[]).includes(key)) warn(`unknown field ${JSON.stringify(key)} ignored`);
    }

    if (promptId !== undefined) {
      const first = seen.get(promptId);
      if (first !== undefined) {
        const there = first.line !== undefined ? `line ${first.line}` : `prompt #${first.index + 1}`;
        report('id', `duplicate id ${JSON.stringify(promptId)}, first used on ${there}: ids must be unique`);
      } else {
        seen.set(promptId, { index, ...(line !== undefined && { line }) });
      }
      if (pair !== undefined) pairs.push({ pair, id: promptId, ...(line !== undefined && { line }) });
    }
    if (issues.length > before || promptId === undefined || typeof category !== 'string') return;
    prompts.push({
      id: promptId,
      category,
      ...(subcategory !== undefined && { subcategory }),
      ...(prompt !== undefined && { prompt }),
      ...(messages !== undefined && { messages }),
      ...(reference !== undefined && { reference }),
      ...(check !== undefined && { check }),
      ...(pair !== undefined && { pair }),
      ...(typeof harmful === 'boolean' && { harmful }),
      ...(tagsOk && { tags: [...tags] }),
    });
  });

  for (const p of pairs) {
    if (!seen.has(p.pair)) {
      issues.push({
        ...(p.line !== undefined && { line: p.line }),
        promptId: p.id,
        field: 'pair',
        message: `${JSON.stringify(p.pair)} is not the id of any prompt in this set: fix the id or remove "pair"`,
      });
    }
  }
  return { prompts, issues, warnings };
}

/** The prompt's text length, in characters, when it is over the limit: the field holding it and what to do. */
function promptSizeIssue(v: Record<string, unknown>): { field: string; message: string } | undefined {
  const text = v['prompt'];
  const messages = v['messages'];
  const content = (m: unknown) => (isPlainObject(m) && typeof m['content'] === 'string' ? m['content'].length : 0);
  const chars =
    typeof text === 'string' ? text.length : Array.isArray(messages) ? messages.reduce((n, m) => n + content(m), 0) : 0;
  if (chars <= MAX_PROMPT_CHARS) return undefined;
  return {
    field: typeof text === 'string' ? 'prompt' : 'messages',
    message: `is ${chars.toLocaleString('en')} characters; the limit is ${MAX_PROMPT_CHARS.toLocaleString('en')}: shorten or split it`,
  };
}

/** Issues for the prompts over the length limit only (for files too large to validate in full). */
export function oversizedPrompts(records: readonly RawRecord[]): PromptSetIssue[] {
  const issues: PromptSetIssue[] = [];
  for (const { value, line } of records) {
    if (!isPlainObject(value)) continue;
    const tooLong = promptSizeIssue(value);
    if (!tooLong) continue;
    const id = value['id'];
    issues.push({
      ...(line !== undefined && { line }),
      ...(typeof id === 'string' && id.trim() !== '' && { promptId: id }),
      ...tooLong,
    });
  }
  return issues;
}

/** An optional non-empty string; "" counts as absent (CSV cells are never missing, only empty). */
function optionalString(v: unknown, field: string, report: (f: string, m: string) => void): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string' && v.trim() !== '') return v;
  report(field, `must be a non-empty string, got ${describeType(v)}`);
  return undefined;
}

function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

function validateMessages(v: unknown, report: (f: string, m: string) => void): ChatMessage[] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    report('messages', `must be a non-empty array of {"role", "content"}, got ${describeType(v)}`);
    return undefined;
  }
  const items: unknown[] = v;
  const out: ChatMessage[] = [];
  for (const [k, m] of items.entries()) {
    const field = `messages[${k}]`;
    if (!isPlainObject(m)) {
      report(field, `must be an object {"role", "content"}, got ${describeType(m)}`);
      continue;
    }
    const role = m['role'];
    const content = m['content'];
    let good = true;
    if (!isRole(role)) {
      report(`${field}.role`, `is ${describeType(role)}: use "system", "user" or "assistant"`);
      good = false;
    } else if (role === 'system' && k > 0) {
      report(`${field}.role`, 'a "system" message may only come first');
      good = false;
    }
    if (typeof content !== 'string' || (role === 'user' && content.trim() === '')) {
      report(
        `${field}.content`,
        `must be a${role === 'user' ? ' non-empty' : ''} string, got ${describeType(content)}`,
      );
      good = false;
    }
    if (good && isRole(role) && typeof content === 'string') out.push({ role, content });
  }
  if (out.length !== items.length) return undefined;
  if (out[out.length - 1]?.role !== 'user') {
    report(`messages[${items.length - 1}].role`, 'the last message must be a "user" turn: the model answers it');
    return undefined;
  }
  return out;
}
