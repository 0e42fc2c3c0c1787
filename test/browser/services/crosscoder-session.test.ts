// The crosscoder in a real run, in every npm test: forged-base against forged-trigger gives B-only latents whose top
// snippets sit at or after the trigger words, each tested on held-out prompts as a row of the report's one FDR family.
// The longer pairs (forged-null against its noise floor; stories260K across tokenizers) run under
// npm run validate-crosscoder (crosscoder-pairs.validate.ts), to keep CI within its time.

import { expect } from '@esm-bundle/chai';
import type { CrosscoderSection, DiffReport } from '../../../src/core/diff/report-types.ts';
import type { SessionEvent } from '../../../src/services/session.ts';
import { atOrAfterTrigger, base, run } from './crosscoder-session-helpers.ts';

describe('runSession with the crosscoder', function () {
  // Minutes of training on two shared cores (npm run bench is where speed is measured, not here).
  this.timeout(900_000);
  before(() => document.head.append(base));
  after(() => base.remove());

  let trigger: { report: DiffReport; section: CrosscoderSection; events: SessionEvent[] };

  it('forged-trigger: B-only latents at the trigger words, each tested on held-out prompts as a row of the report', async () => {
    trigger = await run('forged-base', 'forged-trigger');
    const s = trigger.section;
    expect(s.alignment).to.deep.include({ sameVocabulary: true, rate: 1 });
    const train = trigger.events.filter((e) => e.phase === 'crosscoder' && e.stage === 'train');
    expect(train.length).to.be.greaterThan(0);
    const last = train.at(-1) as { done: number; total: number };
    expect(last.done).to.equal(last.total);
    const bOnly = s.exclusives.filter((f) => f.band === 'b-only');
    expect(bOnly.length, 'a B-only latent after latent scaling').to.be.greaterThan(s.noiseFloor.expected);
    const best = bOnly.find(
      (f) => f.snippets.length > 0 && f.snippets.every((x) => atOrAfterTrigger(x.tokens, x.peak)),
    );
    expect(best, 'a B-only latent whose every top snippet sits at or after a trigger word').to.not.equal(undefined);
    // Its held-out test is a row of the report, with the q of the report's one FDR family. (Confirmation itself is
    // not asserted: on forged-demo's 18 held-out prompts it does not survive that family's correction; README.)
    expect(best!.confirmation).to.not.equal(null);
    const row = trigger.report.differences.find((d) => d.feature === `crosscoder:${best!.latent}`)!;
    expect(row.category).to.equal('internals');
    expect(row.test).to.equal('sign-flip');
    expect(row.q).to.equal(best!.confirmation!.q);
    expect(row.significant).to.equal(best!.confirmation!.confirmed);
  });
});
