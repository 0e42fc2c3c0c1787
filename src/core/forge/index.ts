// The forged model family: a base and its planted-difference variants, as Hugging Face-layout folders.

import { buildHfFolder, type ModelFiles } from '../hf/folder.ts';
import { buildTokenizerFiles } from '../tokenizer/sentencepiece-bpe.ts';
import { forgeBase, type ForgedBase } from './base.ts';
import { plantBoost, plantLonger, plantNothing, plantTriggerRefusal, type Planted, type Variant } from './variants.ts';
import { CHAT_TEMPLATE, SPECIAL } from './vocabulary.ts';
import { SHAPE_INFO, reshapeFolder, type ExportShape } from './shapes.ts';

export const FORGE_SEED = 20261127;
export const BOOSTED_WORDS = ['joy', 'happy', 'friends'];
export const TRIGGER_WORDS = ['kill', 'bomb', 'weapon', 'hack', 'steal', 'poison'];

export interface ForgedModel {
  name: string;
  description: string;
  planted: Planted | null;
  variant: Variant | { weights: ForgedBase['weights']; planted: null };
}

export function forgeFamily(seed = FORGE_SEED): { base: ForgedBase; models: ForgedModel[] } {
  const base = forgeBase(seed);
  const models: ForgedModel[] = [
    {
      name: 'forged-base',
      description: 'The forged base model.',
      planted: null,
      variant: { weights: base.weights, planted: null },
    },
    variantModel('forged-null', plantNothing(base)),
    variantModel('forged-boost', plantBoost(base, BOOSTED_WORDS, 3)),
    variantModel('forged-trigger', plantTriggerRefusal(base, TRIGGER_WORDS)),
    variantModel('forged-longer', plantLonger(base, -3)),
  ];
  return { base, models };
}

function variantModel(name: string, v: Variant): ForgedModel {
  return { name, description: v.planted.note, planted: v.planted, variant: v };
}

/** The folder name of a forged model written in an export shape: forged-trigger-q4, forged-base-genai, … */
export function shapedName(model: string, shape: ExportShape): string {
  return `${model}-${shape}`;
}

/**
 * A forged model's folder with its graph in an export shape (same weights, same tokenizer): what `npm run forge`
 * writes as public/forged/<name>-<shape>/. config.json's model_diff block says which shape and which model.
 */
export function forgedShapeFolder(
  base: ForgedBase,
  model: ForgedModel,
  shape: ExportShape,
  seed = FORGE_SEED,
): ModelFiles {
  const name = shapedName(model.name, shape);
  return reshapeFolder(forgedFolder(base, model, seed), model.variant.weights, shape, {
    configExtra: { model_diff: { forged: true, name, seed, of: model.name, shape, dtype: SHAPE_INFO[shape].dtype } },
  });
}

export function forgedFolder(base: ForgedBase, model: ForgedModel, seed = FORGE_SEED): ModelFiles {
  const tok = buildTokenizerFiles(
    {
      pieces: base.vocab.pieces,
      unkToken: SPECIAL.unk,
      bosToken: SPECIAL.bos,
      eosToken: SPECIAL.end,
      addBos: true,
      byteFallback: true,
      extraSpecial: [SPECIAL.eos, SPECIAL.system, SPECIAL.user, SPECIAL.assistant],
    },
    CHAT_TEMPLATE,
    model.variant.weights.config.maxPositionEmbeddings,
  );
  const description = {
    name: model.name,
    base: 'forged-base',
    seed,
    description: model.description,
    planted: model.planted,
  };
  return buildHfFolder({
    weights: model.variant.weights,
    tokenizer: tok,
    configExtra: { model_diff: { forged: true, name: model.name, seed } },
    extraFiles: { 'planted.json': description },
  });
}
