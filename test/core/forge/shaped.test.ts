// Forged models with a real model's shape (for benchmarks): the SmolLM2-135M shape's size, a 49,152-entry ChatML
// tokenizer that transformers.js loads, deterministic files, and an ONNX graph (tied embeddings) that runs under
// onnxruntime-node like the reference decoder. The full 135M model is forged only by `npm run bench`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import {
  CHATML,
  SMOLLM2_135M_SHAPE,
  forgeShaped,
  randomWeights,
  shapeConfig,
  shapedVocabulary,
  type ModelShape,
} from '../../../src/core/forge/shaped.ts';
import { ReferenceDecoder } from '../../../src/core/llama/reference.ts';
import { parameterCount } from '../../../src/core/llama/weights.ts';
import { jsonFile, maxAbsDiff, tokenizerOf } from '../helpers.ts';

const SMALL: ModelShape = {
  ...SMOLLM2_135M_SHAPE,
  name: 'small-shaped',
  hiddenSize: 32,
  intermediateSize: 48,
  numLayers: 2,
  numHeads: 4,
  numKvHeads: 2,
  headDim: 8,
  maxPositionEmbeddings: 64,
};

test("the SmolLM2-135M shape has SmolLM2-135M's parameter count (tied embeddings counted once)", () => {
  const c = shapeConfig(SMOLLM2_135M_SHAPE);
  assert.equal(parameterCount(c) - c.vocabSize * c.hiddenSize, 134_515_008);
});

test('the vocabulary: 49,152 distinct pieces, ChatML markers at 0–2, byte fallback', () => {
  const pieces = shapedVocabulary(49152);
  assert.equal(pieces.length, 49152);
  assert.equal(new Set(pieces.map((p) => p.piece)).size, 49152);
  assert.deepEqual(
    pieces.slice(0, 3).map((p) => p.piece),
    [CHATML.text, CHATML.start, CHATML.end],
  );
  assert.equal(pieces.filter((p) => p.kind === 'byte').length, 256);
  assert.throws(() => shapedVocabulary(10_000_000), /cannot make/);
});

test('a small shaped model: config, tokenizer and graph load and run, deterministically', async () => {
  const { files, parameters } = forgeShaped(SMALL, 3);
  const again = forgeShaped(SMALL, 3);
  for (const [path, data] of files) assert.deepEqual(again.files.get(path), data, `${path} is deterministic`);
  const config = jsonFile(files, 'config.json');
  assert.equal(config['vocab_size'], 49152);
  assert.equal(config['tie_word_embeddings'], true);
  assert.equal(config['num_key_value_heads'], 2);
  assert.equal(parameters, parameterCount(shapeConfig(SMALL)) - 49152 * 32);

  const tok = tokenizerOf(files);
  const ids = tok.apply_chat_template([{ role: 'user', content: 'Tell me a story about the sea.' }], {
    add_generation_prompt: true,
    tokenize: true,
    return_tensor: false,
    return_dict: false,
  }) as unknown as number[];
  assert.equal(ids[0], 1, 'starts with <|im_start|>');
  assert.ok(ids.length > 8 && ids.length < 30, `a sentence is a few tokens per word (${ids.length})`);
  assert.equal(tok.decode(tok.encode('hello world', { add_special_tokens: false })), 'hello world');

  const session = await ort.InferenceSession.create(files.get('onnx/model.onnx')!);
  const empty = (l: number, kv: string) => [
    `past_key_values.${l}.${kv}`,
    new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 8]),
  ];
  const feeds = Object.fromEntries([0, 1].flatMap((l) => [empty(l, 'key'), empty(l, 'value')]));
  const n = ids.length;
  const out = await session.run({
    ...feeds,
    num_logits_to_keep: new ort.Tensor('int64', new BigInt64Array(1), []),
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(i))), [1, n]),
  });
  const ref = new ReferenceDecoder(randomWeights(SMALL, 3)).forward(ids);
  const flat = new Float32Array(n * 49152);
  ref.forEach((r, i) => flat.set(r, i * 49152));
  const diff = maxAbsDiff(out['logits']!.data as Float32Array, flat);
  assert.ok(diff < 1e-4, `max |Δlogit| = ${diff}`);
});
