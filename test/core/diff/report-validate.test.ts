// Importing a report: one built by diff() validates; each corruption gets a message that names its JSON path; the
// schema document in docs/ matches the schema the viewer checks against.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { diff } from '../../../src/core/diff/build-report.ts';
import { MAX_REPORT_PROMPTS, REPORT_JSON_SCHEMA } from '../../../src/core/diff/report-schema.ts';
import type { DiffReport } from '../../../src/core/diff/report-types.ts';
import { ReportFormatError, validateReport } from '../../../src/core/diff/report-validate.ts';
import { checkSchema, unsupportedKeywords } from '../../../src/core/diff/schema-check.ts';
import { style, syntheticPair, syntheticSet } from './synthetic.ts';

const set = syntheticSet(60, 2);
const pair = syntheticPair(set, style('A'), style('B', { refuseBenign: 0.6, extra: [3, 6], boost: { joy: 2 } }), 2);
const built = diff(pair, set, { resamples: 200 });
/** A fresh copy of the report as an import sees it (JSON has no undefined, NaN or Infinity). */
const fresh = (): DiffReport => JSON.parse(JSON.stringify(built)) as DiffReport;
type Loose = Record<string, unknown> & DiffReport;
const loose = (x: unknown) => x as Record<string, unknown>;

function rejects(change: (r: Loose) => void, ...expected: (string | RegExp)[]): ReportFormatError {
  const r = fresh() as Loose;
  change(r);
  let error: unknown;
  try {
    validateReport(r);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof ReportFormatError, `accepted: ${String(error)}`);
  for (const x of expected) {
    if (typeof x === 'string') assert.ok(error.message.includes(x), `"${x}" not in: ${error.message}`);
    else assert.match(error.message, x);
  }
  return error;
}

test('a report built by diff() validates after a JSON round trip (what an import sees)', () => {
  assert.ok(built.hunks.length > 0 && built.prompts.every((p) => p.kl !== null));
  const r = fresh();
  assert.equal(validateReport(r), r);
  // In memory, an undetectable minimum effect is Infinity, which JSON writes as null: the schema allows null there.
  const inMemory = checkSchema(built, REPORT_JSON_SCHEMA, { maxErrors: 1000 });
  assert.ok(
    inMemory.every((e) => /^power\[\d+\]\.mde(Binary|Continuous)$/.test(e.path)),
    JSON.stringify(inMemory),
  );
});

test('corruptions name the JSON path and say what to do', () => {
  const e = rejects(
    (r) => ((r.differences[3]!.ci as unknown[])[0] = '0.1'),
    'differences[3].ci[0]: expected number, got string',
  );
  assert.match(e.message, /export it again/);
  assert.deepEqual(
    e.problems.map((p) => p.path),
    ['differences[3].ci[0]'],
  );
  rejects((r) => delete (r as Partial<Loose>).options, 'options: required field is missing');
  rejects(
    (r) => delete (r.prompts[4]!.b as Partial<DiffReport['prompts'][number]['b']>).text,
    'prompts[4].b.text: required field is missing',
  );
  rejects(
    (r) => (loose(r.prompts[2]!.a.features)['wordCount'] = {}),
    'prompts[2].a.features.wordCount: expected number, boolean, string or null, got object',
  );
  rejects(
    (r) => (r.models = [r.models[0]] as unknown as DiffReport['models']),
    'models: 1 items, fewer than the 2 required',
  );
  rejects((r) => (loose(r.differences[1])['test'] = 'ttest'), 'differences[1].test: expected one of "mcnemar-exact"');
  rejects(
    (r) => (loose(r.prompts[0]!.b)['stop'] = 'max'),
    'prompts[0].b.stop: expected one of "eos", "length", got "max"',
  );
  rejects((r) => (r['extra'] = 1), 'extra: unexpected field');
  rejects((r) => (loose(r.prompts[1]!.kl)['mean'] = 'x'), 'prompts[1].kl.mean: expected number, got string');
  rejects((r) => (r.differences[0]!.p = 1.5), 'differences[0].p: 1.5 is above the maximum 1');
  rejects((r) => (r.tokens.boostedInB[0]!.id = 1.5), 'tokens.boostedInB[0].id: expected integer, got 1.5');
  rejects((r) => (loose(r.settings)['seed'] = null), 'settings.seed: expected integer, got null');
  rejects((r) => (loose(r.generator)['name'] = 'other'), 'generator.name: expected "model-diff", got "other"');
  rejects((r) => (loose(r.prompts[0]!.a.features)['odd key'] = []), 'prompts[0].a.features["odd key"]: expected');
});

test('several problems: the first three are named and the rest counted', () => {
  const e = rejects(
    (r) => r.differences.forEach((d) => (loose(d)['n'] = '?')),
    'differences[0].n',
    'differences[2].n',
    /and \d+\+? more/,
  );
  assert.ok(!e.message.includes('differences[3].n'));
  assert.ok(e.problems.length > 3);
});

test('schema version: missing, newer, unknown', () => {
  rejects((r) => delete (r as Partial<Loose>).schemaVersion, 'it has no schemaVersion');
  rejects(
    (r) => ((r as Record<string, unknown>)['schemaVersion'] = 3),
    /schema version 3, newer than this viewer understands \(2\)\. Open it with a newer model-diff/,
  );
  rejects((r) => ((r as Record<string, unknown>)['schemaVersion'] = 0.5), 'Unknown report schema version 0.5');
  assert.throws(() => validateReport([]), /expected a JSON object/);
  assert.throws(() => validateReport(null), ReportFormatError);
});

test('hunk indices out of range', () => {
  rejects(
    (r) => (r.hunks[0]!.differences[0] = r.differences.length),
    'hunk 0 points at differences that do not exist',
    `hunks[0].differences[0]: ${built.differences.length}`,
  );
  rejects((r) => (r.hunks[0]!.differences[0] = -1), 'hunks[0].differences[0]: -1 is below the minimum 0');
});

test('size limits: too many prompts, too long a string', () => {
  rejects(
    (r) => (r.prompts = new Array(MAX_REPORT_PROMPTS + 1).fill(r.prompts[0])),
    `${MAX_REPORT_PROMPTS + 1} prompts`,
    `at most ${MAX_REPORT_PROMPTS}`,
  );
  const e = rejects(
    (r) => (r.prompts[5]!.a.text = 'x'.repeat(1_000_001)),
    'over 1000000 characters',
    'prompts[5].a.text',
  );
  assert.equal(e.problems[0]!.path, 'prompts[5].a.text');
  rejects((r) => (loose(r.prompts[0]!.a.features)['k'.repeat(1_000_001)] = 1), 'over 1000000 characters');
});

test('docs/report.schema.json is the schema the viewer checks, and uses only keywords schema-check implements', () => {
  const file = join(import.meta.dirname, '..', '..', '..', 'docs', 'report.schema.json');
  assert.deepEqual(
    JSON.parse(readFileSync(file, 'utf8')),
    JSON.parse(JSON.stringify(REPORT_JSON_SCHEMA)),
    'run npx tsx scripts/write-schema.ts',
  );
  assert.deepEqual(unsupportedKeywords(REPORT_JSON_SCHEMA), []);
  assert.throws(() => checkSchema(1, { type: 'number', multipleOf: 2 } as never), /unsupported keywords #: multipleOf/);
  assert.deepEqual(checkSchema('x', { type: 'number' }), [
    { path: '', keyword: 'type', message: 'expected number, got string' },
  ]);
});

test('a schema-1 report (before verdicts and behaviours) still opens, without them', () => {
  const old = loose(fresh());
  old['schemaVersion'] = 1;
  delete old['verdict'];
  delete old['behaviours'];
  delete old['discovery'];
  const r = validateReport(JSON.parse(JSON.stringify(old)));
  assert.equal(r.schemaVersion, 2);
  assert.equal(r.verdict, null);
  assert.deepEqual(r.behaviours, []);
  assert.equal(r.discovery, null);
  assert.equal(r.differences.length, built.differences.length);
});

test('behaviour indices out of range', () => {
  assert.ok(built.behaviours.length > 0);
  rejects((r) => {
    const b = (r['behaviours'] as { evidence: number[] }[])[0]!;
    b.evidence.push(10_000);
  }, 'behaviour 0 points at a difference that does not exist');
});
