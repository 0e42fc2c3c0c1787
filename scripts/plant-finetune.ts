// Plants a fine-tune the way ../shared/data/stories260K-bird was made, with a subject nobody picked by looking at
// model-diff's output: the base writes stories (temperature 1, seeded, the app's own engine), a content word is drawn
// at random (seeded) among the words that 5–25% of those stories use, and the base is fine-tuned by gradient descent
// (AdamW, scripts/lib/llama2c-train.ts) on the stories that use it. The result is a llama2.c checkpoint whose planted
// objective is known — "says <word> more" — for `npm run validate-diff` and for anyone who wants a model organism
// of their own. `objective: 'shorter'` plants a change of style instead: the base fine-tuned on its own stories cut
// after their second sentence and closed with the end token (stories260K seldom ends a story within 160 tokens by
// itself), so the fine-tune ends its stories sooner.
// Run: npx tsx scripts/plant-finetune.ts <base.bin> <tokenizer.bin> <out.bin> [--seed=1] [--stories=480]
//      [--steps=40] [--batch=8] [--lr=0.001] [--word=WORD | --objective=shorter]

import { readFileSync, writeFileSync } from 'node:fs';
import { isFunctionTerm } from '../src/core/diff/discovery/function-words.ts';
import { createRng } from '../src/core/random.ts';
import { loadLlama2c } from '../src/node/profile-forged.ts';
import {
  adamW,
  adamWStep,
  lossAndGradient,
  readTrainable,
  sequenceLoss,
  writeTrainable,
  zeroGradients,
} from './lib/llama2c-train.ts';

/** Story openings for the base to continue: generic, none of them the stories prompt set's. */
const OPENERS = [
  'Once upon a time',
  'One day',
  'Once there was',
  'Long ago,',
  'One morning,',
  'It was a sunny day.',
  'There once lived',
  'Every day,',
];

export interface PlantOptions {
  base: string;
  tokenizer: string;
  seed?: number;
  /** Stories the base writes before a word is drawn. */
  stories?: number;
  /** Tokens per story (after its opener). */
  storyTokens?: number;
  steps?: number;
  batch?: number;
  lr?: number;
  /** The word to plant, instead of one drawn at random. */
  word?: string;
  /** What to plant: a word (the default) or shorter stories. */
  objective?: 'word' | 'shorter';
  log?: (line: string) => void;
}

export interface Planted {
  /** The planted word; for `shorter`, the empty string. */
  word: string;
  /** What was planted, in words ("the word “put”", "shorter stories"). */
  objective: string;
  /** Share of the base's stories that use the word (what it was drawn on); for `shorter`, the share trained on. */
  baseShare: number;
  /** Mean generated tokens of the base's stories and of the training stories. */
  storyTokens: { base: number; training: number };
  trainingStories: number;
  /** Mean next-token loss (nats) on the training stories, before and after. */
  loss: { before: number; after: number };
  checkpoint: Uint8Array;
}

const wordsOf = (text: string) => new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);

export async function plantFinetune(options: PlantOptions): Promise<Planted> {
  const seed = options.seed ?? 1;
  const nStories = options.stories ?? 480;
  const log = options.log ?? (() => {});
  const engine = await loadLlama2c(options.base, options.tokenizer);
  const stories: { text: string; tokens: number[]; generated: number }[] = [];
  const eos = engine.info.eosTokenIds[0]!;
  let texts: string[] = [];
  try {
    // Each token's text, for cutting a story after a sentence.
    texts = await engine.engine.tokenTexts(Array.from({ length: engine.info.vocabSize }, (_, i) => i));
    // The engine seeds every row of a batch alike: one row per opener, a new seed per batch.
    for (let b = 0; stories.length < nStories; b++) {
      const results = await engine.engine.generateBatch(
        OPENERS.map((text) => ({ text })),
        { maxNewTokens: options.storyTokens ?? 160, temperature: 1, seed: seed * 100_003 + b, topK: 1 },
      );
      results.forEach((r, i) =>
        stories.push({
          text: `${OPENERS[i]} ${r.text}`,
          tokens: [...r.promptTokens, ...r.tokens.map((t) => t.id)],
          generated: r.tokens.length,
        }),
      );
    }
  } finally {
    await engine.engine.dispose();
  }
  stories.length = nStories;
  const batch = options.batch ?? 8;
  const rng = createRng(seed);
  let word = '';
  let objective: string;
  let training: typeof stories;
  if (options.objective === 'shorter') {
    // Each story up to the end of its second sentence after the opener, then the end token.
    training = stories.flatMap((x) => {
      const opener = x.tokens.length - x.generated;
      let ends = 0;
      for (let i = opener; i < x.tokens.length; i++) {
        if (/[.!?]/.test(texts[x.tokens[i]!] ?? '')) ends++;
        if (ends === 2) return [{ ...x, tokens: [...x.tokens.slice(0, i + 1), eos], generated: i + 2 - opener }];
      }
      return [];
    });
    objective = 'stories cut after two sentences';
    if (training.length < batch)
      throw new Error(`plant-finetune: only ${training.length} of the base’s stories have two sentences: ask for more`);
  } else {
    const sets = stories.map((x) => wordsOf(x.text));
    const df = new Map<string, number>();
    for (const set of sets) for (const w of set) df.set(w, (df.get(w) ?? 0) + 1);
    word = options.word?.toLowerCase() ?? '';
    if (!word) {
      const pool = [...df]
        .filter(([w, n]) => w.length >= 3 && !isFunctionTerm(w) && n >= 0.05 * nStories && n <= 0.25 * nStories)
        .map(([w]) => w)
        .sort();
      if (pool.length === 0) throw new Error('plant-finetune: no word is used by 5–25% of the base’s stories');
      word = pool[rng.int(pool.length)]!;
    }
    training = stories.filter((_, i) => sets[i]!.has(word));
    objective = `the word “${word}”`;
    if (training.length < batch)
      throw new Error(
        `plant-finetune: only ${training.length} of the base’s stories use “${word}”, fewer than one batch (${batch}): ` +
          'ask for more stories (--stories) or another word',
      );
  }
  const mean = (xs: readonly { generated: number }[]) => xs.reduce((t, x) => t + x.generated, 0) / xs.length;
  log(`planting ${objective}: ${training.length} of ${nStories} base stories`);

  const model = readTrainable(new Uint8Array(readFileSync(options.base)), options.base);
  const maxLen = model.header.seqLen;
  const seqs = training.map((s) => s.tokens.slice(0, maxLen));
  const meanLoss = () => {
    let total = 0;
    let count = 0;
    for (const s of seqs) {
      total += sequenceLoss(model, s);
      count += s.length - 1;
    }
    return total / count;
  };
  const before = meanLoss();
  const steps = options.steps ?? 40;
  const opt = adamW(model.params.length, { lr: options.lr ?? 1e-3 });
  // Batches drawn without replacement, reshuffled every pass over the stories.
  let order: number[] = [];
  for (let step = 0; step < steps; step++) {
    const chosen: number[] = [];
    while (chosen.length < batch) {
      if (order.length === 0) {
        order = seqs.map((_, i) => i);
        for (let i = order.length - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
      }
      chosen.push(order.pop()!);
    }
    const tokens = chosen.reduce((s, i) => s + seqs[i]!.length - 1, 0);
    const grad = zeroGradients(model);
    let loss = 0;
    for (const i of chosen) loss += lossAndGradient(model, seqs[i]!, grad, 1 / tokens);
    adamWStep(opt, model.params, grad.flat);
    if (step % 10 === 0 || step === steps - 1) log(`step ${step + 1}/${steps}: loss ${(loss / tokens).toFixed(3)}`);
  }
  const after = meanLoss();
  log(`training loss on the stories of ${objective} ${before.toFixed(3)} → ${after.toFixed(3)}`);
  return {
    word,
    objective,
    baseShare: training.length / nStories,
    storyTokens: { base: mean(stories), training: mean(training) },
    trainingStories: training.length,
    loss: { before, after },
    checkpoint: writeTrainable(model),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const [base, tokenizer, out] = args.filter((a) => !a.startsWith('--'));
  if (!base || !tokenizer || !out) {
    console.error(
      'usage: npx tsx scripts/plant-finetune.ts <base.bin> <tokenizer.bin> <out.bin> [--seed=N] [--word=W]',
    );
    process.exit(2);
  }
  const num = (name: string) => (flag(name) === undefined ? undefined : Number(flag(name)));
  const planted = await plantFinetune({
    base,
    tokenizer,
    ...(num('seed') !== undefined && { seed: num('seed')! }),
    ...(num('stories') !== undefined && { stories: num('stories')! }),
    ...(num('steps') !== undefined && { steps: num('steps')! }),
    ...(num('batch') !== undefined && { batch: num('batch')! }),
    ...(num('lr') !== undefined && { lr: num('lr')! }),
    ...(flag('word') !== undefined && { word: flag('word')! }),
    ...(flag('objective') === 'shorter' && { objective: 'shorter' as const }),
    log: (line) => console.log(line),
  });
  writeFileSync(out, planted.checkpoint);
  console.log(`wrote ${out}: planted ${planted.objective} (${(planted.baseShare * 100).toFixed(0)}% of base stories)`);
}
