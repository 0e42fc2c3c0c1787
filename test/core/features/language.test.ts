import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguage, extractLanguage } from '../../../src/core/features/language.ts';

const lang = (text: string) => detectLanguage(text).language;

test('Latin-script languages by stopwords', () => {
  assert.equal(lang('The weather is nice today and we are going to the park.'), 'en');
  assert.equal(lang('El clima está muy bien hoy y vamos a ir al parque con los niños.'), 'es');
  assert.equal(lang("Il fait beau aujourd'hui et nous allons au parc avec les enfants."), 'fr');
  assert.equal(lang('Das Wetter ist heute schön und wir gehen mit den Kindern in den Park.'), 'de');
  assert.equal(lang('Oggi il tempo è bello e andiamo al parco con i bambini della scuola.'), 'it');
  assert.equal(lang('O tempo está bom hoje e nós vamos ao parque com as crianças, não é?'), 'pt');
  assert.equal(lang('Het weer is vandaag mooi en we gaan met de kinderen naar het park.'), 'nl');
});

test('other scripts', () => {
  assert.equal(lang('今天天气很好，我们去公园吧。'), 'zh');
  assert.equal(lang('今日は天気がいいので、公園に行きましょう。'), 'ja');
  assert.equal(lang('Сегодня хорошая погода, пойдём в парк.'), 'ru');
  assert.equal(lang('Сьогодні гарна погода, ходімо в парк і їжмо морозиво.'), 'uk');
  assert.equal(lang('الطقس جميل اليوم، لنذهب إلى الحديقة.'), 'ar');
  assert.equal(lang('오늘 날씨가 좋아서 공원에 가요.'), 'ko');
  assert.equal(lang('Σήμερα ο καιρός είναι ωραίος.'), 'el');
  assert.equal(lang('आज मौसम अच्छा है।'), 'hi');
});

test('the dominant script wins over embedded code and English terms', () => {
  assert.equal(lang('我们可以用 Python 写一个简单的程序来计算平均值。\n```python\nprint("the mean is", x)\n```'), 'zh');
  assert.deepEqual(extractLanguage({ text: 'Voici la réponse : il faut utiliser la fonction `map` de JavaScript.' }), {
    language: 'fr',
    script: 'Latin',
  });
});

test('too little evidence is unknown', () => {
  assert.deepEqual(detectLanguage('Paris'), { language: 'unknown', script: 'Latin' });
  assert.deepEqual(detectLanguage('42 + 7'), { language: 'unknown', script: 'none' });
  assert.deepEqual(detectLanguage(''), { language: 'unknown', script: 'none' });
});
