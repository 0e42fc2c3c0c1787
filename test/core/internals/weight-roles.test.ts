// Weight roles from the graph's structure: the forged graph (fp32, fp16 behind Casts, tied embeddings, no
// position_ids) with every initializer renamed to nothing meaningful, the same graph rewritten to 4-bit MatMulNBits
// nodes, and the name patterns as the second resort when the structure cannot be followed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgeFamily } from '../../../src/core/forge/index.ts';
import { cloneWeights, type LlamaWeights } from '../../../src/core/llama/weights.ts';
import { indexOnnx, memorySource, type OnnxIndex } from '../../../src/core/internals/onnx-initializers.ts';
import { manifestOf } from '../../../src/core/internals/onnx-weights.ts';
import { buildLlamaOnnx, type GraphOptions } from '../../../src/core/onnx/llama-graph.ts';

const base = forgeFamily().models.find((m) => m.name === 'forged-base')!.variant.weights;
const LAYER_KEYS = ['ln1', 'attn.q', 'attn.k', 'attn.v', 'attn.o', 'ln2', 'mlp.gate', 'mlp.up', 'mlp.down'];
const EXPECTED = ['embed', 'unembed', 'ln_final', ...[0, 1].flatMap((l) => LAYER_KEYS.map((k) => `blocks.${l}.${k}`))];

const index = (w: LlamaWeights, options: GraphOptions = {}) => indexOnnx(memorySource(buildLlamaOnnx(w, '', options)));

/** The placed roles: key → initializer name. */
function placed(ix: OnnxIndex, by?: 'structure' | 'name'): Map<string, string> {
  const { manifest } = manifestOf(ix);
  return new Map(
    manifest.tensors.filter((t) => t.module !== 'other' && (!by || t.placedBy === by)).map((t) => [t.key, t.name]),
  );
}

/** The same graph with every initializer called w<N>: only the structure can tell them apart. */
function anonymise(ix: OnnxIndex): OnnxIndex {
  const names = new Map([...ix.initializers.keys()].map((n, i) => [n, `w${i}`]));
  const rename = (v: string) => names.get(v) ?? v;
  return {
    ...ix,
    nodes: ix.nodes.map((n) => ({ ...n, inputs: n.inputs.map(rename) })),
    initializers: new Map([...ix.initializers.values()].map((t) => [rename(t.name), { ...t, name: rename(t.name) }])),
  };
}

for (const [label, options] of [
  ['fp32', {}],
  ['fp16 (weights behind Cast nodes)', { storage: 'fp16' }],
  ['without position_ids', { positionIds: false }],
] as const) {
  test(`forged graph, ${label}: every weight placed by structure, names hidden`, async () => {
    const ix = await index(base, options);
    const named = placed(ix, 'structure');
    assert.deepEqual([...named.keys()].sort(), [...EXPECTED].sort());
    const suffix = 'storage' in options ? '.fp16' : '';
    assert.equal(named.get('blocks.1.attn.k'), `model.layers.1.self_attn.k_proj.weight${suffix}`);
    assert.equal(named.get('blocks.0.mlp.gate'), `model.layers.0.mlp.gate_proj.weight${suffix}`);
    assert.equal(named.get('blocks.0.ln2'), `model.layers.0.post_attention_layernorm.weight${suffix}`);
    // Renamed to w0, w1, …: the same roles, from the structure alone.
    const anon = anonymise(ix);
    const names = new Map([...ix.initializers.keys()].map((n, i) => [n, `w${i}`]));
    assert.deepEqual(placed(anon, 'structure'), new Map([...named].map(([k, n]) => [k, names.get(n)!])));
  });
}

test('tied embeddings: one matrix, placed as the head, and the manifest says tied', async () => {
  const tied = cloneWeights(base);
  tied.lmHead = tied.embed;
  const ix = anonymise(await index(tied, { tieEmbeddings: true }));
  const { manifest } = manifestOf(ix);
  assert.equal(manifest.tiedEmbedding, true);
  const roles = placed(ix, 'structure');
  assert.ok(roles.has('unembed') && !roles.has('embed'));
  assert.equal(manifest.tensors.find((t) => t.key === 'unembed')!.outAxis, 1); // [hidden, vocab]: vocab is the output
  assert.equal(roles.size, EXPECTED.length - 1);
});

test('MatMulNBits weights (4-bit, [N, K]) are placed by the same structure, output on axis 0', async () => {
  const ix = anonymise(await index(base));
  const nodes = ix.nodes.map((n) => {
    const w = n.opType === 'MatMul' ? ix.initializers.get(n.inputs[1] ?? '') : undefined;
    if (!w || w.dims.length !== 2) return n;
    const [K, N] = w.dims as [number, number];
    const blocks = Math.ceil(K / 16);
    ix.initializers.set(`${w.name}_Q4`, { name: `${w.name}_Q4`, dims: [N, blocks, 8], dataType: 2, data: null });
    ix.initializers.set(`${w.name}_scales`, { name: `${w.name}_scales`, dims: [N * blocks], dataType: 1, data: null });
    ix.initializers.delete(w.name);
    return {
      ...n,
      opType: 'MatMulNBits',
      domain: 'com.microsoft',
      inputs: [n.inputs[0]!, `${w.name}_Q4`, `${w.name}_scales`],
      attributes: { K, N, bits: 4, block_size: 16 },
    };
  });
  const { manifest } = manifestOf({ ...ix, nodes });
  const q = manifest.tensors.find((t) => t.key === 'blocks.0.attn.q')!;
  assert.equal(q.storage, '4-bit MatMulNBits');
  assert.deepEqual(q.dims, [base.config.numHeads * base.config.headDim, base.config.hiddenSize]);
  assert.equal(q.outAxis, 0);
  assert.deepEqual(
    manifest.tensors
      .filter((t) => t.placedBy === 'structure')
      .map((t) => t.key)
      .sort(),
    [...EXPECTED].sort(),
  );
  assert.ok(!manifest.tensors.some((t) => t.name.endsWith('_scales')), 'scales are read with their weight');
});

test('without a followable structure, common names place the weights; unknown names are other', async () => {
  const ix = await index(base);
  // No nodes: nothing to follow.
  const { manifest } = manifestOf({ ...ix, nodes: [] });
  const byName = new Map(manifest.tensors.filter((t) => t.placedBy === 'name').map((t) => [t.key, t]));
  assert.deepEqual([...byName.keys()].sort(), [...EXPECTED].sort());
  assert.equal(byName.get('blocks.1.mlp.down')!.name, 'model.layers.1.mlp.down_proj.weight');
  assert.deepEqual(
    manifest.tensors.filter((t) => t.module === 'other').map((t) => t.key),
    ['other:rope.cos', 'other:rope.sin'],
  );
});
