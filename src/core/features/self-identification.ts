// Self-identification: the response saying it is an AI or language model, and which model name or maker it claims.

import type { FeatureMeta, ResponseInput } from './types.ts';
import { normalise, stripCode, stripQuoted } from './text.ts';

export type SelfIdentificationFeatures = {
  identifiesAsAI: boolean;
  namesSelf: boolean;
  selfName: string | null;
  selfMaker: string | null;
};

export const selfIdentificationMeta: { [K in keyof SelfIdentificationFeatures]: FeatureMeta } = {
  identifiesAsAI: {
    kind: 'binary',
    category: 'response-pattern',
    description: 'says it is an AI, a language model, a chatbot or an assistant',
  },
  namesSelf: { kind: 'binary', category: 'response-pattern', description: 'claims a known model name for itself' },
  selfName: {
    kind: 'categorical',
    category: 'response-pattern',
    description: 'the model name it claims ("ChatGPT", "Llama"…), null when none',
  },
  selfMaker: {
    kind: 'categorical',
    category: 'response-pattern',
    description: 'the organisation it says made it, null when none',
  },
};

/** Canonical spelling ← lower-case pattern. First person only: "ChatGPT is a chatbot" does not count. */
const MODEL_NAMES: readonly [string, string][] = [
  ['ChatGPT', 'chat ?gpt'],
  ['GPT-4', 'gpt-?4(?:o|\\.\\d)?'],
  ['GPT-3.5', 'gpt-?3\\.5'],
  ['GPT-3', 'gpt-?3'],
  ['GPT-2', 'gpt-?2'],
  ['Claude', 'claude'],
  ['Gemini', 'gemini'],
  ['Bard', 'bard'],
  ['Gemma', 'gemma'],
  ['TinyLlama', 'tinyllama'],
  ['Llama', 'llama(?:[- ]?\\d(?:\\.\\d)?)?'],
  ['Mistral', 'mistral'],
  ['Mixtral', 'mixtral'],
  ['Qwen', 'qwen(?:\\d(?:\\.\\d)?)?'],
  ['Phi', 'phi(?:-\\d(?:\\.\\d)?)'],
  ['DeepSeek', 'deepseek'],
  ['SmolLM', 'smollm\\d?'],
  ['Falcon', 'falcon'],
  ['Vicuna', 'vicuna'],
  ['Alpaca', 'alpaca'],
  ['Grok', 'grok'],
  ['Copilot', 'copilot'],
  ['OLMo', 'olmo'],
  ['Command R', 'command[- ]r\\+?'],
];

const MAKERS: readonly [string, string][] = [
  ['OpenAI', 'openai'],
  ['Anthropic', 'anthropic'],
  ['Google', 'google(?: deepmind)?|deepmind'],
  ['Meta', 'meta(?: ai)?|facebook'],
  ['Microsoft', 'microsoft'],
  ['Mistral AI', 'mistral ai'],
  ['Alibaba', 'alibaba(?: cloud)?|qwen team'],
  ['DeepSeek', 'deepseek'],
  ['Hugging Face', 'hugging ?face'],
  ['xAI', 'xai'],
  ['Cohere', 'cohere'],
  ['AI2', 'ai2|allen institute(?: for ai)?'],
  ['TII', 'technology innovation institute|tii'],
];

const W = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const AI_NOUN =
  '(?:ai|a\\.i\\.|artificial intelligence|(?:large )?language model|llm|chat ?bot|bot|(?:ai|virtual|digital|helpful|friendly) assistant|assistant(?= (?:designed|created|developed|trained|built|made|here)|[,.!;]|$)|machine learning model|computer program|neural network)';
const AI_CLAIM = new RegExp(
  `${W}(?:as an? (?:\\p{L}+ )?${AI_NOUN}|i(?:'m| am) (?:just |only |merely |simply |actually )?(?:an? |the |your )?(?:\\p{L}+ )?${AI_NOUN}|i(?:'m| am) not (?:a |an )?(?:human|person|real person)|being an? ${AI_NOUN}|soy (?:un|una) (?:modelo de lenguaje|asistente|ia|inteligencia artificial)|je suis (?:un|une) (?:modèle de langage|assistant|ia|intelligence artificielle)|ich bin (?:ein|eine) (?:sprachmodell|ki|assistent)|sono (?:un|una) (?:modello linguistico|assistente|ia|intelligenza artificiale)|sou (?:um|uma) (?:modelo de linguagem|assistente|ia|inteligência artificial))${E}`,
  'u',
);
const SELF_INTRO =
  "(?:i(?:'m| am)(?: called| named)?|my name is|my name's|call me|you can call me|me llamo|soy|je suis|je m'appelle|ich bin|ich heiße|mi chiamo|sono|eu sou|me chamo)";
const NAME_CLAIM = new RegExp(`${W}${SELF_INTRO},? (${MODEL_NAMES.map(([, p]) => `(?:${p})`).join('|')})${E}`, 'u');
const MAKER_CLAIM = new RegExp(
  `${W}(?:i (?:was|am|have been)|i'm|i've been)(?: [\\p{L}\\p{N}\\-.,']+){0,6}? (?:created|developed|trained|built|made|designed|released) by (?:the )?(?:team at |researchers at |engineers at |folks at )?(${MAKERS.map(([, p]) => `(?:${p})`).join('|')})${E}`,
  'u',
);

/** Claims made inside quotes (a story, a quoted chatbot) are the quoted speaker's, not the model's, and are ignored. */
export function extractSelfIdentification(input: ResponseInput): SelfIdentificationFeatures {
  const prose = stripQuoted(normalise(stripCode(input.text)));
  const name = NAME_CLAIM.exec(prose);
  const maker = MAKER_CLAIM.exec(prose);
  const selfName = name ? canonicalName(name[1]!, MODEL_NAMES) : null;
  return {
    identifiesAsAI: AI_CLAIM.test(prose) || selfName !== null,
    namesSelf: selfName !== null,
    selfName,
    selfMaker: maker ? canonicalName(maker[1]!, MAKERS) : null,
  };
}

function canonicalName(found: string, table: readonly [string, string][]): string | null {
  for (const [name, pattern] of table) if (new RegExp(`^(?:${pattern})$`, 'u').test(found)) return name;
  return null;
}
