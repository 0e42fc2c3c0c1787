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
// subject no one chose by looking at this tool's output; and one on the base's shortest stories (a change of style).
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
    const plans = [
      ...plantSeeds.map((seed) => ({ seed, objective: 'word' as const })),
      { seed: plantSeeds[0]!, objective: 'shorter' as const },
    ];
    for (const { seed, objective } of plans) {
      const t = performance.now();
      const planted = await plantFinetune({ base, tokenizer: tok, seed, objective });
      const name = `stories260K-${planted.word || 'shorter'}`;
      const file = join(dir, `${name}.bin`);
      writeFileSync(file, planted.checkpoint);
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
      const words = (texts: string[]) => (texts.join(' ').match(/\S+/g)?.length ?? 0) / texts.length;
      const [textsA, textsB] = [pair.a.records.map((r) => r.text), pair.b.records.map((r) => r.text)];
      console.log(
        `\nstories260K vs ${name} (seed ${seed}): planted ${planted.objective}: ${planted.trainingStories} of the base's ` +
          `stories (${(planted.baseShare * 100).toFixed(0)}%; ${planted.storyTokens.training.toFixed(0)} tokens on average ` +
          `against ${planted.storyTokens.base.toFixed(0)}), loss ${planted.loss.before.toFixed(2)} → ` +
          `${planted.loss.after.toFixed(2)} (${((performance.now() - t) / 1000).toFixed(0)} s); ` +
          (planted.word
            ? `replies naming it ${said(textsA)} → ${said(textsB)} of ${stories.prompts.length}`
            : `words per reply ${words(textsA).toFixed(1)} → ${words(textsB).toFixed(1)}`),
      );
      const generic = ['meanLogprob', 'minLogprob', 'perplexity', 'meanEntropy', 'maxEntropy', 'endOfText'];
      const sharpens = Object.fromEntries(generic.map((f) => [f, 'fine-tuning on its own samples sharpens a model']));
      const shorter = ['wordCount', 'charCount', 'byteCount', 'tokenCount', 'sentenceCount'];
      const repeats = ['distinct1', 'distinct2', 'distinct3', 'loopWords', 'loopRepeats'];
      print(
        name,
        'planted fine-tune',
        diff(pair, stories),
        planted.word
          ? {
              signals: [
                {
                  name: `the word ${planted.word}`,
                  category: 'vocabulary',
                  features: [],
                  terms: [planted.word, `${planted.word}s`, `${planted.word}es`],
                },
              ],
              allowed: sharpens,
              identical: false,
              allowBroad: true,
            }
          : {
              signals: [
                {
                  name: 'shorter replies',
                  category: 'response-pattern',
                  features: [
                    ...shorter.map((feature) => ({ feature, direction: -1 as const })),
                    { feature: 'endOfText', direction: 1 as const },
                  ],
                  terms: [],
                },
              ],
              allowed: {
                ...sharpens,
                ...Object.fromEntries(repeats.map((f) => [f, 'shorter replies repeat themselves less'])),
              },
              identical: false,
            },
      );
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
