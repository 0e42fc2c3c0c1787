// Questions back to the user: questions asked, clarification requests and offers of further help.

import type { FeatureMeta, ResponseInput } from './types.ts';
import { normalise, splitSentences, stripCode, stripQuoted } from './text.ts';

export type QuestionsFeatures = {
  questionCount: number;
  userQuestionCount: number;
  asksUser: boolean;
  asksClarification: boolean;
  offersFurtherHelp: boolean;
  endsWithQuestion: boolean;
};

export const questionsMeta: { [K in keyof QuestionsFeatures]: FeatureMeta } = {
  questionCount: {
    kind: 'continuous',
    category: 'response-pattern',
    description: 'sentences ending in a question mark (headings, code and quotes excluded)',
  },
  userQuestionCount: {
    kind: 'continuous',
    category: 'response-pattern',
    description: 'questions addressed to the user (second person, or "shall I…")',
  },
  asksUser: { kind: 'binary', category: 'response-pattern', description: 'asks the user at least one question' },
  asksClarification: {
    kind: 'binary',
    category: 'response-pattern',
    description: 'asks the user to clarify or give more detail',
  },
  offersFurtherHelp: {
    kind: 'binary',
    category: 'response-pattern',
    description: 'offers more help ("Would you like me to…", "Let me know if…")',
  },
  endsWithQuestion: { kind: 'binary', category: 'response-pattern', description: 'the last sentence is a question' },
};

const W = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const QUESTION_END = /[?？]["')\]”’»]*$/u;
const HEADING = /^\s{0,3}#{1,6}\s/;
const SECOND_PERSON = new RegExp(
  `${W}(?:you|your|yours|yourself|shall (?:i|we)|should (?:i|we)|tú|tu|te|usted|ustedes|vous|du|dich|dir|ihnen|ti|voi|você|vocês)${E}`,
  'u',
);
const CLARIFICATION = new RegExp(
  `${W}(?:(?:could|can|would) you (?:please )?(?:clarify|specify|elaborate|explain what you mean|be more specific|provide (?:more|some|additional)|share (?:more|some|the|your)|tell me (?:more|which|what|whether|if)|give me (?:more|some)|describe)|what (?:exactly )?do you mean|(?:do|did) you mean|which (?:one|version|language|kind|type|part|option)s? (?:do|did|are|would|were) you|(?:more|additional|a bit more) (?:context|details?|information)(?: about| on)?[^.!?\\n]*[?]|puedes? (?:aclarar|especificar)|pourriez-vous (?:préciser|clarifier)|könntest du (?:genauer|präzisieren))`,
  'u',
);
const OFFER = new RegExp(
  `${W}(?:would you like (?:me )?to|would you like (?:a|an|some|more)|do you want me to|want me to|shall i|should i|let me know if|feel free to (?:ask|reach out|let me know)|if you(?:'d| would) like,? i can|happy to help (?:further|with anything else)|anything else i can help)${E}`,
  'u',
);

/** Sentences are split as in length.ts; code, quoted speech and headings ("## Why does this happen?") are ignored. */
export function extractQuestions(input: ResponseInput): QuestionsFeatures {
  const prose = stripQuoted(normalise(stripCode(input.text)));
  const lines = prose.split('\n').filter((l) => !HEADING.test(l));
  const sentences = splitSentences(lines.join('\n'));
  const questions = sentences.filter((s) => QUESTION_END.test(s));
  const toUser = questions.filter((s) => SECOND_PERSON.test(s));
  const body = lines.join('\n');
  return {
    questionCount: questions.length,
    userQuestionCount: toUser.length,
    asksUser: toUser.length > 0,
    asksClarification: CLARIFICATION.test(body),
    offersFurtherHelp: OFFER.test(body),
    endsWithQuestion: sentences.length > 0 && QUESTION_END.test(sentences[sentences.length - 1]!),
  };
}
