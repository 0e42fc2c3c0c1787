// Weights of a Llama decoder in PyTorch layout: every matrix is [out, in], row-major float32.

import type { LlamaConfig } from './config.ts';

export interface LlamaLayerWeights {
  attnNorm: Float32Array; // [hidden]
  wq: Float32Array; // [heads * headDim, hidden]
  wk: Float32Array; // [kvHeads * headDim, hidden]
  wv: Float32Array; // [kvHeads * headDim, hidden]
  wo: Float32Array; // [hidden, heads * headDim]
  ffnNorm: Float32Array; // [hidden]
  wGate: Float32Array; // [intermediate, hidden]  (llama2.c w1)
  wDown: Float32Array; // [hidden, intermediate]  (llama2.c w2)
  wUp: Float32Array; // [intermediate, hidden]    (llama2.c w3)
}

export interface LlamaWeights {
  config: LlamaConfig;
  embed: Float32Array; // [vocab, hidden]
  layers: LlamaLayerWeights[];
  finalNorm: Float32Array; // [hidden]
  lmHead: Float32Array; // [vocab, hidden]; a copy of embed when the checkpoint ties them
}

/** Expected element count of every tensor, for validation and for allocating empty weights. */
export function tensorSizes(c: LlamaConfig) {
  const q = c.numHeads * c.headDim;
  const kv = c.numKvHeads * c.headDim;
  return {
    embed: c.vocabSize * c.hiddenSize,
    norm: c.hiddenSize,
    wq: q * c.hiddenSize,
    wk: kv * c.hiddenSize,
    wv: kv * c.hiddenSize,
    wo: c.hiddenSize * q,
    wGate: c.intermediateSize * c.hiddenSize,
    wDown: c.hiddenSize * c.intermediateSize,
    wUp: c.intermediateSize * c.hiddenSize,
  };
}

export function zeroWeights(config: LlamaConfig): LlamaWeights {
  const s = tensorSizes(config);
  const layers: LlamaLayerWeights[] = [];
  for (let l = 0; l < config.numLayers; l++) {
    layers.push({
      attnNorm: new Float32Array(s.norm),
      wq: new Float32Array(s.wq),
      wk: new Float32Array(s.wk),
      wv: new Float32Array(s.wv),
      wo: new Float32Array(s.wo),
      ffnNorm: new Float32Array(s.norm),
      wGate: new Float32Array(s.wGate),
      wDown: new Float32Array(s.wDown),
      wUp: new Float32Array(s.wUp),
    });
  }
  return {
    config,
    embed: new Float32Array(s.embed),
    layers,
    finalNorm: new Float32Array(s.norm),
    lmHead: new Float32Array(s.embed),
  };
}

export function cloneWeights(w: LlamaWeights): LlamaWeights {
  return {
    config: { ...w.config, eosTokenIds: [...w.config.eosTokenIds] },
    embed: w.embed.slice(),
    layers: w.layers.map((l) => ({
      attnNorm: l.attnNorm.slice(),
      wq: l.wq.slice(),
      wk: l.wk.slice(),
      wv: l.wv.slice(),
      wo: l.wo.slice(),
      ffnNorm: l.ffnNorm.slice(),
      wGate: l.wGate.slice(),
      wDown: l.wDown.slice(),
      wUp: l.wUp.slice(),
    })),
    finalNorm: w.finalNorm.slice(),
    lmHead: w.lmHead.slice(),
  };
}

export function parameterCount(c: LlamaConfig): number {
  const s = tensorSizes(c);
  const perLayer = 2 * s.norm + s.wq + s.wk + s.wv + s.wo + s.wGate + s.wDown + s.wUp;
  return 2 * s.embed + s.norm + c.numLayers * perLayer;
}
