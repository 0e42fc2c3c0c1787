// The catalogue is well-formed, and capability decisions are right for adapters with and without f16, software
// adapters, no WebGPU, and small limits.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decide,
  decideOn,
  decideWeights,
  describeDevice,
  dtypeProblem,
  type GpuFacts,
} from '../../src/core/capabilities.ts';
import { CATALOGUE, SUGGESTED_PAIRS, entryOfSpec, specOf, type CatalogueEntry } from '../../src/core/catalogue.ts';
import { parseModelSpec } from '../../src/core/model-spec.ts';

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
  for (const p of SUGGESTED_PAIRS) {
    assert.ok(ids.includes(p.a) && ids.includes(p.b), p.lesson);
    if (p.dtypeA) assert.ok(byId(p.a).bytes[p.dtypeA], `${p.lesson}: ${p.a} has ${p.dtypeA}`);
    if (p.dtypeB) assert.ok(byId(p.b).bytes[p.dtypeB], `${p.lesson}: ${p.b} has ${p.dtypeB}`);
  }
  // The suggested pairs: base vs instruct of one family, q4 vs fp16 of one model, TinyStories 260K vs 15M.
  assert.ok(SUGGESTED_PAIRS.some((p) => byId(p.a).kind === 'base' && byId(p.b).kind === 'instruct'));
  assert.ok(SUGGESTED_PAIRS.some((p) => p.a === p.b && p.dtypeA === 'q4' && p.dtypeB === 'fp16'));
  assert.ok(SUGGESTED_PAIRS.some((p) => p.a === 'stories260K' && p.b === 'stories15M'));
});

test('every entry has a spec the URL contract parses, and the spec leads back to the entry', () => {
  for (const e of CATALOGUE) {
    const spec = specOf(e);
    assert.equal(entryOfSpec(spec)?.entry, e, spec);
    if (e.engine === 'webllm') {
      assert.equal(spec, `webllm:${e.id}`); // parsed by the web-llm engine's spec, not here
      continue;
    }
    const source = parseModelSpec(spec, 'https://example.org/');
    assert.equal(source.kind, e.engine === 'onnx' ? 'hub' : 'llama2c', spec);
  }
  const q4 = specOf(byId('HuggingFaceTB/SmolLM2-135M-Instruct'), 'q4');
  assert.equal(q4, 'hf:HuggingFaceTB/SmolLM2-135M-Instruct#q4');
  assert.deepEqual(parseModelSpec(q4, 'https://example.org/'), {
    kind: 'hub',
    repo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    dtype: 'q4',
  });
  assert.equal(entryOfSpec(q4)?.dtype, 'q4');
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

test('ONNX: fp16 on a GPU with shader-f16, fp32 without it; on WASM fp32 for a small model, q4 for a larger one', () => {
  const smol = byId('HuggingFaceTB/SmolLM2-135M-Instruct');
  assert.deepEqual([decide(smol, gpu()).device, decide(smol, gpu()).dtype], ['webgpu', 'fp16']);
  const noF16 = decide(smol, gpu({ shaderF16: false }));
  assert.deepEqual([noF16.device, noF16.dtype], ['webgpu', 'fp32']);
  assert.match(noF16.notes.join(' '), /no shader-f16, so 16-bit weights are skipped/);
  // 540 MB of fp32: fp32 on WASM (MatMulNBits runs several times slower there: npm run bench -- formats).
  const cpu = decide(smol, none);
  assert.deepEqual([cpu.device, cpu.dtype, cpu.ok], ['wasm', 'fp32', true]);
  assert.match(cpu.notes.join(' '), /No WebGPU adapter: running on WASM/);
  assert.match(cpu.notes.join(' '), /fp32 rather than 4- or 8-bit weights: at 540 MB it fits/);
  // 1.45 GB of fp32 (360M): the smaller download, q4.
  assert.equal(decide(byId('HuggingFaceTB/SmolLM2-360M-Instruct'), none).dtype, 'q4');
  // A device that says it has 4 GiB: two fp32 models are a lot, q4 stays first.
  assert.equal(decide(smol, { adapter: null, deviceMemoryGiB: 4 }).dtype, 'q4');
  // No size known for fp32 (a folder whose probes gave none): no reason to download it first.
  assert.equal(decideOn('onnx', 'wasm', { fp32: 0, q4: 1e8 }, none, {}).dtype, 'q4');
  // An fp32 graph file smaller than the q4 one keeps its weights in external data (not sized): no reason to take it.
  assert.equal(decideOn('onnx', 'wasm', { fp32: 1e6, q4: 1e8 }, none, {}).dtype, 'q4');
  // A folder's own declared format still comes first.
  assert.equal(decideOn('onnx', 'wasm', { fp32: 5e8, q4: 1e8 }, none, { declared: 'q4' }).dtype, 'q4');
  assert.equal(decideOn('onnx', 'wasm', { fp32: 5e8, q4: 1e8 }, none, {}).dtype, 'fp32');
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

test('an explicit fp16 is refused without shader-f16 (GPU, software adapter, no WebGPU), with what to choose', () => {
  const smol = byId('HuggingFaceTB/SmolLM2-135M-Instruct');
  for (const facts of [gpu({ shaderF16: false }), gpu({ isFallback: true, shaderF16: false }), none]) {
    const d = decide(smol, facts, { dtype: 'fp16' });
    assert.equal(d.ok, false);
    assert.match(
      d.notes[0]!,
      /fp16 weights compute in 16-bit floats, which needs WebGPU with shader-f16.*choose fp32, q8 or q4/,
    );
  }
  assert.match(decide(smol, none, { dtype: 'fp16' }).notes[0]!, /no WebGPU adapter/);
  assert.match(decide(smol, gpu({ shaderF16: false }), { dtype: 'fp16' }).notes[0]!, /this GPU has no shader-f16/);
  const ok = decide(smol, gpu(), { dtype: 'fp16' });
  assert.deepEqual([ok.ok, ok.device, ok.dtype], [true, 'webgpu', 'fp16']);
  // Asked-for formats the model does not have are named, with what it has.
  const missing = decide(smol, gpu(), { dtype: 'q4f16' });
  assert.match(missing.notes[0]!, /no q4f16 weights \(onnx\/model_q4f16\.onnx\); it has: fp32, fp16, q4/);
  // Node's native CPU runtime has no shader constraint.
  assert.equal(dtypeProblem('fp16', 'cpu', none), null);
  assert.equal(decideOn('onnx', 'cpu', { fp32: 1e6, fp16: 5e5 }, none, { dtype: 'fp16' }).dtype, 'fp16');
});

test('small limits: weights large for the GPU buffers go to WASM on auto, and are warned about on webgpu', () => {
  const small = gpu({ maxBufferSize: 2 ** 27, maxStorageBufferBindingSize: 2 ** 27 }); // 128 MiB
  const qwen = byId('onnx-community/Qwen2.5-0.5B-Instruct');
  const auto = decide(qwen, small);
  assert.deepEqual([auto.ok, auto.device, auto.dtype], [true, 'wasm', 'q4']);
  assert.match(auto.notes[0]!, /large for this GPU's buffers \(134 MB each\): running on WASM/);
  const forced = decide(qwen, small, { device: 'webgpu' });
  assert.deepEqual([forced.device, forced.dtype], ['webgpu', 'fp16']);
  assert.match(forced.notes.join(' '), /large for this GPU's buffers.*loading may fail/);
  // The same model on the default 1 GiB limits stays on the GPU.
  assert.equal(decide(qwen, gpu()).device, 'webgpu');
});

test('device wishes, declared dtypes and folders without catalogue sizes', () => {
  const forged = { fp32: 8e5, fp16: 4e5 };
  assert.deepEqual(decideWeights('onnx', forged, gpu(), { device: 'wasm' }).dtype, 'fp32');
  assert.equal(decideWeights('onnx', forged, gpu()).dtype, 'fp16');
  assert.equal(decideWeights('onnx', forged, gpu(), { declared: 'fp32' }).dtype, 'fp32');
  const noAdapter = decideWeights('onnx', forged, none, { device: 'webgpu' });
  assert.equal(noAdapter.ok, false);
  assert.match(
    noAdapter.notes[0]!,
    /WebGPU was requested \(device=webgpu\), but this browser offers no WebGPU adapter\. Run on the CPU instead/,
  );
  const soft = decideWeights('onnx', forged, gpu({ isFallback: true, shaderF16: false }), { device: 'webgpu' });
  assert.deepEqual([soft.device, soft.dtype], ['webgpu', 'fp32']);
  assert.match(soft.notes.join(' '), /software adapter \(no GPU\): much slower than WASM/);
  const onlyF16 = decideWeights('onnx', { fp16: 4e5 }, none);
  assert.equal(onlyF16.ok, false);
  assert.match(onlyF16.notes[0]!, /None of this model's weight formats \(fp16\) can run here\. fp16 weights/);
  const webllm = decide(byId('SmolLM2-360M-Instruct-q4f32_1-MLC'), gpu(), { device: 'wasm' });
  assert.match(webllm.notes[0]!, /web-llm runs only on WebGPU/);
});

test('what this browser can do, in sentences', () => {
  assert.deepEqual(describeDevice(none), [
    'No WebGPU adapter: web-llm models are unavailable, and ONNX models run on WASM (CPU).',
    'This device reports about 8 GiB of memory (browsers round the figure and may cap it).',
  ]);
  const soft = describeDevice(gpu({ isFallback: true, shaderF16: false, name: 'google swiftshader' }, null));
  assert.match(soft[0]!, /google swiftshader, a software adapter \(no GPU\)\. ONNX models run on WASM/);
  assert.match(soft[1]!, /shader-f16: no — fp16 and q4f16 weights/);
  assert.match(soft[2]!, /Largest GPU buffer: 1\.0 GiB/);
  assert.equal(soft.length, 3);
  assert.match(describeDevice(gpu())[1]!, /shader-f16: yes/);
});
