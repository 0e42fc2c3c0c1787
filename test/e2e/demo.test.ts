// The offline first screen: it offers the forged demo pairs; one click runs a real diff of one in this browser, and
// beside the report a panel says what was planted and that the report found it. The report reads in order: the
// verdict and the first behaviour on screen before the statistical rows, which are folded and open on a click. Then
// Share: the link reopens the same report with the same prompt open. The N-way view on the page (?models=) puts the
// null twin at distance 0.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ElementHandle, Page } from 'puppeteer-core';
import type { DiffReport } from '../../src/core/diff/report-types.ts';
import { openRecorded, screenshot, useSite, waitForReport } from './harness.ts';

const site = useSite();

/** A path through shadow roots from the app, as a JS expression for waitForFunction/evaluate. */
const md = "document.querySelector('model-diff-app').shadowRoot.querySelector('model-diff')";
const planted = `${md}?.querySelector('md-planted')`;

/** What the reader sees first: the verdict, the first behaviour and the folded rows, where they are and whether shown. */
const FIRST_SCREEN = `(() => {
  const root = ${md}.shadowRoot;
  const list = root.querySelector('md-behaviour-list');
  const verdict = list.shadowRoot.querySelector('.verdict');
  const first = list.shadowRoot.querySelector('li.behaviour');
  const tests = root.querySelector('details.tests');
  const hunks = tests.querySelector('md-hunk-list');
  const header = root.querySelector('md-report-header').shadowRoot.querySelector('.headline');
  const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
  return {
    headline: text(header),
    badge: text(verdict.querySelector('.badge')),
    verdictShown: verdict.checkVisibility(),
    firstShown: first.checkVisibility(),
    firstSentence: text(first.querySelector('.sentence')),
    firstCategory: text(first.querySelector('.tag.category')),
    verdictTop: verdict.getBoundingClientRect().top,
    firstTop: first.getBoundingClientRect().top,
    testsTop: tests.getBoundingClientRect().top,
    inOrder: (list.compareDocumentPosition(tests) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
    open: tests.open,
    hunksShown: hunks.checkVisibility(),
    summary: text(tests.querySelector('summary')),
  };
})()`;

interface FirstScreen {
  headline: string;
  badge: string;
  verdictShown: boolean;
  firstShown: boolean;
  firstSentence: string;
  firstCategory: string;
  verdictTop: number;
  firstTop: number;
  testsTop: number;
  inOrder: boolean;
  open: boolean;
  hunksShown: boolean;
  summary: string;
}

async function verdicts(page: Page) {
  await page.waitForFunction(`${planted}?.shadowRoot?.querySelector('li[data-signal]')`, {
    polling: 'raf',
    timeout: 0,
  });
  return page.evaluate(
    `Object.fromEntries([...${planted}.shadowRoot.querySelectorAll('li[data-signal]')].map((li) =>
      [li.dataset.signal, li.querySelector('.verdict').textContent.trim()]))`,
  ) as Promise<Record<string, string>>;
}

test('first screen: the demo pair runs offline, and the panel says the planted refusal was found', async () => {
  const page = await openRecorded(site.browser, site.preview.url);
  const links = await page.evaluate(() =>
    [...document.querySelector('model-diff-app')!.shadowRoot!.querySelectorAll<HTMLAnchorElement>('.demo a')].map((a) =>
      a.getAttribute('href'),
    ),
  );
  assert.equal(links.length, 4);
  assert.ok(
    links.every((h) => /a=forged-base&b=forged-[a-z]+&prompts=forged-demo.*run=1/.test(h!)),
    links.join(),
  );
  const started = Date.now();
  // The click runs the demo in place (no reload): the link's state goes into the URL and history.
  await page.evaluate(() =>
    document.querySelector('model-diff-app')!.shadowRoot!.querySelector<HTMLAnchorElement>('.demo a')!.click(),
  );
  assert.match(new URL(page.url()).search, /a=forged-base&b=forged-trigger&prompts=forged-demo.*run=1/);
  const report = await waitForReport<DiffReport>(page);
  assert.deepEqual(await verdicts(page), { 'refusal on trigger words': '✓ found' });
  console.log(`demo: forged-base ⟷ forged-trigger, 36 prompts, report and verdict in ${Date.now() - started} ms`);
  const text = (await page.evaluate(`${planted}.shadowRoot.textContent`)) as string;
  assert.match(text.replace(/\s+/g, ' '), /1 of 1 planted signal found\. No false discoveries/);
  await screenshot(page, 'demo-trigger');

  // Reading order: the verdict and the first behaviour show before the statistical rows, which are one click away.
  const seen = (await page.evaluate(FIRST_SCREEN)) as FirstScreen;
  const n = report.behaviours.length;
  assert.ok(report.verdict && n > 0, 'the report has a verdict and behaviours');
  assert.equal(seen.badge, 'Differs');
  assert.equal(seen.headline, `${n} behaviour${n === 1 ? '' : 's'} changed`);
  assert.equal(seen.firstSentence, report.behaviours[0]!.sentence);
  assert.equal(seen.firstCategory, 'Safety');
  assert.match(seen.firstSentence, /refuses more often/);
  assert.ok(seen.verdictShown && seen.firstShown, 'verdict and first behaviour are shown');
  assert.ok(seen.inOrder && seen.verdictTop < seen.firstTop && seen.firstTop < seen.testsTop, JSON.stringify(seen));
  const significant = report.differences.filter((d) => d.significant).length;
  assert.equal(seen.summary, `All tested features (${report.differences.length} tests, ${significant} significant)`);
  assert.equal(seen.open, false);
  assert.equal(seen.hunksShown, false, 'the rows are folded');
  const summary = (await page.evaluateHandle(
    `${md}.shadowRoot.querySelector('details.tests > summary')`,
  )) as ElementHandle<Element>;
  await summary.click(); // a real click, at the summary's place on the page
  await page.waitForFunction(`${md}.shadowRoot.querySelector('details.tests md-hunk-list').checkVisibility()`, {
    polling: 'raf',
    timeout: 0,
  });
  assert.equal(((await page.evaluate(FIRST_SCREEN)) as FirstScreen).open, true);

  // Show an example prompt from the panel, then Share: the link reopens the report with that prompt open.
  await page.evaluate(
    `${planted}.shadowRoot.querySelector('li[data-signal="refusal on trigger words"] button').click()`,
  );
  const promptId = (await page.evaluate(`${md}.promptId`)) as string;
  assert.ok(promptId);
  await page.evaluate("document.querySelector('model-diff-app').shadowRoot.querySelector('.share button').click()");
  const link = (await (
    await page.waitForFunction(
      "document.querySelector('model-diff-app').shadowRoot.querySelector('.share input')?.value",
      { polling: 'raf', timeout: 0 },
    )
  ).jsonValue()) as string;
  assert.match(link, new RegExp(`prompt=${promptId}`));
  const again = await openRecorded(site.browser, link);
  await waitForReport(again);
  const shownId = await again.waitForFunction(
    `${md}.shadowRoot.querySelector('md-prompt-view')?.shadowRoot?.querySelector('.head .mono')?.textContent`,
    { polling: 'raf', timeout: 0 },
  );
  assert.equal(await shownId.jsonValue(), promptId);
  await again.close();
  await page.close();
});

test('the boost pair: the panel finds the three planted words, one vocabulary behaviour', async () => {
  const page = await openRecorded(
    site.browser,
    `${site.preview.url}?a=forged-base&b=forged-boost&prompts=forged-demo&max_new_tokens=24&run=1`,
  );
  await waitForReport(page);
  assert.deepEqual(await verdicts(page), { 'joy, happy, friends boosted': '✓ found' });
  await page.close();
});

test('?models=a,b,c on the page: the distance matrix, the null twin at 0 from its base', async () => {
  const page = await site.browser.newPage();
  await page.goto(
    `${site.preview.url}?models=forged-base,forged-null,forged-trigger&prompts=forged-demo&max_new_tokens=16&run=1`,
  );
  const nway = (await (
    await page.waitForFunction(
      "document.querySelector('model-diff-app').shadowRoot.querySelector('model-diff-matrix')?.nway",
      { polling: 'raf', timeout: 0 },
    )
  ).jsonValue()) as { distance: number[][] };
  assert.equal(nway.distance[0]![1], 0);
  assert.ok(nway.distance[0]![2]! > 0);
  await page.close();
});
