// The crosscoder's longer pairs in a real run, under npm run validate-crosscoder (not in every npm test: minutes of
// training each): forged-null gives exclusives within the noise floor and none confirmed; stories260K (../shared/data;
// skipped when absent) against a forged model trains on positions aligned by character, with the rate printed;
// forged-trigger on forged-demo measures the noise floor in the run (A against A) and says where held-out power is
// too low; stories260K against its bird fine-tune is read the same way (birds in the top snippets printed).

import { expect } from '@esm-bundle/chai';
import type { CrosscoderFeature } from '../../../src/core/diff/report-types.ts';
import { SHARED, sharedFile } from '../helpers.ts';
import { base, run } from './crosscoder-session-helpers.ts';

describe('runSession with the crosscoder: longer pairs', function () {
  this.timeout(900_000);
  before(() => document.head.append(base));
  after(() => base.remove());

  it('forged-null: exclusives within the noise floor, none confirmed', async () => {
    const { section: s } = await run('forged-base', 'forged-null');
    expect(s.exclusives.length).to.be.at.most(Math.max(1, 2 * s.noiseFloor.expected));
    expect(s.exclusives.filter((f) => f.confirmation?.confirmed)).to.deep.equal([]);
  });

  it('forged-demo: the noise floor trained in the run, and a held-out power note where the test cannot reach p', async () => {
    const { section: s } = await run('forged-base', 'forged-trigger', 'forged-demo', { noiseFloor: true });
    expect(s.noiseFloor.method).to.match(/trained in this run/);
    console.log(`in-run noise floor (forged-base against itself, seed 2): ${s.noiseFloor.expected} genuine exclusives`);
    const weak = s.exclusives.filter((f) => f.confirmation && !f.confirmation.confirmed);
    if (weak.length) expect(s.notes.some((n) => n.startsWith('Held-out power'))).to.equal(true);
  });

  it('stories260K against its bird fine-tune: trains, reads, and prints how many top snippets mention birds', async function () {
    if (!(await sharedFile('stories260K-bird/stories260K-bird.bin'))) {
      console.warn('../shared/data/stories260K-bird is absent: skipped.');
      this.skip();
    }
    const tok = `${SHARED}stories260K/tok512.bin`;
    const a = `llama2c:${SHARED}stories260K/stories260K.bin,${tok}`;
    const b = `llama2c:${SHARED}stories260K-bird/stories260K-bird.bin,${tok}`;
    // The middle point (the default) and the last one, where the node measurement found a shifted latent whose
    // every top snippet is about birds (crosscoder-pairs.test.ts prints both).
    await readBirds(a, b, undefined);
    // At the last point, with the app's reply length. One training run (the dense step graph) found a latent chosen
    // for firing more on B's own replies whose 5 top snippets sat at "b[ir]d", confirmed on the held-out replies
    // (effect +0.22, q 0.016); the same run after the sparse step graph (the same sums in another order, so another
    // training trajectory) found none. So no bird latent is asserted: a finding that one trajectory gives and the
    // next does not is not the method's. What holds in both: the fine-tune's changes are found and confirmed —
    // candidates leaning to B, confirmed on held-out prompts. How many top snippets name a bird is printed.
    const found = await readBirds(a, b, 5);
    const confirmedB = found.filter((f) => f.feature.confirmation?.confirmed && f.leansTo === 'B');
    expect(confirmedB.length, 'confirmed candidates leaning to the fine-tune').to.be.greaterThan(0);
    const birdy = found.filter((f) => f.birds >= 3 && f.feature.confirmation?.confirmed);
    console.log(
      `  bird pair at point 5: ${confirmedB.length} confirmed candidates lean to B; ${birdy.length} confirmed with ≥ 3 ` +
        'of 5 top snippets naming a bird',
    );
  });
});

async function readBirds(a: string, b: string, layer: number | undefined) {
  const found: { feature: CrosscoderFeature; birds: number; leansTo: 'A' | 'B' }[] = [];
  {
    // 48 new tokens: the app's default (16 elsewhere here, for time).
    const { report, section: s } = await run(a, b, 'stories', {
      maxNewTokens: 48,
      ...(layer === undefined ? {} : { layer }),
    });
    console.log(`  bird pair at stream point ${s.points[1]}:`);
    expect(s.alignment.sameVocabulary).to.equal(true);
    for (const f of [...s.exclusives, ...s.changed]) {
      const birds = f.snippets.filter((x) => /bird/i.test(x.tokens.map((t) => t.text).join(''))).length;
      // The model it leans to: the side of its held-out test in the report's differences (B − A orientation).
      const d = report.differences.find((x) => x.feature === `crosscoder:${f.latent}`);
      found.push({ feature: f, birds, leansTo: d && d.meanB > d.meanA ? 'B' : 'A' });
      console.log(
        `  bird pair: ${f.band} latent ${f.latent}: ${birds}/${f.snippets.length} top snippets mention a bird; ` +
          `confirmed ${f.confirmation?.confirmed ?? '–'}` +
          (f.confirmation?.statistic === 'replies'
            ? ` (by replies, effect ${f.confirmation.effect.toPrecision(2)}, q ${f.confirmation.q.toPrecision(2)}); ` +
              `raises ${JSON.stringify(f.decoderTokens.slice(0, 6))}; ` +
              JSON.stringify(
                f.snippets
                  .slice(0, 3)
                  .map((x) => x.tokens.map((t, i) => (i === x.peak ? `[${t.text}]` : t.text)).join('')),
              )
            : ''),
      );
    }
  }
  return found;
}

describe('runSession with the crosscoder: across tokenizers', function () {
  this.timeout(900_000);
  before(() => document.head.append(base));
  after(() => base.remove());

  it('cross-tokenizer: stories260K against a forged model trains on character-aligned positions', async function () {
    if (!(await sharedFile('stories260K/tok512.bin'))) {
      console.warn('../shared/data/stories260K is absent: skipped.');
      this.skip();
    }
    const spec = `llama2c:${SHARED}stories260K/stories260K.bin,${SHARED}stories260K/tok512.bin`;
    const { section: s } = await run(spec, 'forged-base', 'smoke');
    expect(s.alignment.sameVocabulary).to.equal(false);
    expect(s.alignment.rate).to.be.greaterThan(0);
    expect(s.hiddenSizes[0]).to.not.equal(s.hiddenSizes[1]);
    expect(s.steps).to.be.greaterThan(0);
  });
});
