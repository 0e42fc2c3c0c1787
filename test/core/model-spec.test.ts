// Model specs of the URL contract: hub ids with revisions and weight formats, and errors that say what to write.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelSpecError, modelLabel, parseModelSpec } from '../../src/core/model-spec.ts';
import { dtypeOfOnnxFile, onnxFileOf, onnxVariants } from '../../src/core/onnx-dtypes.ts';

const BASE = 'https://site.example/app/';
const parse = (s: string) => parseModelSpec(s, BASE);
const error = (s: string) => {
  try {
    parse(s);
  } catch (e) {
    assert.ok(e instanceof ModelSpecError, s);
    return e.message;
  }
  assert.fail(`${s} was accepted`);
};

test('Hugging Face ids: hf:org/name, @revision, bare org/name, hub URLs', () => {
  assert.deepEqual(parse('hf:onnx-community/Qwen3-0.6B-ONNX'), { kind: 'hub', repo: 'onnx-community/Qwen3-0.6B-ONNX' });
  assert.deepEqual(parse('hf:HuggingFaceTB/SmolLM2-135M@refs/pr/3'), {
    kind: 'hub',
    repo: 'HuggingFaceTB/SmolLM2-135M',
    revision: 'refs/pr/3',
  });
  assert.deepEqual(parse('  HuggingFaceTB/SmolLM2-135M@v1.0 '), {
    kind: 'hub',
    repo: 'HuggingFaceTB/SmolLM2-135M',
    revision: 'v1.0',
  });
  assert.deepEqual(parse('https://huggingface.co/HuggingFaceTB/SmolLM2-135M/tree/main'), {
    kind: 'hub',
    repo: 'HuggingFaceTB/SmolLM2-135M',
    revision: 'main',
  });
  assert.deepEqual(parse('https://huggingface.co/org/name'), { kind: 'hub', repo: 'org/name' });
});

test('malformed hub ids are refused with the form to write', () => {
  for (const bad of ['hf:nameonly', 'hf:org/na me', 'hf:org/-name', 'hf:org/na..me', 'hf:org/name@', 'hf:a/b/c']) {
    assert.match(error(bad), /is not a Hugging Face repository id\. Write hf:org\/name or hf:org\/name@revision/, bad);
  }
  assert.match(error('org/'), /is not a model this page knows/);
});

test('weight formats after #: on hub ids, folder URLs and forged models; refused where they cannot apply', () => {
  assert.deepEqual(parse('hf:org/name@main#q4'), { kind: 'hub', repo: 'org/name', revision: 'main', dtype: 'q4' });
  assert.deepEqual(parse('forged-base#fp16'), { kind: 'url', url: `${BASE}forged/forged-base/`, dtype: 'fp16' });
  assert.deepEqual(parse('https://h.example/m/#q8'), { kind: 'url', url: 'https://h.example/m/', dtype: 'q8' });
  assert.deepEqual(parse('forged-base#auto'), { kind: 'url', url: `${BASE}forged/forged-base/` });
  assert.match(
    error('hf:org/name#q5'),
    /"#q5" in "hf:org\/name#q5" is not a weight format\. Use one of fp32, fp16, q8/,
  );
  assert.match(error('llama2c:https://a/x.bin,https://a/t.bin#q4'), /converted to fp32 weights; remove "#q4"/);
  assert.equal(modelLabel('hf:org/name#q4'), 'org/name q4');
  assert.equal(modelLabel('forged-base'), 'forged-base');
});

test('ONNX file names per format, as transformers.js names them', () => {
  assert.equal(onnxFileOf('fp32'), 'onnx/model.onnx');
  assert.equal(onnxFileOf('q8'), 'onnx/model_quantized.onnx');
  assert.equal(onnxFileOf('q4f16'), 'onnx/model_q4f16.onnx');
  assert.equal(dtypeOfOnnxFile('onnx/model_fp16.onnx'), 'fp16');
  assert.equal(dtypeOfOnnxFile('onnx/decoder_model_merged.onnx'), null);
  assert.equal(dtypeOfOnnxFile('onnx/model_q3.onnx'), null);
  assert.deepEqual(
    onnxVariants([
      ['onnx/model.onnx', 100],
      ['onnx/model_fp16.onnx', 10],
      ['onnx/model_fp16.onnx_data', 50],
      ['onnx/model_fp16.onnx_data_1', 5],
      ['onnx/model_q4.onnx_data', 7], // data without its graph: not a variant
      ['config.json', 1],
    ]),
    { fp32: 100, fp16: 65 },
  );
});
