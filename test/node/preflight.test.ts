// What the engine says about a model server's answers before loading: formats found by one-byte probes (sizes from
// Content-Range), a single-page app's index.html taken for a missing file, sign-in walls, a GPU that gave up.
// The resolvers here are plain functions returning real Response objects: a server's answers without a server.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelLoadError, explainOnnxFailure, preflight, probeWeights } from '../../workers/preflight.ts';
import type { Resolver } from '../../workers/model-files.ts';

const server =
  (files: Record<string, number>, status = 206): Resolver =>
  async (path, init) => {
    const size = files[path];
    if (size === undefined)
      return new Response('<!doctype html><title>app</title>', { headers: { 'content-type': 'text/html' } });
    const ranged = new Headers(init?.headers).has('Range');
    return new Response('x', {
      status: ranged ? status : 200,
      headers: ranged && status === 206 ? { 'content-range': `bytes 0-0/${size}` } : { 'content-length': String(size) },
    });
  };

test('formats and sizes from one-byte probes; index.html answers are missing files', async () => {
  const r = server({ 'onnx/model.onnx': 5e8, 'onnx/model_q4.onnx': 1.4e8, 'onnx/model_quantized.onnx': 1.5e8 });
  assert.deepEqual(await probeWeights(r, 'x/'), { fp32: 5e8, q8: 1.5e8, q4: 1.4e8 });
  assert.deepEqual(await probeWeights(r, 'x/', 'fp16'), {});
  // A server that ignores Range answers 200 with the whole file: Content-Length is the size.
  assert.deepEqual(await probeWeights(server({ 'onnx/model.onnx': 777 }, 200), 'x/'), { fp32: 777 });
  await assert.rejects(preflight(r, 'https://app.example/m/'), {
    message: /^The model folder https:\/\/app\.example\/m\/ has no config\.json\./,
  });
});

test('401/403 name the sign-in wall and what to do instead', async () => {
  const gated: Resolver = async () => new Response(null, { status: 401, statusText: 'Unauthorized' });
  await assert.rejects(preflight(gated, 'hf:meta-llama/Llama-3.2-1B/'), {
    message:
      'hf:meta-llama/Llama-3.2-1B/config.json answered HTTP 401: the repository does not exist, or it is private or ' +
      'gated (it needs a Hugging Face sign-in, which this page never sends). Check the name and revision; for a ' +
      'gated model, download its files and open them as a local folder.',
  });
  await assert.rejects(probeWeights(gated, 'hf:x/y/', 'q4'), /onnx\/model_q4\.onnx answered HTTP 401/);
  const down: Resolver = async () => {
    throw new TypeError('Failed to fetch');
  };
  await assert.rejects(probeWeights(down, 'https://h.example/m/', 'fp32'), /CORS: Access-Control-Allow-Origin/);
});

test('onnxruntime failures: a lost GPU device and a damaged file are told apart', () => {
  const lost = explainOnnxFailure(new Error('GPUDevice was lost: out of memory'), 'hf:a/b/', 'onnx/model_fp16.onnx');
  assert.ok(lost instanceof ModelLoadError);
  assert.match(
    lost.message,
    /^The GPU gave up while loading hf:a\/b\/ .*\("device lost"\)\. Choose smaller weights \(#q4\)/,
  );
  const broken = explainOnnxFailure(new Error('protobuf parsing failed'), 'm/', 'onnx/model_q4.onnx');
  assert.match(broken.message, /^m\/onnx\/model_q4\.onnx could not be read as an ONNX model/);
  const other = new Error('something else');
  assert.equal(explainOnnxFailure(other, 'm/'), other);
});
