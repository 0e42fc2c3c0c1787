// Checks that an imported report is one this version can show: the right schema version, every field as the schema
// in report-schema.ts says (by schema-check.ts, no eval), size limits, and hunk indices that point at differences.
// Untrusted input: everything is checked by type before use, and errors say what is wrong and what to do.

import { MAX_REPORT_PROMPTS, MAX_REPORT_STRING, REPORT_JSON_SCHEMA } from './report-schema.ts';
import { REPORT_SCHEMA_VERSION, type DiffReport } from './report-types.ts';
import { checkSchema, formatSchemaError, type SchemaError } from './schema-check.ts';
import { locateJson } from '../prompts/json-locate.ts';

export class ReportFormatError extends Error {
  override name = 'ReportFormatError';
  /** What failed, by JSON path (empty for version and size problems). */
  readonly problems: readonly SchemaError[];
  constructor(message: string, problems: readonly SchemaError[] = []) {
    super(message);
    this.problems = problems;
  }
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** How many problems the message names; the rest are counted. */
const SHOWN = 3;
const FIX =
  'It may be damaged, cut short or edited by hand: export it again from model-diff (the format is documented in ' +
  'docs/report.schema.json).';

/** Parses a report file's text; text that is not JSON gets a ReportFormatError naming the file, line and column. */
export function parseReportJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const at = locateJson(text).error;
    const where = at ? `line ${at.line}, column ${at.column}: ${at.message}` : (e as Error).message;
    throw new ReportFormatError(
      `${name} is not a model-diff report: it is not valid JSON (${where}). Open a report saved with "Export JSON".`,
    );
  }
}

export function validateReport(input: unknown): DiffReport {
  let value = input;
  if (!isObj(value)) throw new ReportFormatError('This file is not a model-diff report: expected a JSON object.');
  const v = value['schemaVersion'];
  if (typeof v !== 'number')
    throw new ReportFormatError('This file is not a model-diff report: it has no schemaVersion.');
  if (v > REPORT_SCHEMA_VERSION) {
    throw new ReportFormatError(
      `This report uses schema version ${v}, newer than this viewer understands (${REPORT_SCHEMA_VERSION}). Open it with a newer model-diff.`,
    );
  }
  if (v < 1 || !Number.isInteger(v)) throw new ReportFormatError(`Unknown report schema version ${v}.`);
  const prompts = value['prompts'];
  if (Array.isArray(prompts) && prompts.length > MAX_REPORT_PROMPTS) {
    throw new ReportFormatError(
      `This report has ${prompts.length} prompts; this viewer opens reports of at most ${MAX_REPORT_PROMPTS}. ` +
        'Split the prompt set and diff the parts separately.',
    );
  }

  // Schema 1 lacked the verdict, behaviours and discovery: it opens as a schema-2 report without them.
  if (v === 1)
    value = { ...value, schemaVersion: REPORT_SCHEMA_VERSION, verdict: null, behaviours: [], discovery: null };
  const errors = checkSchema(value, REPORT_JSON_SCHEMA, { maxErrors: 20 });
  const tooLong = errors.find((e) => e.keyword === 'maxLength');
  if (tooLong) {
    throw new ReportFormatError(
      `This report holds a string over ${MAX_REPORT_STRING} characters (${formatSchemaError(tooLong)}); this viewer ` +
        'refuses such reports. Shorten the responses (max_new_tokens) or the prompts and diff again.',
      [tooLong],
    );
  }
  if (errors.length) {
    const shown = errors.slice(0, SHOWN).map(formatSchemaError).join('; ');
    const more = errors.length > SHOWN ? ` (and ${errors.length - SHOWN}${errors.length >= 20 ? '+' : ''} more)` : '';
    throw new ReportFormatError(
      `This report does not match the model-diff report format: ${shown}${more}. ${FIX}`,
      errors,
    );
  }

  const r = value as unknown as DiffReport;
  r.hunks.forEach((h, i) => {
    const bad = h.differences.findIndex((j) => j >= r.differences.length);
    if (bad >= 0) {
      const path = `hunks[${i}].differences[${bad}]`;
      throw new ReportFormatError(
        `This report's hunk ${i} points at differences that do not exist (${path}: ${h.differences[bad]}, but ` +
          `there are ${r.differences.length} differences). ${FIX}`,
        [{ path, keyword: 'maximum', message: 'index out of range' }],
      );
    }
  });
  const dangling = r.behaviours.flatMap((b, i) =>
    [b.lead, ...b.evidence].filter((j) => j >= r.differences.length).map((j) => ({ i, j })),
  )[0];
  if (dangling) {
    const path = `behaviours[${dangling.i}]`;
    throw new ReportFormatError(
      `This report's behaviour ${dangling.i} points at a difference that does not exist (${dangling.j}, but there ` +
        `are ${r.differences.length} differences). ${FIX}`,
      [{ path, keyword: 'maximum', message: 'index out of range' }],
    );
  }
  return r;
}
