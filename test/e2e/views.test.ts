// The report as people see it: screenshots in light and dark, at desktop and phone width (test/output/), and an
// accessibility audit (axe-core, WCAG 2 A/AA) of the page with a finished report, shadow roots included: a behaviour
// opened to its evidence, the folded statistical rows opened, and a prompt drilled into.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { OUTPUT, openRecorded, openRecordedOn, screenshot, useSite, waitForReport } from './harness.ts';

const site = useSite();
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const URL_PATH = '?a=forged-base&b=forged-trigger&prompts=forged-demo&run=1&max_new_tokens=16';
const MD = "document.querySelector('model-diff-app').shadowRoot.querySelector('model-diff')";

for (const [name, viewport] of [
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshot: ${name}, ${scheme}`, async () => {
      const page = await openRecorded(site.browser, site.preview.url + URL_PATH, viewport);
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await waitForReport(page);
      // Drill down as a reader would: open the first behaviour, its first example, then a token of B's KL strip.
      await drillDown(page);
      const strip = await page.waitForFunction(
        `${MD}.shadowRoot.querySelector('md-prompt-view')?.shadowRoot?.querySelectorAll('md-token-strip')[1]`,
        { polling: 'raf' },
      );
      await page.evaluate((s) => (s as Element).shadowRoot!.querySelector<HTMLElement>('.cell')!.focus(), strip);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page is ${overflow}px wider than the ${name} viewport`);
      await screenshot(page, `report-${name}-${scheme}`);
      const view = await page.evaluateHandle(`${MD}.shadowRoot.querySelector('md-prompt-view')`);
      await (view as ElementHandle<Element>).screenshot({ path: join(OUTPUT, `prompt-${name}-${scheme}.png`) });
      await page.close();
    });
  }
}

test('the strict Content-Security-Policy holds: a full run and report raise no violation', async () => {
  const page = await site.browser.newPage();
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await openRecordedOn(page, site.preview.url + URL_PATH);
  await waitForReport(page);
  await forestPlotDrawn(page);
  const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  assert.deepEqual(violations, []);
  await page.close();
});

for (const scheme of ['light', 'dark'] as const)
  test(`accessibility (${scheme}): no serious or critical axe violations on a finished report`, async () => {
    const page = await openRecorded(site.browser, site.preview.url + URL_PATH);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    await waitForReport(page);
    // The prompt view (word diff, shading, KL strip with a token's alternatives), the first behaviour opened to its
    // evidence and the folded statistical rows opened are part of what is audited (axe skips what is hidden).
    await drillDown(page);
    await page.evaluate(`${MD}.shadowRoot.querySelector('details.tests').open = true`);
    const strip = await page.waitForFunction(
      `${MD}.shadowRoot.querySelector('md-prompt-view')?.shadowRoot?.querySelectorAll('md-token-strip')[1]`,
      { polling: 'raf' },
    );
    await page.evaluate((s) => (s as Element).shadowRoot!.querySelector<HTMLElement>('.cell')!.focus(), strip);
    await forestPlotDrawn(page);
    // DevTools evaluation is not subject to the page's CSP, which (rightly) forbids injected scripts.
    await page.evaluate(readFileSync(axePath, 'utf8'));
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              ctx: unknown,
              opts: unknown,
            ) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
          };
        }
      ).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
      (window as unknown as { __axePasses: number }).__axePasses = (
        result as unknown as { passes: unknown[] }
      ).passes.length;
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)),
      }));
    });
    console.log(
      `axe: ${violations.length} violation kinds: ${violations.map((v) => `${v.id} (${v.impact})`).join(', ')}`,
    );
    const passes = await page.evaluate(() => (window as unknown as { __axePasses: number }).__axePasses);
    assert.ok(passes >= 10, `axe checked too little (${passes} rules passed): is the report on the page?`);
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious, [], JSON.stringify(serious, null, 1));
    await page.close();
  });

/** Opens the first behaviour and shows its first example prompt, with real clicks where the reader would click. */
async function drillDown(page: Page) {
  const list = `${MD}.shadowRoot.querySelector('md-behaviour-list').shadowRoot`;
  const summary = (await page.evaluateHandle(
    `${list}.querySelector('li.behaviour summary')`,
  )) as ElementHandle<Element>;
  await summary.click();
  const example = (await page.waitForFunction(`${list}.querySelector('li.behaviour details[open] .examples button')`, {
    polling: 'raf',
  })) as ElementHandle<Element>;
  await example.click();
}

/** The forest plot's chart library loads lazily after the report: wait, frame by frame, until it has drawn. */
function forestPlotDrawn(page: Page) {
  return page.waitForFunction(
    "document.querySelector('model-diff-app')?.shadowRoot?.querySelector('model-diff')?.shadowRoot" +
      "?.querySelector('md-forest-plot')?.shadowRoot?.querySelector('svg')",
    { polling: 'raf' },
  );
}
