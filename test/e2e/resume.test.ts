// Profiles are never lost: close the page, reload it or kill a model's worker mid-profile, and the run resumes from
// IndexedDB — finished prompts are not recomputed (engine calls counted) and the report equals an uninterrupted run's.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
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

/** Records in the profile store (this context's IndexedDB), read with IndexedDB itself. */
function storedCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open('model-diff');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const count = db.objectStoreNames.contains('records')
            ? db.transaction('records').objectStore('records').count()
            : null;
          if (!count) return (resolve(0), db.close());
          count.onsuccess = () => (resolve(count.result), db.close());
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

/** Presses the element's Run button (a real click), as a user does after a failure or a reload. */
async function pressRun(page: Page): Promise<void> {
  const button = await page.waitForSelector('::-p-aria([name="Run"][role="button"])');
  await button!.click();
}

describe('a run interrupted mid-profile resumes with zero finished prompts recomputed', () => {
  // 36 prompts in 5 groups of up to 8: an interruption after the first group leaves four still to run.
  const query = '?a=forged-base&b=forged-longer&prompts=forged-demo&max_new_tokens=16';
  const n = 36;
  let reference: Ready;

  before(async () => {
    const fresh = await site.browser.createBrowserContext();
    reference = await waitReady(await openRecorded(fresh, `${site.preview.url}${query}&run=1`));
    assert.deepEqual(reference.stats, { computed: 4 * n, cached: 0 });
    await fresh.close();
  });

  /** After the interruption: count what is stored, press Run, and check every stored record was reused. */
  async function resumeExactly(page: Page, done: number) {
    const stored = await storedCount(page);
    assert.ok(stored >= 4 * done, `${stored} records stored, ${done} prompts were finished`);
    assert.ok(stored < 4 * n, 'interrupted before the end');
    const ready = new Promise<Ready>((resolve, reject) => void waitReady(page).then(resolve, reject));
    await pressRun(page);
    const resumed = await ready;
    assert.equal(resumed.stats.cached, stored, 'every stored record is reused');
    assert.equal(resumed.stats.computed, 4 * n - stored, 'only what was not stored is computed');
    assert.deepEqual(resumed.report, reference.report);
    console.log(
      `interrupted after ${done} prompts: ${stored} records stored; resumed: ${JSON.stringify(resumed.stats)}`,
    );
  }

  test("a model's worker is killed: the page says so, and Run continues", async () => {
    const context = await site.browser.createBrowserContext();
    const page = await openRecorded(context, site.preview.url + query);
    const reached = waitForPrompts(page, 5);
    await pressRun(page);
    const done = await reached;
    const worker = page.workers().find((w) => w.url().includes('onnx.worker'));
    assert.ok(worker, 'a model worker is running');
    await worker.close(); // the worker's context ends (self.close()): no error event, no message to the page
    await assert.rejects(waitForReport(page), /engine stopped unexpectedly .* press Run to continue where it stopped/);
    await page.evaluate(() => delete (window as unknown as Record<string, unknown>)['__mdError']);
    await resumeExactly(page, done);
    await context.close();
  });

  test('the page is reloaded: Run continues', async () => {
    const context = await site.browser.createBrowserContext();
    const page = await openRecorded(context, site.preview.url + query);
    const reached = waitForPrompts(page, 5);
    await pressRun(page);
    const done = await reached;
    await page.reload();
    await resumeExactly(page, done);
    await context.close();
  });
});
