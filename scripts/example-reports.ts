// `npm run example-reports`: precomputed reports of the forged demo pairs for the embed examples (examples/) and
// tests, written to public/reports/ (ignored by git, rebuilt before dev, build and tests, after the forge). Made
// with the same engine, profiler and diff as the page (onnxruntime-node underneath): what "Export JSON" would give.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diff } from '../src/core/diff/build-report.ts';
import { validateReport } from '../src/core/diff/report-validate.ts';
import { profileFolders, readPromptSet } from '../src/node/profile-forged.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'public', 'reports');
const forged = join(root, 'public', 'forged');
const set = readPromptSet(join(root, 'public', 'prompts', 'forged-demo.json'));
const settings = { maxNewTokens: 24, temperature: 0, seed: 1, topK: 10 };
const started = performance.now();
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
const written: string[] = [];
for (const b of ['forged-trigger', 'forged-boost', 'forged-longer']) {
  const report = diff(await profileFolders(join(forged, 'forged-base'), join(forged, b), set, settings), set);
  validateReport(JSON.parse(JSON.stringify(report)));
  const name = `forged-base-vs-${b}.json`;
  writeFileSync(join(target, name), JSON.stringify(report));
  written.push(name);
}
console.log(
  `example-reports: wrote ${written.join(', ')} to public/reports in ${(performance.now() - started).toFixed(0)} ms`,
);
