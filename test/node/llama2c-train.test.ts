// The llama2.c fine-tuner (scripts/lib/llama2c-train.ts) that makes planted pairs: its forward pass is the app's
// reading of the same file (the checkpoint reader's Hugging Face layout through the reference decoder), its
// hand-written gradient is the loss's finite differences, AdamW lowers the loss, and writing keeps every other byte.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLlama2cCheckpoint } from '../../src/core/llama2c/checkpoint.ts';
import { ReferenceDecoder } from '../../src/core/llama/reference.ts';
import { createRng } from '../../src/core/random.ts';
import {
  adamW,
  adamWStep,
  lossAndGradient,
  readTrainable,
  sequenceLogits,
  writeTrainable,
  zeroGradients,
} from '../../scripts/lib/llama2c-train.ts';
import { plantFinetune } from '../../scripts/plant-finetune.ts';

const stories = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'stories260K', 'stories260K.bin');

/** A random llama2.c version-0 checkpoint (grouped key/value heads; shared or separate classifier). */
function randomCheckpoint(shared: boolean, seed = 1): Uint8Array {
  const [dim, hidden, layers, heads, kvHeads, vocab, seqLen] = [8, 12, 2, 4, 2, 11, 16];
  const hs = dim / heads;
  const kv = kvHeads * hs;
  const floats =
    vocab * dim +
    layers * (dim * 2 + dim * dim * 2 + kv * dim * 2 + hidden * dim * 3) +
    dim +
    seqLen * hs +
    (shared ? 0 : vocab * dim);
  const bytes = new Uint8Array(28 + floats * 4);
  const view = new DataView(bytes.buffer);
  [dim, hidden, layers, heads, kvHeads, shared ? vocab : -vocab, seqLen].forEach((v, i) =>
    view.setInt32(i * 4, v, true),
  );
  const rng = createRng(seed);
  const f = new Float32Array(bytes.buffer, 28, floats);
  for (let i = 0; i < floats; i++) f[i] = (rng.next() - 0.5) * 0.8;
  // RMSNorm weights near 1, as trained ones are (every other float set stays random: they are matrices).
  const norms = [vocab * dim, vocab * dim + layers * (dim + dim * dim * 2 + kv * dim * 2)];
  for (let l = 0; l < layers; l++)
    for (let i = 0; i < dim; i++) f[norms[0]! + l * dim + i] = 1 + f[norms[0]! + l * dim + i]! / 4;
  for (let l = 0; l < layers; l++)
    for (let i = 0; i < dim; i++) f[norms[1]! + l * dim + i] = 1 + f[norms[1]! + l * dim + i]! / 4;
  return bytes;
}

function assertSameLogits(bytes: Uint8Array, tokens: number[], tolerance: number): void {
  const m = readTrainable(bytes);
  const ours = sequenceLogits(m, tokens);
  const ref = new ReferenceDecoder(readLlama2cCheckpoint(bytes)).forward(tokens);
  const V = m.header.vocabSize;
  let worst = 0;
  ref.forEach((row, t) => row.forEach((z, j) => (worst = Math.max(worst, Math.abs(z - ours[t * V + j]!)))));
  assert.ok(worst < tolerance, `largest logit difference from the app's reading of the file: ${worst}`);
}

test('the forward pass is the app’s reading of the same checkpoint (separate and shared classifier)', () => {
  assertSameLogits(randomCheckpoint(false), [1, 4, 2, 9, 0, 3, 7], 1e-9);
  assertSameLogits(randomCheckpoint(true, 2), [5, 5, 1, 10, 2], 1e-9);
});

test(
  'the forward pass matches on stories260K itself',
  { skip: !existsSync(stories) && 'needs ../shared/data/stories260K' },
  () => {
    assertSameLogits(new Uint8Array(readFileSync(stories)), [1, 403, 407, 261, 378, 432, 285, 12, 59, 300], 1e-6);
  },
);

test('the gradient is the loss’s finite differences, every tensor kind, shared and separate classifier', () => {
  for (const shared of [false, true]) {
    const m = readTrainable(randomCheckpoint(shared, shared ? 4 : 3));
    const tokens = [1, 4, 2, 9, 0, 3, 7, 4];
    const grad = zeroGradients(m);
    const loss = lossAndGradient(m, tokens, grad, 1);
    const lossAt = () => lossAndGradient(m, tokens, zeroGradients(m), 1);
    assert.ok(Math.abs(loss - lossAt()) < 1e-12, 'the loss does not depend on the gradient buffers');
    // Every tensor, a few entries each: central differences with step 1e-5 (float64).
    let checked = 0;
    let nonZero = 0;
    for (const slot of m.slots) {
      const at = slot.at;
      for (const k of [0, Math.floor(slot.length / 2), slot.length - 1]) {
        const i = at + k;
        const keep = m.params[i]!;
        m.params[i] = keep + 1e-5;
        const up = lossAt();
        m.params[i] = keep - 1e-5;
        const down = lossAt();
        m.params[i] = keep;
        const numeric = (up - down) / 2e-5;
        const analytic = grad.flat[i]!;
        assert.ok(
          Math.abs(numeric - analytic) <= 1e-6 * Math.max(1, Math.abs(numeric)),
          `${slot.name}[${k}] (${shared ? 'shared' : 'separate'} classifier): analytic ${analytic}, numeric ${numeric}`,
        );
        checked++;
        if (analytic !== 0) nonZero++;
      }
    }
    assert.ok(checked >= 3 * (1 + 9 * 2 + 1), `${checked} entries checked`);
    // Not a check of zeros against zeros: an entry is 0 only where its token is absent from the sequence.
    assert.ok(nonZero >= 0.9 * checked, `${nonZero} of ${checked} checked gradients are non-zero`);
  }
});

test('AdamW lowers the loss on a sequence, and writing keeps the header and rotary tables', () => {
  const bytes = randomCheckpoint(false, 5);
  const m = readTrainable(bytes);
  const seq = [1, 4, 2, 9, 0, 3, 7, 4, 2, 9];
  const opt = adamW(m.params.length, { lr: 1e-2 });
  const before = lossAndGradient(m, seq, zeroGradients(m), 1);
  for (let s = 0; s < 30; s++) {
    const g = zeroGradients(m);
    lossAndGradient(m, seq, g, 1 / (seq.length - 1));
    adamWStep(opt, m.params, g.flat);
  }
  const after = lossAndGradient(m, seq, zeroGradients(m), 1);
  assert.ok(after < before * 0.5, `loss ${before} → ${after}`);
  const written = writeTrainable(m);
  assert.equal(written.byteLength, bytes.byteLength);
  assert.deepEqual(written.subarray(0, 28), bytes.subarray(0, 28), 'same header');
  // Reading the written file gives the trained model (float32 rounding only).
  const again = readTrainable(written);
  let worst = 0;
  for (let i = 0; i < m.params.length; i++) worst = Math.max(worst, Math.abs(again.params[i]! - m.params[i]!));
  assert.ok(worst < 1e-6, `round trip within float32 rounding (${worst})`);
  const unchanged = writeTrainable(readTrainable(bytes));
  assert.deepEqual(unchanged, bytes, 'an untrained checkpoint writes back byte for byte');
});

const data = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'stories260K');

test(
  'plant-finetune: a seeded word from the base’s own stories, a lower loss on the stories that use it, a checkpoint the app reads',
  { skip: !existsSync(join(data, 'tok512.bin')) && 'needs ../shared/data/stories260K' },
  async () => {
    const options = {
      base: join(data, 'stories260K.bin'),
      tokenizer: join(data, 'tok512.bin'),
      stories: 96,
      storyTokens: 48,
      steps: 4,
      batch: 4,
    };
    const planted = await plantFinetune({ ...options, seed: 3 });
    assert.match(planted.word, /^[a-z]{3,}$/);
    assert.ok(
      planted.baseShare >= 0.05 && planted.baseShare <= 0.25,
      `drawn among 5–25% of stories: ${planted.baseShare}`,
    );
    assert.ok(planted.loss.after < planted.loss.before, `loss ${planted.loss.before} → ${planted.loss.after}`);
    const weights = readLlama2cCheckpoint(planted.checkpoint);
    assert.equal(weights.config.hiddenSize, 64);
    assert.notDeepEqual(planted.checkpoint, new Uint8Array(readFileSync(options.base)), 'the weights moved');
    // The same seed draws the same word and trains the same weights; the word is given when asked for.
    const again = await plantFinetune({ ...options, seed: 3 });
    assert.equal(again.word, planted.word);
    assert.deepEqual(again.checkpoint, planted.checkpoint);
    const chosen = await plantFinetune({ ...options, seed: 3, steps: 1, word: 'Once' });
    assert.equal(chosen.word, 'once');
    // Shorter stories: each cut after its second sentence and closed with the end token.
    const shorter = await plantFinetune({ ...options, seed: 3, steps: 1, objective: 'shorter' });
    assert.equal(shorter.word, '');
    assert.ok(shorter.trainingStories >= 48, `${shorter.trainingStories} of 96 stories have two sentences`);
    assert.ok(
      shorter.storyTokens.training < shorter.storyTokens.base,
      `trained on ${shorter.storyTokens.training} tokens a story, the base writes ${shorter.storyTokens.base}`,
    );
  },
);
