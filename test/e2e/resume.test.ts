// Profiles are never lost: close the page mid-profile, reopen it, and the run resumes from IndexedDB — finished
// prompts are not recomputed (engine calls counted) and the report equals an uninterrupted run's.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { DiffReport } from '../../src/core/diff/report-types.ts';
import { openRecorded, waitForReport, useSite } from './harness.ts';

const site = useSite();

type Ready = { report: DiffReport; stats: { computed: number; cached: number } };

async function waitReady(page: Page): Promise<Ready> {
  const report = await waitForReport<DiffReport>(page);
  const stats = await page.evaluate(
    () =>
      new Promise<Ready['stats']>((resolve) => resolve((window as unknown as { __mdStats: Ready['stats'] }).__mdStats)),
  );
  return { report, stats };
}

/** Resolves once the page reports at least `n` prompts profiled. */
function waitForPrompts(page: Page, n: number): Promise<number> {
  return page.evaluate(
    (n) =>
      new Promise<number>((resolve) => {
        document.addEventListener('model-diff-progress', (e) => {
          const d = (e as CustomEvent).detail as { phase: string; progress?: { done: number } };
          if (d.phase === 'profile' && d.progress!.done >= n) resolve(d.progress!.done);
        });
      }),
    n,
  );
}

test('closing the page mid-profile and reopening it recomputes nothing that was finished', async () => {
  const url = `${site.preview.url}?a=forged-base&b=forged-longer&prompts=core&run=1&max_new_tokens=32`;
  const n = 249;

  const fresh = await site.browser.createBrowserContext();
  const reference = await waitReady(await openRecorded(fresh, url));
  assert.equal(reference.stats.cached, 0);
  assert.equal(reference.stats.computed, 4 * n, 'two generations and two cross-scores per prompt');
  await fresh.close();

  const context = await site.browser.createBrowserContext();
  const first = await openRecorded(context, url);
  const reached = await waitForPrompts(first, 10);
  await first.close();
  const second = await openRecorded(context, url);
  const resumed = await waitReady(second);
  assert.ok(
    resumed.stats.cached >= 4 * reached,
    `reused ${resumed.stats.cached} records, ${reached} prompts were done`,
  );
  assert.ok(resumed.stats.computed > 0, 'the first page was closed before the end');
  assert.equal(resumed.stats.cached + resumed.stats.computed, 4 * n);
  assert.deepEqual(resumed.report, reference.report);
  await context.close();
});
