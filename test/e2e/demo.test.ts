// The offline first screen: it offers the forged demo pairs; one click runs a real diff of one in this browser, and
// beside the report a panel says what was planted and that the report found it. Then Share: the link reopens the
// same report with the same prompt open. The N-way view on the page (?models=) puts the null twin at distance 0.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { openRecorded, screenshot, useSite, waitForReport } from './harness.ts';

const site = useSite();

/** A path through shadow roots from the app, as a JS expression for waitForFunction/evaluate. */
const md = "document.querySelector('model-diff-app').shadowRoot.querySelector('model-diff')";
const planted = `${md}?.querySelector('md-planted')`;

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
  assert.equal(links.length, 3);
  assert.ok(
    links.every((h) => /a=forged-base&b=forged-[a-z]+&prompts=forged-demo.*run=1/.test(h!)),
    links.join(),
  );
  const started = Date.now();
  await Promise.all([
    page.waitForNavigation(),
    page.evaluate(() =>
      document.querySelector('model-diff-app')!.shadowRoot!.querySelector<HTMLAnchorElement>('.demo a')!.click(),
    ),
  ]);
  // openRecorded's recorder is installed on every new document of the page: it has seen this run's events too.
  await waitForReport(page);
  assert.deepEqual(await verdicts(page), { 'refused up': '✓ found', 'refusedAny up': '✓ found' });
  console.log(`demo: forged-base ⟷ forged-trigger, 36 prompts, report and verdict in ${Date.now() - started} ms`);
  const text = (await page.evaluate(`${planted}.shadowRoot.textContent`)) as string;
  assert.match(text.replace(/\s+/g, ' '), /2 of 2 planted signals found\. No false discoveries/);
  await screenshot(page, 'demo-trigger');

  // Show an example prompt from the panel, then Share: the link reopens the report with that prompt open.
  await page.evaluate(`${planted}.shadowRoot.querySelector('li[data-signal="refused up"] button').click()`);
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

test('the boost pair: the panel finds the three planted words among the tokens B boosts', async () => {
  const page = await openRecorded(
    site.browser,
    `${site.preview.url}?a=forged-base&b=forged-boost&prompts=forged-demo&max_new_tokens=24&run=1`,
  );
  await waitForReport(page);
  assert.deepEqual(await verdicts(page), {
    'token joy boosted in B': '✓ found',
    'token happy boosted in B': '✓ found',
    'token friends boosted in B': '✓ found',
  });
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
