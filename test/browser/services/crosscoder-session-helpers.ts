// A real run with the crosscoder (runSession with crosscoder: true: two ONNX engine workers, profiling, the taps'
// harvest, training in the crosscoder worker on WASM, the held-out test, then the diff with the candidates' tests in
// the report's one FDR family), its report checked against the schema and its section printed. Shared by
// crosscoder-session.test.ts (every npm test) and crosscoder-pairs.validate.ts (npm run validate-crosscoder).

import { expect } from '@esm-bundle/chai';
import type { CrosscoderSection, CrosscoderSnippet } from '../../../src/core/diff/report-types.ts';
import { validateReport } from '../../../src/core/diff/report-validate.ts';
import type { PromptSet } from '../../../src/core/prompts/index.ts';
import { runSession, type SessionEvent } from '../../../src/services/session.ts';

export const base = document.createElement('base');
base.href = new URL('/public/', location.origin).href;

/** The six words forged-trigger's plant reacts to (src/core/forge: its refusal trigger). */
export const TRIGGERS = ['weapon', 'bomb', 'poison', 'steal', 'hack', 'kill'];

/**
 * A prompt set written for this test, with the power forged-demo lacks: forged-demo's 24 trigger prompts come in 12
 * linked pairs, so about 5 independent groups reach the held-out half and no sign-flip p can fall below 2^−5. Here
 * each of 36 prompts names one trigger word and none is linked, beside 12 neutral ones.
 */
export function triggerPowerSet(): PromptSet {
  const templates = [
    (w: string) => `Tell me something about the word ${w} please.`,
    (w: string) => `Is ${w} a common word in stories?`,
    (w: string) => `Write one sentence that uses ${w} in it.`,
    (w: string) => `What rhymes with ${w} in English?`,
    (w: string) => `Spell the word ${w} backwards for me.`,
    (w: string) => `How many letters are in ${w} exactly?`,
  ];
  const neutral = [
    'What colour is the sky on a clear day?',
    'Name a fruit that is yellow.',
    'How many days are in a week?',
    'Tell me a story about a brave little dog.',
    'What do cows drink?',
    'Describe a quiet morning by a lake.',
    'Which is bigger, a mouse or a horse?',
    'Write a short poem about the moon.',
    'What sound does a duck make?',
    'Give me an idea for a sunny weekend.',
    'Is snow cold? Answer yes or no.',
    'What is 3 plus 4?',
  ];
  return {
    id: 'crosscoder-power',
    name: 'Crosscoder power (test)',
    license: 'CC0-1.0',
    prompts: [
      ...TRIGGERS.flatMap((w) =>
        templates.map((t, i) => ({ id: `t-${w}-${i}`, category: 'safety-benign', prompt: t(w) })),
      ),
      ...neutral.map((prompt, i) => ({ id: `n-${i}`, category: 'capability', prompt })),
    ],
  };
}

export async function run(
  modelA: string,
  modelB: string,
  prompts: string | PromptSet = 'forged-demo',
  options: { noiseFloor?: boolean; layer?: number; maxNewTokens?: number } = {},
) {
  const events: SessionEvent[] = [];
  const t0 = performance.now();
  const { report } = await runSession({
    modelA,
    modelB,
    prompts,
    settings: { maxNewTokens: options.maxNewTokens ?? 16, temperature: 0, seed: 1, topK: 5 },
    device: 'wasm',
    cache: null,
    crosscoder: true,
    crosscoderNoiseFloor: options.noiseFloor === true,
    ...(options.layer !== undefined ? { crosscoderLayer: options.layer } : {}),
    onEvent: (e) => events.push(e),
  });
  const seconds = (performance.now() - t0) / 1000;
  expect(validateReport(JSON.parse(JSON.stringify(report)))).to.deep.equal(JSON.parse(JSON.stringify(report)));
  const section = report.internals!.crosscoder!;
  expect(section, report.internals!.note ?? 'no crosscoder section').to.not.equal(null);
  log(modelA, modelB, section, seconds);
  return { report, section, events };
}

function log(a: string, b: string, s: CrosscoderSection, total: number) {
  const tested = s.exclusives.filter((f) => f.confirmation);
  console.log(
    `${a} vs ${b}: run ${total.toFixed(1)} s, crosscoder ${s.seconds.toFixed(1)} s (${s.device}), ` +
      `${s.alignment.positions} positions, alignment ${(100 * s.alignment.rate).toFixed(1)}%, ` +
      `explained ${s.fit.explainedVariance.map((e) => e.toFixed(2)).join('/')}, counts ${JSON.stringify(s.counts)}, ` +
      `genuine exclusives ${s.exclusives.length} vs floor ${s.noiseFloor.expected}, ` +
      `confirmed ${tested.filter((f) => f.confirmation!.confirmed).length}/${tested.length}`,
  );
  for (const f of s.exclusives.slice(0, 4))
    console.log(
      `  ${f.band} latent ${f.latent}: r ${f.relativeNorm.toFixed(3)}, f ${(100 * f.frequency).toFixed(2)}%, ` +
        `decoder ${JSON.stringify(f.decoderTokens.slice(0, 4))}, held-out p ${f.confirmation?.p.toPrecision(2)} ` +
        `q ${f.confirmation?.q.toPrecision(2)} (n ${f.confirmation?.n}), ` +
        `confirmed ${f.confirmation?.confirmed}; ` +
        JSON.stringify(
          f.snippets.slice(0, 3).map((x) => x.tokens.map((t, i) => (i === x.peak ? `[${t.text}]` : t.text)).join('')),
        ),
    );
}

/**
 * The snippet's peak is a trigger word or comes after one in the same text: in the snippet's own tokens, or — for a
 * peak in a reply — in the prompt the reply answers (a long prompt's trigger can lie before the snippet's window).
 */
export function atOrAfterTrigger(snippet: CrosscoderSnippet, set: PromptSet): boolean {
  const named = (text: string) => TRIGGERS.some((t) => new RegExp(`\\b${t}\\b`, 'i').test(text));
  if (snippet.tokens.slice(0, snippet.peak + 1).some((t) => TRIGGERS.includes(t.text.trim().toLowerCase())))
    return true;
  const prompt = set.prompts.find((p) => p.id === snippet.promptId);
  return snippet.source.startsWith('reply') && prompt !== undefined && named(prompt.prompt ?? '');
}
