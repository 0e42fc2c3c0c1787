// Whatever a user imports as a report, the validator returns a report that matches the schema or throws its own
// ReportFormatError with a short message, never anything else: on arbitrary JSON, and on random mutations of a real
// report (values replaced, fields deleted or added, prototype-named keys, arrays emptied or grown).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { diff } from '../../../src/core/diff/build-report.ts';
import { REPORT_JSON_SCHEMA } from '../../../src/core/diff/report-schema.ts';
import { ReportFormatError, validateReport } from '../../../src/core/diff/report-validate.ts';
import { checkSchema } from '../../../src/core/diff/schema-check.ts';
import { style, syntheticPair, syntheticSet } from './synthetic.ts';

const set = syntheticSet(12, 2);
const pair = syntheticPair(set, style('A'), style('B', { refuseBenign: 0.6, extra: [3, 6], boost: { joy: 2 } }), 2);
/** The report as an import reads it: JSON text. */
const reportText = JSON.stringify(diff(pair, set, { resamples: 100 }));

/** Validates; on success the result must match the schema, on failure the error must be ours and readable. */
function validatesOrFailsCleanly(value: unknown): 'valid' | 'refused' {
  try {
    const r = validateReport(value);
    assert.deepEqual(checkSchema(r, REPORT_JSON_SCHEMA), []);
    for (const h of r.hunks) for (const i of h.differences) assert.ok(i < r.differences.length);
    return 'valid';
  } catch (e) {
    if (!(e instanceof ReportFormatError)) throw e;
    assert.ok(e.message.length > 20, e.message);
    // Hostile keys and strings are clipped in the message: it stays short whatever the input.
    assert.ok(e.message.length < 1_500, `${e.message.length} characters: ${e.message.slice(0, 200)}…`);
    return 'refused';
  }
}

/** A JSON value of any shape, including prototype-named keys (JSON.parse makes them own properties). */
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'length');
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), hostileKey), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Text of a value as JSON, with "__proto__" keys kept as own keys (object spread/assign would drop or apply them). */
const asImported = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

type Mutation =
  | { kind: 'replace'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'empty' }
  | { kind: 'grow'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), value: json }),
  fc.record({ kind: fc.constant('delete' as const) }),
  fc.record({ kind: fc.constant('add' as const), key: fc.oneof(fc.string(), hostileKey), value: json }),
  fc.record({ kind: fc.constant('empty' as const) }),
  fc.record({ kind: fc.constant('grow' as const), value: json }),
);

/** Walks down the report by `choices` (each picks a key or index at its level), then applies the mutation there. */
function mutate(choices: number[], m: Mutation): unknown {
  const root = JSON.parse(reportText) as unknown;
  let parent: Record<string, unknown> | unknown[] | null = null;
  let key: string | number = '';
  let node: unknown = root;
  for (const c of choices) {
    const keys: (string | number)[] = Array.isArray(node)
      ? node.map((_, i) => i)
      : typeof node === 'object' && node !== null
        ? Object.keys(node)
        : [];
    if (keys.length === 0) break;
    parent = node as Record<string, unknown>;
    key = keys[c % keys.length]!;
    node = (parent as Record<string | number, unknown>)[key];
  }
  const target = parent as Record<string | number, unknown> | null;
  switch (m.kind) {
    case 'replace':
      if (!target) return m.value;
      target[key] = m.value;
      break;
    case 'delete':
      if (Array.isArray(target)) target.splice(Number(key), 1);
      else if (target) delete target[key];
      break;
    case 'add':
      if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
        // defineProperty, so "__proto__" becomes an own key as JSON.parse would make it.
        Object.defineProperty(node, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      }
      break;
    case 'empty':
      if (Array.isArray(node)) node.length = 0;
      else if (typeof node === 'object' && node !== null) for (const k of Object.keys(node)) delete (node as never)[k];
      break;
    case 'grow':
      if (Array.isArray(node)) node.push(node[0] ?? m.value, m.value);
      break;
  }
  return asImported(root);
}

describe('validateReport never throws anything but ReportFormatError', () => {
  test('the unmutated report validates (the baseline the mutations start from)', () => {
    assert.equal(validatesOrFailsCleanly(JSON.parse(reportText)), 'valid');
  });

  test('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(json, (v) => void validatesOrFailsCleanly(asImported(v))),
      { numRuns: 1000 },
    );
  });

  test('on arbitrary JSON objects that claim schema version 1', () => {
    const claims = fc.dictionary(
      fc.oneof(fc.string(), hostileKey, fc.constantFrom('prompts', 'hunks', 'models')),
      json,
    );
    fc.assert(
      fc.property(claims, (o) => void validatesOrFailsCleanly(asImported({ ...o, schemaVersion: 1 }))),
      { numRuns: 500 },
    );
  });

  test('on random mutations of a real report', () => {
    const outcomes = { valid: 0, refused: 0 };
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), mutation, (choices, m) => {
        outcomes[validatesOrFailsCleanly(mutate(choices, m))]++;
      }),
      { numRuns: 800 },
    );
    // Both outcomes happen: mutations reach deep enough to break things, and some keep the report valid.
    assert.ok(outcomes.refused > 100 && outcomes.valid > 10, JSON.stringify(outcomes));
  });

  test('a "__proto__" key in an imported report pollutes nothing', () => {
    const text = reportText.replace('{', '{"__proto__": {"polluted": true}, ');
    const e = (() => {
      try {
        validateReport(JSON.parse(text));
      } catch (err) {
        return err;
      }
    })();
    assert.ok(e instanceof ReportFormatError);
    assert.match(e.message, /format: __proto__: unexpected field\. /);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
