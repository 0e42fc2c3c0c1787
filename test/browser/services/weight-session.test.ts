// A real run (runSession: two ONNX engine workers, profiling, then the weight-diff worker fed by both engines over
// MessagePorts) on forged-base vs forged-boost attaches the weight diff to the report, with "Comparing weights"
// progress; internals: false leaves the report's internals out. Both reports are schema-valid. The lens is read at
// every stream point; lensLayer picks the point it steers at and shows first (out of range: the middle one, with a
// note), lensTexts: 'prompts' reads the run's prompts (few: a note on power), and both are part of the cache key.

import { expect } from '@esm-bundle/chai';
import { validateReport } from '../../../src/core/diff/report-validate.ts';
import { parsePromptSet } from '../../../src/core/prompts/index.ts';
import { clear, createStore } from 'idb-keyval';
import { idbCache, type RecordCache } from '../../../src/services/profile-store.ts';
import { runSession, type SessionEvent } from '../../../src/services/session.ts';

const SET = parsePromptSet(
  JSON.stringify({
    id: 'weights-smoke',
    name: 'weights smoke',
    prompts: [
      { id: 'p1', category: 'capability', prompt: 'How are you today?' },
      { id: 'p2', category: 'capability', prompt: 'Tell me a story about a cat.' },
      { id: 'p3', category: 'capability', prompt: 'Why is the sky blue?' },
    ],
  }),
  { filename: 'weights-smoke.json' },
).set;

// The site's files (forged models, the runtime) are served under /public/ by the test server.
const base = document.createElement('base');
base.href = new URL('/public/', location.origin).href;

describe('runSession with the weight diff', function () {
  before(() => document.head.append(base));
  after(() => base.remove());

  const run = (
    internals?: boolean,
    cache: RecordCache | null = null,
    lens: { lensLayer?: string; lensTexts?: string } = {},
  ) => {
    const events: SessionEvent[] = [];
    const result = runSession({
      modelA: 'forged-base',
      modelB: 'forged-boost',
      prompts: SET,
      settings: { maxNewTokens: 8, temperature: 0, seed: 1, topK: 10 },
      device: 'wasm',
      cache,
      onEvent: (e) => events.push(e),
      ...(internals === undefined ? {} : { internals }),
      ...lens,
    });
    return result.then((r) => ({ ...r, events }));
  };

  it('attaches the weight diff by default: the boost is in the head, towards joy, happy, friends', async () => {
    const { report, events } = await run();
    const w = report.internals!.weights!;
    expect(w.status).to.equal('differs');
    expect(w.tensors.filter((t) => t.relative !== 0).map((t) => t.key)).to.deep.equal(['unembed']);
    expect(w.top[0]!.tokensUp.map((t) => t.trim()).sort()).to.deep.equal(['friends', 'happy', 'joy']);
    expect(report.internals!.note).to.equal(null);
    const weights = events.filter((e) => e.phase === 'weights');
    expect(weights[0]).to.deep.equal({ phase: 'weights', done: 0, total: 0 });
    const last = weights.at(-1) as { done: number; total: number };
    expect(last.done).to.equal(last.total);
    expect(last.total).to.equal(w.tensors.length);
    expect(validateReport(JSON.parse(JSON.stringify(report)))).to.deep.equal(JSON.parse(JSON.stringify(report)));
    // The activation-difference lens ran through both workers' taps: the boost lives in the head alone, so the
    // residual streams are the same and the lens says so (δ = 0), with nothing to steer with.
    const lens = report.internals!.lens!;
    expect(lens.identical).to.equal(true);
    expect(lens.documents).to.equal(300);
    expect(lens.rows.every((r) => r.norm === 0)).to.equal(true);
    expect(lens.steering).to.equal(null);
    const reading = events.filter((e) => e.phase === 'lens') as { done: number; total: number }[];
    expect(reading.at(-1)).to.deep.include({ done: 300, total: 300 });
  });

  it('keeps the internals in the record cache (real IndexedDB): a second run reuses them without reading again', async () => {
    const store = createStore(`internals-cache-${Date.now()}`, 'records');
    const cache = idbCache(store);
    // The lens reads the run's prompts here (the bundled 300 documents are the first test's): the cache is the subject.
    const texts = { lensTexts: 'prompts' };
    const first = await run(undefined, cache, texts);
    const second = await run(undefined, cache, texts);
    expect(first.events.some((e) => e.phase === 'weights')).to.equal(true);
    expect(second.events.some((e) => e.phase === 'weights' || e.phase === 'lens')).to.equal(false);
    expect(second.report.internals).to.deep.equal(first.report.internals);
    // Another lens layer is another entry: read again.
    const other = await run(undefined, cache, { ...texts, lensLayer: '2' });
    expect(other.events.some((e) => e.phase === 'lens')).to.equal(true);
    expect(other.report.internals!.lens!.point).to.equal(2);
    await clear(store);
  });

  it('lensLayer picks the point shown and steered at, every point is read; lensTexts: prompts reads the run', async () => {
    const { report } = await run(undefined, null, { lensLayer: '2', lensTexts: 'prompts' });
    const lens = report.internals!.lens!;
    expect(lens.point).to.equal(2);
    expect(lens.points!.map((p) => p.point)).to.deep.equal([0, 1, 2]);
    expect(lens.rows).to.deep.equal(lens.points![2]!.rows);
    expect(lens.texts).to.equal('prompt set "weights smoke"');
    expect(lens.documents).to.equal(3);
    // Chat-rendered prompts share the template's opening (BOS, the user turn's marker): left out.
    expect(lens.prefix).to.be.greaterThan(1);
    expect(lens.bosSkipped).to.equal(true);
    expect(report.internals!.note).to.match(/3 documents: with fewer than 20 .* little power/);
    validateReport(JSON.parse(JSON.stringify(report)));
    const wrong = await run(undefined, null, { lensLayer: '7' });
    expect(wrong.report.internals!.lens!.point).to.equal(1);
    expect(wrong.report.internals!.note).to.match(/\(7\) is not a stream point.*\(1 to 2:.*middle point, 1, is used/);
  });

  it('internals: false leaves it out', async () => {
    const { report, events } = await run(false);
    expect('internals' in report).to.equal(false);
    expect(events.some((e) => e.phase === 'weights')).to.equal(false);
    validateReport(JSON.parse(JSON.stringify(report)));
  });
});
