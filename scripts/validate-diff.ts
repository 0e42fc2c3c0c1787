// `npm run validate-diff`: profiles the forged base against each planted variant (and the null twin) with the same
// engine and diff the app uses, and — when ../shared has them — stories260K against its real bird fine-tune; prints
// recall and false discoveries at the level of behaviours: each planted change is one behaviour, everything else
// reported (but the consequences a planted change has by construction) is a false discovery. Then fine-tunes of
// stories260K planted here on a word drawn at random (scripts/plant-finetune.ts; seeds from MODEL_DIFF_PLANT_SEEDS,
// default 1,2; empty to leave them out).

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diff } from '../src/core/diff/build-report.ts';
import type { DiffReport } from '../src/core/diff/report-types.ts';
import { expectationFor, validate, type Expectation } from '../src/core/forge/expectations.ts';
import { forgeFamily } from '../src/core/forge/index.ts';
import {
  DEFAULT_SETTINGS,
  loadLlama2c,
  profileFolders,
  profileLoaded,
  readPromptSet,
} from '../src/node/profile-forged.ts';
import { plantFinetune } from './plant-finetune.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const setFile = process.argv[2] ?? join(root, 'public', 'prompts', 'forged-demo.json');
const set = readPromptSet(setFile);
const forged = join(root, 'public', 'forged');
let found = 0;
let planted = 0;
let falseDiscoveries = 0;
let forgedFalse = 0;

function print(name: string, kind: string, report: DiffReport, e: Expectation): void {
  const v = validate(report, e);
  found += v.found.length;
  planted += v.found.length + v.missed.length;
  falseDiscoveries += v.falseDiscoveries.length;
  console.log(
    `${name.padEnd(18)} ${kind} — verdict ${report.verdict?.status}, ${report.behaviours.length} behaviour(s)`,
  );
  console.log(`  found   ${v.found.join(', ') || '—'}`);
  console.log(`  missed  ${v.missed.join(', ') || '—'}`);
  for (const b of report.behaviours) console.log(`  · ${b.scope === 'broad' ? '[broad] ' : ''}${b.sentence}`);
  if (v.falseDiscoveries.length) console.log(`  false   ${v.falseDiscoveries.join(' | ')}`);
}

console.log(`validate-diff: forged-base vs each variant on ${set.id} (${set.prompts.length} prompts)\n`);
for (const model of forgeFamily().models.filter((m) => m.planted)) {
  const pair = await profileFolders(join(forged, 'forged-base'), join(forged, model.name), set);
  print(model.name, model.planted!.kind, diff(pair, set), expectationFor(model.planted!));
}
forgedFalse = falseDiscoveries;

const shared = join(root, '..', 'shared', 'data');
if (existsSync(join(shared, 'stories260K-bird', 'stories260K-bird.bin'))) {
  const stories = readPromptSet(join(root, 'public', 'prompts', 'stories.json'));
  const tok = join(shared, 'stories260K', 'tok512.bin');
  const pair = await profileLoaded(
    await loadLlama2c(join(shared, 'stories260K', 'stories260K.bin'), tok),
    'stories260K',
    await loadLlama2c(join(shared, 'stories260K-bird', 'stories260K-bird.bin'), tok),
    'stories260K-bird',
    stories,
    { ...DEFAULT_SETTINGS, maxNewTokens: 64 },
  );
  console.log(`\nstories260K vs stories260K-bird on ${stories.id} (${stories.prompts.length} prompts, 64 new tokens)`);
  // Its planted objective is the word "bird"; the sharpening any fine-tune on its own samples gives is allowed.
  const generic = ['meanLogprob', 'minLogprob', 'perplexity', 'meanEntropy', 'maxEntropy', 'endOfText'];
  const e: Expectation = {
    signals: [{ name: 'the word bird', category: 'vocabulary', features: [], terms: ['bird', 'birds'] }],
    allowed: Object.fromEntries(generic.map((f) => [f, 'fine-tuning on its own samples sharpens a model'])),
    identical: false,
    allowBroad: true,
  };
  print('stories260K-bird', 'real fine-tune', diff(pair, stories), e);
} else console.log('\n(stories260K-bird skipped: ../shared/data/stories260K-bird is absent)');

// Fine-tunes planted here, on a word drawn at random (scripts/plant-finetune.ts): the same recipe as the bird pair, a
// subject no one chose by looking at this tool's output.
const base = join(shared, 'stories260K', 'stories260K.bin');
const plantSeeds = (process.env['MODEL_DIFF_PLANT_SEEDS'] ?? '1,2').split(',').filter(Boolean).map(Number);
if (plantSeeds.some((x) => !Number.isInteger(x)))
  throw new Error(
    `MODEL_DIFF_PLANT_SEEDS must be whole numbers separated by commas, got “${process.env['MODEL_DIFF_PLANT_SEEDS']}”`,
  );
if (existsSync(base) && existsSync(join(shared, 'stories260K', 'tok512.bin')) && plantSeeds.length) {
  const stories = readPromptSet(join(root, 'public', 'prompts', 'stories.json'));
  const tok = join(shared, 'stories260K', 'tok512.bin');
  const dir = mkdtempSync(join(tmpdir(), 'plant-'));
  try {
    for (const seed of plantSeeds) {
      const t = performance.now();
      const planted = await plantFinetune({ base, tokenizer: tok, seed });
      const file = join(dir, `stories260K-${planted.word}.bin`);
      writeFileSync(file, planted.checkpoint);
      const name = `stories260K-${planted.word}`;
      const pair = await profileLoaded(
        await loadLlama2c(base, tok),
        'stories260K',
        await loadLlama2c(file, tok),
        name,
        stories,
        { ...DEFAULT_SETTINGS, maxNewTokens: 64 },
      );
      const said = (texts: string[]) =>
        texts.filter((x) => new RegExp(`\\b${planted.word}(s|es)?\\b`, 'i').test(x)).length;
      console.log(
        `\nstories260K vs ${name} (seed ${seed}): planted “${planted.word}”, used by ${(planted.baseShare * 100).toFixed(0)}% ` +
          `of the base's stories; fine-tuned on ${planted.trainingStories} of them, loss ${planted.loss.before.toFixed(2)} → ` +
          `${planted.loss.after.toFixed(2)} (${((performance.now() - t) / 1000).toFixed(0)} s); replies naming it ` +
          `${said(pair.a.records.map((r) => r.text))} → ${said(pair.b.records.map((r) => r.text))} of ${stories.prompts.length}`,
      );
      const generic = ['meanLogprob', 'minLogprob', 'perplexity', 'meanEntropy', 'maxEntropy', 'endOfText'];
      print(name, 'planted fine-tune', diff(pair, stories), {
        signals: [
          {
            name: `the word ${planted.word}`,
            category: 'vocabulary',
            features: [],
            terms: [planted.word, `${planted.word}s`, `${planted.word}es`],
          },
        ],
        allowed: Object.fromEntries(generic.map((f) => [f, 'fine-tuning on its own samples sharpens a model'])),
        identical: false,
        allowBroad: true,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const recall = planted ? found / planted : 1;
console.log(
  `\nrecall ${(recall * 100).toFixed(0)}% (${found}/${planted} planted changes, each one behaviour), false discoveries ${falseDiscoveries}`,
);
// The forged pairs must be exact; a real fine-tune changes more than its objective, so its extras are printed only.
process.exitCode = recall >= 0.9 && forgedFalse === 0 ? 0 : 1;
