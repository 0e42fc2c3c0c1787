// Writes the report's JSON Schema (src/core/diff/report-schema.ts) to docs/report.schema.json, prettier-formatted,
// so the committed document is byte-identical to what `prettier --check` expects. `--check` only compares.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { REPORT_JSON_SCHEMA } from '../src/core/diff/report-schema.ts';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'report.schema.json');
const config = (await resolveConfig(target)) ?? {};
const text = await format(JSON.stringify(REPORT_JSON_SCHEMA), { ...config, parser: 'json', filepath: target });
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: reported below
  }
  if (current !== text) {
    console.error('docs/report.schema.json is out of date: run `npx tsx scripts/write-schema.ts`.');
    process.exit(1);
  }
  console.log('docs/report.schema.json is up to date.');
} else {
  writeFileSync(target, text);
  console.log(`write-schema: wrote ${target} (${text.length} characters)`);
}
