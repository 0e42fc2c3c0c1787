// llama2.c import: the real stories260K checkpoint (when ../shared is there) and every malformed-file error.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Llama2cFormatError, permuteRopeRows, readLlama2cHeader } from '../../../src/core/llama2c/checkpoint.ts';
import { importLlama2c } from '../../../src/core/llama2c/import.ts';
import { readLlama2cTokenizer } from '../../../src/core/llama2c/tokenizer.ts';
import { referenceGreedy } from '../../../src/core/llama/reference.ts';
import { SKIP_SHARED, jsonFile, sharedFile, tokenizerOf } from '../helpers.ts';

const ckpt = sharedFile('stories260K/stories260K.bin');
const tok = sharedFile('stories260K/tok512.bin');
const skip = !ckpt || !tok ? SKIP_SHARED : false;

/** llama2.c's documented greedy sample from BOS (shared/data/stories260K/README.md). */
const README_SAMPLE =
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high.';

test('stories260K: header and config', { skip }, () => {
  const h = readLlama2cHeader(ckpt!);
  assert.deepEqual(h, {
    dim: 64,
    hiddenDim: 172,
    nLayers: 5,
    nHeads: 8,
    nKvHeads: 4,
    vocabSize: 512,
    sharedClassifier: true,
    seqLen: 512,
  });
  const m = importLlama2c(ckpt!, tok!);
  const config = jsonFile(m.files, 'config.json');
  assert.equal(config['model_type'], 'llama');
  assert.equal(config['num_key_value_heads'], 4);
  assert.equal(config['head_dim'], 8);
  assert.ok(m.files.get('onnx/model.onnx')!.byteLength > 1_000_000);
});

test('stories260K: the reference decodes the README sample greedily from BOS', { skip }, () => {
  const m = importLlama2c(ckpt!, tok!);
  const ids = referenceGreedy(m.weights, [1], 120);
  assert.equal(ids.length, 120);
  const text = tokenizerOf(m.files).decode(ids, { skip_special_tokens: true });
  assert.ok(text.startsWith(README_SAMPLE), text);
});

/** llama2.c's own encoder (run.c): dummy-prefix space, characters, byte fallback, then best-score pair merges. */
function llama2cEncode(pieces: { piece: string; score: number }[], text: string): number[] {
  const index = new Map(pieces.map((p, i) => [p.piece, i]));
  const ids: number[] = [1];
  for (const ch of Array.from('\u2581' + text.replaceAll(' ', '\u2581'))) {
    const id = index.get(ch);
    if (id !== undefined) ids.push(id);
    else for (const b of new TextEncoder().encode(ch)) ids.push(b + 3);
  }
  for (;;) {
    let best = -1e10;
    let at = -1;
    let merged = -1;
    for (let i = 1; i + 1 < ids.length; i++) {
      const id = index.get(pieces[ids[i]!]!.piece + pieces[ids[i + 1]!]!.piece);
      if (id !== undefined && pieces[id]!.score > best) {
        best = pieces[id]!.score;
        at = i;
        merged = id;
      }
    }
    if (at < 0) return ids;
    ids.splice(at, 2, merged);
  }
}

test('stories260K: tokenizer.json encodes like llama2.c and decodes back losslessly', { skip }, () => {
  const m = importLlama2c(ckpt!, tok!);
  const t = tokenizerOf(m.files);
  for (const text of [
    'Once upon a time, there was a dog',
    'Lily said, "I want to play!"',
    'Tom and Sue went to the zoo. They saw 3 big elephants.',
    'Ünïcödé → 猫 and emoji 🙂 fall back to bytes',
    '  leading spaces and\nnewlines',
  ]) {
    assert.deepEqual(t.encode(text), llama2cEncode(m.pieces, text), text);
    assert.equal(t.decode(t.encode(text), { skip_special_tokens: true }), text);
  }
});

test('truncated checkpoint: a clear error with expected and actual sizes', { skip }, () => {
  assert.throws(
    () => importLlama2c(ckpt!.subarray(0, ckpt!.byteLength - 1000), tok!, { checkpoint: 'stories260K.bin' }),
    (e: unknown) =>
      e instanceof Llama2cFormatError &&
      /stories260K\.bin is truncated/.test(e.message) &&
      e.message.includes('should be 1056540 bytes, but it is 1055540'),
  );
});

test('garbled header and tiny files are named as such', () => {
  const garbage = new Uint8Array(4096).map((_, i) => (i * 97) % 251);
  assert.throws(
    () => importLlama2c(garbage, new Uint8Array(8), { checkpoint: 'x.bin' }),
    /x\.bin does not start with a llama2\.c header/,
  );
  assert.throws(() => readLlama2cHeader(new Uint8Array(10), 'tiny.bin'), /tiny\.bin is 10 bytes: too short/);
});

test('tokenizer: truncated, wrong vocabulary size and garbage are clear errors', { skip }, () => {
  assert.throws(
    () => readLlama2cTokenizer(tok!.subarray(0, 3000), 512, 'tok512.bin'),
    /tok512\.bin is truncated: it ends inside token \d+ of 512/,
  );
  assert.throws(() => readLlama2cTokenizer(tok!, 500, 'tok512.bin'), /holds more than 500 tokens/);
  assert.throws(() => readLlama2cTokenizer(tok!, 600, 'tok512.bin'), /truncated/);
  assert.throws(
    () => readLlama2cTokenizer(new Uint8Array([0, 0, 0, 0]), 10, 't.bin'),
    /does not look like a llama2\.c tokenizer/,
  );
});

test('RoPE permutation moves interleaved pairs into halves, per head', () => {
  // 2 heads × headDim 4, inDim 1: rows [h0: a0 b0 a1 b1, h1: c0 d0 c1 d1] → [a0 a1 b0 b1, c0 c1 d0 d1]
  const w = Float32Array.from([10, 11, 20, 21, 30, 31, 40, 41]);
  assert.deepEqual(Array.from(permuteRopeRows(w, 2, 4, 1)), [10, 20, 11, 21, 30, 40, 31, 41]);
});
