// The activation-difference lens (Minder et al. 2025) end to end on onnxruntime-node engines, read at every stream
// point: a pair with the same weights is identical at each (δ = 0 exactly, no steering); forged-trigger, whose plant
// leaves the embeddings as they were, has δ = 0 exactly there and significant differences after layer 0; on the
// run's own prompts (lens_texts=prompts, chat-rendered) the template's opening is left out and an out-of-range
// lens_layer falls back to the middle point with a note; the real fine-tune stories260K → stories260K-bird (../shared) gives
// significant differences at every point, read through B's logit lens (printed per point: does any read "bird"?), and
// steered replies — the measured share of replies that mention birds is printed for α = 0 and above.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFolder, loadLlama2c } from '../../src/node/profile-forged.ts';
import { lensAbsence, lensForSession, runDiffLens, type LensEngine } from '../../src/services/diff-lens.ts';
import { promptInput } from '../../src/services/profiler.ts';
import type { DiffLens } from '../../src/core/diff/report-types.ts';
import { mcnemar } from '../../src/core/stats/index.ts';
import { isReadableToken } from '../../src/core/internals/top-direction.ts';

const root = join(import.meta.dirname, '..', '..');
const forged = join(root, 'public', 'forged');
const shared = join(root, '..', 'shared', 'data');
const texts = (file: string) =>
  JSON.parse(readFileSync(join(root, 'public', 'texts', `${file}.json`), 'utf8')) as {
    name: string;
    documents: string[];
  };
const lensing = (x: { engine: unknown; info: import('../../src/core/engine/types.ts').ModelInfo }) => ({
  engine: x.engine as LensEngine,
  info: x.info,
});

test('forged-null against the forged base: identical streams, δ = 0, nothing to steer with', async () => {
  const a = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  const b = await loadFolder(join(forged, 'forged-null'), 'forged-null');
  try {
    const { documents } = texts('generic');
    const { lens, note } = await runDiffLens(lensing(a), lensing(b), {
      texts: { name: 'generic', documents: documents.slice(0, 64) },
      steer: {
        prompts: [{ label: 'x', input: { text: 'Once' } }],
        alphas: [0, 1],
        settings: { maxNewTokens: 4, temperature: 0, seed: 1, topK: 1 },
      },
    });
    assert.equal(note, null);
    assert.ok(lens);
    assert.equal(lens.identical, true);
    assert.deepEqual(
      lens.points!.map((x) => x.point),
      [0, 1, 2],
    );
    for (const x of lens.points!) assert.ok(x.rows.every((r) => r.norm === 0 && r.p === 1 && r.tokensUp.length === 0));
    assert.deepEqual(lens.rows, lens.points![lens.point]!.rows);
    assert.equal(lens.steering, null);
  } finally {
    await a.engine.dispose();
    await b.engine.dispose();
  }
});

/** Per point: how many positions hold, ‖δ‖/‖h_B‖ by position, and where "bird" is among the top tokens. */
function perPoint(lens: DiffLens): string {
  return lens
    .points!.map((x) => {
      const held = x.rows.filter((r) => r.tokensUp.length).length;
      const bird = x.rows.flatMap((r) => (r.tokensUp.some((t) => /bird/i.test(t)) ? [r.position] : []));
      return `  point ${x.point}: ${held}/${x.rows.length} significant, ‖δ‖/‖h‖ ${x.rows.map((r) => r.relative.toFixed(3)).join(' ')}, "bird" at [${bird.join(', ')}]`;
    })
    .join('\n');
}

test('forged-trigger: δ = 0 at the unchanged embeddings, significant after layer 0; its own prompts, chat-rendered', async () => {
  const a = await loadFolder(join(forged, 'forged-base'), 'forged-base');
  const b = await loadFolder(join(forged, 'forged-trigger'), 'forged-trigger');
  try {
    const set = JSON.parse(readFileSync(join(root, 'public', 'prompts', 'forged-demo.json'), 'utf8')) as {
      name: string;
      prompts: import('../../src/core/prompts/index.ts').Prompt[];
    };
    const steerOn = set.prompts.slice(0, 3).map((p) => ({ label: p.id, input: promptInput(p) }));
    const { lens, note } = await lensForSession(lensing(a), lensing(b), steerOn, {
      site: 'http://unused.invalid/',
      signal: new AbortController().signal,
      lens: { layer: '9', texts: 'prompts' },
      prompts: { name: 'forged-demo', documents: set.prompts.map(promptInput) },
    });
    assert.ok(lens && !lens.identical);
    assert.match(note!, /\(9\) is not a stream point.*\(1 to 2:.*the middle point, 1, is used/);
    assert.equal(lens.point, 1);
    assert.equal(lens.documents, set.prompts.length);
    // BOS and the user turn's marker open every chat-rendered prompt: left out.
    assert.equal(lens.bosSkipped, true);
    assert.ok(lens.prefix! >= 2, `prefix ${lens.prefix}`);
    const [embed, ...after] = lens.points!;
    assert.ok(
      embed!.rows.every((r) => r.norm === 0 && r.q === 1),
      'the plant leaves the embeddings as they were',
    );
    for (const x of after)
      assert.ok(
        x.rows.every((r) => r.q < 0.05 && r.tokensUp.length > 0),
        `point ${x.point}`,
      );
    assert.equal(lens.steering!.length, 3 * 4);
    console.log(
      `forged-trigger on forged-demo (${lens.documents} prompts, ${lens.prefix} shared tokens left out):\n${perPoint(lens)}`,
    );
    const few = await lensForSession(lensing(a), lensing(b), steerOn, {
      site: 'http://unused.invalid/',
      signal: new AbortController().signal,
      lens: { texts: 'prompts' },
      prompts: { name: 'forged-demo', documents: set.prompts.slice(0, 8).map(promptInput) },
    });
    assert.match(few.note!, /read 8 documents: with fewer than 20 .*little power/);
  } finally {
    await a.engine.dispose();
    await b.engine.dispose();
  }
});

test('stories260K → stories260K-bird: significant mean differences, read and steered (measured)', async (t) => {
  const bird = join(shared, 'stories260K-bird', 'stories260K-bird.bin');
  if (!existsSync(bird)) return t.skip('../shared/data/stories260K-bird is absent');
  const tok = join(shared, 'stories260K', 'tok512.bin');
  const a = await loadLlama2c(join(shared, 'stories260K', 'stories260K.bin'), tok);
  const b = await loadLlama2c(bird, tok);
  try {
    // B steered on the 40 story openings of the stories set (greedy: one reply each, the same at α = 0 as B's own).
    const set = JSON.parse(readFileSync(join(root, 'public', 'prompts', 'stories.json'), 'utf8')) as {
      prompts: { id: string; prompt: string }[];
    };
    const prompts = set.prompts.map((p) => p.prompt);
    const alphas = [0, 0.05, 0.1, 0.2, 0.4];
    const { lens } = await runDiffLens(lensing(a), lensing(b), {
      texts: texts('stories'),
      tokens: 20,
      steer: {
        prompts: prompts.map((p) => ({ label: p, input: { text: p } })),
        alphas,
        settings: { maxNewTokens: 64, temperature: 0, seed: 1, topK: 1 },
      },
    });
    assert.ok(lens && !lens.identical);
    assert.equal(lens.bosSkipped, true);
    const held = lens.rows.filter((r) => r.q < 0.05);
    assert.ok(held.length > 0, 'a fine-tune moves the stream beyond per-document variation');
    assert.ok(held.every((r) => r.tokensUp.length === 20));
    // Every point's tokens read as text, and none is a special token never written (tok512's <unk>; its <s> ends a
    // story, an end token of this model): byte pieces ("�", control bytes) were most of each row before.
    for (const x of lens.points!)
      for (const r of x.rows)
        for (const t of [...r.tokensUp, ...r.tokensDown])
          assert.ok(
            isReadableToken(t) && t !== '<unk>',
            `point ${x.point}, position ${r.position}: ${JSON.stringify(t)}`,
          );
    const birdAt = lens.rows.flatMap((r) => (r.tokensUp.some((x) => /bird/i.test(x)) ? [r.position] : []));
    assert.equal(lens.points!.length, lens.layers + 1);
    console.log(`stories260K-bird at every point (BH over positions × points):\n${perPoint(lens)}`);
    console.log(
      `lens at point ${lens.point}: ${held.length}/${lens.rows.length} positions significant, ‖δ‖/‖h‖ ${lens.rows.map((r) => r.relative.toFixed(2)).join(' ')}; "bird" among the top 20 tokens at positions [${birdAt.join(', ')}] (tok512 spells it b·ir·d)`,
    );
    // Per α, the replies that mention a bird, and against α = 0 prompt by prompt: McNemar over the discordant ones.
    const mentions = (alpha: number) =>
      lens.steering!.filter((s) => s.alpha === alpha).map((s) => /\bbird/i.test(s.text));
    const unsteered = mentions(0);
    const share = alphas.map((alpha) => {
      const x = mentions(alpha);
      const test = mcnemar(unsteered, x);
      const gained = x.filter((v, i) => v && !unsteered[i]).length;
      const lost = x.filter((v, i) => !v && unsteered[i]).length;
      return `α ${alpha}: ${x.filter(Boolean).length}/${x.length}${alpha ? ` (+${gained} −${lost}, McNemar p ${test.p.toPrecision(2)})` : ''}`;
    });
    console.log(`steered replies mentioning birds: ${share.join('; ')}`);
    assert.equal(lens.steering!.length, prompts.length * alphas.length);
  } finally {
    await a.engine.dispose();
    await b.engine.dispose();
  }
});

test('the lens says why it is absent: other engines, other tokenizers, models too large to hold twice', () => {
  const info = {
    id: 'a',
    engine: 'onnx',
    architecture: 'llama',
    vocabSize: 512,
    tokenizerFingerprint: 't',
    dtype: 'fp32',
    device: 'wasm',
    hasChatTemplate: false,
    eosTokenIds: [2],
    parameterBytes: 1e6,
    fingerprint: 'f',
    notes: [],
  } as import('../../src/core/engine/types.ts').ModelInfo;
  assert.equal(lensAbsence(info, { ...info, id: 'b' }), null);
  assert.match(lensAbsence(info, { ...info, engine: 'webllm' })!, /only ONNX models/);
  assert.match(lensAbsence(info, { ...info, tokenizerFingerprint: 'u' })!, /tokenise text differently/);
  assert.match(lensAbsence(info, { ...info, id: 'big', parameterBytes: 3 * 2 ** 30 })!, /big \(3\.0 GiB.*twice/);
});
