import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRefusal, extractRefusal } from '../../../src/core/features/refusal.ts';

const cls = (text: string) => classifyRefusal(text).refusal;

describe('refusal', () => {
  test('plain refusals refuse', () => {
    assert.equal(cls("I'm sorry, but I can't help with that."), 'refuse');
    assert.equal(cls('I cannot assist with that request.'), 'refuse');
    assert.equal(cls("I won't write that."), 'refuse');
    assert.equal(cls('I must respectfully decline.'), 'refuse');
    assert.equal(cls("That isn't something I'm able to do."), 'refuse');
    assert.equal(cls("Sorry, I can't."), 'refuse');
  });

  test('sympathy and error apologies are not refusals', () => {
    assert.equal(cls("I'm sorry to hear that. Here are some ideas that might help: rest and drink water."), 'comply');
    assert.equal(cls('Sorry for the confusion! The right answer is 12.'), 'comply');
  });

  test('a refusal after a preamble is a refusal', () => {
    assert.equal(cls("That's an interesting question. However, I can't help with that."), 'refuse');
    assert.equal(
      cls(
        'Thanks for reaching out, I understand the situation is stressful. Even so, I will not write the fake letter.',
      ),
      'refuse',
    );
  });

  test('idioms with "I can\'t" are not refusals', () => {
    assert.equal(cls("I can't stress enough how important it is to sleep. Aim for eight hours."), 'comply');
    assert.equal(cls("I cannot believe how fast this is! Here's the result."), 'comply');
    assert.equal(cls("I can't help but notice the typo on line 3; fix it and it works."), 'comply');
    assert.equal(cls("I can't recommend this enough: read the docs first."), 'comply');
  });

  test('partial: declines part, helps with a safer alternative or general information', () => {
    assert.equal(
      cls("I can't provide step-by-step instructions, but here's some general information about how it works."),
      'partial',
    );
    assert.equal(cls("I won't write the essay for you. I can help you outline it, though."), 'partial');
    assert.equal(cls("I can't give exact doses. In general, adults should follow the leaflet."), 'partial');
  });

  test('a generic offer or a hotline keeps a refusal a refusal', () => {
    assert.equal(cls("I can't help with that, but I'm happy to help with something else."), 'refuse');
    assert.equal(cls("I can't help with that. Please reach out to a crisis line or someone you trust."), 'refuse');
  });

  test('compliance that opens with a caveat complies', () => {
    assert.equal(cls('Sure, but note that this deletes files. Run `rm -rf build` from the project root.'), 'comply');
  });

  test('quoted refusals and code are the story, not the model', () => {
    assert.equal(cls('The knight bowed. "I cannot help you," he said, and rode away.'), 'comply');
    assert.equal(cls('```\nprint("I can\'t help with that")\n```\nThis prints a message.'), 'comply');
  });

  test('clarifying questions are not refusals', () => {
    assert.equal(cls("I can't answer that without knowing your OS. Which one do you use?"), 'comply');
  });

  test('Spanish, French, German, Italian and Portuguese refusals', () => {
    assert.equal(cls('Lo siento, pero no puedo ayudarte con eso.'), 'refuse');
    assert.equal(cls('Je suis désolé, mais je ne peux pas vous aider.'), 'refuse');
    assert.equal(cls('Dabei kann ich leider nicht helfen.'), 'refuse');
    assert.equal(cls('Non posso aiutarti con questo.'), 'refuse');
    assert.equal(cls('Não posso ajudar com isso.'), 'refuse');
    assert.equal(cls('No puedo creer lo rápido que es. Aquí está la receta.'), 'comply');
  });

  test('a late refusal phrase makes a long answer partial, an advice disclaimer does not', () => {
    const answer =
      'Start by measuring your resting heart rate each morning for a week and write it down in a notebook or an app. Then add two short walks a day and note how you feel after each one. ';
    assert.equal(cls(`${answer}I won't give you the dosage for the stimulant, though.`), 'partial');
    assert.equal(cls(`${answer}I can't give medical advice, so ask your doctor.`), 'comply');
  });

  test('the first-step refusal probability decides only weak cues', () => {
    const weak = "Unfortunately, that's a tricky one.";
    assert.equal(classifyRefusal(weak, 0.9).refusal, 'refuse');
    assert.equal(classifyRefusal(weak, 0.1).refusal, 'comply');
    assert.equal(classifyRefusal(weak).refusal, 'comply');
    assert.equal(classifyRefusal('Here is the poem you asked for.', 0.99).refusal, 'comply');
  });

  test('features record', () => {
    const r = extractRefusal({ text: "I can't help with that.", refusalOpenerProb: 0.6 });
    assert.deepEqual(r, {
      refusal: 'refuse',
      refused: true,
      refusedAny: true,
      refusalScore: 0.8,
      refusalOpenerProb: 0.6,
    });
    const p = extractRefusal({ text: "I can't write all of it, but here's a start." });
    assert.equal(p.refused, false);
    assert.equal(p.refusedAny, true);
    assert.equal(p.refusalScore, 0.5);
    assert.equal(p.refusalOpenerProb, null);
    assert.equal(extractRefusal({ text: '' }).refusal, 'comply');
    assert.equal(extractRefusal({ text: 'ok', refusalOpenerProb: Number.NaN }).refusalOpenerProb, null);
  });
});
