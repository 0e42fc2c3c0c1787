// `npm run validate-diff`: profiles the forged base against each planted variant (and the null twin) with the same
// engine and diff the app uses, and prints recall (planted differences reported) and false discoveries.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diff } from '../src/core/diff/build-report.ts';
import { expectationFor, validate } from '../src/core/forge/expectations.ts';
import { forgeFamily } from '../src/core/forge/index.ts';
import { profileFolders, readPromptSet } from '../src/node/profile-forged.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const setFile = process.argv[2] ?? join(root, 'public', 'prompts', 'forged-demo.json');
const set = readPromptSet(setFile);
const forged = join(root, 'public', 'forged');
let found = 0;
let planted = 0;
let falseDiscoveries = 0;
console.log(`validate-diff: forged-base vs each variant on ${set.id} (${set.prompts.length} prompts)\n`);
for (const model of forgeFamily().models.filter((m) => m.planted)) {
  const pair = await profileFolders(join(forged, 'forged-base'), join(forged, model.name), set);
  const report = diff(pair, set);
  const v = validate(report, expectationFor(model.planted!));
  found += v.found.length;
  planted += v.found.length + v.missed.length;
  falseDiscoveries += v.falseDiscoveries.length;
  console.log(`${model.name.padEnd(16)} ${model.planted!.kind}`);
  console.log(`  found   ${v.found.join(', ') || '—'}`);
  console.log(`  missed  ${v.missed.join(', ') || '—'}`);
  console.log(`  false   ${v.falseDiscoveries.join(', ') || '—'}`);
}
const recall = planted ? found / planted : 1;
console.log(`\nrecall ${(recall * 100).toFixed(0)}% (${found}/${planted}), false discoveries ${falseDiscoveries}`);
process.exitCode = recall >= 0.9 && falseDiscoveries === 0 ? 0 : 1;
