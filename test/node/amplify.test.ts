// Diff amplification through the real engine (onnxruntime-node): α = 0 is exactly B's own sampling, and a larger α
// makes B's planted boost show up more often.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadFolder } from '../../src/node/profile-forged.ts';
import { amplifiedGenerate } from '../../src/services/amplify.ts';

const forged = join(import.meta.dirname, '..', '..', 'public', 'forged');
let a: Awaited<ReturnType<typeof loadFolder>>;
let b: Awaited<ReturnType<typeof loadFolder>>;
before(async () => {
  a = await loadFolder(join(forged, 'forged-base'), 'base');
  b = await loadFolder(join(forged, 'forged-boost'), 'boost');
});
after(async () => {
  await a.engine.dispose();
  await b.engine.dispose();
});

const prompt = { messages: [{ role: 'user' as const, content: 'Tell me about your day.' }] };

test('α = 0 samples exactly what B samples on its own with the same seed', async () => {
  for (const seed of [1, 2, 3]) {
    const own = await b.engine.generate(prompt, { maxNewTokens: 20, temperature: 1, seed, topK: 10 });
    const amp = await amplifiedGenerate(a, b, prompt, { alpha: 0, temperature: 1, seed, maxNewTokens: 20 });
    assert.deepEqual(
      amp.ids,
      own.tokens.map((t) => t.id),
    );
  }
});

test('a larger α surfaces the boosted words more often', async () => {
  const boosted = /\b(joy|happy|friends)\b/g;
  const count = async (alpha: number) => {
    let n = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const { text } = await amplifiedGenerate(a, b, prompt, { alpha, temperature: 1, seed, maxNewTokens: 16 });
      n += text.match(boosted)?.length ?? 0;
    }
    return n;
  };
  const plain = await count(0);
  const amplified = await count(3);
  assert.ok(amplified > plain, `boosted words: ${plain} at α=0, ${amplified} at α=3`);
});

test('models with different vocabularies are refused with a reason', async () => {
  const other = { ...a, info: { ...a.info, tokenizerFingerprint: 'different' } };
  await assert.rejects(
    amplifiedGenerate(other, b, prompt, { alpha: 1, temperature: 1, seed: 1, maxNewTokens: 4 }),
    /same vocabulary/,
  );
});
