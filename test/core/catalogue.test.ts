// The catalogue is well-formed, and capability decisions are right for adapters with and without f16, software
// adapters, no WebGPU, and small limits.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, type GpuFacts } from '../../src/core/capabilities.ts';
import { CATALOGUE, SUGGESTED_PAIRS, type CatalogueEntry } from '../../src/core/catalogue.ts';

const byId = (id: string) => CATALOGUE.find((e) => e.id === id)!;

test('catalogue entries: unique ids, sizes, sources, the models the issue names', () => {
  const ids = CATALOGUE.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const e of CATALOGUE) {
    assert.ok(Object.keys(e.bytes).length > 0 && Object.values(e.bytes).every((b) => b! > 0), e.id);
    assert.ok(e.vramBytes > 0 && e.parameters > 0 && e.licence && e.tokenizer, e.id);
    if (e.engine === 'onnx') assert.ok(e.source.hub, e.id);
    if (e.engine === 'llama2c')
      assert.ok(e.source.checkpoint?.startsWith('https://') && e.source.tokenizerBin?.startsWith('https://'), e.id);
    assert.equal(e.requiresShaderF16, /f16/.test(e.id) && e.engine === 'webllm', e.id);
  }
  for (const name of [
    'SmolLM2-135M',
    'SmolLM2-360M',
    'Qwen2.5-0.5B-Instruct',
    'Qwen3-0.6B',
    'Llama-3.2-1B-Instruct',
    'stories260K',
    'stories15M',
    'stories42M',
    'stories110M',
  ]) {
    assert.ok(
      ids.some((id) => id.includes(name)),
      name,
    );
  }
  for (const kind of ['base', 'instruct'] as const)
    assert.ok(CATALOGUE.some((e) => e.id.includes('SmolLM2-135M') && e.kind === kind));
  for (const p of SUGGESTED_PAIRS) assert.ok(ids.includes(p.a) && ids.includes(p.b), p.lesson);
});

const gpu = (over: Partial<NonNullable<GpuFacts['adapter']>> = {}, memory: number | null = 8): GpuFacts => ({
  adapter: {
    isFallback: false,
    shaderF16: true,
    maxBufferSize: 2 ** 30,
    maxStorageBufferBindingSize: 2 ** 30,
    ...over,
  },
  deviceMemoryGiB: memory,
});
const none: GpuFacts = { adapter: null, deviceMemoryGiB: 8 };

test('ONNX: fp16 on a GPU with shader-f16, fp32 without it, q4 on WASM', () => {
  const smol = byId('HuggingFaceTB/SmolLM2-135M-Instruct');
  assert.deepEqual([decide(smol, gpu()).device, decide(smol, gpu()).dtype], ['webgpu', 'fp16']);
  const noF16 = decide(smol, gpu({ shaderF16: false }));
  assert.deepEqual([noF16.device, noF16.dtype], ['webgpu', 'fp32']);
  assert.match(noF16.notes.join(' '), /no shader-f16, so 16-bit weights are skipped/);
  const cpu = decide(smol, none);
  assert.deepEqual([cpu.device, cpu.dtype, cpu.ok], ['wasm', 'q4', true]);
  assert.match(cpu.notes.join(' '), /No WebGPU adapter: running on WASM/);
});

test('a software adapter is not used for ONNX: WASM is faster than emulated WebGPU', () => {
  const d = decide(byId('stories15M'), gpu({ isFallback: true }));
  assert.equal(d.device, 'wasm');
  assert.match(d.notes.join(' '), /software WebGPU adapter/);
});

test('web-llm: refused without WebGPU, refused for f16 builds without shader-f16, warned on small memory', () => {
  const q4 = byId('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
  const noGpu = decide(q4, none);
  assert.equal(noGpu.ok, false);
  assert.match(noGpu.notes[0]!, /web-llm needs WebGPU.*choose the ONNX version/);
  const f16: CatalogueEntry = {
    ...q4,
    id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
    requiresShaderF16: true,
    bytes: { q4f16: 3e8 },
  };
  const refused = decide(f16, gpu({ shaderF16: false }));
  assert.equal(refused.ok, false);
  assert.match(refused.notes[0]!, /no shader-f16: choose a q4f32 or q0f32 build/);
  assert.equal(decide(f16, gpu()).ok, true);
  const small = decide(byId('Qwen3-0.6B-q4f32_1-MLC'), gpu({}, 1));
  assert.equal(small.ok, true);
  assert.match(small.notes.join(' '), /may fail to load \("device lost"\)/);
});

test('a model too large for WASM is refused with the reason when there is no GPU', () => {
  const big: CatalogueEntry = { ...byId('onnx-community/Llama-3.2-1B-Instruct'), bytes: { fp16: 2.5e9, fp32: 5e9 } };
  const d = decide(big, none);
  assert.equal(d.ok, false);
  assert.match(d.notes[0]!, /more than WASM can address.*needs a WebGPU GPU/);
});
