// The page as a product, on the built site: the first screen explains itself (pitch, demo cards saying what was
// planted and what the report should find, a one-line capability summary); a demo click folds the setup into one
// line, moves focus there and puts the verdict in the viewport once the report is ready (desktop and phone); a
// 200-prompt run shows provisional findings before it ends; a 1,000-prompt report scrolls its virtualised prompt
// list with no long task over 100 ms. Screenshots (light/dark × desktop/phone) of the landing page, a running
// profile, the forged-trigger report and a prompt diff go to test/output/screenshots/.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ElementHandle, Page } from 'puppeteer-core';
import type { DiffReport } from '../../src/core/diff/report-types.ts';
import { OUTPUT, ROOT, openRecorded, openRecordedOn, serveFiles, useSite, waitForReport } from './harness.ts';

const site = useSite();
const SHOTS = join(OUTPUT, 'screenshots');
const APP = "document.querySelector('model-diff-app').shadowRoot";
const MD = `${APP}.querySelector('model-diff')`;
const VIEWPORTS = [
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const;
const SCHEMES = ['light', 'dark'] as const;

async function shot(page: Page, name: string, fullPage = false) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) as `${string}.png`, fullPage });
}

async function noOverflow(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${what}: the page is ${overflow}px wider than the viewport`);
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core (WCAG 2 A/AA) on the page as it is, shadow roots included: every violation, with a few targets. */
async function axe(page: Page): Promise<{ id: string; targets: string[] }[]> {
  // DevTools evaluation is not subject to the page's CSP, which (rightly) forbids injected scripts.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }).then((r) =>
    r.violations.map((v) => ({ id: v.id, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) })))`) as Promise<
    { id: string; targets: string[] }[]
  >;
}

const text = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();

/** A page at the site's first screen in a colour scheme, recording the element's events. */
async function landing(viewport: { width: number; height: number }, scheme: 'light' | 'dark') {
  const page = await openRecorded(site.browser, site.preview.url, viewport);
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  await page.waitForFunction(`${APP}?.querySelector('li.demo a.run')`, { polling: 'raf' });
  // The capability line, once the browser has said what it can do.
  await page.waitForFunction(
    `!${APP}.querySelector('md-model-chooser')?.shadowRoot?.querySelector('details.caps > summary')?.textContent.includes('asking')`,
    { polling: 'raf' },
  );
  return page;
}

for (const [name, viewport] of VIEWPORTS)
  for (const scheme of SCHEMES)
    test(`first screen and a demo, ${name}, ${scheme}: the verdict ends up in view, the setup folded`, async () => {
      const page = await landing(viewport, scheme);
      const first = (await page.evaluate(`(() => {
        const root = ${APP};
        const chooser = root.querySelector('md-model-chooser').shadowRoot;
        return {
          pitch: root.querySelector('.pitch').textContent,
          cards: [...root.querySelectorAll('li.demo')].map((li) => li.textContent),
          links: [...root.querySelectorAll('li.demo a.run')].map((a) => a.getAttribute('href')),
          caps: chooser.querySelector('details.caps > summary').textContent,
          capsOpen: chooser.querySelector('details.caps').open,
          demosTop: root.querySelector('ul.demos').getBoundingClientRect().top,
          ownTop: root.querySelector('section.own').getBoundingClientRect().top,
        };
      })()`)) as {
        pitch: string;
        cards: string[];
        links: string[];
        caps: string;
        capsOpen: boolean;
        demosTop: number;
        ownTop: number;
      };
      assert.match(text(first.pitch), /What changed between two language models\?.*git diff/);
      assert.equal(first.cards.length, 4);
      for (const card of first.cards)
        assert.match(text(card), /Planted .+ The report should find .+ forged-base ⟷ forged-[a-z]+ Run this demo$/);
      assert.ok(
        first.links.every((h) => /^\?a=forged-base&b=forged-[a-z]+&prompts=forged-demo.*run=1$/.test(h)),
        first.links.join(),
      );
      assert.match(text(first.caps), /^This browser: .+ — .+\(details\)$/);
      assert.equal(first.capsOpen, false, 'the capability details are on demand');
      assert.ok(first.demosTop < viewport.height, 'the demo cards start on the first screen');
      assert.ok(first.demosTop < first.ownTop, 'the demos come before "compare your own models"');
      await noOverflow(page, `${name} landing`);
      await shot(page, `landing-${name}-${scheme}`);
      if (name === 'desktop') assert.deepEqual(await axe(page), [], 'axe on the first screen');

      // The first card's link, by a real click on desktop and by the keyboard on a phone (Tab reaches it first, Enter
      // follows it): no reload, the setup folds, focus moves to its one-line summary.
      if (name === 'desktop') {
        const link = (await page.evaluateHandle(`${APP}.querySelector('li.demo a.run')`)) as ElementHandle<Element>;
        await link.click();
      } else {
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(`${APP}.activeElement?.getAttribute('href')`), first.links[0]);
        await page.keyboard.press('Enter');
      }
      await page.waitForFunction(`${MD}?.shadowRoot?.querySelector('md-progress')`, { polling: 'raf' });
      const folded = (await page.evaluate(`(() => {
        const root = ${APP};
        const edit = [...root.querySelectorAll('.summary button')].find((b) => b.textContent.trim() === 'Edit');
        return {
          url: location.search,
          form: Boolean(root.querySelector('form')),
          hero: Boolean(root.querySelector('.hero')),
          summary: root.querySelector('section.summary').textContent,
          expanded: edit.getAttribute('aria-expanded'),
          focused: root.activeElement?.id,
          summaryTop: root.querySelector('section.summary').getBoundingClientRect().top,
        };
      })()`)) as {
        url: string;
        form: boolean;
        hero: boolean;
        summary: string;
        expanded: string;
        focused: string;
        summaryTop: number;
      };
      assert.match(folded.url, /b=forged-trigger.*run=1/);
      assert.equal(folded.form, false, 'the setup is folded: no form on the page');
      assert.equal(folded.hero, false);
      assert.match(text(folded.summary), /^forged-base ⟷ forged-trigger · .*24 new tokens, greedy Edit Share$/);
      assert.equal(folded.expanded, 'false');
      assert.equal(folded.focused, 'run-title', 'focus moved to the run');
      assert.ok(folded.summaryTop >= 0 && folded.summaryTop < viewport.height / 3, `summary at ${folded.summaryTop}`);
      await page.waitForFunction(
        `${MD}.shadowRoot.querySelector('md-progress')?.shadowRoot?.querySelector('progress[aria-label="prompts profiled"]') || ${MD}.report`,
        { polling: 'raf' },
      );
      await shot(page, `running-${name}-${scheme}`);

      const report = await waitForReport<DiffReport>(page);
      await page.waitForFunction(
        `${MD}.shadowRoot.querySelector('md-behaviour-list')?.shadowRoot?.querySelector('.verdict')`,
        {
          polling: 'raf',
        },
      );
      const verdict = (await page.evaluate(`(() => {
        const v = ${MD}.shadowRoot.querySelector('md-behaviour-list').shadowRoot.querySelector('.verdict');
        const r = v.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, badge: v.querySelector('.badge').textContent.trim(), height: innerHeight };
      })()`)) as { top: number; bottom: number; badge: string; height: number };
      assert.equal(verdict.badge, 'Differs');
      assert.ok(verdict.top >= 0 && verdict.bottom <= verdict.height, `verdict at ${verdict.top}–${verdict.bottom}`);
      assert.ok(report.behaviours.length >= 1);
      await noOverflow(page, `${name} report`);
      await shot(page, `report-${name}-${scheme}`);

      // "Every prompt where it happens" (first behaviour): the list, filtered to it, in view with focus on its filter.
      if (name === 'desktop') {
        const list = `${MD}.shadowRoot.querySelector('md-behaviour-list').shadowRoot`;
        await page.evaluate(`${list}.querySelector('li.behaviour details').open = true`);
        const all = (await page.waitForFunction(`${list}.querySelector('li.behaviour .show-all')`, {
          polling: 'raf',
        })) as ElementHandle<Element>;
        const count = Number(/\((\d+)\)/.exec((await all.evaluate((b) => b.textContent)) ?? '')?.[1]);
        await all.click();
        const shown = (await (
          await page.waitForFunction(
            `(() => {
              const t = ${MD}.shadowRoot.querySelector('md-prompt-table');
              const focused = t.shadowRoot.activeElement;
              const status = t.shadowRoot.querySelector('.count').textContent.replace(/\\s+/g, ' ').trim();
              return focused?.tagName === 'SELECT' && focused.value === ${MD}.report.behaviours[0].id
                ? { status, top: t.getBoundingClientRect().top }
                : null;
            })()`,
            { polling: 'raf' },
          )
        ).jsonValue()) as { status: string; top: number };
        assert.ok(count > 0 && count < report.prompts.length, `${count} prompts`);
        assert.match(shown.status, new RegExp(`^${count} prompts? shown`));
        assert.ok(Math.abs(shown.top) < 2, `the list at the top of the viewport (${shown.top})`);
      }

      // Edit opens the setup again, in place.
      await page.evaluate(
        `[...${APP}.querySelectorAll('.summary button')].find((b) => b.textContent.trim() === 'Edit').click()`,
      );
      await page.waitForFunction(`${APP}.querySelector('#setup form')`, { polling: 'raf' });

      // The prompt list: a unified word diff per prompt, most different first.
      const table = (await page.evaluateHandle(
        `${MD}.shadowRoot.querySelector('md-prompt-table')`,
      )) as ElementHandle<Element>;
      await table.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      const row = (await page.waitForFunction(
        (t: Element) => t.shadowRoot!.querySelector('li[data-index="0"] article'),
        { polling: 'raf' },
        table,
      )) as ElementHandle<Element>;
      const diff = await row.evaluate((a) => ({
        del: [...a.querySelectorAll('.unified del')].map((x) => x.textContent).join(' '),
        ins: [...a.querySelectorAll('.unified ins')].map((x) => x.textContent).join(' '),
      }));
      assert.ok(diff.del && diff.ins, `the first prompt shows removed and added words: ${JSON.stringify(diff)}`);
      assert.match(diff.ins, /cannot/);
      await noOverflow(page, `${name} prompt list`);
      await row.screenshot({ path: join(SHOTS, `prompt-diff-${name}-${scheme}.png`) });
      // Side by side, then axe on the page with the list's rows drawn (and the setup open for editing).
      await table.evaluate((t) => t.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-pressed]')!.click());
      await page.waitForFunction(
        (t: Element) => t.shadowRoot!.querySelector('li[data-index="0"] .sides'),
        { polling: 'raf' },
        table,
      );
      await noOverflow(page, `${name} side by side`);
      if (name === 'desktop') assert.deepEqual(await axe(page), [], 'axe on the report with the prompt list');
      await page.close();
    });

/** The forged-demo prompts, repeated with fresh ids to n prompts. */
function manyPrompts(n: number) {
  const demo = JSON.parse(readFileSync(join(ROOT, 'public', 'prompts', 'forged-demo.json'), 'utf8')) as {
    prompts: { id: string; category: string; prompt: string; harmful?: boolean }[];
  };
  return Array.from({ length: n }, (_, i) => {
    const p = demo.prompts[i % demo.prompts.length]!;
    return { id: `${p.id}-${i}`, category: p.category, prompt: p.prompt, harmful: p.harmful ?? false };
  });
}

describe('long runs and long reports', () => {
  let files: Awaited<ReturnType<typeof serveFiles>>;
  before(async () => {
    const report = JSON.parse(
      readFileSync(join(ROOT, 'public', 'reports', 'forged-base-vs-forged-trigger.json'), 'utf8'),
    ) as DiffReport;
    const prompts = Array.from({ length: 1000 }, (_, i) => {
      const p = report.prompts[i % report.prompts.length]!;
      return { ...p, id: `${p.id}-${i}` };
    });
    const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    files = await serveFiles({
      'report1000.json': enc({ ...report, prompts, promptSet: { ...report.promptSet, n: 1000 } }),
      'set200.json': enc({ id: 'long', name: 'Long', prompts: manyPrompts(200) }),
    });
  });
  after(() => files?.server.close());

  test('a 1,000-prompt report: the prompt list is virtualised and scrolls with no long task over 100 ms', async () => {
    const page = await openRecorded(
      site.browser,
      `${site.preview.url}?report=${encodeURIComponent(files.url + 'report1000.json')}`,
    );
    await waitForReport(page);
    const table = (await page.waitForFunction(`${MD}.shadowRoot.querySelector('md-prompt-table')`, {
      polling: 'raf',
    })) as ElementHandle<Element>;
    await page.waitForFunction(
      (t: Element) => t.shadowRoot!.querySelector('li[data-index]'),
      { polling: 'raf' },
      table,
    );
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((list) => w.__long.push(...list.getEntries().map((e) => e.duration))).observe({
        type: 'longtask',
      });
    });
    // Scroll the whole list, a screen at a time, two frames after each step (the list redraws on the next one), in
    // chunks of 20 steps so that no single call to the page runs into puppeteer's 180 s protocol limit (a CI run once
    // did, and its error named no cause); a stall fails with where the scroll had got to. The page is brought to the
    // front first: a page in the background gets no animation frames. A string, not a function: the page gets it as
    // written (no bundler helpers).
    await page.bringToFront();
    await page.evaluate(`${MD}.shadowRoot.querySelector('md-prompt-table').shadowRoot.querySelector('.list')
      .scrollIntoView({ block: 'start' })`);
    const rows = { maxRows: 0, steps: 0, lastIndex: 0, done: false, bottom: 0, scrollY: 0 };
    const started = performance.now();
    while (!rows.done && rows.steps < 3000) {
      const chunk = (await page.evaluate(`(async () => {
        const t = ${MD}.shadowRoot.querySelector('md-prompt-table');
        const frame = () => new Promise((r) => requestAnimationFrame(r));
        const list = t.shadowRoot.querySelector('.list');
        const seen = { maxRows: 0, steps: 0, lastIndex: 0, done: false };
        // The list's height grows as rows are measured: look at where it ends after every step.
        for (; seen.steps < 20; seen.steps += 1) {
          if (list.getBoundingClientRect().bottom <= innerHeight + 10) { seen.done = true; break; }
          scrollBy(0, innerHeight * 0.9);
          await frame();
          await frame();
          const lis = [...t.shadowRoot.querySelectorAll('li[data-index]')];
          seen.maxRows = Math.max(seen.maxRows, lis.length);
          seen.lastIndex = Math.max(seen.lastIndex, ...lis.map((li) => Number(li.dataset.index)));
        }
        return { ...seen, bottom: list.getBoundingClientRect().bottom, scrollY };
      })()`)) as typeof rows;
      rows.maxRows = Math.max(rows.maxRows, chunk.maxRows);
      rows.lastIndex = Math.max(rows.lastIndex, chunk.lastIndex);
      rows.steps += chunk.steps;
      rows.done = chunk.done;
      rows.bottom = chunk.bottom;
      rows.scrollY = chunk.scrollY;
    }
    const elapsed = ((performance.now() - started) / 1000).toFixed(1);
    assert.ok(
      rows.done,
      `the list's end never came into view: ${rows.steps} steps in ${elapsed} s, scrolled to ${rows.scrollY}px, ` +
        `list bottom at ${rows.bottom}px, last row shown ${rows.lastIndex}`,
    );
    const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
    console.log(
      `1,000 prompts: ${rows.steps} scroll steps in ${elapsed} s, at most ${rows.maxRows} rows in the DOM, last row ${rows.lastIndex}; ` +
        `long tasks while scrolling: ${long.length}, longest ${long.length ? Math.max(...long).toFixed(0) : 0} ms`,
    );
    assert.equal(rows.lastIndex, 999, 'the scroll reached the last prompt');
    assert.ok(rows.maxRows < 60, `${rows.maxRows} rows in the DOM at once: the list is virtualised`);
    assert.deepEqual(
      long.filter((d) => d > 100),
      [],
      'no long task over 100 ms while scrolling',
    );
    await page.close();
  });

  test('Edit and Run while a run profiles: the run in progress stops, the new one runs, the setup folds again', async () => {
    const set = encodeURIComponent(files.url + 'set200.json');
    const page = await openRecorded(
      site.browser,
      `${site.preview.url}?a=forged-base&b=forged-trigger&prompts=${set}&max_new_tokens=16&run=1`,
    );
    await page.waitForFunction(`${MD}?.shadowRoot?.querySelector('md-progress')?.state?.prompts?.done >= 8`, {
      polling: 'raf',
      timeout: 0,
    });
    await page.evaluate(
      `[...${APP}.querySelectorAll('.summary button')].find((b) => b.textContent.trim() === 'Edit').click()`,
    );
    const field = (await page.waitForFunction(`${APP}.querySelector('#setup input[name=prompts]')`, {
      polling: 'raf',
    })) as ElementHandle<HTMLInputElement>;
    await field.evaluate((el) => (el.value = 'forged-demo'));
    await page.evaluate(`${APP}.querySelector('#setup button[type=submit]').click()`);
    // The run in progress ends as a Stop does (model-diff-error says so); then the new run reports.
    const stopped = await page.waitForFunction('window.__mdError', { polling: 'raf', timeout: 0 });
    assert.match(String(await stopped.jsonValue()), /^Stopped by the user/);
    await page.evaluate(() => delete (window as unknown as Record<string, unknown>)['__mdError']);
    const report = await waitForReport<DiffReport>(page);
    assert.equal(report.promptSet.n, 36, 'the report is the new run’s');
    assert.match(new URL(page.url()).search, /prompts=forged-demo/);
    assert.equal(await page.evaluate(`Boolean(${APP}.querySelector('form'))`), false, 'the setup folded again');
    assert.equal(await page.evaluate(`${MD}.error`), '');
    await page.close();
  });

  test('a 200-prompt run shows provisional findings, marked as such, before it ends', async () => {
    const page = await site.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.evaluateOnNewDocument(() => {
      const w = window as unknown as { __provisional: { done: number; at: number }[]; __profiling: number };
      w.__provisional = [];
      document.addEventListener('model-diff-progress', (e) => {
        const d = (e as CustomEvent<{ phase: string; done?: number }>).detail;
        w.__profiling ??= d.phase === 'profile' ? performance.now() : (undefined as unknown as number);
        if (d.phase === 'provisional') w.__provisional.push({ done: d.done!, at: performance.now() - w.__profiling });
      });
      document.addEventListener('model-diff-ready', () =>
        w.__provisional.push({ done: -1, at: performance.now() - w.__profiling }),
      );
    });
    const set = encodeURIComponent(files.url + 'set200.json');
    await openRecordedOn(
      page,
      `${site.preview.url}?a=forged-base&b=forged-trigger&prompts=${set}&max_new_tokens=16&run=1`,
    );
    // The framed, labelled provisional section with a verdict in it, while the run is still going.
    const seen = (await (
      await page.waitForFunction(
        `(() => {
          const root = ${MD}?.shadowRoot;
          const section = root?.querySelector('section.provisional');
          const verdict = section?.querySelector('md-behaviour-list')?.shadowRoot?.querySelector('.verdict .badge');
          return verdict && !${MD}.report
            ? { banner: section.querySelector('.banner').textContent, badge: verdict.textContent, running: ${MD}.running }
            : null;
        })()`,
        { polling: 'raf', timeout: 0 },
      )
    ).jsonValue()) as { banner: string; badge: string; running: boolean };
    assert.equal(seen.running, true);
    assert.match(
      text(seen.banner),
      /^Provisional — from the first \d+ of 200 prompts\. The verdict and behaviours will change/,
    );
    await shot(page, 'provisional-desktop-light');
    assert.deepEqual(await axe(page), [], 'axe on the provisional findings');
    const report = await waitForReport<DiffReport>(page);
    const all = await page.evaluate(
      () => (window as unknown as { __provisional: { done: number; at: number }[] }).__provisional,
    );
    const events = all.filter((e) => e.done >= 0);
    const end = all.find((e) => e.done < 0)!;
    console.log(
      `200 prompts: provisional findings at ${events.map((e) => `${e.done} prompts (${(e.at / 1000).toFixed(1)} s)`).join(', ')}; ` +
        `the report at ${(end.at / 1000).toFixed(1)} s (times from the first finished prompt)`,
    );
    assert.ok(events.length >= 1 && events[0]!.done < 200 && events[0]!.at < end.at, JSON.stringify(all));
    assert.ok(
      events.every((e, i) => i === 0 || e.done > events[i - 1]!.done),
      'each look covers more prompts',
    );
    assert.equal(report.prompts.length, 200);
    assert.equal(await page.evaluate(`Boolean(${MD}.shadowRoot.querySelector('section.provisional'))`), false);
    await page.close();
  });
});
