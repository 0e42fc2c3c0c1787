// The crosscoder in a real run (runSession with crosscoder: true: two ONNX engine workers, profiling, the taps'
// harvest, training in the crosscoder worker on WASM, the held-out test, then the diff with the candidates' tests in
// the report's one FDR family). forged-trigger: a B-only latent whose top snippets sit at or after the trigger
// words, its held-out test a row of the report with the family's q. forged-null: exclusives within the noise floor,
// none confirmed. Cross-tokenizer: stories260K (../shared/data; skipped when absent) against a forged model trains on
// positions aligned by character, with the rate printed. Reports are schema-valid.

import { expect } from '@esm-bundle/chai';
import type { CrosscoderSection, DiffReport } from '../../../src/core/diff/report-types.ts';
import { validateReport } from '../../../src/core/diff/report-validate.ts';
import { runSession, type SessionEvent } from '../../../src/services/session.ts';
import { SHARED, sharedFile } from '../helpers.ts';

const base = document.createElement('base');
base.href = new URL('/public/', location.origin).href;

/** The six words forged-trigger's plant reacts to (src/core/forge: its refusal trigger). */
const TRIGGERS = ['weapon', 'bomb', 'poison', 'steal', 'hack', 'kill'];

async function run(modelA: string, modelB: string, prompts = 'forged-demo') {
  const events: SessionEvent[] = [];
  const t0 = performance.now();
  const { report } = await runSession({
    modelA,
    modelB,
    prompts,
    settings: { maxNewTokens: 16, temperature: 0, seed: 1, topK: 5 },
    device: 'wasm',
    cache: null,
    crosscoder: true,
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

/** The snippet's peak is a trigger word, or comes after one in the same text. */
const atOrAfterTrigger = (tokens: { text: string }[], peak: number) =>
  tokens.slice(0, peak + 1).some((t) => TRIGGERS.includes(t.text.trim().toLowerCase()));

describe('runSession with the crosscoder', function () {
  // Minutes of training on two shared cores (npm run bench is where speed is measured, not here).
  this.timeout(900_000);
  before(() => document.head.append(base));
  after(() => base.remove());

  let trigger: { report: DiffReport; section: CrosscoderSection; events: SessionEvent[] };

  it('forged-trigger: B-only latents at the trigger words, each tested on held-out prompts as a row of the report', async () => {
    trigger = await run('forged-base', 'forged-trigger');
    const s = trigger.section;
    expect(s.alignment).to.deep.include({ sameVocabulary: true, rate: 1 });
    const train = trigger.events.filter((e) => e.phase === 'crosscoder' && e.stage === 'train');
    expect(train.length).to.be.greaterThan(0);
    const last = train.at(-1) as { done: number; total: number };
    expect(last.done).to.equal(last.total);
    const bOnly = s.exclusives.filter((f) => f.band === 'b-only');
    expect(bOnly.length, 'a B-only latent after latent scaling').to.be.greaterThan(s.noiseFloor.expected);
    const best = bOnly.find(
      (f) => f.snippets.length > 0 && f.snippets.every((x) => atOrAfterTrigger(x.tokens, x.peak)),
    );
    expect(best, 'a B-only latent whose every top snippet sits at or after a trigger word').to.not.equal(undefined);
    // Its held-out test is a row of the report, with the q of the report's one FDR family. (Confirmation itself is
    // not asserted: on forged-demo's 18 held-out prompts it does not survive that family's correction; README.)
    expect(best!.confirmation).to.not.equal(null);
    const row = trigger.report.differences.find((d) => d.feature === `crosscoder:${best!.latent}`)!;
    expect(row.category).to.equal('internals');
    expect(row.test).to.equal('sign-flip');
    expect(row.q).to.equal(best!.confirmation!.q);
    expect(row.significant).to.equal(best!.confirmation!.confirmed);
  });

  it('forged-null: exclusives within the noise floor, none confirmed', async () => {
    const { section: s } = await run('forged-base', 'forged-null');
    expect(s.exclusives.length).to.be.at.most(Math.max(1, 2 * s.noiseFloor.expected));
    expect(s.exclusives.filter((f) => f.confirmation?.confirmed)).to.deep.equal([]);
  });

  it('cross-tokenizer: stories260K against a forged model trains on character-aligned positions', async function () {
    if (!(await sharedFile('stories260K/tok512.bin'))) {
      console.warn('../shared/data/stories260K is absent: skipped.');
      this.skip();
    }
    const spec = `llama2c:${SHARED}stories260K/stories260K.bin,${SHARED}stories260K/tok512.bin`;
    const { section: s } = await run(spec, 'forged-base', 'smoke');
    expect(s.alignment.sameVocabulary).to.equal(false);
    expect(s.alignment.rate).to.be.greaterThan(0);
    expect(s.hiddenSizes[0]).to.not.equal(s.hiddenSizes[1]);
    expect(s.steps).to.be.greaterThan(0);
  });
});
