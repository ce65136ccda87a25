// m. Hostile host CSS (embed-hostile.html + hostile.css: resets on `*` with !important, rules
//    for every form element the survey uses, huge fonts, the "62.5 %" root font size, odd
//    box-sizing, `all: unset` on div, inherited text styles on body), in the default shadow mode:
//    (a) the widget looks the same, pixel for pixel, as on the same page with only the rule
//        that places it (an element screenshot of the host, same viewport, same position);
//    (b) the widget changes nothing of the host page: the computed styles and boxes of the
//        host's own elements and the document's classes, head, viewport and title are the
//        same before the loader arrives, once the survey is shown and once it is answered.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { ARTIFACTS, DESKTOP, cspViolations, openPage, withArtifactsOnFailure } from './lib/browser.mjs';
import { checkConfirmation, checkVisible, findQuestion, pressButton } from './lib/pages.mjs';
import { Q, SURVEY_ID, answerRequiredQuestions } from './lib/survey.mjs';
import { comparePngs } from './lib/embed.mjs';
import { eventually } from './lib/wait.mjs';

const suite = serverAndBrowser();

/**
 * All the clean page keeps of hostile.css: where the host puts the widget, and the page's
 * background colour, which shows through the host's last, partly covered pixel row (the
 * widget's height is fractional).
 */
const PLACEMENT = 'survey-widget { position: absolute; top: 24px; left: 24px; width: 600px; } html { background: #fffbe0; }';

// No tolerance: one browser, one machine, the same widget in the same box renders the same
// pixels, so any difference at all is a style that crossed the shadow boundary (or a rendering
// difference nobody can explain, which is as much a finding).
const CHANNEL_THRESHOLD = 0;

/** Element screenshot of the host, with transitions finished (hostile.css animates `all`). */
async function hostScreenshot(page, name) {
  const png = await page.locator('survey-widget').screenshot({ animations: 'disabled', caret: 'initial' });
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, `${name}.png`), png);
  return png;
}

test('(a) the widget looks the same on the hostile page as on a clean one', { timeout: 120_000 }, async () => {
  const clean = await openPage(suite.browser, DESKTOP);
  const hostile = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(hostile.page, 'm hostile screenshot', async () => {
    // The clean page is the same page on the site with hostile.css replaced.
    let cleanServed = 0;
    await clean.page.route(`${suite.server.site}/hostile.css`, (route) => {
      cleanServed += 1;
      return route.fulfill({ status: 200, contentType: 'text/css', body: PLACEMENT });
    });
    const shots = {};
    for (const [name, { page }] of Object.entries({ clean, hostile })) {
      await page.goto(`${suite.server.site}/embed-hostile.html`);
      await checkVisible(findQuestion(page.locator('survey-widget'), Q.heard));
      // The stylesheet inside the shadow root has applied (the accent button is green).
      await page.waitForFunction(() => {
        const root = document.querySelector('survey-widget').shadowRoot;
        const link = root.querySelector('link[rel="stylesheet"]');
        return link && link.sheet && root.querySelector('.sw-root') && getComputedStyle(root.querySelector('.sw-root')).display === 'block';
      });
      shots[name] = await hostScreenshot(page, `m-${name}-host`);
    }
    assert.ok(cleanServed > 0, 'the clean page got the placement rule instead of hostile.css');
    const diff = await comparePngs(suite.browser, shots.clean, shots.hostile, { threshold: CHANNEL_THRESHOLD });
    writeFileSync(path.join(ARTIFACTS, 'm-screenshot-diff.json'), JSON.stringify(diff, null, 2) + '\n');
    console.log(`# hostile CSS screenshot comparison: ${JSON.stringify(diff)}`);
    assert.ok(
      diff.sameSize,
      `the widget's size changed: ${diff.a.width}×${diff.a.height} on the clean page, ${diff.b.width}×${diff.b.height} on the hostile one`,
    );
    assert.equal(
      diff.differing,
      0,
      `${diff.differing} of ${diff.total} pixels differ (largest channel difference ${diff.maxChannelDifference}, in ${JSON.stringify(diff.box)})`,
    );
    assert.ok(diff.total > 600 * 1000, `the comparison covers the whole widget, not an empty box: ${diff.total} pixels`);
    for (const { page } of [clean, hostile]) {
      assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
      assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
    }
  });
  await clean.context.close();
  await hostile.context.close();
});

/**
 * Everything of the host page the widget could change, read in the page: every computed
 * property and the box of the host's own elements, the classes and attributes of html and
 * body, the head's children, the viewport meta and the title.
 */
function hostSnapshot() {
  const elements = [document.documentElement, document.body, ...document.querySelectorAll('main, main *')];
  const styles = {};
  for (const element of elements) {
    const key = element.id ? `#${element.id}` : `${element.tagName.toLowerCase()}[${elements.indexOf(element)}]`;
    const computed = getComputedStyle(element);
    const properties = {};
    for (const name of computed) properties[name] = computed.getPropertyValue(name);
    // In page coordinates: answering the survey may scroll the page, which moves nothing.
    const shown = element.getClientRects().length > 0;
    const { x, y, width, height } = element.getBoundingClientRect();
    styles[key] = { properties, box: shown ? { x: x + scrollX, y: y + scrollY, width, height } : null };
  }
  const attributes = (element) => Object.fromEntries([...element.attributes].map(({ name, value }) => [name, value]));
  return {
    styles,
    html: attributes(document.documentElement),
    body: attributes(document.body),
    head: [...document.head.children].map((element) => element.outerHTML),
    viewport: document.querySelector('meta[name="viewport"]')?.getAttribute('content') ?? null,
    title: document.title,
    documentStyleSheets: document.styleSheets.length,
    adoptedStyleSheets: document.adoptedStyleSheets.length,
  };
}

/** Names the differences between two snapshots, briefly enough for a failure message. */
function differences(before, after) {
  const found = [];
  for (const key of ['html', 'body', 'head', 'viewport', 'title', 'documentStyleSheets', 'adoptedStyleSheets']) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      found.push(`${key}: ${JSON.stringify(before[key])} → ${JSON.stringify(after[key])}`);
    }
  }
  for (const [element, { properties, box }] of Object.entries(before.styles)) {
    const now = after.styles[element];
    if (!now) {
      found.push(`${element}: gone`);
      continue;
    }
    if (JSON.stringify(box) !== JSON.stringify(now.box)) found.push(`${element} box: ${JSON.stringify(box)} → ${JSON.stringify(now.box)}`);
    for (const [name, value] of Object.entries(properties)) {
      if (now.properties[name] !== value) found.push(`${element} ${name}: ${value} → ${now.properties[name]}`);
    }
  }
  for (const element of Object.keys(after.styles)) if (!before.styles[element]) found.push(`${element}: added`);
  return found;
}

test('(b) the widget changes nothing of the host page, before, while and after it is answered', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  await withArtifactsOnFailure(page, 'm hostile host page', async () => {
    // The loader (from the collector) is held back until the page has been read without it.
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    await page.route(`${suite.server.url}/survey-widget/survey-widget.js`, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${suite.server.site}/embed-hostile.html`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => document.readyState !== 'loading' && document.styleSheets.length > 0);
    await page.waitForFunction(() => [...document.styleSheets].every((sheet) => sheet.cssRules.length > 0));
    assert.equal(await page.evaluate(() => typeof window.SurveyWidget), 'undefined', 'the loader has not run yet');
    const before = await page.evaluate(hostSnapshot);
    assert.ok(Object.keys(before.styles).length >= 15, 'the snapshot covers the host elements');

    release();
    const widget = page.locator('survey-widget');
    await checkVisible(findQuestion(widget, Q.heard));
    await page.waitForFunction(() => document.querySelector('survey-widget').shadowRoot.querySelector('link[rel="stylesheet"]')?.sheet);
    const rendered = await page.evaluate(hostSnapshot);
    assert.deepEqual(differences(before, rendered), [], 'showing the survey changed the host page');
    assert.equal(await page.evaluate(() => [window.scrollX, window.scrollY].join()), '0,0', 'the page did not scroll');
    assert.equal(await page.evaluate(() => document.activeElement === document.body), true, 'focus stayed on the page');

    await answerRequiredQuestions(widget);
    await pressButton(widget, 'Send answers');
    await checkConfirmation(widget, Q.completion);
    const answered = await page.evaluate(hostSnapshot);
    assert.deepEqual(differences(before, answered), [], 'answering the survey changed the host page');

    const stored = await eventually(async () => {
      const found = (await storedResponses(suite.server, SURVEY_ID)).filter((r) => r.hidden?.channel === 'hostile');
      assert.equal(found.length, 1, 'the answers from the hostile page were stored once');
      return found[0];
    });
    assert.deepEqual(stored.answers, { heard: 'website', ease: 3, consent: true });
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
    assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
  });
  await context.close();
});
