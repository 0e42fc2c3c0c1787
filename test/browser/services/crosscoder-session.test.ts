// The crosscoder in a real run, in every npm test: forged-base against forged-trigger gives B-only latents whose top
// snippets sit at or after the trigger words, confirmed on held-out prompts as rows of the report's one FDR family —
// on a prompt set with enough independent trigger prompts for the held-out test to have power (triggerPowerSet).
// The longer pairs (forged-null against its noise floor; stories260K across tokenizers) run under
// npm run validate-crosscoder (crosscoder-pairs.validate.ts), to keep CI within its time.

import { expect } from '@esm-bundle/chai';
import type { CrosscoderSection, DiffReport } from '../../../src/core/diff/report-types.ts';
import type { SessionEvent } from '../../../src/services/session.ts';
import { atOrAfterTrigger, base, run, triggerPowerSet } from './crosscoder-session-helpers.ts';

describe('runSession with the crosscoder', function () {
  // Minutes of training on two shared cores (npm run bench is where speed is measured, not here).
  this.timeout(900_000);
  before(() => document.head.append(base));
  after(() => base.remove());

  let trigger: { report: DiffReport; section: CrosscoderSection; events: SessionEvent[] };

  it('forged-trigger: a B-only latent at the trigger words, confirmed on held-out prompts in the report', async () => {
    const set = triggerPowerSet();
    trigger = await run('forged-base', 'forged-trigger', set);
    const s = trigger.section;
    expect(s.alignment).to.deep.include({ sameVocabulary: true, rate: 1 });
    const train = trigger.events.filter((e) => e.phase === 'crosscoder' && e.stage === 'train');
    expect(train.length).to.be.greaterThan(0);
    const last = train.at(-1) as { done: number; total: number };
    expect(last.done).to.equal(last.total);
    const bOnly = s.exclusives.filter((f) => f.band === 'b-only');
    expect(bOnly.length, 'a B-only latent after latent scaling').to.be.greaterThan(s.noiseFloor.expected);
    const best = bOnly.find((f) => f.snippets.length > 0 && f.snippets.every((x) => atOrAfterTrigger(x, set)));
    expect(best, 'a B-only latent whose every top snippet sits at or after a trigger word').to.not.equal(undefined);
    // Its held-out test is a row of the report, with the q of the report's one FDR family, and it is confirmed there.
    expect(best!.confirmation).to.not.equal(null);
    const row = trigger.report.differences.find((d) => d.feature === `crosscoder:${best!.latent}`)!;
    expect(row.category).to.equal('internals');
    expect(row.test).to.equal('sign-flip');
    expect(row.q).to.equal(best!.confirmation!.q);
    expect(row.significant).to.equal(best!.confirmation!.confirmed);
    expect(best!.confirmation!.confirmed, `held-out p ${best!.confirmation!.p}, q ${row.q}`).to.equal(true);
    expect(row.effect, 'B holds more of its direction than A').to.be.greaterThan(0);
  });
});
