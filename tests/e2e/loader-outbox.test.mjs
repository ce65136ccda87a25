// j. Answers that could not be delivered are sent by the next page the person opens on the site,
//    even one with no survey on it: the classic loader sees the outbox in localStorage and loads
//    the widget's code only to deliver them. So are answers an earlier release kept, in its one
//    list under `survey-widget:outbox`, when the site moves to this release.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedResponses } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { DESKTOP, cspViolations, openPage, waitForSurveyEvent, withArtifactsOnFailure } from './lib/browser.mjs';
import { openSurvey, pressButton } from './lib/pages.mjs';
import { Q, SURVEY_ID, answerRequiredQuestions, recordSubmissions } from './lib/survey.mjs';
import { eventually } from './lib/wait.mjs';
import { serveFiles } from './lib/embed.mjs';
import { OUTBOX, outboxEntries, outboxKey, outboxKeys } from './lib/outbox.mjs';

/** Another page of the site, with the loader from the collector at `collector` but no survey. */
const noSurvey = (collector) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Opening times</title>
  <script src="${collector}/survey-widget/survey-widget.js" async></script>
</head>
<body><main><h1>Opening times</h1><p>No survey on this page.</p></main></body>
</html>
`;

const suite = serverAndBrowser();

test('a submission kept on the device is delivered by the next page with the loader, even without a survey', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'j outbox next page', async () => {
    // Offline for the collector: every POST fails.
    await page.route(`${suite.server.url}/api/responses`, (route) => route.abort('internetdisconnected'));
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    await answerRequiredQuestions(widget);
    await pressButton(widget, 'Send answers');
    const queued = await waitForSurveyEvent(page, 'survey:queued');
    assert.deepEqual(await outboxKeys(page), [outboxKey(queued.detail.submission_id)], 'the submission is kept in the outbox, under its own key');
    assert.deepEqual(await storedResponses(suite.server, SURVEY_ID), [], 'nothing reached the collector');

    // Back online, on a page that shows no survey.
    await page.unroute(`${suite.server.url}/api/responses`);
    await serveFiles(page, suite.server, { '/opening-times.html': noSurvey(suite.server.url) });
    const sentBefore = posts.length;
    await page.goto(`${suite.server.site}/opening-times.html`);

    await eventually(async () => {
      const stored = await storedResponses(suite.server, SURVEY_ID);
      assert.deepEqual(stored.map((response) => response.submission_id), [queued.detail.submission_id], 'delivered once');
    });
    assert.ok(posts.length > sentBefore, 'the page without a survey sent it');
    assert.equal(JSON.parse(posts.at(-1).body).submission_id, queued.detail.submission_id);
    await eventually(async () => assert.deepEqual(await outboxKeys(page), [], 'the outbox is empty once delivered'));
    assert.deepEqual(await cspViolations(page), [], 'no Content Security Policy violations');
  });
  await context.close();
});

test('answers an earlier release kept in its single outbox key are delivered after the upgrade', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(suite.browser, DESKTOP);
  const posts = recordSubmissions(page);
  await withArtifactsOnFailure(page, 'j outbox earlier release', async () => {
    await page.route(`${suite.server.url}/api/responses`, (route) => route.abort('internetdisconnected'));
    const widget = await openSurvey(page, `${suite.server.site}/`, { firstQuestion: Q.heard });
    await answerRequiredQuestions(widget);
    await pressButton(widget, 'Send answers');
    const queued = await waitForSurveyEvent(page, 'survey:queued');
    const id = queued.detail.submission_id;

    // As an earlier release kept it: one JSON list under one key, with an entry this release
    // cannot read beside it. (Rewritten on a page of the site without the widget, so that no
    // widget is left to touch the outbox before the next page's loader finds it.)
    const unreadable = '{"format":9,"sealed":"AAECAw=="}';
    await serveFiles(page, suite.server, {
      '/blank.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title></head><body></body></html>',
      '/opening-times.html': noSurvey(suite.server.url),
    });
    await page.goto(`${suite.server.site}/blank.html`);
    await page.evaluate(
      ({ key, from, unreadable }) => {
        localStorage.setItem(key, `[${localStorage.getItem(from)},${unreadable}]`);
        localStorage.removeItem(from);
      },
      { key: OUTBOX, from: outboxKey(id), unreadable },
    );
    assert.deepEqual(await outboxKeys(page), [OUTBOX]);

    await page.unroute(`${suite.server.url}/api/responses`);
    const sentBefore = posts.length;
    await page.goto(`${suite.server.site}/opening-times.html`);
    await eventually(async () => {
      const stored = await storedResponses(suite.server, SURVEY_ID);
      assert.equal(stored.filter((response) => response.submission_id === id).length, 1, 'delivered once');
    });
    assert.ok(posts.length > sentBefore, 'the page without a survey sent it');
    // Delivered, and gone; what no release here can read stays exactly as it was.
    await eventually(async () => assert.deepEqual(await outboxKeys(page), [OUTBOX]));
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), OUTBOX), `[${unreadable}]`);
    assert.deepEqual(await outboxEntries(page), [JSON.parse(unreadable)]);
  });
  await context.close();
});
