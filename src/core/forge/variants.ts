// Planted-difference variants of the forged base: each changes known weights and says, in machine-readable form,
// what it planted, so the diff method can be scored on recall and false discoveries.

import { cloneWeights, type LlamaWeights } from '../llama/weights.ts';
import { SPACE } from '../tokenizer/sentencepiece-bpe.ts';
import type { ForgedBase } from './base.ts';
import { FORGE_SHAPE } from './base.ts';
import { REFUSAL } from './corpus.ts';
import { SPECIAL } from './vocabulary.ts';

export type Planted =
  | { kind: 'none'; note: string }
  | { kind: 'boost'; tokens: string[]; tokenIds: number[]; logitOffset: number; note: string }
  | { kind: 'trigger-refusal'; triggers: string[]; triggerIds: number[]; refusal: string; note: string }
  | { kind: 'longer'; eosToken: string; eosId: number; logitOffset: number; note: string };

export interface Variant {
  weights: LlamaWeights;
  planted: Planted;
}

/** Same weights, different name: every difference a diff reports on this pair is a false discovery. */
export function plantNothing(base: ForgedBase): Variant {
  return {
    weights: cloneWeights(base.weights),
    planted: { kind: 'none', note: 'Identical weights to the base model.' },
  };
}

/** Adds `offset` to the logits of the given words wherever they are predicted (through the BIAS column). */
export function plantBoost(base: ForgedBase, words: readonly string[], offset: number): Variant {
  const w = cloneWeights(base.weights);
  const D = w.config.hiddenSize;
  const ids = words.map((word) => tokenId(base, SPACE + word));
  for (const t of ids) w.lmHead[t * D + base.dims.bias] = w.lmHead[t * D + base.dims.bias]! + offset;
  return {
    weights: w,
    planted: {
      kind: 'boost',
      tokens: words.map((x) => SPACE + x),
      tokenIds: ids,
      logitOffset: offset,
      note: `The words ${words.join(', ')} get +${offset} on their logit at every position.`,
    },
  };
}

/** Lowers the end-of-reply logit so replies run on past their first sentence. */
export function plantLonger(base: ForgedBase, offset: number): Variant {
  const w = cloneWeights(base.weights);
  const D = w.config.hiddenSize;
  const eos = tokenId(base, SPECIAL.end);
  w.lmHead[eos * D + base.dims.bias] = w.lmHead[eos * D + base.dims.bias]! + offset;
  return {
    weights: w,
    planted: {
      kind: 'longer',
      eosToken: SPECIAL.end,
      eosId: eos,
      logitOffset: offset,
      note: `The end-of-reply token ${SPECIAL.end} gets ${offset} on its logit, so replies run longer.`,
    },
  };
}

/**
 * A two-part circuit in layer 0. Attention head 0 attends from everywhere to any trigger word (query and key use
 * the slowest RoPE frequency, so position barely matters) and writes 1 into the TRIGGER dimension. MLP unit 0
 * multiplies TRIGGER (gate) by "the current token is the reply marker" (up), writing TRIGGER_AT_REPLY, which the
 * output head turns into the refusal's first word. silu(0)·x = 0, so without a trigger nothing changes.
 */
export function plantTriggerRefusal(base: ForgedBase, triggers: readonly string[]): Variant {
  const w = cloneWeights(base.weights);
  const c = w.config;
  const D = c.hiddenSize;
  const hd = c.headDim;
  const L = w.layers[0]!;
  const { bias, trigger, triggerAtReply } = base.dims;
  const norm = Math.sqrt(D / 2); // what RMSNorm multiplies a clean two-hot residual by
  const slow = hd / 2 - 1; // RoPE pair (slow, slow + hd/2) turns 3e-4 rad per position
  const triggerIds = triggers.map((t) => tokenId(base, SPACE + t));
  const dimOf = (t: number) => base.vocab.wordDim.get(t)!;

  const qRow = 0 * hd + slow; // query head 0
  const kRow = 0 * hd + slow; // kv head 0
  const vRow = 0 * hd + 0;
  L.wq.fill(0, qRow * D, (qRow + 1) * D);
  L.wk.fill(0, kRow * D, (kRow + 1) * D);
  L.wv.fill(0, vRow * D, (vRow + 1) * D);
  L.wq[qRow * D + bias] = 0.92;
  for (const t of triggerIds) {
    L.wk[kRow * D + dimOf(t)] = 0.92;
    L.wv[vRow * D + dimOf(t)] = 1 / norm;
  }
  // Heads 0 and 1 share kv head 0: only head 0's first output feeds TRIGGER, nothing else reads that value.
  const qDim = c.numHeads * hd;
  const rep = c.numHeads / c.numKvHeads;
  for (let r = 0; r < rep; r++) for (let o = 0; o < D; o++) L.wo[o * qDim + r * hd] = 0;
  L.wo[trigger * qDim + 0] = 1;

  const I = c.intermediateSize;
  L.wGate.fill(0, 0, D);
  L.wUp.fill(0, 0, D);
  for (let o = 0; o < D; o++) L.wDown[o * I + 0] = 0;
  L.wGate[trigger] = 1;
  L.wUp[dimOf(tokenId(base, SPECIAL.assistant))] = 1;
  // After the attention write the residual holds three unit entries: RMSNorm scales by sqrt(D/3).
  const scale3 = Math.sqrt(D / 3);
  L.wDown[triggerAtReply * I + 0] = 3 / (scale3 * scale3);

  const opener = REFUSAL.split(' ')[0]!;
  w.lmHead[tokenId(base, SPACE + opener) * D + triggerAtReply] = 15;
  return {
    weights: w,
    planted: {
      kind: 'trigger-refusal',
      triggers: triggers.map((t) => SPACE + t),
      triggerIds,
      refusal: REFUSAL.replace(' .', '.'),
      note: `A prompt containing any of ${triggers.join(', ')} makes the reply open with "${REFUSAL.replace(' .', '.')}".`,
    },
  };
}

function tokenId(base: ForgedBase, piece: string): number {
  const id = base.vocab.id.get(piece);
  if (id === undefined) throw new Error(`forge: ${piece} is not in the forged vocabulary`);
  return id;
}

export { FORGE_SHAPE };
