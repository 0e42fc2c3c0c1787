// Validates a prompt's `reference` (expected answer) and `check` (verifiable instruction) from untrusted JSON.

import { unsafeRegexReason } from '../regex-safety.ts';
import { CHECK_SPECS, CHECK_TYPES, REFERENCE_TYPES } from './types.ts';
import type { Check, CheckType, Reference } from './types.ts';

/** Reports one problem: `field` is a path under the prompt ("check.value"). */
export type Report = (field: string, message: string) => void;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `a ${typeof v}`;
}

function isNonEmptyStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.trim() !== '');
}

function extraKeys(o: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(o).filter((k) => !allowed.includes(k));
}

/** Regex flags that keep `RegExp.test` stateless and run on every ES2022 engine. */
const REGEX_FLAGS = /^(?!.*(.).*\1)[imsu]*$/;

export function validateReference(v: unknown, report: Report, warn: (m: string) => void): Reference | undefined {
  const example = '{"type": "exact", "value": "Paris"}';
  if (!isPlainObject(v)) {
    report('reference', `must be an object like ${example}, got ${describeType(v)}`);
    return undefined;
  }
  const type = v['type'];
  if (typeof type !== 'string' || !(REFERENCE_TYPES as readonly string[]).includes(type)) {
    const got = type === undefined ? 'no type' : `type ${JSON.stringify(type)}`;
    report('reference.type', `${got}: use one of ${REFERENCE_TYPES.join(', ')}`);
    return undefined;
  }
  const errors = { count: 0 };
  const r: Report = (f, m) => {
    errors.count++;
    report(f, m);
  };
  let out: Reference | undefined;
  if (type === 'exact') {
    const value = v['value'];
    if (typeof value === 'string' && value.trim() !== '') out = { type, value };
    else if (typeof value === 'number') r('reference.value', 'must be a string; for numbers use type "numeric"');
    else r('reference.value', `must be a non-empty string, got ${describeType(value)}`);
    for (const k of extraKeys(v, ['type', 'value'])) warn(`unknown field "reference.${k}" ignored`);
  } else if (type === 'numeric') {
    const value = v['value'];
    const tolerance = v['tolerance'];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      r('reference.value', `must be a finite number (not in quotes), got ${describeType(value)}`);
    }
    if (tolerance !== undefined && (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0)) {
      r('reference.tolerance', `must be a number >= 0, got ${describeType(tolerance)}`);
    }
    if (errors.count === 0 && typeof value === 'number') {
      out = typeof tolerance === 'number' ? { type, value, tolerance } : { type, value };
    }
    for (const k of extraKeys(v, ['type', 'value', 'tolerance'])) warn(`unknown field "reference.${k}" ignored`);
  } else if (type === 'regex') {
    const pattern = v['pattern'];
    const flags = v['flags'];
    if (typeof pattern !== 'string' || pattern === '') {
      r('reference.pattern', `must be a non-empty string, got ${describeType(pattern)}`);
    }
    if (flags !== undefined && (typeof flags !== 'string' || !REGEX_FLAGS.test(flags))) {
      r('reference.flags', `must be a string of distinct flags among i, m, s, u (g and y make matching stateful)`);
    }
    if (errors.count === 0 && typeof pattern === 'string') {
      const f = typeof flags === 'string' ? flags : '';
      const unsafe = unsafeRegexReason(pattern);
      try {
        new RegExp(pattern, f);
        if (unsafe === null) out = f === '' ? { type, pattern } : { type, pattern, flags: f };
        else r('reference.pattern', unsafe);
      } catch (e) {
        r('reference.pattern', `is not a valid regular expression (${e instanceof Error ? e.message : 'error'})`);
      }
    }
    for (const k of extraKeys(v, ['type', 'pattern', 'flags'])) warn(`unknown field "reference.${k}" ignored`);
  } else {
    const values = v['values'];
    if (isNonEmptyStringArray(values)) out = { type: 'oneOf', values: [...values] };
    else r('reference.values', `must be a non-empty array of non-empty strings, got ${describeType(values)}`);
    for (const k of extraKeys(v, ['type', 'values'])) warn(`unknown field "reference.${k}" ignored`);
  }
  return out;
}

export function validateCheck(v: unknown, report: Report, warn: (m: string) => void): Check | undefined {
  if (!isPlainObject(v)) {
    report('check', `must be an object like {"type": "max_words", "value": 50}, got ${describeType(v)}`);
    return undefined;
  }
  const type = v['type'];
  if (typeof type !== 'string' || !(CHECK_TYPES as readonly string[]).includes(type)) {
    const got = type === undefined ? 'no check type' : `unknown check type ${JSON.stringify(type)}`;
    const near = typeof type === 'string' ? closest(type, CHECK_TYPES) : undefined;
    const hint = near === undefined ? '' : ` (did you mean "${near}"?)`;
    report('check.type', `${got}${hint}: use one of ${CHECK_TYPES.join(', ')}`);
    return undefined;
  }
  const checkType = type as CheckType;
  const kind = CHECK_SPECS[checkType].value;
  const value = v['value'];
  for (const k of extraKeys(v, ['type', 'value'])) warn(`unknown field "check.${k}" ignored`);
  switch (kind) {
    case 'none':
      if (value !== undefined) warn(`check "${checkType}" takes no value; "check.value" ignored`);
      return { type: checkType };
    case 'count':
      if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return { type: checkType, value };
      report('check.value', `check "${checkType}" needs a whole number >= 1, got ${describeType(value)}`);
      return undefined;
    case 'text':
      if (typeof value === 'string' && value.trim() !== '') return { type: checkType, value };
      report('check.value', `check "${checkType}" needs a non-empty string, got ${describeType(value)}`);
      return undefined;
    case 'keywords':
      if (isNonEmptyStringArray(value)) return { type: checkType, value: [...value] };
      report('check.value', `check "${checkType}" needs an array of non-empty strings, got ${describeType(value)}`);
      return undefined;
  }
}

/** The candidate within edit distance 3 of `s`, for "did you mean" hints. */
function closest(s: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const c of candidates) {
    const d = editDistance(s.toLowerCase(), c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 99;
}
