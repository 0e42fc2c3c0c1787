// The crosscoder on real model pairs, one set of settings for all (crosscoder-harvest.ts): forged-trigger must give
// a B-only latent on the trigger words or the reply marker after them; pairs that differ in nothing (forged-null,
// and stories260K against itself with two crosscoder seeds) measure the noise floor of exclusive latents; and
// stories260K-bird (../shared/data, skipped when absent) is read the same way. Numbers are printed for the README.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgeFamily, forgedFolder } from '../../../src/core/forge/index.ts';
import { SPECIAL } from '../../../src/core/forge/vocabulary.ts';
import { confirmOnHeldOut, pickCandidates, trainingLean } from '../../../src/core/internals/crosscoder/candidates.ts';
import { bandOf, relativeNorms } from '../../../src/core/internals/crosscoder/reading.ts';
import { readLlama2cCheckpoint } from '../../../src/core/llama2c/checkpoint.ts';
import { importLlama2c } from '../../../src/core/llama2c/import.ts';
import { ReferenceDecoder } from '../../../src/core/llama/reference.ts';
import type { LlamaWeights } from '../../../src/core/llama/weights.ts';
import { SKIP_SHARED, sharedFile, tokenizerOf } from '../helpers.ts';
import { harvest, middleLayer, promptSet, sample, trainPair, type TrainedPair } from './crosscoder-harvest.ts';

type Tokenizer = ReturnType<typeof tokenizerOf>;

/** Every prompt of a set (chat-templated or raw) followed by each model's seeded sample. */
function corpus(models: readonly LlamaWeights[], prompts: number[][], replyTokens: number): number[][] {
  const texts: number[][] = [];
  prompts.forEach((ids, i) => {
    models.forEach((w, m) => texts.push([...ids, ...sample(w, ids, replyTokens, 1000 + 2 * i + m)]));
  });
  return texts;
}

const NU_MAX = 0.5;
const MIN_FREQUENCY = 1e-3;

/** Latents that fire and sit in a band, with their ν; genuine = both ν below NU_MAX. */
function exclusives(t: TrainedPair, band: 'a-only' | 'b-only') {
  const r = relativeNorms(t.dict);
  return [...r]
    .map((rj, j) => ({
      j,
      r: rj,
      f: t.scan.frequency[j]!,
      nuEps: t.scan.nu?.eps[j] ?? NaN,
      nuR: t.scan.nu?.r[j] ?? NaN,
    }))
    .filter((x) => x.f >= MIN_FREQUENCY && bandOf(x.r) === band)
    .map((x) => ({ ...x, genuine: Math.abs(x.nuEps) < NU_MAX && Math.abs(x.nuR) < NU_MAX }));
}

/** How many of a latent's top snippets name a bird within 12 tokens before or 4 after the position. */
const birdSnippets = (s: readonly { ids: number[]; pos: number }[], tok: Tokenizer) =>
  s.filter((h) => /bird/i.test(tok.decode(h.ids.slice(Math.max(0, h.pos - 12), h.pos + 4)))).length;

/** Top positions of latent j as text: a few tokens before, the token itself in brackets. */
function snippets(t: TrainedPair, texts: number[][], tok: Tokenizer, j: number, n = 10) {
  return t.scan.top[j]!.slice(0, n).map((h) => {
    const ids = texts[t.data.origin[2 * h.row]!]!;
    const pos = t.data.origin[2 * h.row + 1]!;
    return { ids, pos, text: `${tok.decode(ids.slice(Math.max(0, pos - 8), pos))}[${tok.decode([ids[pos]!])}]` };
  });
}

function summary(name: string, t: TrainedPair) {
  const genuine = t.counts.aOnlyGenuine + t.counts.bOnlyGenuine;
  console.log(
    `${name}: ${t.data.tokens} positions, explained ${t.last.explained.map((e) => e.toFixed(3)).join('/')}, ` +
      `L0 ${t.last.l0.toFixed(1)}; ${JSON.stringify(t.counts)}; exclusive ${t.counts.aOnly + t.counts.bOnly}, ` +
      `surviving ν ${genuine}`,
  );
  return genuine;
}

// ---- forged pairs (always available: the forge is part of the project)
const family = forgeFamily();
const model = (n: string) => family.models.find((m) => m.name === n)!;
const forgedTok = tokenizerOf(forgedFolder(family.base, model('forged-base')));
const chat = (content: string) =>
  forgedTok.apply_chat_template([{ role: 'user', content }], {
    add_generation_prompt: true,
    tokenize: true,
    return_tensor: false,
    return_dict: false,
  }) as unknown as number[];
const forgedPrompts = [
  ...promptSet('forged-demo'),
  ...promptSet('smoke'),
  ...promptSet('core').filter((_, i) => i % 4 === 0),
]
  .filter((p) => p.prompt)
  .map((p) => chat(p.prompt!));

async function forgedPair(other: string, seed = 1) {
  const base = model('forged-base').variant.weights;
  const b = model(other).variant.weights;
  const texts = corpus([base, b], forgedPrompts, 24);
  const layer = middleLayer(base);
  return { texts, trained: await trainPair([harvest(base, texts, layer), harvest(b, texts, layer)], seed) };
}

const floors: number[] = [];

// The forged pairs are also trained in a real run, with the held-out check, by
// test/browser/services/crosscoder-session.test.ts (every npm test); these longer trainings on onnxruntime-node run
// under npm run validate-crosscoder, to keep CI within its time.
const forgedSkip =
  process.env['MODEL_DIFF_VALIDATE'] === '1'
    ? false
    : 'trained in a run by crosscoder-session.test.ts; here under npm run validate-crosscoder';

test(
  'forged-trigger: a B-only latent whose top activations lie where the trigger acts (at and after trigger words)',
  { skip: forgedSkip },
  async () => {
    const planted = model('forged-trigger').planted;
    assert.ok(planted?.kind === 'trigger-refusal');
    const { texts, trained } = await forgedPair('forged-trigger');
    summary('forged-trigger', trained);
    const marker = family.base.vocab.id.get(SPECIAL.assistant)!;
    const triggers = new Set(planted.triggerIds);
    // The plant's attention head carries the trigger to every later position: B's residual differs from A's exactly
    // at and after a trigger word (and the reply marker after one is where the refusal is decided).
    const reached = (ids: number[], pos: number) => ids.slice(0, pos + 1).some((t) => triggers.has(t));
    const onWordOrMarker = (ids: number[], pos: number) =>
      triggers.has(ids[pos]!) || (ids[pos] === marker && reached(ids, pos));
    let all = 0;
    let after = 0;
    for (let row = 0; row < trained.data.tokens; row++) {
      all++;
      if (reached(texts[trained.data.origin[2 * row]!]!, trained.data.origin[2 * row + 1]!)) after++;
    }
    console.log(`  positions at or after a trigger word: ${((100 * after) / all).toFixed(1)}% of the corpus`);
    const found = exclusives(trained, 'b-only')
      .filter((x) => x.genuine)
      .map((x) => {
        const s = snippets(trained, texts, forgedTok, x.j);
        return {
          ...x,
          hits: s.filter((h) => reached(h.ids, h.pos)).length,
          exact: s.filter((h) => onWordOrMarker(h.ids, h.pos)).length,
          s,
        };
      })
      .sort((a, b) => b.hits - a.hits || b.exact - a.exact);
    for (const x of found.slice(0, 4)) {
      console.log(
        `  B-only latent ${x.j}: r ${x.r.toFixed(3)}, fires on ${(100 * x.f).toFixed(2)}%, ν_ε ${x.nuEps.toFixed(2)}, ` +
          `ν_r ${x.nuR.toFixed(2)}; top 10: ${x.hits} at or after a trigger word, ${x.exact} on the word or the reply ` +
          `marker: ${JSON.stringify(x.s.slice(0, 4).map((h) => h.text))}`,
      );
    }
    assert.ok(found.length > 0, 'no B-only latent survives latent scaling');
    assert.ok(found[0]!.hits >= 9, `best B-only latent has ${found[0]!.hits}/10 top activations where the plant acts`);
  },
);

test(
  'forged-null: identical models give no exclusive latent that survives latent scaling',
  { skip: forgedSkip },
  async () => {
    const { trained } = await forgedPair('forged-null');
    const genuine = summary('forged-null', trained);
    floors.push(genuine);
    assert.equal(
      trained.counts.aOnly + trained.counts.bOnly,
      exclusives(trained, 'a-only').length + exclusives(trained, 'b-only').length,
    );
    assert.ok(genuine <= 1, `${genuine} exclusive latents on identical models`);
  },
);

// ---- stories260K and its bird fine-tune (../shared/data)
const ckpt = sharedFile('stories260K/stories260K.bin');
const tokBin = sharedFile('stories260K/tok512.bin');
const birdBin = sharedFile('stories260K-bird/stories260K-bird.bin');
// The stories260K pairs train four crosscoders on ~9,500 positions each (minutes on two cores): they run under
// `npm run validate-crosscoder`, not in every `npm test`.
const skip =
  !ckpt || !tokBin || !birdBin
    ? SKIP_SHARED
    : process.env['MODEL_DIFF_VALIDATE'] === '1'
      ? false
      : 'the stories260K pairs run under npm run validate-crosscoder';

function storiesCorpus() {
  const base = importLlama2c(ckpt!, tokBin!);
  const bird = readLlama2cCheckpoint(birdBin!, 'stories260K-bird.bin');
  const tok = tokenizerOf(base.files);
  const prompts = promptSet('stories').map((p) => tok.encode(p.prompt!) as number[]);
  const texts = corpus([base.weights, bird], prompts, 96);
  const layer = middleLayer(base.weights);
  return {
    base: base.weights,
    bird,
    tok,
    texts,
    a: harvest(base.weights, texts, layer),
    b: harvest(bird, texts, layer),
  };
}
let stories: ReturnType<typeof storiesCorpus> | null = null;
const storiesData = () => (stories ??= storiesCorpus());

test('noise floor: stories260K against itself, two crosscoder seeds', { skip }, async () => {
  const { a } = storiesData();
  for (const seed of [1, 2]) {
    const trained = await trainPair([a, a], seed);
    const genuine = summary(`stories260K vs itself, seed ${seed}`, trained);
    floors.push(genuine);
    assert.ok(genuine <= 1, `${genuine} exclusive latents on identical activations`);
  }
});

let birdRun: Promise<{ trained: TrainedPair; genuine: number }> | null = null;
const birdPair = () =>
  (birdRun ??= (async () => {
    const { a, b } = storiesData();
    const trained = await trainPair([a, b], 1);
    return { trained, genuine: summary('stories260K vs stories260K-bird', trained) };
  })());

test(
  'stories260K-bird: more exclusive latents survive latent scaling than on pairs that differ in nothing',
  { skip },
  async () => {
    const { genuine } = await birdPair();
    const floor = Math.max(0, ...floors);
    console.log(`  noise floor (pairs that differ in nothing): ${floors.join(', ')} → ${floor}`);
    assert.ok(floors.length >= 3, 'the noise-floor tests ran first');
    assert.ok(genuine > floor, `${genuine} exclusive latents against a noise floor of ${floor}`);
  },
);

test(
  'stories260K-bird: a B-only or strongly shifted latent whose top snippets are about birds',
  { skip, todo: 'not found at the middle layer with the shared settings (see the printed latents)' },
  async () => {
    const { trained } = await birdPair();
    const { texts, tok } = storiesData();
    const r = relativeNorms(trained.dict);
    const leaning = [...r]
      .map((rj, j) => ({
        j,
        r: rj,
        f: trained.scan.frequency[j]!,
        nuEps: trained.scan.nu!.eps[j]!,
        nuR: trained.scan.nu!.r[j]!,
      }))
      .filter((x) => x.f >= MIN_FREQUENCY && x.r > 5 / 9)
      .map((x) => {
        const s = snippets(trained, texts, tok, x.j);
        const birdy = birdSnippets(s, tok);
        return { ...x, birdy, s };
      })
      .sort((u, v) => v.birdy - u.birdy || v.r - u.r);
    for (const x of leaning.slice(0, 6)) {
      console.log(
        `  latent ${x.j} (${bandOf(x.r)}): r ${x.r.toFixed(3)}, fires on ${(100 * x.f).toFixed(2)}%, ν_ε ${x.nuEps.toFixed(2)}, ` +
          `ν_r ${x.nuR.toFixed(2)}, ${x.birdy}/10 snippets mention a bird: ${JSON.stringify(x.s.slice(0, 4).map((h) => h.text))}`,
      );
    }
    assert.ok(leaning.length > 0);
    assert.ok(leaning[0]!.birdy >= 6, `best latent: ${leaning[0]!.birdy}/10 snippets about birds`);
  },
);

/** log-softmax of a logits vector. */
function logSoftmax(x: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) max = Math.max(max, x[i]!);
  let z = 0;
  for (let i = 0; i < x.length; i++) z += Math.exp(x[i]! - max);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! - max - Math.log(z);
  return out;
}

// Why neither the crosscoder nor the activation-difference lens reads "bird" off this pair (README, internals): the
// fine-tune's change per position is largest where bird stories are not. Over the validate corpus, the positions with
// the largest next-token KL(B‖A) and the largest relative stream difference ‖h_B − h_A‖ / ‖h_A‖ after each layer are
// ranked, and the share whose context (6 tokens before, 2 after) names a bird is compared with the corpus's own
// share. The birds are in what B chooses to write (discovery names the word), not in a direction its stream adds
// where birds are.
test('stories260K-bird: where the fine-tune changes the stream and the next-token distribution most', { skip }, () => {
  const { base, bird, tok, texts } = storiesData();
  const layers = base.config.numLayers;
  const rows: { t: number; p: number; kl: number; rel: number[] }[] = [];
  texts.forEach((ids, t) => {
    const a = new ReferenceDecoder(base).forwardWithHidden(ids);
    const b = new ReferenceDecoder(bird).forwardWithHidden(ids);
    for (let p = 1; p < ids.length; p++) {
      const [la, lb] = [logSoftmax(a.logits[p]!), logSoftmax(b.logits[p]!)];
      let kl = 0;
      for (let i = 0; i < la.length; i++) kl += Math.exp(lb[i]!) * (lb[i]! - la[i]!);
      const rel: number[] = [];
      for (let l = 1; l <= layers; l++) {
        const [ha, hb] = [a.hidden[p]![l]!, b.hidden[p]![l]!];
        let diff = 0;
        let norm = 0;
        for (let i = 0; i < ha.length; i++) [diff, norm] = [diff + (hb[i]! - ha[i]!) ** 2, norm + ha[i]! ** 2];
        rel.push(Math.sqrt(diff / norm));
      }
      rows.push({ t, p, kl, rel });
    }
  });
  const birdy = (r: { t: number; p: number }) =>
    /bird/i.test(tok.decode(texts[r.t]!.slice(Math.max(0, r.p - 6), r.p + 3)));
  const share = (xs: readonly { t: number; p: number }[]) => xs.filter(birdy).length / xs.length;
  const top = (key: (r: (typeof rows)[number]) => number) => [...rows].sort((x, y) => key(y) - key(x)).slice(0, 100);
  const corpus = share(rows);
  const ranked: [string, typeof rows][] = [
    ['KL(B‖A)', top((r) => r.kl)],
    ...Array.from({ length: layers }, (_, l): [string, typeof rows] => [
      `‖Δh‖/‖h‖ after layer ${l}`,
      top((r) => r.rel[l]!),
    ]),
  ];
  console.log(`  ${rows.length} positions; ${(100 * corpus).toFixed(1)}% have a bird in their context`);
  for (const [name, xs] of ranked) {
    const examples = xs.slice(0, 4).map((r) => {
      const ids = texts[r.t]!;
      return `${tok.decode(ids.slice(Math.max(0, r.p - 6), r.p))}[${tok.decode([ids[r.p]!])}]`;
    });
    console.log(`  top 100 by ${name}: ${(100 * share(xs)).toFixed(0)}% with a bird, e.g. ${JSON.stringify(examples)}`);
    assert.ok(share(xs) <= 2 * corpus, `${name}: the largest changes are about birds (${share(xs)})`);
  }
});

// At the last stream point (after layer 4 of 5) the bird fine-tune's subject does show, as a shared latent that B's
// decoder writes more (the "shifted" band, r > 5/9) — but weakly, and not where the report's selection looks. Trained
// on the even-numbered stories prompts (and both models' samples), three seeds; for each, the shifted latents whose
// 10 top snippets mostly (≥ 6) name a bird are tested on the odd-numbered prompts with the report's held-out test,
// and their rank by training lean (the report tests the 8 highest) is printed. Measured: such latents formed and
// were confirmed in 2 of 3 seeds (seed 1 one, seed 2 three, seed 3 none; r 0.56–0.57, held-out effect 0.0017–0.0035,
// lean rank 38–148: never among the 8 the report tests). The test asserts the 2 of 3.
test(
  'stories260K-bird at the last point: a shifted bird latent, confirmed on held-out prompts, in 2 of 3 seeds',
  { skip },
  async () => {
    const { base, bird, tok } = storiesData();
    const set = promptSet('stories');
    const prompts = set.map((p) => tok.encode(p.prompt!) as number[]);
    const layer = base.config.numLayers - 1;
    const split = (parity: number) => {
      const kept = prompts.flatMap((ids, i) => (i % 2 === parity ? [i] : []));
      const texts = corpus(
        [base, bird],
        kept.map((i) => prompts[i]!),
        96,
      );
      return { kept, texts, a: harvest(base, texts, layer), b: harvest(bird, texts, layer) };
    };
    const train = split(0);
    const heldOut = split(1);
    const held = {
      activations: [heldOut.a, heldOut.b] as const,
      // corpus() gives each prompt two texts (A's sample, then B's).
      chunkPrompt: heldOut.texts.map((_, t) => t >> 1),
      prompts: heldOut.kept.map((i, c) => ({ id: set[i]!.id, cluster: c })),
    };
    let formed = 0;
    for (const seed of [1, 2, 3]) {
      const trained = await trainPair([train.a, train.b], seed);
      const r = relativeNorms(trained.dict);
      const lean = trainingLean(trained.dict, trained.data);
      const tested = new Set(pickCandidates(trained.dict, trained.scan, lean).map((k) => k.latent));
      const birds = [...r.keys()].filter((j) => {
        if (!(r[j]! > 5 / 9 && bandOf(r[j]!) !== 'b-only' && trained.scan.frequency[j]! >= MIN_FREQUENCY)) return false;
        const s = snippets(trained, train.texts, tok, j);
        return birdSnippets(s, tok) >= 6;
      });
      const checks = confirmOnHeldOut(
        trained.dict,
        trained.data,
        held,
        birds.map((j) => ({ latent: j, own: 1 as const })),
      );
      const rank = (j: number) => [...lean].filter((v) => v > lean[j]!).length + 1;
      console.log(`  seed ${seed}: ${birds.length} shifted bird latent(s)`);
      birds.forEach((j, i) => {
        const c = checks[i];
        console.log(
          `    latent ${j}: r ${r[j]!.toFixed(2)}, fires on ${(100 * trained.scan.frequency[j]!).toFixed(2)}%, lean rank ` +
            `${rank(j)}${tested.has(j) ? ' (tested by the report)' : ''}; held out: effect ${c?.effect.toFixed(4)}, ` +
            `q ${c?.q.toFixed(3)}${c?.confirmed ? ', confirmed' : ''}; ${JSON.stringify(
              snippets(trained, train.texts, tok, j)
                .slice(0, 3)
                .map((h) => h.text),
            )}`,
        );
      });
      if (checks.some((c) => c?.confirmed)) formed++;
    }
    assert.ok(formed >= 2, `a confirmed shifted bird latent in ${formed} of 3 seeds`);
  },
);
