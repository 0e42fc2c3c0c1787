// The crosscoder's harvest in a run (issue 16, item 1): both models read the same texts through their activation
// taps — the bundled corpus the lens reads, then each training prompt followed by each model's reply, and the
// held-out prompts the same way — and the residual stream at each model's middle point is kept at aligned positions
// (same vocabulary: the very same ids, every position; otherwise where both tokenizations end a token at the same
// character, align.ts). Positions past a memory cap come from fewer corpus documents, and the notes say so.

import type { ModelInfo } from '../core/engine/types.ts';
import type { ResponseRecord } from '../core/profile/types.ts';
import type { Prompt } from '../core/prompts/index.ts';
import type { ActivationChunks } from '../core/internals/crosscoder/activations.ts';
import {
  alignByCharacters,
  alignIdentical,
  gatherRows,
  tokenEnds,
  type Alignment,
} from '../core/internals/crosscoder/align.ts';
import type { HeldOut, ReplyLayout } from '../core/internals/crosscoder/candidates.ts';
import type { Pair } from '../core/internals/crosscoder/config.ts';
import type { EngineApi } from '../../workers/engine-api.ts';
import { promptInput } from './profiler.ts';

/** What the crosscoder needs of an engine (an OnnxEngine, or a Comlink proxy of one). */
export type CrosscoderEngine = Pick<EngineApi, 'encode' | 'tokenTexts' | 'decode'> &
  Required<Pick<EngineApi, 'tapLayout' | 'activations' | 'logitLens'>>;
export interface Side {
  engine: CrosscoderEngine;
  info: ModelInfo;
}

/** Most float32 values kept per model (positions × hidden size): 32 MiB each. */
export const HARVEST_VALUES = 8 * 2 ** 20;
/**
 * The corpus adds at most this many positions per training-prompt position (and at least CORPUS_MIN): the prompts
 * are where the run compares the models, and a corpus many times their size drowns what differs there (measured on
 * forged-trigger: with all 300 documents, 27k positions, no exclusive latent formed in 600 steps; README).
 */
export const CORPUS_SHARE = 2;
export const CORPUS_MIN = 2048;
const ROWS_PER_CALL = 32;

export interface HarvestText {
  source: 'corpus' | 'prompt';
  promptId: string | null;
  /** Prompt texts: whose reply follows the prompt. */
  reply: 'a' | 'b' | null;
  /** Each model's token ids (the same array twice with one vocabulary). */
  ids: Pair<number[]>;
  /** Each model's tokens that belong to the prompt (0 for corpus documents). */
  promptTokens: Pair<number>;
  alignment: Alignment;
}

export interface Harvest {
  texts: HarvestText[];
  /** Training chunks (corpus then training prompts) and which text each is. */
  train: Pair<ActivationChunks>;
  trainTexts: number[];
  /** Which training chunks are replies (the corpus is not), for the reply-use candidates. */
  trainReplies: ReplyLayout;
  heldOut: HeldOut;
  sameVocabulary: boolean;
  /** Aligned positions over the longer tokenization's, over every text read. */
  rate: number;
  documents: number;
  notes: string[];
}

const userText = (p: Prompt) => p.prompt ?? p.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '';
const replyOf = (records: readonly ResponseRecord[]) =>
  new Map(records.filter((r) => (r.sample ?? 0) === 0).map((r) => [r.promptId, r]));

async function prepare(
  a: Side,
  b: Side,
  same: boolean,
  item: { text: string; promptText?: string; replyIds?: number[]; prompt?: Prompt },
): Promise<Omit<HarvestText, 'source' | 'promptId' | 'reply'>> {
  if (same) {
    const head = item.prompt
      ? await a.engine.encode(promptInput(item.prompt))
      : await a.engine.encode({ text: item.text });
    const ids = item.replyIds ? [...head, ...item.replyIds] : head;
    const n = item.prompt ? head.length : 0;
    return { ids: [ids, ids], promptTokens: [n, n], alignment: alignIdentical(ids) };
  }
  // Different vocabularies: the same characters, each model's own tokens of them (no chat template: the two
  // templates are different texts).
  const [idsA, idsB] = await Promise.all([a.engine.encode({ text: item.text }), b.engine.encode({ text: item.text })]);
  const [textsA, textsB] = await Promise.all([a.engine.tokenTexts(idsA), b.engine.tokenTexts(idsB)]);
  const ends = [tokenEnds(item.text, textsA), tokenEnds(item.text, textsB)] as const;
  const chars = item.promptText?.length ?? 0;
  const inPrompt = (e: Int32Array) => {
    let k = 0;
    while (k < e.length && e[k]! <= chars) k++;
    return chars === 0 ? 0 : k;
  };
  return {
    ids: [idsA, idsB],
    promptTokens: [inPrompt(ends[0]), inPrompt(ends[1])],
    alignment: alignByCharacters(ends[0], ends[1], { pairStart: true }),
  };
}

/** Each row's stream at `point`, [n, d] per row, read ROWS_PER_CALL rows at a time. */
async function read(engine: CrosscoderEngine, rows: number[][], point: number, done: () => void) {
  const out: Float32Array[] = [];
  for (let s = 0; s < rows.length; s += ROWS_PER_CALL) {
    const r = await engine.activations({ rows: rows.slice(s, s + ROWS_PER_CALL), points: [point] });
    let offset = 0;
    for (const n of r.lengths) {
      out.push(r.data[0]!.subarray(offset * r.hiddenSize, (offset + n) * r.hiddenSize));
      offset += n;
    }
    done();
  }
  return out;
}

export async function harvest(
  a: Side,
  b: Side,
  input: {
    points: Pair<number>;
    dims: Pair<number>;
    corpus: string[];
    train: readonly Prompt[];
    heldOut: readonly Prompt[];
    records: Pair<readonly ResponseRecord[]>;
    clusterOf: ReadonlyMap<string, number>;
  },
  options: { signal: AbortSignal; onProgress?: (done: number, total: number) => void; maxValues?: number },
): Promise<Harvest> {
  const same = a.info.tokenizerFingerprint === b.info.tokenizerFingerprint;
  const replies = [replyOf(input.records[0]), replyOf(input.records[1])] as const;
  const texts: HarvestText[] = [];
  const promptTexts = async (prompts: readonly Prompt[]) => {
    const at: number[] = [];
    for (const p of prompts) {
      for (const side of ['a', 'b'] as const) {
        const r = replies[side === 'a' ? 0 : 1].get(p.id);
        if (!r) continue;
        options.signal.throwIfAborted();
        const sep = p.tags?.includes('raw') || !p.messages ? '' : '\n';
        const promptText = userText(p) + sep;
        const t = await prepare(a, b, same, {
          text: promptText + r.text,
          promptText,
          replyIds: r.tokens.map((s) => s.id),
          prompt: p,
        });
        at.push(texts.length);
        texts.push({ source: 'prompt', promptId: p.id, reply: side, ...t });
      }
    }
    return at;
  };
  const trainPrompts = await promptTexts(input.train);
  const held = await promptTexts(input.heldOut);
  // The corpus fills what the memory cap leaves after the prompts, up to CORPUS_SHARE × the training prompts.
  const cap = Math.floor((options.maxValues ?? HARVEST_VALUES) / Math.max(...input.dims));
  const aligned = (ks: number[]) => ks.reduce((s, k) => s + texts[k]!.alignment.pairs.length / 2, 0);
  let used = texts.reduce((s, t) => s + t.alignment.pairs.length / 2, 0);
  const share = Math.max(CORPUS_MIN, CORPUS_SHARE * aligned(trainPrompts));
  let corpusUsed = 0;
  const corpus: number[] = [];
  const notes: string[] = [];
  for (const [i, doc] of input.corpus.entries()) {
    options.signal.throwIfAborted();
    const t = await prepare(a, b, same, { text: doc });
    const n = t.alignment.pairs.length / 2;
    if (used + n > cap) {
      notes.push(
        `Memory cap: ${i} of ${input.corpus.length} corpus documents read (${cap} positions per model at most).`,
      );
      break;
    }
    if (corpusUsed + n > share) {
      notes.push(
        `${i} of ${input.corpus.length} corpus documents read: the corpus adds at most ${CORPUS_SHARE}× the ` +
          `training prompts' positions (${share}), so that it does not drown where the models differ.`,
      );
      break;
    }
    used += n;
    corpusUsed += n;
    corpus.push(texts.length);
    texts.push({ source: 'corpus', promptId: null, reply: null, ...t });
  }
  const order = [...corpus, ...trainPrompts, ...held];
  const calls = Math.ceil(order.length / ROWS_PER_CALL);
  let done = 0;
  const tick = () => options.onProgress?.(++done, 2 * calls);
  const [xa, xb] = await Promise.all(
    [a, b].map((s, m) =>
      read(
        s.engine,
        order.map((i) => texts[i]!.ids[m]!),
        input.points[m]!,
        tick,
      ),
    ),
  );
  options.signal.throwIfAborted();
  const chunk = (k: number, m: 0 | 1) =>
    gatherRows(m === 0 ? xa![k]! : xb![k]!, input.dims[m], texts[order[k]!]!.alignment.pairs, m);
  const trainOrder = order.slice(0, corpus.length + trainPrompts.length);
  const sideOf = (ks: number[]) =>
    [0, 1].map((m) => ({
      dim: input.dims[m]!,
      chunks: ks.map((k) => chunk(k, m as 0 | 1)),
    })) as unknown as Pair<ActivationChunks>;
  const heldKs = held.map((_, i) => trainOrder.length + i);
  const heldIds = [...new Set(held.map((i) => texts[i]!.promptId!))];
  const replySide = (i: number) => (texts[i]!.reply === 'a' ? 0 : texts[i]!.reply === 'b' ? 1 : -1);
  const trainIds = [...new Set(trainPrompts.map((i) => texts[i]!.promptId!))];
  const counted = texts.reduce((s, t) => s + t.alignment.counted, 0);
  const longer = texts.reduce((s, t) => s + Math.max(t.ids[0].length, t.ids[1].length) - (same ? 0 : 1), 0);
  return {
    texts,
    train: sideOf(trainOrder.map((_, k) => k)),
    trainTexts: trainOrder,
    trainReplies: {
      side: trainOrder.map(replySide),
      prompt: trainOrder.map((i) => (texts[i]!.promptId === null ? -1 : trainIds.indexOf(texts[i]!.promptId!))),
      from: trainOrder.map((i) => texts[i]!.promptTokens[0]),
    },
    heldOut: {
      activations: sideOf(heldKs),
      chunkPrompt: held.map((i) => heldIds.indexOf(texts[i]!.promptId!)),
      prompts: heldIds.map((id) => ({ id, cluster: input.clusterOf.get(id) ?? -1 })),
      replies: { side: held.map(replySide), from: held.map((i) => texts[i]!.promptTokens[0]) },
    },
    sameVocabulary: same,
    rate: longer > 0 ? counted / longer : 0,
    documents: corpus.length,
    notes,
  };
}
