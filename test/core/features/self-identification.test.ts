import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractSelfIdentification } from '../../../src/core/features/self-identification.ts';

const id = (text: string) => extractSelfIdentification({ text });

test('names itself and its maker', () => {
  assert.deepEqual(id("Hi! I'm Claude, an AI assistant made by Anthropic."), {
    identifiesAsAI: true,
    namesSelf: true,
    selfName: 'Claude',
    selfMaker: 'Anthropic',
  });
  const r = id('I am ChatGPT, a large language model trained by OpenAI.');
  assert.equal(r.selfName, 'ChatGPT');
  assert.equal(r.selfMaker, 'OpenAI');
  assert.equal(id('My name is Llama 3 and I was developed by Meta AI.').selfName, 'Llama');
  assert.equal(id('I was created by the Qwen team at Alibaba Cloud.').selfMaker, 'Alibaba');
});

test('says it is an AI without a name', () => {
  for (const text of [
    'As an AI language model, I have no opinions.',
    "I'm just a computer program.",
    'I am not a human, but I can help.',
    'Soy un modelo de lenguaje.',
  ]) {
    const r = id(text);
    assert.equal(r.identifiesAsAI, true, text);
    assert.equal(r.namesSelf, false, text);
  }
});

test('third-person mentions, story characters and humans do not count', () => {
  assert.deepEqual(id('ChatGPT is a chatbot made by OpenAI, and Claude is made by Anthropic.'), {
    identifiesAsAI: false,
    namesSelf: false,
    selfName: null,
    selfMaker: null,
  });
  assert.equal(id('"I am Gemini," said the robot in the story.').namesSelf, false);
  assert.equal(id('As an assistant professor, I grade exams.').identifiesAsAI, false);
  assert.equal(id('My name is Lily and I love cats.').namesSelf, false);
  assert.equal(id('I am happy to help.').identifiesAsAI, false);
});
