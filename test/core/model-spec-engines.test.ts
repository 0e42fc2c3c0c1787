// Model specs for the web-llm and OpenAI-compatible engines: what parses into which source, and what is refused.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelSpecError, modelLabel, parseModelSpec } from '../../src/core/model-spec.ts';

const site = 'https://site.example/app/';

test('webllm: a prebuilt id, or a custom model folder and model library', () => {
  assert.deepEqual(parseModelSpec('webllm:SmolLM2-360M-Instruct-q4f32_1-MLC', site), {
    kind: 'webllm',
    modelId: 'SmolLM2-360M-Instruct-q4f32_1-MLC',
  });
  assert.deepEqual(
    parseModelSpec('webllm:https://hf.example/me/Tiny-q4f32_1-MLC,https://libs.example/tiny.wasm', site),
    {
      kind: 'webllm',
      modelId: 'Tiny-q4f32_1-MLC',
      model: 'https://hf.example/me/Tiny-q4f32_1-MLC',
      modelLib: 'https://libs.example/tiny.wasm',
    },
  );
  // Relative URLs resolve against the site (self-hosted builds); the id is the folder before /resolve/.
  assert.deepEqual(parseModelSpec('webllm:models/Tiny-MLC/resolve/main/,models/tiny.wasm', site), {
    kind: 'webllm',
    modelId: 'Tiny-MLC',
    model: 'https://site.example/app/models/Tiny-MLC/resolve/main/',
    modelLib: 'https://site.example/app/models/tiny.wasm',
  });
  assert.equal(modelLabel('webllm:SmolLM2-360M-Instruct-q4f32_1-MLC'), 'SmolLM2-360M-Instruct-q4f32_1-MLC');
  assert.equal(modelLabel('webllm:https://hf.example/me/Tiny-MLC/resolve/main/,https://l/t.wasm'), 'Tiny-MLC');
  assert.throws(() => parseModelSpec('webllm:a b c', site), ModelSpecError);
  assert.throws(
    () => parseModelSpec('webllm:https://a/x,https://b/y,https://c/z', site),
    /model folder URL and a model library URL/,
  );
  assert.throws(() => parseModelSpec('webllm:ftp://a/x,https://b/y', site), /not an http\(s\) URL/);
});

test('openai: server URL and model, separated by a comma (URL-safe) or #', () => {
  const expected = { kind: 'openai', baseUrl: 'http://localhost:8000/v1', model: 'Qwen/Qwen2.5-7B-Instruct' };
  assert.deepEqual(parseModelSpec('openai:http://localhost:8000/v1,Qwen/Qwen2.5-7B-Instruct', site), expected);
  assert.deepEqual(parseModelSpec('openai:http://localhost:8000/v1/#Qwen/Qwen2.5-7B-Instruct', site), expected);
  assert.deepEqual(parseModelSpec('openai:http://localhost:11434/v1,llama3.1:8b', site), {
    kind: 'openai',
    baseUrl: 'http://localhost:11434/v1',
    model: 'llama3.1:8b',
  });
  assert.equal(modelLabel('openai:http://localhost:11434/v1,llama3.1:8b'), 'llama3.1:8b');
  assert.throws(() => parseModelSpec('openai:http://localhost:8000/v1', site), /names no model/);
  assert.throws(() => parseModelSpec('openai:localhost:8000,m', site), /must start with http/);
  assert.throws(() => parseModelSpec('openai:http://h/v1?key=sk-1,m', site), /API key separately/);
});
