// Checks that an imported report is one this version can show: the right schema version and the fields views read.
// Untrusted input: everything is checked by type before use, and errors say what is wrong and what to do.

import { REPORT_SCHEMA_VERSION, type DiffReport } from './report-types.ts';

export class ReportFormatError extends Error {
  override name = 'ReportFormatError';
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function validateReport(value: unknown): DiffReport {
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
  const need = (key: string, check: (x: unknown) => boolean, what: string) => {
    if (!check(value[key])) throw new ReportFormatError(`This report's "${key}" is missing or is not ${what}.`);
  };
  need('models', (x) => Array.isArray(x) && x.length === 2 && x.every(isObj), 'a list of two models');
  need('promptSet', isObj, 'an object');
  need('settings', isObj, 'an object');
  need('options', isObj, 'an object');
  need('differences', Array.isArray, 'a list');
  need('hunks', Array.isArray, 'a list');
  need('power', Array.isArray, 'a list');
  need('tokens', isObj, 'an object');
  need('crossLikelihood', isObj, 'an object');
  need('words', isObj, 'an object');
  need('prompts', Array.isArray, 'a list');
  const r = value as unknown as DiffReport;
  r.hunks.forEach((h, i) => {
    if (
      !Array.isArray(h.differences) ||
      h.differences.some((j) => !Number.isInteger(j) || j < 0 || j >= r.differences.length)
    ) {
      throw new ReportFormatError(`This report's hunk ${i} points at differences that do not exist.`);
    }
  });
  return r;
}
