// Classifying a folder from the user's disk by its file list: HF ONNX layout, llama2.c files, or a message naming
// what is missing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalFolderError, classifyFolder, describeVariants } from '../../src/core/local-folder.ts';

const files = (...paths: string[]) => paths.map((path, i) => ({ path, size: (i + 1) * 1000 }));
const error = (list: ReturnType<typeof files>) => {
  try {
    classifyFolder(list, 'dropped');
  } catch (e) {
    assert.ok(e instanceof LocalFolderError);
    return e.message;
  }
  assert.fail('accepted');
};

test('a Hugging Face ONNX folder: top folder stripped, variants with sizes, unrelated files left out', () => {
  const plan = classifyFolder(
    files(
      'smol/config.json',
      'smol/tokenizer.json',
      'smol/tokenizer_config.json',
      'smol/generation_config.json',
      'smol/onnx/model.onnx',
      'smol/onnx/model_q4.onnx',
      'smol/onnx/model_fp16.onnx',
      'smol/onnx/model_fp16.onnx_data',
      'smol/model.safetensors',
      'smol/README.md',
      'smol/.git/config',
    ),
  );
  assert.equal(plan.kind, 'onnx');
  if (plan.kind !== 'onnx') return;
  assert.equal(plan.name, 'smol');
  assert.deepEqual([...plan.files.keys()].sort(), [
    'config.json',
    'generation_config.json',
    'onnx/model.onnx',
    'onnx/model_fp16.onnx',
    'onnx/model_fp16.onnx_data',
    'onnx/model_q4.onnx',
    'tokenizer.json',
    'tokenizer_config.json',
  ]);
  assert.equal(plan.files.get('onnx/model_q4.onnx'), 'smol/onnx/model_q4.onnx');
  assert.deepEqual(plan.variants, { fp32: 5000, q4: 6000, fp16: 7000 + 8000 });
  assert.equal(describeVariants(plan.variants), 'fp32 0.0 MB, fp16 0.0 MB, q4 0.0 MB');
});

test('files dropped loose (no top folder, weights beside config.json) are read as a folder', () => {
  const plan = classifyFolder(files('config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.onnx'), 'dropped');
  assert.equal(plan.kind === 'onnx' && plan.files.get('onnx/model.onnx'), 'model.onnx');
  assert.equal(plan.name, 'dropped');
});

test('missing files are named, with the layout, and other weight kinds are explained', () => {
  assert.match(
    error(files('m/config.json', 'm/tokenizer.json', 'm/onnx/model.onnx')),
    /^The folder m has no tokenizer_config\.json\. A Hugging Face ONNX model folder needs config\.json, tokenizer\.json/,
  );
  const pytorch = error(files('m/config.json', 'm/tokenizer.json', 'm/tokenizer_config.json', 'm/model.safetensors'));
  assert.match(pytorch, /has no onnx\/model\.onnx\./);
  assert.match(pytorch, /holds other weights \(safetensors, PyTorch or GGUF\): this page runs ONNX exports/);
  assert.match(error(files('m/notes.txt')), /holds neither model kind: it has no config\.json and no \.bin files/);
  assert.match(error([]), /The folder dropped is empty/);
});

test('llama2.c folders: the checkpoint and its tokenizer, or what is wrong with the .bin files', () => {
  assert.deepEqual(classifyFolder(files('s/stories260K.bin', 's/tok512.bin')), {
    kind: 'llama2c',
    name: 's',
    checkpoint: 's/stories260K.bin',
    tokenizer: 's/tok512.bin',
  });
  assert.equal(classifyFolder(files('stories15M.bin', 'tokenizer.bin')).kind, 'llama2c');
  assert.match(
    error(files('s/stories260K.bin')),
    /has stories260K\.bin: a llama2\.c model needs exactly one checkpoint/,
  );
  assert.match(error(files('s/a.bin', 's/b.bin', 's/tokenizer.bin')), /has a\.bin, b\.bin, tokenizer\.bin/);
});
