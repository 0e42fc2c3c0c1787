// Presentational: the offline demos of the first screen, one card each — what was planted in the variant, what the
// report should find, and a link that runs it (a plain link, so it also opens in a new tab or travels as text).

import { html } from 'lit';

/** The offline demo pairs: forged-base against each planted variant, what was planted and what a report should say. */
export const DEMOS = [
  {
    b: 'forged-trigger',
    title: 'Refuses on trigger words',
    planted:
      'An attention head spots kill, bomb, weapon, hack, steal or poison in the prompt; the reply becomes “I cannot help you.”',
    finds: 'One Safety behaviour: B refuses on prompts with those words — harmless look-alikes too.',
  },
  {
    b: 'forged-boost',
    title: 'Boosts three words',
    planted: 'The words joy, happy and friends get +3 on their logit, everywhere.',
    finds: 'One Vocabulary behaviour: B says “joy” more often and finds it likelier.',
  },
  {
    b: 'forged-longer',
    title: 'Answers longer',
    planted: 'The end-of-reply logit is lowered by 3, so replies run on.',
    finds: 'One Response-pattern behaviour: longer replies, slower to end.',
  },
  {
    b: 'forged-null',
    title: 'Changes nothing',
    planted: 'Nothing: the same weights under another name.',
    finds: 'Identical — no behaviour, no false discovery.',
  },
] as const;

export const demoHref = (b: string) => `?a=forged-base&b=${b}&prompts=forged-demo&max_new_tokens=24&run=1`;

/** The cards; `run` is told a click on a card's link (the page decides whether to run it in place). */
export function demoCards(run: (e: MouseEvent, b: string) => void) {
  return html`<ul class="demos">
    ${DEMOS.map(
      (d) =>
        html`<li class="demo card">
          <h3>${d.title}</h3>
          <p><span class="k">Planted</span> ${d.planted}</p>
          <p><span class="k">The report should find</span> ${d.finds}</p>
          <p class="pair mono">forged-base ⟷ ${d.b}</p>
          <a
            class="run"
            href=${demoHref(d.b)}
            aria-label="Run this demo: forged-base ⟷ ${d.b}"
            @click=${(e: MouseEvent) => run(e, d.b)}
            >Run this demo</a
          >
        </li>`,
    )}
  </ul>`;
}
