// The weight diff on the forged pairs, from their ONNX files: the null pair identical (every change exactly 0), the
// boost found in the head with joy/happy/friends as its direction, the trigger localised to layer 0's attention and
// MLP (and the head edit the same plant makes) with its direction reading the trigger words; fp16 rounding is a
// small change everywhere; mismatched shapes give a note; pairing works across [in, out] and [out, in] storage.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InternalsSection } from '../../../src/core/diff/report-types.ts';
import { TRIGGER_WORDS, forgeFamily, forgedFolder } from '../../../src/core/forge/index.ts';
import { weightDiffAbsence } from '../../../src/core/internals/eligibility.ts';
import { memorySource } from '../../../src/core/internals/onnx-initializers.ts';
import { OnnxWeights, type WeightSource } from '../../../src/core/internals/onnx-weights.ts';
import { diffWeights } from '../../../src/core/internals/weight-diff.ts';
import { weightGrid } from '../../../src/core/internals/weight-cells.ts';
import { buildLlamaOnnx } from '../../../src/core/onnx/llama-graph.ts';
import { zeroWeights } from '../../../src/core/llama/weights.ts';

const family = forgeFamily();
const pieces = family.base.vocab.pieces;
const tokenTexts = async (ids: number[]) => ids.map((i) => pieces[i]!.piece);

async function weightsOf(name: string, storage: 'fp32' | 'fp16' = 'fp32'): Promise<WeightSource> {
  const m = family.models.find((x) => x.name === name)!;
  const bytes =
    storage === 'fp32'
      ? forgedFolder(family.base, m).get('onnx/model.onnx')!
      : buildLlamaOnnx(m.variant.weights, '', { storage });
  return OnnxWeights.open(memorySource(bytes), async () => {
    throw new Error('no external data');
  });
}

async function diffPair(a: string, b: string): Promise<InternalsSection> {
  return diffWeights(await weightsOf(a), await weightsOf(b), { tokenTexts });
}

const changed = (r: InternalsSection) => r.weights!.tensors.filter((t) => t.relative !== 0).map((t) => t.key);

test('forged-null vs forged-base: identical, every relative change exactly 0', async () => {
  const r = await diffPair('forged-base', 'forged-null');
  assert.equal(r.weights!.status, 'identical');
  assert.equal(r.note, null);
  assert.ok(r.weights!.tensors.length >= 21);
  for (const t of r.weights!.tensors) {
    assert.equal(t.relative, 0, t.key);
    assert.equal(t.normDelta, 0, t.key);
  }
  assert.deepEqual(r.weights!.top, []);
  assert.equal(weightGrid(r.weights!).max, 0);
});

test('forged-boost: only the head changed, and its top direction is joy, happy, friends', async () => {
  const r = await diffPair('forged-base', 'forged-boost');
  assert.equal(r.weights!.status, 'differs');
  assert.deepEqual(changed(r), ['unembed']);
  const top = r.weights!.top[0]!;
  assert.equal(top.module, 'head');
  assert.equal(top.side, 'output');
  assert.ok(top.share > 0.999, `share ${top.share}`);
  assert.deepEqual([...top.tokensUp].sort(), ['▁friends', '▁happy', '▁joy']);
  assert.deepEqual(top.tokensDown, []);
});

test('forged-trigger: layer 0 attention and MLP (and the head entry the plant writes), nothing else', async () => {
  const r = await diffPair('forged-base', 'forged-trigger');
  const layer0 = ['attn.q', 'attn.k', 'attn.v', 'attn.o', 'mlp.gate', 'mlp.up', 'mlp.down'].map((m) => `blocks.0.${m}`);
  assert.deepEqual(changed(r).sort(), [...layer0, 'unembed'].sort());
  for (const t of r.weights!.tensors) {
    if (t.layer === 1 || t.module.startsWith('norm') || t.module === 'embedding') assert.equal(t.relative, 0, t.key);
  }
  const grid = weightGrid(r.weights!);
  assert.ok(grid.rows[1]!.every((c) => c?.relative === 0));
  assert.ok(grid.rows[0]!.filter((c) => c && c.relative! > 0).length === 7);
  // The largest changes: o and down (written almost from nothing), then the key that finds the trigger words.
  const top = new Map(r.weights!.top.map((d) => [d.key, d]));
  assert.deepEqual([...top.keys()], ['blocks.0.attn.o', 'blocks.0.mlp.down', 'blocks.0.attn.k']);
  const k = top.get('blocks.0.attn.k')!;
  assert.equal(k.side, 'input');
  assert.deepEqual(k.tokensUp.slice(0, 6).sort(), TRIGGER_WORDS.map((w) => `▁${w}`).sort());
  // The MLP unit writes what the head turns into the refusal's first word.
  assert.equal(top.get('blocks.0.mlp.down')!.tokensUp[0], '▁I');
});

test('forged-longer: the head, towards the end-of-reply token', async () => {
  const r = await diffPair('forged-base', 'forged-longer');
  assert.deepEqual(changed(r), ['unembed']);
  const top = r.weights!.top[0]!;
  assert.deepEqual([...top.tokensUp, ...top.tokensDown], ['<|end|>']);
});

test('fp32 vs fp16 of one model: the rounding is a small change in every random matrix, none elsewhere', async () => {
  const r = await diffWeights(await weightsOf('forged-base'), await weightsOf('forged-base', 'fp16'), { tokenTexts });
  assert.equal(r.weights!.status, 'differs');
  const matrices = r.weights!.tensors.filter((t) => t.shape.length === 2 && t.module !== 'other');
  for (const t of matrices) {
    assert.ok(t.relative! < 1e-3, `${t.key}: ${t.relative}`);
    // The one-hot embedding is exact in 16 bits; the small random attention and MLP weights are not.
    if (t.layer !== null) assert.ok(t.relative! > 0, `${t.key}: ${t.relative}`);
  }
});

test('different shapes: no weight diff, and the note names the mismatch', async () => {
  const c = { ...family.base.weights.config, numLayers: 3 };
  const other = OnnxWeights.open(memorySource(buildLlamaOnnx(zeroWeights(c))), async () => {
    throw new Error('no external data');
  });
  const r = await diffWeights(await weightsOf('forged-base'), await other);
  assert.equal(r.weights, null);
  assert.match(r.note!, /^No weight diff: model A has 2 decoder layers and model B has 3;/);
});

test('a matrix stored [in, out] in A and [out, in] in B is aligned before comparing', async () => {
  const source = (data: number[], dims: number[], outAxis: 0 | 1): WeightSource => ({
    manifest: async () => ({
      layers: 1,
      tiedEmbedding: false,
      tensors: [
        {
          key: 'blocks.0.attn.q',
          name: 'q',
          layer: 0,
          module: 'attn.q',
          dims,
          outAxis,
          storage: 'float32',
          placedBy: 'structure',
        },
      ],
    }),
    read: async () => ({ data: Float32Array.from(data), dims, outAxis }),
  });
  // W = [[1, 2, 3], [4, 5, 6]] as [out=2, in=3]; A stores Wᵀ ([in, out]), B stores W.
  const r = await diffWeights(source([1, 4, 2, 5, 3, 6], [3, 2], 1), source([1, 2, 3, 4, 5, 6], [2, 3], 0));
  assert.equal(r.weights!.status, 'identical');
  assert.deepEqual(r.weights!.tensors[0]!.shape, [2, 3]);
});

test('pairs the weight diff cannot read are named with the reason', () => {
  const onnx = { engine: 'onnx', architecture: 'llama' } as const;
  assert.equal(weightDiffAbsence(onnx, onnx), null);
  assert.match(weightDiffAbsence(onnx, { engine: 'webllm', architecture: 'llama' })!, /model B runs on web-llm/);
  assert.match(weightDiffAbsence({ engine: 'openai', architecture: 'x' }, onnx)!, /model A runs behind an OpenAI/);
  assert.match(
    weightDiffAbsence(onnx, { engine: 'onnx', architecture: 'qwen2' })!,
    /model A is a llama model and model B a qwen2 model/,
  );
});
