// Page probes for end-to-end tests of the built site: a page that records the element's events from its first
// script, its outcome, the messages it shows, the records in its IndexedDB, and real user input (files, clicks).
// Every wait is on an event or a frame; a timer only bounds a wait, so that a stall fails saying where it stood.

import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import type { DiffReport } from '../../src/core/diff/report-types.ts';

/**
 * A page at url, recording from the start the element's events (report, error, prompts done, models loaded) and
 * CSP violations in window.__report, __error, __done, __loaded and __csp.
 */
export async function openWatched(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as Record<string, unknown>;
    w['__csp'] = [];
    w['__done'] = 0;
    w['__loaded'] = 0;
    document.addEventListener('securitypolicyviolation', (e) =>
      (w['__csp'] as string[]).push(`${e.violatedDirective} ${e.blockedURI}`),
    );
    document.addEventListener('model-diff-ready', (e) => (w['__report'] = (e as CustomEvent).detail.report));
    document.addEventListener('model-diff-error', (e) => (w['__error'] = (e as CustomEvent).detail.message));
    document.addEventListener('model-diff-progress', (e) => {
      const d = (e as CustomEvent).detail as { phase: string; progress?: { done: number } };
      if (d.phase === 'profile') w['__done'] = d.progress!.done;
      if (d.phase === 'loaded') w['__loaded'] = (w['__loaded'] as number) + 1;
    });
  });
  await page.goto(url);
  return page;
}

/** Waits, frame by frame, until the element has finished (report or error); returns which. `timeout` 0: no limit. */
export async function outcome(page: Page, timeout = 0): Promise<{ report?: DiffReport; error?: string }> {
  await page.waitForFunction('window.__report || window.__error', { polling: 'raf', timeout });
  return page.evaluate(() => {
    const w = window as unknown as { __report?: DiffReport; __error?: string };
    return { ...(w.__report && { report: w.__report }), ...(w.__error && { error: w.__error }) };
  });
}

/** Every message box the page shows (app and element), once both have rendered. */
export async function shownMessages(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    type Lit = Element & { updateComplete?: Promise<unknown> };
    const app = document.querySelector<Lit>('model-diff-app');
    const md = app?.shadowRoot?.querySelector<Lit>('model-diff') ?? document.querySelector<Lit>('model-diff');
    await app?.updateComplete;
    await md?.updateComplete;
    return [app?.shadowRoot, md?.shadowRoot].flatMap((root) =>
      [...(root?.querySelectorAll('.error') ?? [])].map((e) => e.textContent!.trim()),
    );
  });
}

/** Waits, frame by frame, until the page shows a message; returns all it shows. */
export async function messageShown(page: Page): Promise<string[]> {
  await page.waitForFunction(
    `[document.querySelector('model-diff-app')?.shadowRoot, document.querySelector('model-diff-app')?.shadowRoot
      ?.querySelector('model-diff')?.shadowRoot].some((r) => r?.querySelector('.error'))`,
    { polling: 'raf', timeout: 0 },
  );
  return shownMessages(page);
}

/** key → JSON of every record in the profile store (idb-keyval's database), read with IndexedDB itself. */
export async function storedRecords(page: Page): Promise<Map<string, string>> {
  const entries = await page.evaluate(
    () =>
      new Promise<[string, string][]>((resolve, reject) => {
        const req = indexedDB.open('model-diff');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction('records', 'readonly');
          const keys = tx.objectStore('records').getAllKeys();
          const values = tx.objectStore('records').getAll();
          tx.oncomplete = () => {
            db.close();
            resolve(keys.result.map((k, i) => [String(k), JSON.stringify(values.result[i])]));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  return new Map(entries);
}

/** Picks a file in one of the page's file inputs (found through shadow roots), as a user does. */
export async function pickFile(page: Page, input: string, path: string): Promise<void> {
  const el = (await page.$(`pierce/input[type=file]${input}`)) as ElementHandle<HTMLInputElement>;
  await el.uploadFile(path);
}

/** Clicks the element's button with this label (a real click, inside its shadow root). */
export async function click(page: Page, label: string): Promise<void> {
  const button = await page.waitForSelector(`::-p-aria([name="${label}"][role="button"])`);
  await button!.click();
}
